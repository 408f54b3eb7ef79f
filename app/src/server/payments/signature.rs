//! Webhook signatures in Stripe's scheme, which our built-in test provider uses too:
//! `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
//! Verified over the raw bytes, within a time tolerance, with a constant-time comparison.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const TOLERANCE_SECONDS: i64 = 300;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature header is missing or malformed")]
    Malformed,
    #[error("the signature timestamp is outside the tolerance")]
    Stale,
    #[error("no signature matches the payload")]
    Mismatch,
}

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length; this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The header value for `body` signed at `timestamp`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let tag = mac(secret, timestamp, body).finalize().into_bytes();
    format!("t={timestamp},v1={}", hex::encode(tag))
}

/// Accepts the header if one of its `v1` signatures matches and its timestamp is within
/// [`TOLERANCE_SECONDS`] of `now` (seconds).
pub fn verify(secret: &[u8], header: &str, body: &[u8], now: i64) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut candidates = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => timestamp = v.parse::<i64>().ok(),
            Some(("v1", v)) => candidates.push(hex::decode(v).map_err(|_| SignatureError::Malformed)?),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if candidates.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now - timestamp).abs() > TOLERANCE_SECONDS {
        return Err(SignatureError::Stale);
    }
    let matches = candidates
        .iter()
        .any(|candidate| mac(secret, timestamp, body).verify_slice(candidate).is_ok());
    if matches {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"whsec_test";

    #[test]
    fn a_fresh_signature_over_the_exact_body_is_accepted() {
        let header = sign(SECRET, 1_700_000_000, b"{\"id\":1}");
        assert_eq!(verify(SECRET, &header, b"{\"id\":1}", 1_700_000_100), Ok(()));
    }

    #[test]
    fn altered_stale_or_malformed_signatures_are_refused() {
        let header = sign(SECRET, 1_700_000_000, b"{\"id\":1}");
        assert_eq!(
            verify(SECRET, &header, b"{\"id\":2}", 1_700_000_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(b"other", &header, b"{\"id\":1}", 1_700_000_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(SECRET, &header, b"{\"id\":1}", 1_700_000_301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(SECRET, &header, b"{\"id\":1}", 1_699_999_699),
            Err(SignatureError::Stale)
        );
        for bad in ["", "t=1", "v1=00", "t=x,v1=00", "t=1700000000,v1=zz"] {
            assert_eq!(
                verify(SECRET, bad, b"{}", 1_700_000_000),
                Err(SignatureError::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn any_of_several_signatures_may_match_as_during_secret_rotation() {
        let good = sign(SECRET, 1_700_000_000, b"x");
        let v1 = good.split("v1=").nth(1).unwrap_or_default();
        let header = format!("t=1700000000,v1={},v1={v1}", "00".repeat(32));
        assert_eq!(verify(SECRET, &header, b"x", 1_700_000_000), Ok(()));
    }
}
