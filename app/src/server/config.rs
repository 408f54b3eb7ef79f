use super::auth::hashing::HashGate;
use super::payments::Provider;
use super::storage::StorageSettings;
use std::time::Duration;

/// Settings, read from the environment (see README "Configuration").
#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub data_dir: std::path::PathBuf,
    /// Where documents and reports are kept: `<data dir>/documents` unless
    /// `CONSILIUM_STORAGE_URL` names an S3-compatible bucket.
    pub storage: StorageSettings,
    /// Load the demo accounts and catalog into an empty database.
    pub demo_data: bool,
    /// Set the cookie's Secure flag and send HSTS. On when the public URL is https.
    pub secure_cookies: bool,
    /// How many proxies in front of us append to X-Forwarded-For; 0 ignores the header.
    pub trusted_proxies: usize,
    /// A session unused for this long ends.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub session_absolute: Duration,
    /// Where people reach the app; used in links sent by email and as the only origin from
    /// which state-changing requests are accepted.
    pub public_url: String,
    /// Who takes payments, chosen explicitly (see [`payment_provider`]).
    pub payments: Provider,
    /// SMTP relay for email; unset, email is written to `<data dir>/outbox`.
    pub smtp_url: Option<String>,
    /// The sender of our email.
    pub mail_from: String,
    /// The key for hashing emails in the audit log and the throttle. Per deployment: set with
    /// `CONSILIUM_SECRET_KEY`, or generated once and kept in the database (see `secrets`).
    pub secret_key: String,
    /// Password hashing in flight at once.
    pub hashing: HashGate,
}

/// A setting that stops the start, with the message an operator needs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(pub String);

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// The settings from any source of variables (the environment, or a table in tests).
    /// Values still to be taken from the database (generated secrets) are left empty here and
    /// filled in by `secrets::resolve` before the server starts.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let data_dir = std::path::PathBuf::from(var("CONSILIUM_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url =
            var("DATABASE_URL").unwrap_or_else(|| format!("sqlite://{}/consilium.db", data_dir.display()));
        let public_url = var("CONSILIUM_PUBLIC_URL").unwrap_or_else(|| "http://127.0.0.1:3000".to_owned());
        let secure = public_url.starts_with("https://");
        let minutes = |name: &str, default: u64| var(name).and_then(|v| v.parse().ok()).unwrap_or(default);
        Ok(Self {
            database_url,
            storage: StorageSettings::from_vars(&var, &data_dir)?,
            data_dir,
            demo_data: demo_data(var("CONSILIUM_DEMO_DATA").as_deref(), secure)?,
            secure_cookies: secure,
            trusted_proxies: trusted_proxies(var("CONSILIUM_TRUST_PROXY").as_deref())?,
            session_idle: Duration::from_secs(minutes("CONSILIUM_SESSION_IDLE_MINUTES", 30) * 60),
            session_absolute: Duration::from_secs(minutes("CONSILIUM_SESSION_MAX_MINUTES", 12 * 60) * 60),
            public_url: public_url.trim_end_matches('/').to_owned(),
            payments: payment_provider(&var)?,
            smtp_url: var("CONSILIUM_SMTP_URL"),
            mail_from: var("CONSILIUM_MAIL_FROM").unwrap_or_else(|| DEFAULT_FROM.to_owned()),
            secret_key: var("CONSILIUM_SECRET_KEY").unwrap_or_default(),
            hashing: HashGate::new(
                var("CONSILIUM_MAX_CONCURRENT_HASHES")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(4),
                Duration::from_secs(2),
            ),
        })
    }

    /// Settings for tests: a given database, short-lived nothing, no demo data.
    pub fn for_tests(database_url: &str, data_dir: std::path::PathBuf) -> Self {
        Self {
            database_url: database_url.to_owned(),
            storage: StorageSettings::Local {
                root: data_dir.join("documents"),
            },
            data_dir,
            demo_data: false,
            secure_cookies: false,
            trusted_proxies: 0,
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(12 * 3600),
            public_url: "http://127.0.0.1:3000".to_owned(),
            payments: Provider::Test {
                webhook_secret: TEST_WEBHOOK_SECRET.to_owned(),
            },
            smtp_url: None,
            mail_from: DEFAULT_FROM.to_owned(),
            secret_key: "test-only secret key".to_owned(),
            hashing: HashGate::default(),
        }
    }

    /// Whether this deployment takes play money: every page says so in its header.
    pub fn test_payments(&self) -> bool {
        matches!(self.payments, Provider::Test { .. })
    }
}

const DEFAULT_FROM: &str = "Consilium <no-reply@consilium.invalid>";

/// The test provider's signing secret in [`Config::for_tests`] only. A running server never
/// uses a secret written in the source: it takes `CONSILIUM_TEST_PAYMENT_SECRET` or one
/// generated for the deployment.
pub const TEST_WEBHOOK_SECRET: &str = "whsec_consilium_test_mode";

/// `CONSILIUM_PAYMENT_PROVIDER`: `test` (also when unset: the embedded demo) or `stripe`, which
/// needs both Stripe variables. Anything else stops the start, so a typo never silently turns a
/// real deployment into one that takes play money.
fn payment_provider(var: &impl Fn(&str) -> Option<String>) -> Result<Provider, ConfigError> {
    match var("CONSILIUM_PAYMENT_PROVIDER").as_deref().map(str::trim) {
        None | Some("test") => Ok(Provider::Test {
            // Empty: generated once and kept in the database (`secrets::resolve`).
            webhook_secret: var("CONSILIUM_TEST_PAYMENT_SECRET").unwrap_or_default(),
        }),
        Some("stripe") => {
            let missing: Vec<&str> = ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"]
                .into_iter()
                .filter(|name| var(name).is_none())
                .collect();
            if !missing.is_empty() {
                return Err(ConfigError(format!(
                    "CONSILIUM_PAYMENT_PROVIDER=stripe needs {} as well",
                    missing.join(" and ")
                )));
            }
            Ok(Provider::Stripe {
                api_key: var("STRIPE_SECRET_KEY").unwrap_or_default(),
                webhook_secret: var("STRIPE_WEBHOOK_SECRET").unwrap_or_default(),
                api_base: var("STRIPE_API_BASE").unwrap_or_else(|| "https://api.stripe.com".to_owned()),
                timeout: match var("CONSILIUM_PAYMENT_TIMEOUT_SECONDS") {
                    None => crate::server::payments::DEFAULT_TIMEOUT,
                    Some(v) => v
                        .parse()
                        .map(Duration::from_secs)
                        .ok()
                        .filter(|d| !d.is_zero())
                        .ok_or_else(|| {
                            ConfigError(format!(
                                "CONSILIUM_PAYMENT_TIMEOUT_SECONDS is a number of seconds, not '{v}'"
                            ))
                        })?,
                },
            })
        }
        Some(other) => Err(ConfigError(format!(
            "CONSILIUM_PAYMENT_PROVIDER is '{other}'; it must be 'test' or 'stripe'"
        ))),
    }
}

/// `CONSILIUM_TRUST_PROXY`: unset or `0` ignores X-Forwarded-For; `1` (or `true`) trusts one
/// proxy, a number N trusts N proxies in a row.
fn trusted_proxies(value: Option<&str>) -> Result<usize, ConfigError> {
    match value.map(str::trim) {
        None | Some("0") | Some("false") => Ok(0),
        Some("true") => Ok(1),
        Some(n) => n.parse().map_err(|_| {
            ConfigError(format!(
                "CONSILIUM_TRUST_PROXY is '{n}'; it must be the number of proxies in front of the app"
            ))
        }),
    }
}

/// Demo data (accounts with a published password) belongs on a machine tried out locally.
/// Behind https it would be a real deployment with known logins, so it needs `force`.
fn demo_data(value: Option<&str>, https: bool) -> Result<bool, ConfigError> {
    match value.map(str::trim) {
        None | Some("0") | Some("false") => Ok(false),
        Some("force") => Ok(true),
        Some("1") | Some("true") if https => Err(ConfigError(
            "CONSILIUM_DEMO_DATA is set but the public URL is https: demo accounts share a published \
             password. Set CONSILIUM_DEMO_DATA=force if this really is a demonstration."
                .to_owned(),
        )),
        Some("1") | Some("true") => Ok(true),
        Some(other) => Err(ConfigError(format!(
            "CONSILIUM_DEMO_DATA is '{other}'; it must be 1, 0 or force"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn an_unknown_provider_or_an_incomplete_stripe_setup_stops_the_start() {
        for (vars, says) in [
            (vec![("CONSILIUM_PAYMENT_PROVIDER", "Stripe")], "'Stripe'"),
            (vec![("CONSILIUM_PAYMENT_PROVIDER", "strpie")], "'strpie'"),
            (
                vec![("CONSILIUM_PAYMENT_PROVIDER", "stripe")],
                "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET",
            ),
            (
                vec![
                    ("CONSILIUM_PAYMENT_PROVIDER", "stripe"),
                    ("STRIPE_SECRET_KEY", "sk_live_x"),
                ],
                "STRIPE_WEBHOOK_SECRET",
            ),
        ] {
            let err = config(&vars).err().unwrap_or_else(|| panic!("{vars:?} started"));
            assert!(err.0.contains(says), "{vars:?}: {err}");
        }
    }

    #[test]
    fn the_test_provider_is_chosen_explicitly_or_by_default_and_never_with_a_secret_from_the_source() {
        for vars in [vec![], vec![("CONSILIUM_PAYMENT_PROVIDER", "test")]] {
            let c = config(&vars).unwrap_or_else(|e| panic!("{e}"));
            assert!(c.test_payments());
            let Provider::Test { webhook_secret } = &c.payments else {
                unreachable!()
            };
            assert_eq!(webhook_secret, "", "left to be generated for the deployment");
        }
        let c = config(&[("CONSILIUM_TEST_PAYMENT_SECRET", "whsec_ours")]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.payments.webhook_secret(), b"whsec_ours");
        let c = config(&[
            ("CONSILIUM_PAYMENT_PROVIDER", "stripe"),
            ("STRIPE_SECRET_KEY", "sk_test_1"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_1"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(!c.test_payments());
    }

    #[test]
    fn proxies_are_trusted_only_when_counted() {
        let table = [
            (None, Ok(0)),
            (Some("0"), Ok(0)),
            (Some("1"), Ok(1)),
            (Some("true"), Ok(1)),
            (Some("2"), Ok(2)),
        ];
        for (value, expected) in table {
            assert_eq!(trusted_proxies(value), expected, "{value:?}");
        }
        assert!(trusted_proxies(Some("yes")).is_err());
    }

    #[test]
    fn demo_data_behind_https_needs_force() {
        assert_eq!(demo_data(Some("1"), false), Ok(true));
        assert!(demo_data(Some("1"), true).is_err());
        assert_eq!(demo_data(Some("force"), true), Ok(true));
        assert_eq!(demo_data(None, true), Ok(false));
        let err = config(&[
            ("CONSILIUM_DEMO_DATA", "1"),
            ("CONSILIUM_PUBLIC_URL", "https://clinic.example"),
        ]);
        assert!(err.is_err());
    }
}
