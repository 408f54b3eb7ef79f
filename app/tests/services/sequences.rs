//! W4: generated sequences. Random actions by random people (and the payment provider) drive a
//! few cases through the services; after every step the invariants must hold. Each run is
//! seeded and prints its seed and steps when it fails, so a failure replays exactly.
//!
//! Invariants: at most one active coordinator per case; no specialist before payment; no
//! completion before every active specialist's opinion is in (and then a report exists);
//! terminal states stay terminal; a refused action changes nothing, and an accepted one writes
//! exactly the timeline entries its transition names.

use crate::on_both_backends;
use crate::support::Scenario;
use crate::support::TestDb;
use app::domain::document::samples;
use app::domain::review::OpinionInput;
use app::domain::{case::transition, Actor, CaseAction, CaseStatus, Relation};
use app::model::CurrentUser;
use app::model::{CaseId, FormIntent, UserId};
use app::server::config::TEST_WEBHOOK_SECRET;
use app::server::db;
use app::server::payments::signature;
use app::server::services::payments::handle_webhook;
use app::server::services::{assignment, cases, documents, review, Person};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

const SEEDS: u64 = 6;
const STEPS: usize = 120;

#[derive(Clone, Copy, Debug)]
enum Step {
    Open,
    AssignCoordinator,
    ReassignCoordinator,
    Pay,
    FailPayment,
    RetryPayment,
    AssignSpecialists,
    RemoveSpecialist,
    RequestDocuments,
    ProvideDocument,
    SaveOpinion,
    SubmitOpinion,
    Remind,
    Summary,
    Cancel,
    Reject,
}

/// Each step with its weight: the happy path comes often, closing a case rarely, so that
/// cases get deep before they end.
const STEPS_POOL: [(Step, u32); 16] = [
    (Step::Open, 1),
    (Step::AssignCoordinator, 4),
    (Step::ReassignCoordinator, 1),
    (Step::Pay, 4),
    (Step::FailPayment, 1),
    (Step::RetryPayment, 2),
    (Step::AssignSpecialists, 4),
    (Step::RemoveSpecialist, 1),
    (Step::RequestDocuments, 2),
    (Step::ProvideDocument, 3),
    (Step::SaveOpinion, 2),
    (Step::SubmitOpinion, 6),
    (Step::Remind, 1),
    (Step::Summary, 4),
    (Step::Cancel, 1),
    (Step::Reject, 1),
];

/// What the database says about one case, before and after a step.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Snapshot {
    status: CaseStatus,
    version: i64,
    timeline: i64,
}

async fn scalar(t: &TestDb, sql: &'static str, case_id: &CaseId) -> i64 {
    sqlx::query_scalar(sql)
        .bind(case_id)
        .fetch_one(t.db.pool())
        .await
        .unwrap()
}

async fn snapshot(t: &TestDb, case_id: &CaseId) -> Snapshot {
    let row = db::cases::find(t.db.pool(), case_id).await.unwrap().unwrap();
    Snapshot {
        status: row.status,
        version: row.version,
        timeline: scalar(
            t,
            // "Under specialist review" comes with a specialist's first work, whatever the
            // action; it is checked on its own below.
            "SELECT COUNT(*) FROM case_timeline WHERE case_id = $1 AND label <> 'review_started'",
            case_id,
        )
        .await,
    }
}

struct Run<'a> {
    t: &'a TestDb,
    s: &'a Scenario<'a>,
    rng: StdRng,
    cases: Vec<CaseId>,
    log: Vec<String>,
    events: u32,
    accepted: usize,
}

impl Run<'_> {
    fn someone(&mut self) -> CurrentUser {
        let s = self.s;
        let people: Vec<&CurrentUser> = [&s.patient, &s.admin, &s.outsider]
            .into_iter()
            .chain(&s.coordinators)
            .chain(&s.specialists)
            .collect();
        (*people.choose(&mut self.rng).unwrap()).clone()
    }

    /// The person a step is usually taken by on this case.
    async fn likely(&mut self, step: Step, case_id: &CaseId) -> CurrentUser {
        let s = self.s;
        let case = db::cases::find(self.t.db.pool(), case_id).await.unwrap().unwrap();
        let coordinator = s
            .coordinators
            .iter()
            .find(|c| Some(&c.id) == case.coordinator_id.as_ref());
        let on_case = db::assignments::active_specialists(self.t.db.pool(), case_id)
            .await
            .unwrap();
        let specialist = s
            .specialists
            .iter()
            .filter(|p| on_case.contains(&p.id))
            .collect::<Vec<_>>();
        let pick = match step {
            Step::AssignCoordinator | Step::ReassignCoordinator | Step::Reject => Some(&s.admin),
            Step::RetryPayment
            | Step::ProvideDocument
            | Step::Cancel
            | Step::Open
            | Step::Pay
            | Step::FailPayment => Some(&s.patient),
            Step::AssignSpecialists | Step::RemoveSpecialist | Step::Remind | Step::Summary => coordinator,
            Step::RequestDocuments | Step::SaveOpinion | Step::SubmitOpinion => {
                specialist.choose(&mut self.rng).copied()
            }
        };
        match pick {
            Some(p) => p.clone(),
            None => self.someone(),
        }
    }

    /// Usually someone from the right pool, sometimes anyone.
    fn pool_member(&mut self, coordinator: bool) -> UserId {
        let s = self.s;
        let pool = if coordinator {
            &s.coordinators
        } else {
            &s.specialists
        };
        if self.rng.gen_bool(0.8) {
            pool.choose(&mut self.rng).unwrap().id.clone()
        } else {
            self.clinician_id()
        }
    }

    fn clinician_id(&mut self) -> UserId {
        let s = self.s;
        let ids: Vec<&UserId> = s
            .coordinators
            .iter()
            .chain(&s.specialists)
            .map(|c| &c.id)
            .collect();
        (*ids.choose(&mut self.rng).unwrap()).clone()
    }

    async fn payment_event(&mut self, case_id: &CaseId, paid: bool) -> Result<(), String> {
        let payment: Option<String> = sqlx::query_scalar("SELECT id FROM payments WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(self.t.db.pool())
            .await
            .unwrap();
        let Some(payment) = payment else {
            return Err("no payment".into());
        };
        self.events += 1;
        let body = serde_json::json!({
            "id": format!("evt_{}_{}", self.events, case_id),
            "type": if paid { "checkout.session.completed" } else { "checkout.session.async_payment_failed" },
            "data": {"object": {"id": "cs", "client_reference_id": payment, "amount_total": 45_000,
                "currency": "eur", "payment_status": if paid { "paid" } else { "unpaid" }}}
        })
        .to_string()
        .into_bytes();
        let signed = signature::sign(TEST_WEBHOOK_SECRET.as_bytes(), db::now_ms() / 1000, &body);
        handle_webhook(&self.t.db, &self.t.config.payments, &body, Some(&signed))
            .await
            .map_err(|e| format!("{e:?}"))
            .and_then(|outcome| match outcome {
                // Received but not acted on (a late failure, a case closed meanwhile): like a
                // refusal, it must change nothing.
                app::server::services::payments::Outcome::Applied => Ok(()),
                // Money for a closed case goes back: one "Payment refunded" entry, status kept.
                app::server::services::payments::Outcome::RefundedLate => Err("refunded late".into()),
                other => Err(format!("{other:?}")),
            })
    }

    /// Performs one step; returns the case it touched (if any), the domain action and actor
    /// (for the expected timeline entries) and whether it was accepted.
    async fn step(
        &mut self,
        step: Step,
    ) -> Option<(CaseId, Option<(CaseAction, Actor)>, Result<(), String>)> {
        let case_id = self.cases.choose(&mut self.rng).cloned();
        // Mostly the person the step is meant for, so that cases make progress; sometimes
        // anyone at all, so that refusals are exercised too.
        let who = match case_id.as_ref() {
            _ if matches!(step, Step::Open) => self.s.patient.clone(),
            Some(id) if self.rng.gen_bool(0.75) => self.likely(step, id).await,
            _ => self.someone(),
        };
        let t = self.t;
        let caller = Person::new(&who, "");
        if let Step::Open = step {
            if self.cases.len() >= 3 {
                return None;
            }
            let id = cases::create_draft(&t.db, &caller).await.ok()?;
            self.s
                .upload(&who, &id, "scan.pdf", samples::pdf())
                .await
                .unwrap();
            cases::save(
                &t.db,
                &caller,
                &id,
                1,
                FormIntent::Submit,
                &self.s.complete_form(),
            )
            .await
            .unwrap();
            self.cases.push(id.clone());
            return None;
        }
        let case_id = case_id?;
        let version = db::cases::find(t.db.pool(), &case_id).await.unwrap()?.version;
        let person = |action| Some((action, Actor::Person(Relation::Unrelated)));
        let (action, result) = match step {
            Step::Open => unreachable!(),
            Step::AssignCoordinator => {
                let c = self.pool_member(true);
                (
                    person(CaseAction::AssignCoordinator),
                    assignment::assign_coordinator(&t.db, &t.config, &caller, &case_id, version, &c).await,
                )
            }
            Step::ReassignCoordinator => {
                let c = self.pool_member(true);
                (
                    person(CaseAction::ReassignCoordinator),
                    assignment::reassign_coordinator(&t.db, &caller, &case_id, version, &c).await,
                )
            }
            Step::Pay | Step::FailPayment => {
                let paid = matches!(step, Step::Pay);
                let action = if paid {
                    CaseAction::ConfirmPayment
                } else {
                    CaseAction::FailPayment
                };
                let result = self.payment_event(&case_id, paid).await;
                return Some((case_id, Some((action, Actor::PaymentProvider)), result));
            }
            Step::RetryPayment => (
                person(CaseAction::RetryPayment),
                app::server::services::payments::retry(&t.db, &caller, &case_id, version).await,
            ),
            Step::AssignSpecialists => {
                let chosen = vec![self.pool_member(false), self.pool_member(false)];
                let action = if self.rng.gen_bool(0.5) {
                    CaseAction::AssignSpecialists
                } else {
                    CaseAction::AddSpecialists
                };
                (
                    person(action),
                    assignment::assign_specialists(&t.db, &caller, &case_id, version, &chosen).await,
                )
            }
            Step::RemoveSpecialist => {
                let c = self.clinician_id();
                (
                    person(CaseAction::RemoveSpecialist),
                    assignment::remove_specialist(&t.db, &caller, &case_id, version, &c).await,
                )
            }
            Step::RequestDocuments => (
                person(CaseAction::RequestDocuments),
                review::request_documents(&t.db, &caller, &case_id, "", &["ECG".into()]).await,
            ),
            Step::ProvideDocument => {
                let item: Option<String> = sqlx::query_scalar(
                    "SELECT i.id FROM document_request_items i JOIN document_requests r ON r.id = i.request_id \
                     WHERE r.case_id = $1 AND i.document_id IS NULL LIMIT 1",
                )
                .bind(&case_id)
                .fetch_optional(t.db.pool())
                .await
                .unwrap();
                let body =
                    futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from(samples::pdf()))]);
                let up = documents::Upload {
                    case_id: &case_id,
                    name: "more.pdf",
                    replaces: None,
                    declared_len: None,
                    request_item: item.as_deref(),
                };
                let result = match item.as_deref() {
                    Some(_) => documents::upload(&t.db, &self.s.storage, &caller, up, body)
                        .await
                        .map(|_| ()),
                    None => Err(app::error::AppError::NotFound),
                };
                // Whether it closed the request is checked by the timeline bound, not predicted.
                (None, result)
            }
            Step::SaveOpinion | Step::SubmitOpinion => {
                let input = OpinionInput {
                    assessment: "a".into(),
                    recommendation: "r".into(),
                    ..OpinionInput::default()
                };
                if matches!(step, Step::SaveOpinion) {
                    (
                        None,
                        review::write_opinion(&t.db, &caller, &case_id, FormIntent::Save, &input).await,
                    )
                } else {
                    (
                        person(CaseAction::SubmitOpinion),
                        review::write_opinion(&t.db, &caller, &case_id, FormIntent::Submit, &input).await,
                    )
                }
            }
            Step::Remind => (
                person(CaseAction::RemindSpecialists),
                review::remind_specialists(&t.db, &caller, &case_id).await,
            ),
            Step::Summary => (
                person(CaseAction::SubmitFinalSummary),
                review::submit_final_summary(&t.db, &self.s.storage, &caller, &case_id, version, "Summary")
                    .await,
            ),
            Step::Cancel | Step::Reject => {
                let action = if matches!(step, Step::Cancel) {
                    CaseAction::Cancel
                } else {
                    CaseAction::Reject
                };
                (
                    person(action),
                    cases::close(
                        &t.db,
                        &t.config.payments,
                        &caller,
                        &case_id,
                        version,
                        action,
                        "Because",
                    )
                    .await,
                )
            }
        };
        Some((case_id, action, result.map_err(|e| format!("{e:?}"))))
    }
}

/// How many timeline entries an accepted action writes, from the domain rule itself.
fn expected_entries(from: CaseStatus, action: CaseAction, actor: Actor) -> Option<i64> {
    // The relation does not change the effects, only whether the action is allowed; any
    // permitted actor gives the same list.
    let actors = [
        actor,
        Actor::Person(Relation::Owner),
        Actor::Person(Relation::Admin),
        Actor::Person(Relation::Coordinator),
        Actor::Person(Relation::Specialist),
    ];
    actors
        .iter()
        .find_map(|a| transition(from, action, *a).ok())
        .map(|t| i64::try_from(t.timeline().count()).unwrap())
}

async fn check_invariants(run: &Run<'_>, case_id: &CaseId) -> Result<(), String> {
    let t = run.t;
    let status = snapshot(t, case_id).await.status;
    let coordinators = scalar(
        t,
        "SELECT COUNT(*) FROM case_assignments WHERE case_id = $1 AND active = 1 AND is_coordinator = 1",
        case_id,
    )
    .await;
    if coordinators > 1 {
        return Err(format!("{coordinators} active coordinators"));
    }
    let specialists = scalar(
        t,
        "SELECT COUNT(*) FROM case_assignments WHERE case_id = $1 AND is_coordinator = 0",
        case_id,
    )
    .await;
    let before_payment = matches!(
        status,
        CaseStatus::Draft
            | CaseStatus::Submitted
            | CaseStatus::AwaitingPayment
            | CaseStatus::PaymentFailed
            | CaseStatus::PaymentSuccessful
    );
    if before_payment && specialists > 0 {
        return Err(format!("{specialists} specialists while {status:?}"));
    }
    let started = scalar(
        t,
        "SELECT COUNT(*) FROM case_timeline WHERE case_id = $1 AND label = 'review_started'",
        case_id,
    )
    .await;
    if started > 1 || (started == 1 && before_payment) {
        return Err(format!(
            "{started} 'Under specialist review' entries while {status:?}"
        ));
    }
    if status == CaseStatus::Completed {
        let waiting = db::review::specialists_without_opinion(t.db.pool(), case_id)
            .await
            .unwrap();
        let reports = scalar(t, "SELECT COUNT(*) FROM case_reports WHERE case_id = $1", case_id).await;
        let open = scalar(
            t,
            "SELECT COUNT(*) FROM document_requests WHERE case_id = $1 AND fulfilled_at IS NULL",
            case_id,
        )
        .await;
        if !waiting.is_empty() || reports != 1 || open != 0 {
            return Err(format!(
                "completed with {} opinions missing, {reports} reports, {open} open requests",
                waiting.len()
            ));
        }
    }
    Ok(())
}

/// Plays one seed; returns how many steps were accepted and the statuses the cases ended in.
async fn play(t: &TestDb, seed: u64) -> (usize, Vec<CaseStatus>) {
    let s = Scenario::staffed(t).await;
    let mut run = Run {
        t,
        s: &s,
        rng: StdRng::seed_from_u64(seed),
        cases: Vec::new(),
        log: Vec::new(),
        events: 0,
        accepted: 0,
    };
    // Bias towards progress: every case starts submitted, and the happy path's steps come often.
    for _ in 0..2 {
        let _ = run.step(Step::Open).await;
    }
    for n in 0..STEPS {
        let step = STEPS_POOL.choose_weighted(&mut run.rng, |(_, w)| *w).unwrap().0;
        let before: Vec<(CaseId, Snapshot)> = {
            let mut all = Vec::new();
            for id in &run.cases {
                all.push((id.clone(), snapshot(t, id).await));
            }
            all
        };
        let outcome = run.step(step).await;
        let Some((case_id, action, result)) = outcome else {
            continue;
        };
        run.log.push(format!("{n}: {step:?} on {case_id} -> {result:?}"));
        run.accepted += usize::from(result.is_ok());
        let fail = |why: String, log: &[String]| panic!("seed {seed}: {why}\n{}", log.join("\n"));
        let old = before
            .iter()
            .find(|(id, _)| *id == case_id)
            .map(|(_, s)| s.clone())
            .unwrap();
        let new = snapshot(t, &case_id).await;
        if old.status.is_terminal() && new.status != old.status {
            fail(
                format!("terminal {:?} became {:?}", old.status, new.status),
                &run.log,
            );
        }
        let refunded_late = matches!(&result, Err(m) if m == "refunded late");
        let one_entry_more = Snapshot {
            timeline: old.timeline + 1,
            ..old.clone()
        };
        match (&result, action) {
            _ if refunded_late && new != one_entry_more => fail(
                format!("a late refund must add one entry and nothing else: {old:?} -> {new:?}"),
                &run.log,
            ),
            (Err(_), _) if !refunded_late && new != old => fail(
                format!("a refused step changed the case: {old:?} -> {new:?}"),
                &run.log,
            ),
            (Ok(()), Some((action, actor))) => {
                let expected = expected_entries(old.status, action, actor).unwrap_or(-1);
                let written = new.timeline - old.timeline;
                // Specialists added to an assigned case are `AddSpecialists`, whatever the step guessed.
                let alternative = match action {
                    CaseAction::AssignSpecialists => {
                        expected_entries(old.status, CaseAction::AddSpecialists, actor)
                    }
                    CaseAction::AddSpecialists => {
                        expected_entries(old.status, CaseAction::AssignSpecialists, actor)
                    }
                    _ => None,
                };
                if written != expected && Some(written) != alternative {
                    fail(
                        format!("{action:?} wrote {written} timeline entries, the rule names {expected}"),
                        &run.log,
                    );
                }
            }
            (Ok(()), None) if new.timeline - old.timeline > 1 => {
                fail("an upload wrote more than one entry".into(), &run.log)
            }
            _ => {}
        }
        for (id, _) in &before {
            if *id != case_id && snapshot(t, id).await != before.iter().find(|(i, _)| i == id).unwrap().1 {
                fail(format!("a step on {case_id} changed {id}"), &run.log);
            }
        }
        if let Err(why) = check_invariants(&run, &case_id).await {
            fail(why, &run.log);
        }
    }
    let mut statuses = Vec::new();
    for id in &run.cases {
        statuses.push(snapshot(t, id).await.status);
    }
    (run.accepted, statuses)
}

on_both_backends!(random_sequences_of_actions_keep_every_invariant, |t| {
    let (mut accepted, mut reached) = play(&t, 0).await;
    for seed in 1..SEEDS {
        // A fresh database per seed, on the same backend.
        let fresh = TestDb::open(t.db.backend()).await.unwrap();
        let (n, statuses) = play(&fresh, seed).await;
        accepted += n;
        reached.extend(statuses);
    }
    eprintln!("{accepted} accepted steps; cases ended as {reached:?}");
    // The walk must reach deep enough for the invariants to mean something.
    for status in [
        CaseStatus::DoctorsAssigned,
        CaseStatus::Completed,
        CaseStatus::Cancelled,
    ] {
        assert!(
            reached.contains(&status),
            "no case reached {status:?} in {SEEDS} seeds: {reached:?}"
        );
    }
});
