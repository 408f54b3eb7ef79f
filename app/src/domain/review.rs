//! The specialist review's rules: what an opinion, a document request and the final summary
//! need, and when a case may be completed. Shared by the forms and the server.
//! Messages are written in the reader's language via the translation layer.

use super::intake::MAX_TEXT_CHARS;
use crate::error::FieldError;
use crate::i18n::td_string;
use crate::lang;
use serde::{Deserialize, Serialize};

pub const MAX_REQUEST_ITEMS: usize = 10;
const MAX_ITEM_CHARS: usize = 200;
const MAX_NOTE_CHARS: usize = 2_000;
const MAX_OPTIONAL_CHARS: usize = 5_000;

/// A specialist's opinion as typed. Diagnosis and suggested treatment are optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionInput {
    pub assessment: String,
    pub recommendation: String,
    pub diagnosis: String,
    pub treatment: String,
}

fn long_text(field: &str, value: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let text = value.trim().to_owned();
    if text.chars().count() > max {
        errors.push(FieldError::new(
            field,
            td_string!(lang::current(), errors.max_chars, count = max),
        ));
    }
    text
}

/// Trims the fields and checks their lengths. A draft may be incomplete.
pub fn parse_opinion(input: &OpinionInput) -> Result<OpinionInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let parsed = OpinionInput {
        assessment: long_text("assessment", &input.assessment, MAX_TEXT_CHARS, &mut errors),
        recommendation: long_text(
            "recommendation",
            &input.recommendation,
            MAX_TEXT_CHARS,
            &mut errors,
        ),
        diagnosis: long_text("diagnosis", &input.diagnosis, MAX_OPTIONAL_CHARS, &mut errors),
        treatment: long_text("treatment", &input.treatment, MAX_OPTIONAL_CHARS, &mut errors),
    };
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(errors)
    }
}

/// What a parsed opinion still lacks before it can be submitted.
pub fn opinion_submission_problems(opinion: &OpinionInput) -> Vec<FieldError> {
    let locale = lang::current();
    let mut problems = Vec::new();
    if opinion.assessment.is_empty() {
        problems.push(FieldError::new(
            "assessment",
            td_string!(locale, errors.write_assessment),
        ));
    }
    if opinion.recommendation.is_empty() {
        problems.push(FieldError::new(
            "recommendation",
            td_string!(locale, errors.write_recommendation),
        ));
    }
    problems
}

/// A document request as typed: a note and the names of the documents, one per entry. Blank
/// entries (the form's spare rows) are skipped.
pub fn parse_request(note: &str, items: &[String]) -> Result<(String, Vec<String>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let note = long_text("note", note, MAX_NOTE_CHARS, &mut errors);
    let items: Vec<String> = items
        .iter()
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty())
        .collect();
    let locale = lang::current();
    if items.is_empty() {
        errors.push(FieldError::new(
            "items",
            td_string!(locale, errors.name_a_document),
        ));
    } else if items.len() > MAX_REQUEST_ITEMS {
        errors.push(FieldError::new(
            "items",
            td_string!(locale, errors.request_items_max, count = MAX_REQUEST_ITEMS),
        ));
    }
    if items.iter().any(|i| i.chars().count() > MAX_ITEM_CHARS) {
        errors.push(FieldError::new(
            "items",
            td_string!(locale, errors.item_chars_max, count = MAX_ITEM_CHARS),
        ));
    }
    if items.iter().any(|i| i.chars().any(char::is_control)) {
        errors.push(FieldError::new(
            "items",
            td_string!(locale, errors.item_on_one_line),
        ));
    }
    if errors.is_empty() {
        Ok((note, items))
    } else {
        Err(errors)
    }
}

/// The coordinator's final summary for the patient.
pub fn parse_summary(text: &str) -> Result<String, FieldError> {
    let mut errors = Vec::new();
    let summary = long_text("summary", text, MAX_TEXT_CHARS, &mut errors);
    if let Some(e) = errors.pop() {
        return Err(e);
    }
    if summary.is_empty() {
        return Err(FieldError::new(
            "summary",
            td_string!(lang::current(), errors.write_summary),
        ));
    }
    Ok(summary)
}

/// Why the case cannot be completed yet, or None when it can: every active specialist has
/// submitted an opinion (there is at least one) and no document request is open.
/// `waiting` names the specialists whose opinion is missing.
/// The reasons are the review page's own (`review.blocker_*`), so the page and the server say
/// the same thing.
pub fn completion_blocker(specialists: usize, waiting: &[String], open_requests: usize) -> Option<String> {
    let locale = lang::current();
    if specialists == 0 {
        return Some(td_string!(locale, review.blocker_no_specialists).to_owned());
    }
    if !waiting.is_empty() {
        // Each name isolated (FSI … PDI), so a Latin name keeps its order inside Arabic text.
        let isolated: Vec<String> = waiting.iter().map(|n| format!("\u{2068}{n}\u{2069}")).collect();
        let names = isolated.join(td_string!(locale, review.list_separator));
        return Some(td_string!(locale, review.blocker_waiting, names = &names));
    }
    match open_requests {
        0 => None,
        n => Some(td_string!(locale, review.blocker_requests, count = n)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn an_opinion_needs_an_assessment_and_a_recommendation_only() {
        let cases = [
            (("a", "r", "", ""), vec![]),
            (("a", "r", "d", "t"), vec![]),
            (("", "r", "d", "t"), vec!["assessment"]),
            (("a", "  ", "", ""), vec!["recommendation"]),
            (("", "", "d", ""), vec!["assessment", "recommendation"]),
        ];
        for ((a, r, d, t), expected) in cases {
            let input = OpinionInput {
                assessment: a.into(),
                recommendation: r.into(),
                diagnosis: d.into(),
                treatment: t.into(),
            };
            let parsed = parse_opinion(&input).expect("lengths are fine");
            assert_eq!(
                fields(&opinion_submission_problems(&parsed)),
                expected,
                "{input:?}"
            );
        }
    }

    #[test]
    fn overlong_opinion_fields_are_refused_even_in_a_draft() {
        let input = OpinionInput {
            diagnosis: "x".repeat(MAX_OPTIONAL_CHARS + 1),
            ..OpinionInput::default()
        };
        assert_eq!(fields(&parse_opinion(&input).unwrap_err()), vec!["diagnosis"]);
    }

    #[test]
    fn requests_skip_blank_rows_and_refuse_empty_long_or_multi_line_items() {
        let ok = parse_request(" Please ", &["  MRI report ".into(), "".into(), "ECG".into()]).unwrap();
        assert_eq!(
            ok,
            (
                "Please".to_owned(),
                vec!["MRI report".to_owned(), "ECG".to_owned()]
            )
        );
        let refused: [Vec<String>; 4] = [
            vec![],
            vec!["  ".into()],
            vec!["x".repeat(MAX_ITEM_CHARS + 1)],
            vec!["two\nlines".into()],
        ];
        for items in refused {
            assert_eq!(
                fields(&parse_request("", &items).unwrap_err()),
                vec!["items"],
                "{items:?}"
            );
        }
        let too_many: Vec<String> = (0..=MAX_REQUEST_ITEMS).map(|i| format!("doc {i}")).collect();
        assert!(parse_request("", &too_many).is_err());
    }

    #[test]
    fn completion_waits_for_every_opinion_and_every_request() {
        let none: [String; 0] = [];
        let waiting = ["Dr Lee".to_owned()];
        assert_eq!(completion_blocker(2, &none, 0), None);
        assert!(completion_blocker(0, &none, 0).is_some());
        assert!(completion_blocker(2, &waiting, 0).unwrap().contains("Dr Lee"));
        assert!(completion_blocker(2, &none, 1).unwrap().contains("still open"));
        assert!(completion_blocker(2, &none, 3).unwrap().starts_with('3'));
    }

    #[test]
    fn a_summary_is_required_and_trimmed() {
        assert_eq!(parse_summary("  Done. ").unwrap(), "Done.");
        assert_eq!(parse_summary("   ").unwrap_err().field, "summary");
        assert!(parse_summary(&"x".repeat(MAX_TEXT_CHARS + 1)).is_err());
    }
}
