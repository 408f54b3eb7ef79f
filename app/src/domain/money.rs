//! Money in integer minor units with an ISO 4217 currency. Never floating point.
//! Messages are written in the reader's language via the translation layer.

use crate::i18n::td_string;
use crate::lang;
use serde::{Deserialize, Serialize};

/// Currencies we price in. All have two decimal places.
pub const CURRENCIES: [&str; 5] = ["EUR", "USD", "GBP", "CHF", "PLN"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: String,
}

impl Money {
    /// "EUR 450.00"
    pub fn display(&self) -> String {
        format!("{} {}", self.currency, format_minor(self.minor))
    }
}

/// 45000 -> "450.00"
pub fn format_minor(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Parses an amount typed by a person ("450", "450.5", "450.00", "1,250.00") into minor units.
/// Refuses negatives, more than two decimals, and amounts above one million.
pub fn parse_amount(raw: &str) -> Result<i64, String> {
    let locale = lang::current();
    let too_large = || td_string!(locale, errors.price_too_large).to_owned();
    let text: String = raw.trim().chars().filter(|c| *c != ',' && *c != ' ').collect();
    if text.is_empty() {
        return Err(td_string!(locale, errors.enter_price).to_owned());
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || (!fraction.is_empty() && !digits(fraction)) || fraction.len() > 2 {
        return Err(td_string!(locale, errors.price_shape).to_owned());
    }
    let whole: i64 = whole.parse().map_err(|_| too_large())?;
    let cents: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
    let minor = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(cents))
        .ok_or_else(too_large)?;
    if minor > 100_000_000 {
        return Err(too_large());
    }
    Ok(minor)
}

pub fn parse_currency(raw: &str) -> Result<String, String> {
    let code = raw.trim().to_uppercase();
    if CURRENCIES.contains(&code.as_str()) {
        Ok(code)
    } else {
        let currencies = CURRENCIES.join(", ");
        Err(td_string!(
            lang::current(),
            errors.choose_currency,
            currencies = &currencies
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_to_minor_units() {
        let cases = [
            ("450", Ok(45_000)),
            ("450.5", Ok(45_050)),
            ("450.05", Ok(45_005)),
            ("1,250.00", Ok(125_000)),
            ("0", Ok(0)),
            ("-5", Err(())),
            ("4.505", Err(())),
            ("abc", Err(())),
            ("", Err(())),
            ("1.", Ok(100)),
            ("99999999999999999999", Err(())),
            ("2000000", Err(())),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse_amount(raw).map_err(|_| ()), expected, "{raw:?}");
        }
    }

    #[test]
    fn money_displays_with_two_decimals() {
        assert_eq!(
            Money {
                minor: 45_000,
                currency: "EUR".into()
            }
            .display(),
            "EUR 450.00"
        );
        assert_eq!(format_minor(5), "0.05");
    }

    #[test]
    fn only_known_currencies_are_accepted() {
        assert_eq!(parse_currency(" eur "), Ok("EUR".to_owned()));
        assert!(parse_currency("XYZ").is_err());
    }
}
