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
    /// Where people reach the app; used in links sent by email.
    pub public_url: String,
    /// Who takes payments: the built-in test provider unless Stripe is configured.
    pub payments: super::payments::Provider,
    /// SMTP relay for email; unset, email is written to `<data dir>/outbox`.
    pub smtp_url: Option<String>,
    /// The sender of our email.
    pub mail_from: String,
}

impl Config {
    pub fn from_env() -> Self {
        let data_dir = std::path::PathBuf::from(var("CONSILIUM_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url =
            var("DATABASE_URL").unwrap_or_else(|| format!("sqlite://{}/consilium.db", data_dir.display()));
        let public_url = var("CONSILIUM_PUBLIC_URL").unwrap_or_else(|| "http://127.0.0.1:3000".to_owned());
        Self {
            database_url,
            data_dir,
            demo_data: var("CONSILIUM_DEMO_DATA").is_some_and(|v| v == "1" || v == "true"),
            secure_cookies: public_url.starts_with("https://"),
            trust_proxy: var("CONSILIUM_TRUST_PROXY").is_some_and(|v| v == "1" || v == "true"),
            session_idle: Duration::from_secs(minutes("CONSILIUM_SESSION_IDLE_MINUTES", 30) * 60),
            session_absolute: Duration::from_secs(minutes("CONSILIUM_SESSION_MAX_MINUTES", 12 * 60) * 60),
            public_url: public_url.trim_end_matches('/').to_owned(),
            payments: payment_provider(),
            smtp_url: var("CONSILIUM_SMTP_URL"),
            mail_from: var("CONSILIUM_MAIL_FROM").unwrap_or_else(|| DEFAULT_FROM.to_owned()),
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
            public_url: "http://127.0.0.1:3000".to_owned(),
            payments: super::payments::Provider::Test {
                webhook_secret: TEST_WEBHOOK_SECRET.to_owned(),
            },
            smtp_url: None,
            mail_from: DEFAULT_FROM.to_owned(),
        }
    }
}

const DEFAULT_FROM: &str = "Consilium <no-reply@consilium.invalid>";

/// The test provider's signing secret unless `CONSILIUM_TEST_PAYMENT_SECRET` sets another. It
/// only ever moves test money; every app server of one deployment must share it.
pub const TEST_WEBHOOK_SECRET: &str = "whsec_consilium_test_mode";

/// `CONSILIUM_PAYMENT_PROVIDER=stripe` with `STRIPE_SECRET_KEY` and `STRIPE_WEBHOOK_SECRET`
/// selects Stripe; anything else is the built-in test provider.
fn payment_provider() -> super::payments::Provider {
    use super::payments::Provider;
    match (
        var("CONSILIUM_PAYMENT_PROVIDER").as_deref(),
        var("STRIPE_SECRET_KEY"),
        var("STRIPE_WEBHOOK_SECRET"),
    ) {
        (Some("stripe"), Some(api_key), Some(webhook_secret)) => Provider::Stripe {
            api_key,
            webhook_secret,
            api_base: var("STRIPE_API_BASE").unwrap_or_else(|| "https://api.stripe.com".to_owned()),
        },
        _ => Provider::Test {
            webhook_secret: var("CONSILIUM_TEST_PAYMENT_SECRET")
                .unwrap_or_else(|| TEST_WEBHOOK_SECRET.to_owned()),
        },
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn minutes(name: &str, default: u64) -> u64 {
    var(name).and_then(|v| v.parse().ok()).unwrap_or(default)
}
