use std::time::Duration;

/// Settings, read from the environment (see README "Configuration").
#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub data_dir: std::path::PathBuf,
    /// Load the demo accounts and catalog into an empty database.
    pub demo_data: bool,
    /// Set the cookie's Secure flag. On when the public URL is https.
    pub secure_cookies: bool,
    /// Take the client address from X-Forwarded-For (only behind a proxy that sets it).
    pub trust_proxy: bool,
    /// A session unused for this long ends.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub session_absolute: Duration,
}

impl Config {
    pub fn from_env() -> Self {
        let data_dir = std::path::PathBuf::from(var("CONSILIUM_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url =
            var("DATABASE_URL").unwrap_or_else(|| format!("sqlite://{}/consilium.db", data_dir.display()));
        let public_url = var("CONSILIUM_PUBLIC_URL").unwrap_or_default();
        Self {
            database_url,
            data_dir,
            demo_data: var("CONSILIUM_DEMO_DATA").is_some_and(|v| v == "1" || v == "true"),
            secure_cookies: public_url.starts_with("https://"),
            trust_proxy: var("CONSILIUM_TRUST_PROXY").is_some_and(|v| v == "1" || v == "true"),
            session_idle: Duration::from_secs(minutes("CONSILIUM_SESSION_IDLE_MINUTES", 30) * 60),
            session_absolute: Duration::from_secs(minutes("CONSILIUM_SESSION_MAX_MINUTES", 12 * 60) * 60),
        }
    }

    /// Settings for tests: a given database, short-lived nothing, no demo data.
    pub fn for_tests(database_url: &str, data_dir: std::path::PathBuf) -> Self {
        Self {
            database_url: database_url.to_owned(),
            data_dir,
            demo_data: false,
            secure_cookies: false,
            trust_proxy: false,
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(12 * 3600),
        }
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn minutes(name: &str, default: u64) -> u64 {
    var(name).and_then(|v| v.parse().ok()).unwrap_or(default)
}
