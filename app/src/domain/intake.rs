//! The patient's case form: parsing what was typed, and what a case needs before submission.
//! Shared by the browser (instant feedback) and the server (enforcement).
//! Messages are written in the reader's language via the translation layer.

use crate::error::FieldError;
use crate::i18n::td_string;
use crate::lang;
use serde::{Deserialize, Serialize};

pub const MAX_TEXT_CHARS: usize = 20_000;
/// Most unsubmitted drafts one patient may have at once: drafts hold documents, and a patient
/// never needs more than a few cases in the making.
pub const MAX_OPEN_DRAFTS: i64 = 5;
pub const SEXES: [(&str, &str); 3] = [
    ("female", "Female"),
    ("male", "Male"),
    ("other", "Other / prefer to describe"),
];

/// The form as typed: every field is text, empty when not filled in yet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftInput {
    pub review_type_id: String,
    pub category_id: String,
    pub patient_age: String,
    pub patient_sex: String,
    pub medical_history: String,
    pub current_treatment: String,
    pub questions: String,
}

/// The form parsed. A draft may be incomplete; [`submission_problems`] says what is missing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DraftFields {
    pub review_type_id: Option<String>,
    pub category_id: Option<String>,
    pub patient_age: Option<i64>,
    pub patient_sex: Option<String>,
    pub medical_history: String,
    pub current_treatment: String,
    pub questions: String,
}

fn optional(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

fn long_text(field: &str, value: &str, errors: &mut Vec<FieldError>) -> String {
    let text = value.trim().to_owned();
    if text.chars().count() > MAX_TEXT_CHARS {
        errors.push(FieldError::new(
            field,
            td_string!(lang::current(), errors.max_chars, count = MAX_TEXT_CHARS),
        ));
    }
    text
}

/// Parses the form. Wrong values are errors even in a draft; missing ones are not.
pub fn parse_draft(input: &DraftInput) -> Result<DraftFields, Vec<FieldError>> {
    let mut errors = Vec::new();
    let patient_age = match optional(&input.patient_age) {
        None => None,
        Some(text) => match text.parse::<i64>() {
            Ok(age) if (0..=130).contains(&age) => Some(age),
            _ => {
                errors.push(FieldError::new(
                    "patient_age",
                    td_string!(lang::current(), errors.age_range),
                ));
                None
            }
        },
    };
    let patient_sex = optional(&input.patient_sex);
    if patient_sex
        .as_deref()
        .is_some_and(|s| !SEXES.iter().any(|(v, _)| *v == s))
    {
        errors.push(FieldError::new(
            "patient_sex",
            td_string!(lang::current(), errors.choose_an_option),
        ));
    }
    let fields = DraftFields {
        review_type_id: optional(&input.review_type_id),
        category_id: optional(&input.category_id),
        patient_age,
        patient_sex,
        medical_history: long_text("medical_history", &input.medical_history, &mut errors),
        current_treatment: long_text("current_treatment", &input.current_treatment, &mut errors),
        questions: long_text("questions", &input.questions, &mut errors),
    };
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(errors)
    }
}

/// What still stops a draft from being submitted, one message per field.
pub fn submission_problems(fields: &DraftFields, documents: u32) -> Vec<FieldError> {
    let locale = lang::current();
    // One row per requirement: whether it is unmet, the field, what to tell the patient.
    #[rustfmt::skip]
    let needs = [
        (fields.review_type_id.is_none(), "review_type_id", td_string!(locale, errors.choose_review_type)),
        (fields.category_id.is_none(), "category_id", td_string!(locale, errors.choose_medical_area)),
        (fields.patient_age.is_none(), "patient_age", td_string!(locale, errors.enter_patient_age)),
        (fields.patient_sex.is_none(), "patient_sex", td_string!(locale, errors.choose_patient_sex)),
        (fields.medical_history.is_empty(), "medical_history", td_string!(locale, errors.describe_history)),
        (fields.questions.is_empty(), "questions", td_string!(locale, errors.write_question)),
        (documents == 0, "documents", td_string!(locale, errors.upload_a_document)),
    ];
    needs
        .into_iter()
        .filter(|(missing, _, _)| *missing)
        .map(|(_, field, message)| FieldError::new(field, message))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> DraftInput {
        DraftInput {
            review_type_id: "rt".into(),
            category_id: "cat".into(),
            patient_age: "54".into(),
            patient_sex: "female".into(),
            medical_history: "Chest pain since March.".into(),
            current_treatment: String::new(),
            questions: "Is surgery needed?".into(),
        }
    }

    #[test]
    fn a_complete_form_with_a_document_can_be_submitted() {
        let fields = parse_draft(&complete()).unwrap_or_default();
        assert!(submission_problems(&fields, 1).is_empty());
    }

    #[test]
    fn each_missing_part_is_named() {
        let fields = parse_draft(&DraftInput::default()).unwrap_or_default();
        let fields: Vec<String> = submission_problems(&fields, 0)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "review_type_id",
                "category_id",
                "patient_age",
                "patient_sex",
                "medical_history",
                "questions",
                "documents"
            ]
        );
    }

    #[test]
    fn wrong_values_are_refused_even_in_a_draft() {
        let cases = [
            ("patient_age", "-1"),
            ("patient_age", "200"),
            ("patient_age", "forty"),
            ("patient_sex", "robot"),
        ];
        for (field, value) in cases {
            let mut input = complete();
            match field {
                "patient_age" => input.patient_age = value.into(),
                _ => input.patient_sex = value.into(),
            }
            let errors = parse_draft(&input).err().unwrap_or_default();
            assert_eq!(errors.len(), 1, "{field}={value}");
            assert_eq!(errors[0].field, field);
        }
        let mut long = complete();
        long.medical_history = "x".repeat(MAX_TEXT_CHARS + 1);
        assert!(parse_draft(&long).is_err());
    }

    #[test]
    fn blank_answers_count_as_missing() {
        let mut input = complete();
        input.questions = "   \n ".into();
        let fields = parse_draft(&input).unwrap_or_default();
        assert_eq!(submission_problems(&fields, 1).len(), 1);
    }
}
