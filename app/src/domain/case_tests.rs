#![allow(clippy::unwrap_used)]
//! Table-driven: every (status, action, actor) combination is checked against the table below,
//! written out by hand from the specification, independently of the rule's code.

use super::*;
use CaseAction as A;
use CaseStatus as S;

const OWNER: Actor = Actor::Person(Relation::Owner);
const COORD: Actor = Actor::Person(Relation::Coordinator);
const SPEC: Actor = Actor::Person(Relation::Specialist);
const ADMIN: Actor = Actor::Person(Relation::Admin);
const PAY: Actor = Actor::PaymentProvider;

/// Every allowed (from, action, actor, to). Anything not listed must be refused.
fn allowed() -> Vec<(S, A, Actor, S)> {
    let mut rows = vec![
        (S::Draft, A::EditDraft, OWNER, S::Draft),
        (S::Draft, A::Submit, OWNER, S::Submitted),
        (S::Submitted, A::AssignCoordinator, ADMIN, S::AwaitingPayment),
        (
            S::AwaitingPayment,
            A::ReassignCoordinator,
            ADMIN,
            S::AwaitingPayment,
        ),
        (S::PaymentFailed, A::ReassignCoordinator, ADMIN, S::PaymentFailed),
        (S::AwaitingPayment, A::ConfirmPayment, PAY, S::PaymentSuccessful),
        (S::PaymentFailed, A::ConfirmPayment, PAY, S::PaymentSuccessful),
        (S::AwaitingPayment, A::FailPayment, PAY, S::PaymentFailed),
        (S::PaymentFailed, A::RetryPayment, OWNER, S::AwaitingPayment),
        (
            S::PaymentSuccessful,
            A::AssignSpecialists,
            COORD,
            S::DoctorsAssigned,
        ),
        (S::DoctorsAssigned, A::AddSpecialists, COORD, S::DoctorsAssigned),
        (S::DoctorsAssigned, A::RemoveSpecialist, COORD, S::DoctorsAssigned),
        (S::DoctorsAssigned, A::RequestDocuments, COORD, S::DoctorsAssigned),
        (S::DoctorsAssigned, A::RequestDocuments, SPEC, S::DoctorsAssigned),
        (
            S::DoctorsAssigned,
            A::ProvideRequestedDocuments,
            OWNER,
            S::DoctorsAssigned,
        ),
        (S::DoctorsAssigned, A::SubmitOpinion, SPEC, S::DoctorsAssigned),
        (
            S::DoctorsAssigned,
            A::RemindSpecialists,
            COORD,
            S::DoctorsAssigned,
        ),
        (S::DoctorsAssigned, A::SubmitFinalSummary, COORD, S::Completed),
    ];
    for from in [
        S::Draft,
        S::Submitted,
        S::AwaitingPayment,
        S::PaymentFailed,
        S::PaymentSuccessful,
        S::DoctorsAssigned,
    ] {
        rows.push((from, A::Cancel, OWNER, S::Cancelled));
        rows.push((from, A::Cancel, ADMIN, S::Cancelled));
    }
    for from in [
        S::Submitted,
        S::AwaitingPayment,
        S::PaymentFailed,
        S::PaymentSuccessful,
    ] {
        rows.push((from, A::Reject, ADMIN, S::Rejected));
    }
    rows
}

#[test]
fn every_status_action_actor_combination_matches_the_table() {
    let table = allowed();
    let mut checked = 0;
    for &from in S::ALL {
        for &action in A::ALL {
            for actor in Actor::ALL {
                let expected = table
                    .iter()
                    .find(|(f, a, who, _)| *f == from && *a == action && *who == actor)
                    .map(|row| row.3);
                let got = transition(from, action, actor);
                match (expected, &got) {
                    (Some(to), Ok(t)) => assert_eq!(t.to, to, "{from} {action} {actor:?}"),
                    (None, Err(_)) => {}
                    _ => panic!("{from} {action} {actor:?}: expected {expected:?}, got {got:?}"),
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, S::ALL.len() * A::ALL.len() * Actor::ALL.len());
}

#[test]
fn refusals_say_who_before_when() {
    // A patient can never assign a coordinator: that is about who (403), at any status.
    for &from in S::ALL {
        assert!(matches!(
            transition(from, A::AssignCoordinator, OWNER),
            Err(Refusal::NotPermitted(_))
        ));
    }
    // An admin can, just not now: that is about when (409).
    assert!(matches!(
        transition(S::Completed, A::AssignCoordinator, ADMIN),
        Err(Refusal::InvalidState(_))
    ));
}

#[test]
fn an_unrelated_user_may_do_nothing() {
    for &from in S::ALL {
        assert!(available_actions(from, Actor::Person(Relation::Unrelated)).is_empty());
    }
}

#[test]
fn terminal_statuses_allow_nothing() {
    for &from in S::ALL.iter().filter(|s| s.is_terminal()) {
        for actor in Actor::ALL {
            assert!(available_actions(from, actor).is_empty(), "{from} {actor:?}");
        }
    }
}

#[test]
fn reassigning_after_payment_is_refused_with_a_clear_reason() {
    let refusal = transition(S::PaymentSuccessful, A::ReassignCoordinator, ADMIN).unwrap_err();
    assert!(
        refusal.message().contains("already paid"),
        "{}",
        refusal.message()
    );
}

#[test]
fn assigning_a_coordinator_records_both_timeline_entries_and_the_payment_link() {
    let t = transition(S::Submitted, A::AssignCoordinator, ADMIN).unwrap();
    let labels: Vec<_> = t.timeline().collect();
    assert_eq!(
        labels,
        [TimelineLabel::CoordinatorAssigned, TimelineLabel::AwaitingPayment]
    );
    assert!(t.has(Effect::CreatePaymentLink));
    let who: Vec<_> = t.recipients().collect();
    assert_eq!(who, [Recipient::Coordinator, Recipient::Patient]);
}

#[test]
fn cancelling_refunds_only_when_paid() {
    for &from in S::ALL.iter().filter(|s| !s.is_terminal()) {
        let t = transition(from, A::Cancel, OWNER).unwrap();
        assert_eq!(t.has(Effect::RefundPayment), from.is_paid(), "{from}");
        assert!(t.recipients().any(|r| r == Recipient::EveryoneAssigned));
    }
    let t = transition(S::PaymentSuccessful, A::Reject, ADMIN).unwrap();
    assert!(t.has(Effect::RefundPayment));
    let labels: Vec<_> = t.timeline().collect();
    assert_eq!(
        labels,
        [TimelineLabel::CaseRejected, TimelineLabel::PaymentRefunded]
    );
}

/// Doctors receive no payment data: every entry about money is for the payment's audience,
/// and no change that is only about money tells a specialist.
#[test]
fn payment_entries_are_for_the_payment_audience_and_never_reach_specialists() {
    use super::Audience;
    let money = [
        TimelineLabel::AwaitingPayment,
        TimelineLabel::PaymentReceived,
        TimelineLabel::PaymentFailed,
        TimelineLabel::PaymentRetried,
        TimelineLabel::PaymentRefunded,
    ];
    for &label in TimelineLabel::ALL {
        let expected = if money.contains(&label) {
            Audience::Payment
        } else {
            Audience::Case
        };
        assert_eq!(label.audience(), expected, "{label:?}");
    }
    for &from in S::ALL {
        for &action in A::ALL {
            for actor in Actor::ALL {
                let Ok(t) = transition(from, action, actor) else {
                    continue;
                };
                let labels: Vec<_> = t.timeline().collect();
                if labels.iter().all(|l| l.audience() == Audience::Payment) && !labels.is_empty() {
                    assert!(
                        !t.recipients().any(|r| matches!(
                            r,
                            Recipient::SpecialistsConcerned
                                | Recipient::SpecialistsWithoutOpinion
                                | Recipient::EveryoneAssigned
                        )),
                        "{action:?} from {from:?} tells specialists about money"
                    );
                }
            }
        }
    }
}

#[test]
fn every_status_change_writes_exactly_the_timeline_entries_it_names() {
    for &from in S::ALL {
        for &action in A::ALL {
            for actor in Actor::ALL {
                if let Ok(t) = transition(from, action, actor) {
                    let entries = t.timeline().count();
                    let expected = match action {
                        A::EditDraft => 0,
                        A::AssignCoordinator => 2,
                        // The closing entry, and "Payment refunded" when money goes back.
                        A::Cancel | A::Reject if from.is_paid() => 2,
                        _ => 1,
                    };
                    assert_eq!(entries, expected, "{from} {action}");
                }
            }
        }
    }
}

#[test]
fn names_round_trip() {
    for &s in S::ALL {
        assert_eq!(s.as_str().parse::<S>(), Ok(s));
    }
    for &a in A::ALL {
        assert_eq!(a.as_str().parse::<A>(), Ok(a));
    }
    for &l in TimelineLabel::ALL {
        assert_eq!(l.as_str().parse::<TimelineLabel>(), Ok(l));
    }
}
