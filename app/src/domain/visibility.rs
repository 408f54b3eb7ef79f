//! Who sees what of a case, and whom a case may be staffed with. Pure rules: the server applies
//! them once when it builds a page's view model, and the page only reads the result.
//! Messages are written in the reader's language via the translation layer.

use super::case::CaseStatus;
use super::role::Relation;
use crate::i18n::td_string;

/// Whether the reader may read an opinion. Peers do not read each other's opinions before the
/// case completes; drafts stay with their author; the coordinator and admins read submitted
/// ones; patients read the opinions in the report, not on the case page.
pub fn may_read_opinion(reader: Relation, own: bool, submitted: bool, status: CaseStatus) -> bool {
    match reader {
        Relation::Specialist => own || (status == CaseStatus::Completed && submitted),
        Relation::Coordinator | Relation::Admin => submitted,
        Relation::Owner | Relation::Unrelated => false,
    }
}

/// Whether the reader sees a team member's contact email and phone. Staff see everyone's; the
/// patient sees the coordinator's once specialists are assigned (the care team card then
/// carries the coordinator's contact details).
pub fn sees_contact(reader: Relation, member_is_coordinator: bool, status: CaseStatus) -> bool {
    let reviewing = matches!(status, CaseStatus::DoctorsAssigned | CaseStatus::Completed);
    match reader {
        Relation::Admin | Relation::Coordinator | Relation::Specialist => true,
        Relation::Owner => member_is_coordinator && reviewing,
        Relation::Unrelated => false,
    }
}

/// Whether the reader sees which specialists have submitted their opinion (staff only).
pub fn sees_opinion_progress(reader: Relation) -> bool {
    matches!(
        reader,
        Relation::Admin | Relation::Coordinator | Relation::Specialist
    )
}

/// Why a specialist may not be removed from the case, if they may not: an opinion once
/// submitted stays part of the case, and a case under review keeps at least one specialist.
pub fn removal_blocker(opinion_submitted: bool, active_specialists: usize) -> Option<&'static str> {
    if opinion_submitted {
        Some(td_string!(crate::lang::current(), errors.opinion_stays))
    } else if active_specialists <= 1 {
        Some(td_string!(crate::lang::current(), errors.last_specialist))
    } else {
        None
    }
}

/// Whether a member of a category's specialist pool may be added to the case: not its
/// coordinator, and not already on it.
pub fn may_join_as_specialist(candidate: &str, coordinator: Option<&str>, on_case: &[String]) -> bool {
    Some(candidate) != coordinator && !on_case.iter().any(|id| id == candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseStatus::*;
    use Relation::*;

    #[test]
    fn who_reads_an_opinion() {
        // (reader, own, submitted, status, may read)
        let table = [
            (Specialist, true, false, DoctorsAssigned, true),
            (Specialist, false, true, DoctorsAssigned, false),
            (Specialist, false, true, Completed, true),
            (Specialist, false, false, Completed, false),
            (Coordinator, false, true, DoctorsAssigned, true),
            (Coordinator, false, false, DoctorsAssigned, false),
            (Admin, false, true, Completed, true),
            (Admin, false, false, DoctorsAssigned, false),
            (Owner, false, true, Completed, false),
            (Unrelated, false, true, Completed, false),
        ];
        for (reader, own, submitted, status, expected) in table {
            assert_eq!(
                may_read_opinion(reader, own, submitted, status),
                expected,
                "{reader:?} own={own} submitted={submitted} {status:?}"
            );
        }
    }

    #[test]
    fn who_sees_contact_details() {
        // (reader, member is coordinator, status, sees)
        let table = [
            (Admin, false, Submitted, true),
            (Coordinator, false, DoctorsAssigned, true),
            (Specialist, true, DoctorsAssigned, true),
            (Owner, true, AwaitingPayment, false),
            (Owner, true, PaymentSuccessful, false),
            (Owner, true, DoctorsAssigned, true),
            (Owner, true, Completed, true),
            (Owner, false, DoctorsAssigned, false),
            (Unrelated, true, Completed, false),
        ];
        for (reader, coordinator, status, expected) in table {
            assert_eq!(
                sees_contact(reader, coordinator, status),
                expected,
                "{reader:?} coordinator={coordinator} {status:?}"
            );
        }
        assert!(sees_opinion_progress(Coordinator));
        assert!(!sees_opinion_progress(Owner));
        assert!(!sees_opinion_progress(Unrelated));
    }

    #[test]
    fn a_specialist_may_be_removed_only_before_their_opinion_and_never_the_last() {
        assert_eq!(removal_blocker(false, 2), None);
        assert_eq!(removal_blocker(false, 3), None);
        assert!(removal_blocker(false, 1).is_some_and(|m| m.contains("at least one")));
        assert!(removal_blocker(true, 3).is_some_and(|m| m.contains("submitted")));
        assert!(removal_blocker(true, 1).is_some_and(|m| m.contains("submitted")));
    }

    #[test]
    fn the_pool_offers_neither_the_coordinator_nor_those_already_on_the_case() {
        let on_case = vec!["s1".to_owned()];
        assert!(may_join_as_specialist("s2", Some("c"), &on_case));
        assert!(!may_join_as_specialist("s1", Some("c"), &on_case));
        assert!(!may_join_as_specialist("c", Some("c"), &on_case));
        assert!(may_join_as_specialist("c", None, &[]));
    }
}
