//! The translations themselves: every key in both languages, Arabic's plural forms, dates, and
//! the choice of language per request.

#![allow(clippy::unwrap_used)]

use super::choice::{from_accept_language, of_headers};
use super::{format, labels, Locale};
use crate::domain::{CaseStatus, TimelineLabel};
use crate::i18n::td_string;
use chrono::{TimeZone, Utc};

#[path = "../../../build/locale_keys.rs"]
mod locale_keys;

fn keys(language: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(language);
    locale_keys::language_keys(&dir).expect("the language's files parse")
}

#[test]
fn every_key_is_in_both_languages() {
    let (en, ar) = (keys("en"), keys("ar"));
    assert_eq!(
        locale_keys::namespaces(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/locales/ar"
        ))),
        locale_keys::namespaces(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/locales/en"
        ))),
    );
    assert_eq!(locale_keys::key_gaps("en", &en, "ar", &ar), Vec::<String>::new());
    assert!(
        en.len() > 100,
        "the catalogue is real, not a stub: {} keys",
        en.len()
    );
}

#[test]
fn a_gap_in_either_language_is_found() {
    let en =
        locale_keys::locale_keys(r#"{"a": {"x": "X", "y": "Y"}, "n_one": "1", "n_other": "n"}"#).unwrap();
    let ar = locale_keys::locale_keys(r#"{"a": {"x": "س", "z": "ع"}, "n": "ن"}"#).unwrap();
    let gaps = locale_keys::key_gaps("en", &en, "ar", &ar);
    assert_eq!(
        gaps,
        vec![
            "`a.y` is in en but missing in ar",
            "`a.z` is in ar but missing in en",
            "`n` is plural in one language only",
        ]
    );
}

#[test]
fn arabic_plural_keys_have_all_six_forms_and_english_two() {
    let (en, ar) = (keys("en"), keys("ar"));
    for (key, forms) in ar.iter().filter(|(_, forms)| !forms.is_empty()) {
        let mut forms = forms.clone();
        forms.sort();
        assert_eq!(
            forms,
            ["few", "many", "one", "other", "two", "zero"],
            "{key} in ar"
        );
        let mut en_forms = en[key].clone();
        en_forms.sort();
        assert_eq!(en_forms, ["one", "other"], "{key} in en");
    }
}

#[test]
fn arabic_counts_take_their_plural_form() {
    // CLDR: 0 zero, 1 one, 2 two, 3–10 few, 11–99 many, 100–102 other.
    let unread = |count: u32| td_string!(Locale::ar, nav.unread, count = count);
    assert_eq!(unread(1), "إشعار واحد غير مقروء");
    assert_eq!(unread(2), "إشعاران غير مقروءين");
    assert_eq!(unread(3), "3 إشعارات غير مقروءة");
    assert_eq!(unread(10), "10 إشعارات غير مقروءة");
    assert_eq!(unread(11), "11 إشعارًا غير مقروء");
    assert_eq!(unread(99), "99 إشعارًا غير مقروء");
    assert_eq!(unread(100), "100 إشعار غير مقروء");
    assert_eq!(unread(103), "103 إشعارات غير مقروءة");
    assert_eq!(td_string!(Locale::en, nav.unread, count = 1u32), "1 unread");
    let link = |count: u32| td_string!(Locale::ar, auth.reset_link_valid, count = count);
    assert_eq!(link(30), "يعمل الرابط مرة واحدة خلال 30 دقيقة.");
    assert_eq!(link(2), "يعمل الرابط مرة واحدة خلال دقيقتين.");
    assert_eq!(link(5), "يعمل الرابط مرة واحدة خلال 5 دقائق.");
}

#[test]
fn dates_use_the_month_names_of_the_language_and_western_digits() {
    let at = Utc.with_ymd_and_hms(2026, 12, 4, 18, 5, 0).unwrap();
    assert_eq!(format::date(Locale::en, at), "4 December 2026");
    assert_eq!(format::date(Locale::ar, at), "4 ديسمبر 2026");
    assert_eq!(format::date_time(Locale::en, at), "4 December 2026, 18:05 UTC");
    assert_eq!(format::date_time(Locale::ar, at), "4 ديسمبر 2026، 18:05 UTC");
    let months: Vec<_> = (1..=12).map(|m| format::month(Locale::ar, m)).collect();
    assert_eq!(months[0], "يناير");
    assert_eq!(months[8], "سبتمبر");
    assert_eq!(months.iter().collect::<std::collections::HashSet<_>>().len(), 12);
}

#[test]
fn domain_values_are_named_in_each_language() {
    for status in CaseStatus::ALL {
        assert_ne!(
            labels::status(Locale::en, *status),
            labels::status(Locale::ar, *status)
        );
    }
    assert_eq!(
        labels::status(Locale::ar, CaseStatus::AwaitingPayment),
        "بانتظار الدفع"
    );
    assert_eq!(
        labels::timeline(Locale::en, TimelineLabel::CaseCompleted),
        "Case completed"
    );
    assert_eq!(
        labels::timeline(Locale::ar, TimelineLabel::CaseCompleted),
        "اكتملت الحالة"
    );
}

/// What the service writes on a timeline entry reads in each language; a Latin name inside an
/// Arabic sentence is isolated, an amount reads amount first, text a person wrote is as written.
#[test]
fn details_are_worded_in_each_language_with_names_isolated() {
    use crate::domain::money::Money;
    use crate::model::Detail;
    let by = Detail::OpinionBy {
        author: "Dr Anna Wójcik".into(),
    };
    assert_eq!(by.text(Locale::en), "By Dr Anna Wójcik");
    assert_eq!(by.text(Locale::ar), "مقدَّم من \u{2068}Dr Anna Wójcik\u{2069}");
    let paid = Detail::PaymentRequested {
        amount: Money {
            minor: 45_000,
            currency: "EUR".into(),
        },
    };
    assert_eq!(paid.text(Locale::en), "Payment of EUR 450.00 requested");
    assert_eq!(paid.text(Locale::ar), "طُلب دفع مبلغ 450.00 EUR");
    let written = Detail::written("Found a doctor nearby").unwrap();
    assert_eq!(written.text(Locale::ar), "Found a doctor nearby");
    assert_eq!(Detail::written(""), None);
    // Stored as a key with its arguments, read back the same.
    let json = serde_json::to_string(&by).unwrap();
    assert_eq!(json, r#"{"key":"opinion_by","author":"Dr Anna Wójcik"}"#);
    assert_eq!(serde_json::from_str::<Detail>(&json).unwrap(), by);
}

#[test]
fn the_cookie_wins_then_the_browser_then_english() {
    assert_eq!(of_headers(Some("a=1; consilium_lang=ar"), Some("en")), Locale::ar);
    assert_eq!(
        of_headers(Some("consilium_lang=xx"), Some("ar-EG,en;q=0.5")),
        Locale::ar
    );
    assert_eq!(of_headers(None, Some("de-DE,de;q=0.9")), Locale::en);
    assert_eq!(of_headers(None, None), Locale::en);
    assert_eq!(from_accept_language("en;q=0.4, ar-SA;q=0.8"), Locale::ar);
    assert_eq!(from_accept_language("fr, en;q=0.9, ar;q=0.8"), Locale::en);
    assert_eq!(from_accept_language("ar;q=0, en;q=0.1"), Locale::en);
}

#[test]
fn english_error_texts_are_the_errors_own_words() {
    use crate::error::AppError;
    let fixed = [
        AppError::Unauthenticated,
        AppError::BadCredentials,
        AppError::NotFound,
        AppError::Validation(Vec::new()),
        AppError::TooManyRequests,
        AppError::Busy,
        AppError::StorageUnavailable,
        AppError::PaymentProviderUnavailable,
        AppError::Internal { ref_id: "r-1".into() },
        AppError::Transport("offline".into()),
    ];
    for error in fixed {
        assert_eq!(labels::error(Locale::en, &error), error.to_string());
        assert_ne!(labels::error(Locale::ar, &error), error.to_string(), "{error:?}");
    }
    // A message the server wrote is shown as written (in the language it was asked in).
    let conflict = AppError::Conflict("تغيّرت الحالة.".into());
    assert_eq!(labels::error(Locale::en, &conflict), "تغيّرت الحالة.");
}
