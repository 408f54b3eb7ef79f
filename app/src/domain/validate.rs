//! Input rules shared by the browser (instant feedback) and the server (enforcement).
//! Messages are written in the reader's language via the translation layer.

use crate::error::FieldError;
use crate::i18n::td_string;
use crate::lang;

/// How long the link in a password-reset email works (the request page says so too).
pub const RESET_LINK_MINUTES: i64 = 30;

pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 128;
const NAME_MAX_CHARS: usize = 120;
const EMAIL_MAX_CHARS: usize = 254;

/// Lower-cases and trims an email, and checks its shape. We only check what a person can fix
/// on the form; ownership is not verified here.
pub fn email(field: &str, raw: &str) -> Result<String, FieldError> {
    let email = raw.trim().to_lowercase();
    let Some((local, domain)) = email.split_once('@') else {
        return Err(FieldError::new(
            field,
            td_string!(lang::current(), errors.email_shape),
        ));
    };
    let plausible = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@');
    if !plausible {
        return Err(FieldError::new(
            field,
            td_string!(lang::current(), errors.email_shape),
        ));
    }
    if email.chars().count() > EMAIL_MAX_CHARS {
        return Err(FieldError::new(
            field,
            td_string!(lang::current(), errors.email_too_long),
        ));
    }
    Ok(email)
}

/// A person's display name: trimmed, not empty, no control characters.
pub fn person_name(field: &str, raw: &str) -> Result<String, FieldError> {
    required_text(
        field,
        raw,
        NAME_MAX_CHARS,
        td_string!(lang::current(), errors.enter_name),
    )
}

/// Short required text such as a title or a phone number.
pub fn required_text(field: &str, raw: &str, max_chars: usize, empty: &str) -> Result<String, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldError::new(field, empty));
    }
    if text.chars().count() > max_chars {
        return Err(FieldError::new(
            field,
            td_string!(lang::current(), errors.max_chars, count = max_chars),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            td_string!(lang::current(), errors.no_control_chars),
        ));
    }
    Ok(text.to_owned())
}

/// Length is what makes a password strong; we ask for a long one and nothing else.
pub fn new_password(field: &str, raw: &str) -> Result<String, FieldError> {
    let chars = raw.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(FieldError::new(
            field,
            td_string!(lang::current(), errors.min_chars, count = PASSWORD_MIN_CHARS),
        ));
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(FieldError::new(
            field,
            td_string!(lang::current(), errors.max_chars, count = PASSWORD_MAX_CHARS),
        ));
    }
    Ok(raw.to_owned())
}

/// A phone number as people write it: digits with spaces, dashes, dots, brackets and a leading
/// +; at least six digits. Empty is allowed only when the number is `optional`.
pub fn phone(field: &str, raw: &str, optional: bool) -> Result<String, FieldError> {
    let text = raw.trim();
    if text.is_empty() && optional {
        return Ok(String::new());
    }
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let allowed = text
        .char_indices()
        .all(|(i, c)| c.is_ascii_digit() || " -.()".contains(c) || (c == '+' && i == 0));
    if !allowed || !(6..=20).contains(&digits) {
        return Err(FieldError::new(
            field,
            td_string!(lang::current(), errors.phone_shape),
        ));
    }
    Ok(text.to_owned())
}

/// Collects the errors of several fields at once, so the form shows all of them together.
#[derive(Default)]
pub struct Checks(Vec<FieldError>);

impl Checks {
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_keep_their_punctuation_and_need_enough_digits() {
        let table = [
            ("+44 20 7946 0000", false, Some("+44 20 7946 0000")),
            ("  (030) 123-4567 ", false, Some("(030) 123-4567")),
            ("", true, Some("")),
            ("", false, None),
            ("12345", false, None),
            ("+1 555 CALL ME", false, None),
            ("555+123456", false, None),
        ];
        for (raw, optional, expected) in table {
            assert_eq!(phone("phone", raw, optional).ok().as_deref(), expected, "{raw:?}");
        }
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        let cases = [
            (" Ana@Example.COM ", Some("ana@example.com")),
            ("ana@example", None),
            ("ana@@example.com", None),
            ("@example.com", None),
            ("ana example@x.com", None),
            ("ana@.com", None),
            ("", None),
        ];
        for (raw, expected) in cases {
            assert_eq!(email("email", raw).ok().as_deref(), expected, "{raw:?}");
        }
    }

    #[test]
    fn passwords_need_length_only() {
        assert!(new_password("p", "short").is_err());
        assert!(new_password("p", "long enough pass").is_ok());
        assert!(new_password("p", &"x".repeat(200)).is_err());
    }

    #[test]
    fn names_are_trimmed_and_must_not_be_empty() {
        assert_eq!(person_name("n", "  Zofia Wójcik ").as_deref(), Ok("Zofia Wójcik"));
        assert!(person_name("n", "   ").is_err());
        assert!(person_name("n", "a\u{0}b").is_err());
    }
}
