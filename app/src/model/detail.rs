//! What a timeline entry or a notification says beside its event. The service's own sentences
//! are kept as a key with their arguments and put into words in each reader's language when read
//! (`lang::labels::detail`), so a patient reading Arabic and a coordinator reading English see
//! the same entry in their own language; text a person wrote stays as written.

use crate::domain::money::Money;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "key", rename_all = "snake_case")]
pub enum Detail {
    /// Written by a person (a reason for closing a case, the documents asked for).
    Written {
        text: String,
    },
    PaymentRequested {
        amount: Money,
    },
    Invoice {
        number: String,
    },
    RefundIssued {
        amount: Money,
    },
    /// A payment that came in after the case was closed, and was given back.
    LatePaymentRefunded {
        amount: Money,
    },
    /// An opinion submitted, with the name of its author ("Dr Anna Wójcik").
    OpinionBy {
        author: String,
    },
    OpinionReminder,
    ReportReady,
    DocumentsComplete,
    ReviewOverdue,
    DraftWaiting,
}

impl Detail {
    /// Text a person wrote; nothing when it is empty.
    pub fn written(text: impl Into<String>) -> Option<Detail> {
        let text = text.into();
        (!text.is_empty()).then_some(Detail::Written { text })
    }

    /// The detail in `locale`.
    pub fn text(&self, locale: crate::lang::Locale) -> String {
        crate::lang::labels::detail(locale, self)
    }
}

/// Parts of one text ("reason · Refund of EUR 450.00 issued") in `locale`.
pub fn joined(parts: &[Detail], locale: crate::lang::Locale) -> String {
    parts
        .iter()
        .map(|part| part.text(locale))
        .collect::<Vec<_>>()
        .join(" · ")
}
