//! Session tokens: 32 random bytes in the cookie, their SHA-256 in the database.

use rand::RngCore;
use sha2::{Digest, Sha256};

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The cookie name. Over https it carries the `__Host-` prefix, which browsers accept only with
/// Secure, Path=/ and no Domain: no subdomain can plant or read it.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-consilium_session"
    } else {
        "consilium_session"
    }
}

/// An HttpOnly (no script can read it), SameSite=Lax (not sent on cross-site POSTs) cookie for
/// the whole site, Secure over https.
fn our_cookie(name: &'static str, value: &str, secure: bool) -> cookie::Cookie<'static> {
    cookie::Cookie::build((name, value.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .secure(secure)
        .build()
}

/// The Set-Cookie value that removes the cookie `name`.
fn removal(name: &'static str, secure: bool) -> String {
    let mut cookie = our_cookie(name, "", secure);
    cookie.make_removal();
    cookie.to_string()
}

/// The Set-Cookie value that stores `token`. No Max-Age: the server enforces both timeouts.
pub fn set_cookie(token: &str, secure: bool) -> String {
    our_cookie(cookie_name(secure), token, secure).to_string()
}

/// The Set-Cookie value that removes the cookie.
pub fn clear_cookie(secure: bool) -> String {
    removal(cookie_name(secure), secure)
}

/// The cookie of a sign-in waiting for its second-factor code.
pub fn challenge_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-consilium_sign_in"
    } else {
        "consilium_sign_in"
    }
}

/// The Set-Cookie value that keeps a waiting sign-in's token for as long as it may wait.
pub fn set_challenge_cookie(token: &str, secure: bool, max_age_minutes: i64) -> String {
    let mut cookie = our_cookie(challenge_cookie_name(secure), token, secure);
    cookie.set_max_age(cookie::time::Duration::minutes(max_age_minutes));
    cookie.to_string()
}

/// The Set-Cookie value that removes a waiting sign-in's cookie.
pub fn clear_challenge_cookie(secure: bool) -> String {
    removal(challenge_cookie_name(secure), secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_hash_is_stored() {
        let a = new_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_token());
        assert_ne!(hash(&a), a);
        assert_eq!(hash(&a), hash(&a));
    }

    #[test]
    fn the_cookie_is_http_only_and_same_site() {
        let c = set_cookie("abc", false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && !c.contains("Secure"));
        let c = set_cookie("abc", true);
        assert!(c.starts_with("__Host-") && c.contains("Secure"));
    }
}

/// A keyed hash (HMAC-SHA256) of an email, for the audit log and the throttle: enough to link
/// attempts on one address, and without the deployment's key no guessed address can be
/// confirmed against it (an unkeyed hash of a guess would match).
pub fn email_ref(key: &str, email: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(email.trim().to_lowercase().as_bytes());
    hex::encode(mac.finalize().into_bytes())[..32].to_owned()
}

#[cfg(test)]
mod email_ref_tests {
    #[test]
    fn the_reference_depends_on_the_key_and_not_on_case_or_spaces() {
        let a = super::email_ref("key one", "Ana@Example.com ");
        assert_eq!(a, super::email_ref("key one", "ana@example.com"));
        assert_ne!(a, super::email_ref("key two", "ana@example.com"));
        assert_ne!(a, super::hash("ana@example.com")[..32]);
        assert_eq!(a.len(), 32);
    }
}
