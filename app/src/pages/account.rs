//! "Your account": the signed-in person's details, their password, and where they are signed in.

use crate::api::me::{load_second_factor, load_sessions, EndSession, StartSecondFactor, TurnOffSecondFactor};
use crate::components::auth::{use_auth, RequireUser, RequireUserWithStepsLeft};
use crate::components::cases::date_time;
use crate::components::feedback::{ErrorNote, FieldError};
use crate::components::forms::{NewPasswordField, Submit};
use crate::components::layout::PageHeading;
use crate::domain::account::AccountStep;
use crate::model::{SecondFactorEnrolment, SecondFactorStatus, SessionSummary};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let auth = use_auth();
    view! {
        <Title text="Your account"/>
        <RequireUser>
            <h1>"Your account"</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    auth.user.await.ok().flatten().map(|user| view! {
                        <section class="card" aria-labelledby="details-heading">
                            <h2 id="details-heading">"Details"</h2>
                            <dl class="facts">
                                <dt>"Name"</dt><dd>{user.name}</dd>
                                <dt>"Email"</dt><dd>{user.email}</dd>
                                <dt>"Account"</dt><dd>{user.role.label()}</dd>
                            </dl>
                        </section>
                    })
                })}
            </Transition>
            <section class="card" aria-labelledby="security-heading">
                <h2 id="security-heading">"Signing in"</h2>
                <ul class="link-list">
                    <li><a href="/account/profile">"Your profile"</a><div class="muted">"Your name, contact details and sign-in email"</div></li>
                    <li><a href="/account/password">"Change your password"</a></li>
                    <li><a href="/account/two-factor">"Two-factor sign-in"</a></li>
                    <li><a href="/account/sessions">"Your sessions"</a><div class="muted">"Where you are signed in"</div></li>
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
    view! {
        <Title text="Change your password"/>
        <RequireUserWithStepsLeft>
            <section class="card narrow">
                <h1>"Change your password"</h1>
                <Show when=done fallback=move || view! {
                    {move || first_step().then(|| view! {
                        <p class="notice" role="note" data-testid="choose-password">
                            "Your account was created with a password chosen for you. Choose your own before you go on."
                        </p>
                    })}
                    <ActionForm action=change attr:class="form">
                        <label for="current_password">"Current password"</label>
                        <input id="current_password" name="current_password" type="password"
                            autocomplete="current-password" required/>
                        <FieldError result field="current_password"/>
                        <NewPasswordField result name="new_password" label="New password"
                            then="Your other devices are signed out; this one stays signed in."/>
                        <Submit result label="Change password" disabled=change.pending()/>
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
    view! {
        <div role="status" data-testid="password-changed">
            <h2>"Your password is changed"</h2>
            <p>"Every other device that was signed in to your account has been signed out."</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    auth.user.await.ok().flatten().map(|user| {
                        let home = user.role.home_path();
                        view! { <p><a href=home>"Continue"</a></p> }
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
    view! {
        <Title text="Your sessions"/>
        <RequireUserWithStepsLeft>
            <PageHeading title="Your sessions">
                <ActionForm action=auth.end_all_sessions attr:class="inline-form">
                    <button type="submit" class="button button-quiet">"Sign out everywhere"</button>
                </ActionForm>
            </PageHeading>
            <p>"Where your account is signed in now. Sign out any session you do not recognise, then change your password."</p>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
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
    view! {
        <ul class="sessions" data-testid="sessions">
            {list.into_iter().map(|s| view! {
                <li class="card session">
                    <p class="session-device">
                        <strong>{s.device}</strong>
                        {s.current.then(|| view! { <span class="badge" data-testid="this-device">"This device"</span> })}
                    </p>
                    <dl class="facts">
                        <dt>"Signed in"</dt><dd>{date_time(s.started_at)}</dd>
                        <dt>"Last used"</dt><dd>{date_time(s.last_used_at)}</dd>
                        <dt>"Address"</dt><dd>{if s.ip.is_empty() { "Unknown".to_owned() } else { s.ip }}</dd>
                    </dl>
                    {(!s.current).then(|| view! {
                        <ActionForm action=end attr:class="inline-form">
                            <input type="hidden" name="session_id" value=s.id/>
                            <button type="submit" class="button button-quiet">"Sign out this session"</button>
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
    view! {
        <Title text="Two-factor sign-in"/>
        <RequireUserWithStepsLeft>
            <section class="card narrow" data-testid="two-factor">
                <h1>"Two-factor sign-in"</h1>
                <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
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
    view! {
        <p role="status" data-testid="two-factor-on">
            "Two-factor sign-in is on: signing in takes your password and a code from your authenticator app."
        </p>
        {move || fresh_codes().map(|list| view! {
            <div class="notice" data-testid="recovery-codes">
                <h2>"Your recovery codes"</h2>
                <p>"Keep these somewhere safe, away from your phone. Each one signs you in once if you lose the app. They are shown only now."</p>
                <ul class="recovery-codes">{list.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
            </div>
        })}
        <p class="hint">{format!("Recovery codes left: {}.", status.recovery_codes_left)}</p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                auth.user.await.ok().flatten().map(|user| view! { <p><a href=user.role.home_path()>"Continue"</a></p> })
            })}
        </Transition>
        {(!status.required).then(|| view! {
            <h2>"Turn it off"</h2>
            <ActionForm action=turn_off attr:class="form">
                <label for="off_password">"Current password"</label>
                <input id="off_password" name="current_password" type="password" autocomplete="current-password" required/>
                <FieldError result field="current_password"/>
                <Submit result label="Turn off two-factor sign-in" class="button button-quiet" disabled=turn_off.pending()/>
            </ActionForm>
        })}
    }
}

#[component]
fn SecondFactorSetup(status: SecondFactorStatus) -> impl IntoView {
    let start = ServerAction::<StartSecondFactor>::new();
    let started = start.value();
    view! {
        {if status.required {
            view! {
                <p class="notice" role="note" data-testid="two-factor-required">
                    "Staff accounts sign in with a code from an authenticator app as well as the password. Set it up to go on."
                </p>
            }.into_any()
        } else {
            view! {
                <p>"Protect your account with a code from an authenticator app (such as Google Authenticator, Microsoft Authenticator or 2FAS) each time you sign in."</p>
            }.into_any()
        }}
        {move || match started.get() {
            Some(Ok(enrolment)) => view! { <ConfirmSecondFactor enrolment/> }.into_any(),
            other => view! {
                <ActionForm action=start attr:class="form">
                    {other.and_then(Result::err).map(|error| view! { <ErrorNote error/> })}
                    <button type="submit" class="button" disabled=move || start.pending().get()>"Set up two-factor sign-in"</button>
                </ActionForm>
            }.into_any(),
        }}
    }
}

#[component]
fn ConfirmSecondFactor(enrolment: SecondFactorEnrolment) -> impl IntoView {
    let confirm = use_auth().confirm_second_factor;
    let result = confirm.value();
    view! {
        <ol class="steps">
            <li>
                <p>"Scan this code with your authenticator app:"</p>
                <img class="qr" src=enrolment.qr_data_url width="200" height="200"
                    alt="QR code of the secret below, for an authenticator app"/>
                <p>"Or type this secret into the app:"</p>
                <p><code class="secret" data-testid="totp-secret">{enrolment.secret}</code></p>
            </li>
            <li>
                <ActionForm action=confirm attr:class="form">
                    <label for="code">"The six-digit code the app shows now"</label>
                    <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required maxlength="10"/>
                    <FieldError result field="code"/>
                    <Submit result label="Turn on two-factor sign-in" disabled=confirm.pending()/>
                </ActionForm>
            </li>
        </ol>
    }
}
