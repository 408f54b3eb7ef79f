//! The parts of the case page that staff it and take the payment: the coordinator picker (admin), the
//! payment prompt (patient), the specialist picker (the case's coordinator), and the team.

use crate::api::staffing::{AssignCoordinator, AssignSpecialists, RemoveSpecialist, RetryPayment};
use crate::components::feedback::{ActionError, FieldError};
use crate::components::forms::{ActionCard, CaseFields, Submit};
use crate::domain::payment::PaymentStatus;
use crate::domain::{CaseAction, CaseStatus, Relation};
use crate::i18n::{t, td_string, use_i18n};
use crate::lang;
use crate::model::{CaseView, TeamMember};
use leptos::prelude::*;

/// Every action of the case page, created once by the page so that each completion reloads it.
#[derive(Clone, Copy)]
pub struct StaffActions {
    pub assign: ServerAction<AssignCoordinator>,
    pub specialists: ServerAction<AssignSpecialists>,
    pub remove: ServerAction<RemoveSpecialist>,
    pub retry: ServerAction<RetryPayment>,
}

impl StaffActions {
    pub fn new() -> Self {
        Self {
            assign: ServerAction::new(),
            specialists: ServerAction::new(),
            remove: ServerAction::new(),
            retry: ServerAction::new(),
        }
    }

    pub fn versions(&self) -> (usize, usize, usize, usize) {
        (
            self.assign.version().get(),
            self.specialists.version().get(),
            self.remove.version().get(),
            self.retry.version().get(),
        )
    }
}

impl Default for StaffActions {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn CoordinatorPicker(view: CaseView, actions: StaffActions) -> impl IntoView {
    let change = view.actions.contains(&CaseAction::ReassignCoordinator);
    if !change && !view.actions.contains(&CaseAction::AssignCoordinator) {
        return ().into_any();
    }
    let current = view
        .team
        .iter()
        .find(|m| m.is_coordinator)
        .map(|m| m.id.clone())
        .unwrap_or_default();
    let result = actions.assign.value();
    let (case_id, version) = (view.summary.id.clone(), view.summary.version);
    let choices: Vec<_> = view.choices.into_iter().filter(|c| c.id != current).collect();
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let title = if change {
        td_string!(locale, staff.change_title)
    } else {
        td_string!(locale, staff.assign_title)
    };
    let button = if change {
        td_string!(locale, staff.change_button)
    } else {
        td_string!(locale, staff.assign_button)
    };
    let hint = if change {
        td_string!(locale, staff.change_hint)
    } else {
        td_string!(locale, staff.assign_hint)
    };
    view! {
        <ActionCard heading_id="coordinator-title" title testid="coordinator-picker">
            <p class="hint">{hint}</p>
            <ActionForm action=actions.assign attr:class="form">
                <CaseFields case_id version/>
                <label for="coordinator_id">{t!(i18n, staff.coordinator_label)}</label>
                <select id="coordinator_id" name="coordinator_id" required>
                    <option value="">{t!(i18n, intake.choose)}</option>
                    {choices.into_iter().map(|c| view! {
                        <option value=c.id>
                            {format!("{} {} · {} · {}", c.title, c.name, c.specialties, td_string!(locale, staff.open_cases, count = c.open_cases))}
                        </option>
                    }).collect_view()}
                </select>
                <FieldError result field="coordinator_id"/>
                <Submit result label=button/>
            </ActionForm>
        </ActionCard>
    }
    .into_any()
}

#[component]
pub fn PaymentPrompt(view: CaseView, actions: StaffActions) -> impl IntoView {
    let (Relation::Owner, Some(payment)) = (view.relation, view.payment.clone()) else {
        return ().into_any();
    };
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let amount = lang::format::money(locale, &payment.amount);
    let (case_id, version) = (view.summary.id.clone(), view.summary.version);
    match view.summary.status {
        CaseStatus::AwaitingPayment => view! {
            <section class="card action-card pay" data-testid="payment-prompt">
                <h2>{t!(i18n, staff.pay_heading)}</h2>
                <p>{td_string!(locale, staff.pay_ready, amount = &amount)}</p>
                <a class="button" href=payment.checkout_url>{td_string!(locale, checkout.pay, amount = &amount)}</a>
            </section>
        }
        .into_any(),
        CaseStatus::PaymentFailed => view! {
            <section class="card action-card pay" data-testid="payment-prompt">
                <h2>{t!(i18n, staff.failed_heading)}</h2>
                <p>{t!(i18n, staff.failed_detail)}</p>
                <ActionForm action=actions.retry attr:class="inline-form">
                    <CaseFields case_id version/>
                    <button type="submit" class="button">{t!(i18n, staff.retry)}</button>
                </ActionForm>
                <ActionError result=actions.retry.value()/>
            </section>
        }
        .into_any(),
        _ => {
            let text = match payment.status {
                PaymentStatus::Refunded => td_string!(locale, staff.refunded, amount = &amount),
                PaymentStatus::Succeeded => td_string!(locale, staff.paid, amount = &amount),
                _ => td_string!(locale, staff.payment, amount = &amount),
            };
            view! { <p class="muted" data-testid="payment-status">{text}</p> }.into_any()
        }
    }
}

#[component]
pub fn SpecialistPicker(view: CaseView, actions: StaffActions) -> impl IntoView {
    if !view
        .actions
        .iter()
        .any(|a| matches!(a, CaseAction::AssignSpecialists | CaseAction::AddSpecialists))
    {
        return ().into_any();
    }
    let result = actions.specialists.value();
    let first = view.summary.status == CaseStatus::PaymentSuccessful;
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let label = if first {
        td_string!(locale, staff.assign_specialists)
    } else {
        td_string!(locale, staff.add_specialists)
    };
    let (case_id, version) = (view.summary.id.clone(), view.summary.version);
    let choices = view.choices;
    view! {
        <ActionCard heading_id="specialists-title" title=label testid="specialist-picker">
            {if choices.is_empty() {
                view! { <p class="empty">{t!(i18n, staff.all_assigned)}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=actions.specialists attr:class="form">
                        <CaseFields case_id version/>
                        <fieldset class="fieldset pool">
                            <legend>{t!(i18n, staff.pool_legend)}</legend>
                            {choices.into_iter().map(|c| view! {
                                <label class="check">
                                    <input type="checkbox" name="specialists[]" value=c.id/>
                                    <bdi>{format!("{} {}", c.title, c.name)}</bdi>
                                    <span class="muted">{format!(" · {} · {}", c.specialties, td_string!(locale, staff.open_cases, count = c.open_cases))}</span>
                                </label>
                            }).collect_view()}
                        </fieldset>
                        <FieldError result field="specialists"/>
                        <Submit result label/>
                    </ActionForm>
                }.into_any()
            }}
        </ActionCard>
    }
    .into_any()
}

/// The coordinator and the specialists on the case.
#[component]
pub fn Team(view: CaseView, actions: StaffActions) -> impl IntoView {
    if view.team.is_empty() {
        return ().into_any();
    }
    let (case_id, version) = (view.summary.id.clone(), view.summary.version);
    let locale = use_i18n().get_locale_untracked();
    view! {
        <section aria-labelledby="team-title" data-testid="team">
            <h2 id="team-title">{if view.relation == Relation::Owner { td_string!(locale, staff.your_care_team) } else { td_string!(locale, staff.care_team) }}</h2>
            <ul class="team">
                {view.team.into_iter().map(|m| {
                    let remove = m.removable.then(|| (case_id.to_string(), m.id.clone()));
                    let staff = view.relation != Relation::Owner;
                    view! { <TeamRow member=m remove version actions staff/> }
                }).collect_view()}
            </ul>
            <ActionError result=actions.remove.value()/>
        </section>
    }
    .into_any()
}

#[component]
fn TeamRow(
    member: TeamMember,
    remove: Option<(String, String)>,
    version: i64,
    actions: StaffActions,
    staff: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let progress = (staff && !member.is_coordinator).then(|| {
        if member.opinion_submitted {
            view! { <span class="badge badge-done">{t!(i18n, staff.opinion_in)}</span> }.into_any()
        } else {
            view! { <span class="badge">{t!(i18n, staff.reviewing)}</span> }.into_any()
        }
    });
    let role = if member.is_coordinator {
        td_string!(locale, staff.coordinator)
    } else {
        td_string!(locale, staff.specialist)
    };
    view! {
        <li class="team-member">
            <div>
                <strong><bdi>{format!("{} {}", member.title, member.name)}</bdi></strong>
                <span class="muted">{format!(" · {role} · {}", member.specialties)}</span>
                " "{progress}
            </div>
            {member.contact_email.map(|email| view! {
                <div class="contact">
                    <a href=format!("mailto:{email}")>{email.clone()}</a>
                    {member.contact_phone.map(|phone| view! { <span>" · "<bdi dir="ltr">{phone}</bdi></span> })}
                </div>
            })}
            {remove.map(|(case_id, specialist_id)| view! {
                <ActionForm action=actions.remove attr:class="inline-form">
                    <CaseFields case_id version/>
                    <input type="hidden" name="specialist_id" value=specialist_id/>
                    <button type="submit" class="button button-quiet">{t!(i18n, intake.remove)}</button>
                </ActionForm>
            })}
        </li>
    }
}
