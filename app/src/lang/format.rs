//! Dates and times in the reader's language. Arabic uses its own month names and, deliberately,
//! the Western digits (0–9) for every number: case references, codes, doses and amounts are
//! copied between documents, emails and phone calls, and one set of digits everywhere keeps them
//! the same characters wherever they appear (as most Arabic-language clinics and banks in the
//! Gulf do online).

use super::Locale;
use crate::domain::money::{format_minor, Money};
use crate::i18n::td_string;
use chrono::{DateTime, Datelike, Utc};

/// "4 December 2026" / "4 ديسمبر 2026".
pub fn date(locale: Locale, at: DateTime<Utc>) -> String {
    format!("{} {} {}", at.day(), month(locale, at.month()), at.year())
}

/// "4 December 2026, 18:05 UTC" / "4 ديسمبر 2026، 18:05 UTC".
pub fn date_time(locale: Locale, at: DateTime<Utc>) -> String {
    let comma = match locale {
        Locale::ar => "،",
        Locale::en => ",",
    };
    format!("{}{comma} {} UTC", date(locale, at), at.format("%H:%M"))
}

/// The name of a month, 1 to 12.
pub fn month(locale: Locale, number: u32) -> &'static str {
    match number {
        1 => td_string!(locale, month.m01),
        2 => td_string!(locale, month.m02),
        3 => td_string!(locale, month.m03),
        4 => td_string!(locale, month.m04),
        5 => td_string!(locale, month.m05),
        6 => td_string!(locale, month.m06),
        7 => td_string!(locale, month.m07),
        8 => td_string!(locale, month.m08),
        9 => td_string!(locale, month.m09),
        10 => td_string!(locale, month.m10),
        11 => td_string!(locale, month.m11),
        _ => td_string!(locale, month.m12),
    }
}

/// An amount with its currency: "EUR 450.00" in English; "450.00 EUR" in Arabic, the amount
/// first as Arabic reads it (right to left, the code ends the phrase).
pub fn money(locale: Locale, money: &Money) -> String {
    let amount = format_minor(money.minor);
    match locale {
        Locale::en => format!("{} {amount}", money.currency),
        Locale::ar => format!("{amount} {}", money.currency),
    }
}
