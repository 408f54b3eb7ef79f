//! Time-based one-time codes (TOTP, RFC 6238) as every authenticator app makes them: SHA-1, six
//! digits, 30-second steps. A code is accepted for the step before and after the current one
//! (phones' clocks drift) and only for a step later than the last one accepted, so no code can
//! be used twice. Recovery codes stand in for a lost phone, each once.

use rand::RngCore;
use totp_rs::{Algorithm, Builder, Secret, Totp};

pub const ISSUER: &str = "Consilium";
pub const STEP_SECONDS: u64 = 30;
/// Steps on either side of now whose codes are still accepted.
pub const SKEW_STEPS: u64 = 1;
/// Recovery codes issued at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// What the enrolment page shows: the secret (to type in), the `otpauth://` link and its QR code
/// as an SVG data URL (to scan).
pub struct Enrolment {
    pub secret: String,
    pub url: String,
    pub qr_data_url: String,
}

/// A new random secret (160 bits, as RFC 4226 recommends), base32 as apps expect it.
pub fn new_secret() -> String {
    Secret::generate().to_base32()
}

fn totp(secret_base32: &str, account: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_base32).ok()?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(STEP_SECONDS)
        .with_skew(0)
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        .with_account_name(account.replace(':', ""))
        .build()
        .ok()
}

/// The enrolment of `secret_base32` for the account `email`.
pub fn enrolment(secret_base32: &str, email: &str) -> Option<Enrolment> {
    use base64::Engine;
    let url = totp(secret_base32, email)?.to_url().ok()?;
    let svg = qrcode::QrCode::new(url.as_bytes())
        .ok()?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    let qr_data_url = format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    );
    Some(Enrolment {
        secret: secret_base32.to_owned(),
        url,
        qr_data_url,
    })
}

/// The step of `code` if it is the code of a step within [`SKEW_STEPS`] of `now_seconds` and
/// later than `last_step`. The caller must then record that step as used, atomically.
pub fn matching_step(secret_base32: &str, code: &str, now_seconds: u64, last_step: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret_base32, "")?;
    let now = now_seconds / STEP_SECONDS;
    (now.saturating_sub(SKEW_STEPS)..=now + SKEW_STEPS)
        .filter(|step| *step > last_step)
        .find(|step| totp.check(&code, step * STEP_SECONDS).is_some())
}

/// The code of the step at `seconds` (for tests and the demo's documentation).
pub fn code_at(secret_base32: &str, seconds: u64) -> Option<String> {
    Some(totp(secret_base32, "")?.generate(seconds).to_string())
}

/// New recovery codes, as shown once to their owner: ten random base32 characters in two groups.
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let text = Secret::from(bytes.to_vec()).to_base32().to_lowercase();
            format!("{}-{}", &text[..5], &text[5..10])
        })
        .collect()
}

/// A recovery code as stored: the hash of its letters, however it was typed.
pub fn recovery_code_hash(code: &str) -> String {
    let letters: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    super::token::hash(&letters)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's SHA-1 test secret ("12345678901234567890") and its published codes, cut to
    /// six digits.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_match_the_rfc_test_vectors() {
        for (seconds, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(code_at(RFC_SECRET, seconds).as_deref(), Some(code), "{seconds}");
        }
    }

    #[test]
    fn a_code_is_accepted_near_its_step_and_only_after_the_last_used_step() {
        let now = 1_111_111_109;
        let step = now / STEP_SECONDS;
        let code = code_at(RFC_SECRET, now).expect("a code");
        assert_eq!(matching_step(RFC_SECRET, &code, now, 0), Some(step));
        assert_eq!(
            matching_step(RFC_SECRET, &code, now + 30, 0),
            Some(step),
            "a step late"
        );
        assert_eq!(
            matching_step(RFC_SECRET, &code, now - 30, 0),
            Some(step),
            "a step early"
        );
        assert_eq!(matching_step(RFC_SECRET, &code, now + 90, 0), None, "too late");
        assert_eq!(matching_step(RFC_SECRET, &code, now, step), None, "used already");
        assert_eq!(matching_step(RFC_SECRET, "12345", now, 0), None);
        assert_eq!(matching_step(RFC_SECRET, "abcdef", now, 0), None);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(matching_step(RFC_SECRET, &spaced, now, 0), Some(step));
    }

    #[test]
    fn recovery_codes_are_random_and_hash_however_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), RECOVERY_CODES);
        let code = &codes[0];
        assert_eq!(
            recovery_code_hash(code),
            recovery_code_hash(&code.to_uppercase().replace('-', " "))
        );
    }

    #[test]
    fn the_enrolment_link_names_the_issuer_and_the_account() {
        let e = enrolment(&new_secret(), "ana@example.com").expect("an enrolment");
        assert!(
            e.url.starts_with("otpauth://totp/Consilium:ana%40example.com?"),
            "{}",
            e.url
        );
        assert!(e.url.contains("issuer=Consilium"));
        assert!(e.qr_data_url.starts_with("data:image/svg+xml;base64,"));
    }
}
