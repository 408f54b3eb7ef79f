//! Secrets a deployment needs but an operator need not set: generated at the first start, kept
//! in the database, the same for every app server. A value set in the environment wins.

use super::config::Config;
use super::db::{settings, Db};
use super::payments::Provider;

const SECRET_KEY: &str = "secret_key";
const TEST_PAYMENT_SECRET: &str = "test_payment_webhook_secret";

/// Fills in what the environment left empty: the key for hashing emails, and the test payment
/// provider's webhook secret (random per deployment, so nobody can sign a payment event with a
/// secret read in our source).
pub async fn resolve(db: &Db, config: &mut Config) -> Result<(), sqlx::Error> {
    let mut conn = db.pool().acquire().await?;
    if config.secret_key.is_empty() {
        config.secret_key = settings::get_or_insert(&mut conn, SECRET_KEY, &random()).await?;
    }
    if let Provider::Test { webhook_secret } = &mut config.payments {
        if webhook_secret.is_empty() {
            let generated = format!("whsec_{}", random());
            *webhook_secret = settings::get_or_insert(&mut conn, TEST_PAYMENT_SECRET, &generated).await?;
        }
    }
    Ok(())
}

fn random() -> String {
    super::auth::token::new_token()
}
