//! "Your account": the signed-in person's details, their password, and where they are signed in.

use crate::api::me::{load_second_factor, load_sessions, EndSession, StartSecondFactor, TurnOffSecondFactor};
use crate::components::auth::{use_auth, RequireUser, RequireUserWithStepsLeft};
use crate::components::cases::date_time;
use crate::components::feedback::{ErrorNote, FieldError};
use crate::components::forms::{NewPasswordField, Submit};
use crate::components::layout::PageHeading;
use crate::domain::account::AccountStep;
use crate::i18n::{t, td_string, tu_string, use_i18n};
use crate::model::{SecondFactorEnrolment, SecondFactorStatus, SessionSummary};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let auth = use_auth();
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, nav.your_account)/>
        <RequireUser>
            <h1>{t!(i18n, nav.your_account)}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    auth.user.await.ok().flatten().map(|user| view! {
                        <section class="card" aria-labelledby="details-heading">
                            <h2 id="details-heading">{t!(i18n, account.details)}</h2>
                            <dl class="facts">
                                <dt>{t!(i18n, account.name)}</dt><dd><bdi>{user.name}</bdi></dd>
                                <dt>{t!(i18n, auth.email)}</dt><dd><bdi>{user.email}</bdi></dd>
                                <dt>{t!(i18n, nav.account)}</dt><dd>{crate::lang::labels::role(crate::lang::current(), user.role)}</dd>
                            </dl>
                        </section>
                    })
                })}
            </Transition>
            <section class="card" aria-labelledby="security-heading">
                <h2 id="security-heading">{t!(i18n, account.signing_in)}</h2>
                <ul class="link-list">
                    <li><a href="/account/profile">{t!(i18n, account.profile)}</a><div class="muted">{t!(i18n, account.profile_detail)}</div></li>
                    <li><a href="/account/password">{t!(i18n, account.change_password)}</a></li>
                    <li><a href="/account/two-factor">{t!(i18n, account.two_factor)}</a></li>
                    <li><a href="/account/sessions">{t!(i18n, account.sessions)}</a><div class="muted">{t!(i18n, account.sessions_detail)}</div></li>
                </ul>
            </section>
        </RequireUser>
    }
}

/// Changing the password, with the current one. Also where a staff account created by an admin
/// is sent at first sign-in to choose its own.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let auth = use_auth();
    let change = auth.change_password;
    let result = change.value();
    let first_step = move || {
        auth.user
            .get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|u| u.next_step == Some(AccountStep::ChoosePassword))
    };
    let done = move || matches!(result.get(), Some(Ok(())));
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, account.change_password)/>
        <RequireUserWithStepsLeft>
            <section class="card narrow">
                <h1>{t!(i18n, account.change_password)}</h1>
                <Show when=done fallback=move || view! {
                    {move || first_step().then(|| view! {
                        <p class="notice" role="note" data-testid="choose-password">
                            {t!(i18n, account.choose_own_password)}
                        </p>
                    })}
                    <ActionForm action=change attr:class="form">
                        <label for="current_password">{t!(i18n, account.current_password)}</label>
                        <input id="current_password" name="current_password" type="password"
                            autocomplete="current-password" required/>
                        <FieldError result field="current_password"/>
                        <NewPasswordField result name="new_password" label=tu_string!(i18n, auth.new_password)
                            then=tu_string!(i18n, account.others_signed_out)/>
                        <Submit result label=tu_string!(i18n, account.change_password_button) disabled=change.pending()/>
                    </ActionForm>
                }>
                    <PasswordChanged/>
                </Show>
            </section>
        </RequireUserWithStepsLeft>
    }
}

/// After a change: the account's home once the user is known to have no step left.
#[component]
fn PasswordChanged() -> impl IntoView {
    let auth = use_auth();
    let i18n = use_i18n();
    view! {
        <div role="status" data-testid="password-changed">
            <h2>{t!(i18n, auth.password_changed)}</h2>
            <p>{t!(i18n, account.others_were_signed_out)}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    auth.user.await.ok().flatten().map(|user| {
                        let home = user.role.home_path();
                        view! { <p><a href=home>{t!(i18n, account.go_on)}</a></p> }
                    })
                })}
            </Transition>
        </div>
    }
}

/// "Your sessions": every device signed in to the account, with "sign out" for each other one
/// and "sign out everywhere" (this device included) for all.
#[component]
pub fn SessionsPage() -> impl IntoView {
    let auth = use_auth();
    let end = ServerAction::<EndSession>::new();
    let sessions = Resource::new(move || end.version().get(), |_| load_sessions());
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, account.sessions)/>
        <RequireUserWithStepsLeft>
            <PageHeading title=tu_string!(i18n, account.sessions)>
                <ActionForm action=auth.end_all_sessions attr:class="inline-form">
                    <button type="submit" class="button button-quiet">{t!(i18n, account.sign_out_everywhere)}</button>
                </ActionForm>
            </PageHeading>
            <p>{t!(i18n, account.sessions_intro)}</p>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, app.loading)}</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) => view! { <SessionList list end/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
        </RequireUserWithStepsLeft>
    }
}

#[component]
fn SessionList(list: Vec<SessionSummary>, end: ServerAction<EndSession>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <ul class="sessions" data-testid="sessions">
            {list.into_iter().map(|s| view! {
                <li class="card session">
                    <p class="session-device">
                        <bdi><strong>{s.device}</strong></bdi>
                        {s.current.then(|| view! { <span class="badge" data-testid="this-device">{t!(i18n, account.this_device)}</span> })}
                    </p>
                    <dl class="facts">
                        <dt>{t!(i18n, account.signed_in_at)}</dt><dd>{date_time(s.started_at)}</dd>
                        <dt>{t!(i18n, account.last_used)}</dt><dd>{date_time(s.last_used_at)}</dd>
                        <dt>{t!(i18n, account.address)}</dt><dd><bdi>{if s.ip.is_empty() { td_string!(locale, account.unknown).to_owned() } else { s.ip }}</bdi></dd>
                    </dl>
                    {(!s.current).then(|| view! {
                        <ActionForm action=end attr:class="inline-form">
                            <input type="hidden" name="session_id" value=s.id/>
                            <button type="submit" class="button button-quiet">{t!(i18n, account.sign_out_session)}</button>
                        </ActionForm>
                    })}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// Two-factor sign-in: set it up (scan or type the secret, confirm one code, keep the recovery
/// codes), see that it is on, and (patients only) turn it off.
#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let auth = use_auth();
    let turn_off = ServerAction::<TurnOffSecondFactor>::new();
    let status = Resource::new(
        move || {
            (
                auth.confirm_second_factor.version().get(),
                turn_off.version().get(),
            )
        },
        |_| load_second_factor(),
    );
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, account.two_factor)/>
        <RequireUserWithStepsLeft>
            <section class="card narrow" data-testid="two-factor">
                <h1>{t!(i18n, account.two_factor)}</h1>
                <Transition fallback=move || view! { <p class="loading">{t!(i18n, app.loading)}</p> }>
                    {move || Suspend::new(async move {
                        match status.await {
                            Ok(status) if status.enrolled => view! { <SecondFactorOn status turn_off/> }.into_any(),
                            Ok(status) => view! { <SecondFactorSetup status/> }.into_any(),
                            Err(error) => view! { <ErrorNote error/> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </RequireUserWithStepsLeft>
    }
}

#[component]
fn SecondFactorOn(status: SecondFactorStatus, turn_off: ServerAction<TurnOffSecondFactor>) -> impl IntoView {
    let auth = use_auth();
    let codes = auth.confirm_second_factor.value();
    let fresh_codes = move || codes.get().and_then(Result::ok).filter(|c| !c.is_empty());
    let result = turn_off.value();
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <p role="status" data-testid="two-factor-on">
            {t!(i18n, account.two_factor_on)}
        </p>
        {move || fresh_codes().map(|list| view! {
            <div class="notice" data-testid="recovery-codes">
                <h2>{t!(i18n, account.recovery_codes)}</h2>
                <p>{t!(i18n, account.recovery_codes_detail)}</p>
                <ul class="recovery-codes" dir="ltr">{list.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
            </div>
        })}
        <p class="hint">{td_string!(locale, account.codes_left, count = status.recovery_codes_left)}</p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                auth.user.await.ok().flatten().map(|user| view! { <p><a href=user.role.home_path()>{t!(i18n, account.go_on)}</a></p> })
            })}
        </Transition>
        {(!status.required).then(|| view! {
            <h2>{t!(i18n, account.turn_off)}</h2>
            <ActionForm action=turn_off attr:class="form">
                <label for="off_password">{t!(i18n, account.current_password)}</label>
                <input id="off_password" name="current_password" type="password" autocomplete="current-password" required/>
                <FieldError result field="current_password"/>
                <Submit result label=td_string!(locale, account.turn_off_button) class="button button-quiet" disabled=turn_off.pending()/>
            </ActionForm>
        })}
    }
}

#[component]
fn SecondFactorSetup(status: SecondFactorStatus) -> impl IntoView {
    let start = ServerAction::<StartSecondFactor>::new();
    let started = start.value();
    let i18n = use_i18n();
    view! {
        {if status.required {
            view! {
                <p class="notice" role="note" data-testid="two-factor-required">
                    {t!(i18n, account.two_factor_required)}
                </p>
            }.into_any()
        } else {
            view! {
                <p>{t!(i18n, account.two_factor_offer)}</p>
            }.into_any()
        }}
        {move || match started.get() {
            Some(Ok(enrolment)) => view! { <ConfirmSecondFactor enrolment/> }.into_any(),
            other => view! {
                <ActionForm action=start attr:class="form">
                    {other.and_then(Result::err).map(|error| view! { <ErrorNote error/> })}
                    <button type="submit" class="button" disabled=move || start.pending().get()>{t!(i18n, account.set_up)}</button>
                </ActionForm>
            }.into_any(),
        }}
    }
}

#[component]
fn ConfirmSecondFactor(enrolment: SecondFactorEnrolment) -> impl IntoView {
    let confirm = use_auth().confirm_second_factor;
    let result = confirm.value();
    let i18n = use_i18n();
    view! {
        <ol class="steps">
            <li>
                <p>{t!(i18n, account.scan)}</p>
                <img class="qr" src=enrolment.qr_data_url width="200" height="200"
                    alt=tu_string!(i18n, account.qr_alt)/>
                <p>{t!(i18n, account.or_type)}</p>
                <p><code class="secret" dir="ltr" data-testid="totp-secret">{enrolment.secret}</code></p>
            </li>
            <li>
                <ActionForm action=confirm attr:class="form">
                    <label for="code">{t!(i18n, account.code_now)}</label>
                    <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required maxlength="10"/>
                    <FieldError result field="code"/>
                    <Submit result label=tu_string!(i18n, account.turn_on_button) disabled=confirm.pending()/>
                </ActionForm>
            </li>
        </ol>
    }
}
