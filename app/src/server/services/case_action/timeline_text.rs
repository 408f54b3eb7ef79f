//! What a change writes on the timeline: which entry carries the detail, and in whose name.

use crate::domain::{case, Relation, TimelineLabel};
use crate::model::Detail;
use crate::server::caller::Caller;

/// Which text each timeline entry of a change carries. When one change writes several entries
/// ("Coordinator assigned", "Awaiting payment"), the detail belongs to the last, the state the
/// case is now in; a payment line, when there is one, goes on the payment entries and the detail
/// on the last entry everyone reads.
pub fn entry_details<'a>(
    labels: &[TimelineLabel],
    detail: Option<&'a Detail>,
    payment_detail: Option<&'a Detail>,
) -> Vec<(TimelineLabel, Option<&'a Detail>)> {
    let carrier = match payment_detail {
        Some(_) => labels.iter().rposition(|l| l.audience() == case::Audience::Case),
        None => labels.len().checked_sub(1),
    };
    labels
        .iter()
        .enumerate()
        .map(|(i, &label)| {
            let text = match payment_detail {
                Some(money) if label.audience() == case::Audience::Payment => Some(money),
                _ if Some(i) == carrier => detail,
                _ => None,
            };
            (label, text)
        })
        .collect()
}

/// The timeline's "by whom": a person's relation to the case, or what acted instead.
pub(super) fn timeline_role(caller: &Caller, relation: Relation) -> &'static str {
    match caller {
        Caller::Provider { .. } | Caller::Scheduler => caller.audit_role(),
        Caller::Person(_) => match relation {
            Relation::Owner => "patient",
            Relation::Coordinator => "coordinator",
            Relation::Specialist => "specialist",
            Relation::Admin => "admin",
            Relation::Unrelated => "none",
        },
    }
}
