use crate::api::auth::{RequestPasswordReset, ResetPassword};
use crate::components::auth::use_auth;
use crate::components::feedback::{ActionError, FieldError};
use crate::components::forms::{NewPasswordField, Submit};
use crate::domain::validate::RESET_LINK_MINUTES;
use crate::i18n::{t, tu_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = use_auth().login;
    let result = login.value();
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, nav.sign_in)/>
        <section class="card narrow">
            <h1>{t!(i18n, nav.sign_in)}</h1>
            <ActionForm action=login attr:class="form">
                <label for="email">{t!(i18n, auth.email)}</label>
                <input id="email" name="email" type="email" autocomplete="username" required/>
                <label for="password">{t!(i18n, auth.password)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
                <ActionError result/>
                <button type="submit" class="button" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { tu_string!(i18n, auth.signing_in) } else { tu_string!(i18n, nav.sign_in) }}
                </button>
            </ActionForm>
            <p class="hint"><a href="/forgot-password">{t!(i18n, auth.forgot_link)}</a></p>
            <p class="hint">{t!(i18n, auth.new_here)}<a href="/register">{t!(i18n, auth.create_patient_account)}</a></p>
        </section>
    }
}

/// The second step of signing in, for accounts with two-factor sign-in.
#[component]
pub fn SignInCodePage() -> impl IntoView {
    let verify = use_auth().verify_code;
    let result = verify.value();
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, auth.code_title)/>
        <section class="card narrow">
            <h1>{t!(i18n, auth.code_title)}</h1>
            <p>{t!(i18n, auth.code_intro)}</p>
            <ActionForm action=verify attr:class="form">
                <label for="code">{t!(i18n, auth.code)}</label>
                <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                    required maxlength="20" aria-describedby="code-hint"/>
                <p class="hint" id="code-hint">{t!(i18n, auth.code_hint)}</p>
                <FieldError result field="code"/>
                <Submit result label=tu_string!(i18n, nav.sign_in) disabled=verify.pending()/>
            </ActionForm>
            <p class="hint"><a href="/login">{t!(i18n, auth.start_again)}</a></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let register = use_auth().register;
    let result = register.value();
    let sent = move || matches!(result.get(), Some(Ok(())));
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, auth.register_title)/>
        <section class="card narrow">
            <h1>{t!(i18n, auth.create_patient_account)}</h1>
            <Show when=sent fallback=move || view! {
                <ActionForm action=register attr:class="form">
                    <label for="name">{t!(i18n, auth.full_name)}</label>
                    <input id="name" name="name" type="text" autocomplete="name" required maxlength="120"/>
                    <FieldError result field="name"/>
                    <label for="email">{t!(i18n, auth.email)}</label>
                    <input id="email" name="email" type="email" autocomplete="email" required/>
                    <FieldError result field="email"/>
                    <NewPasswordField result name="password" label=tu_string!(i18n, auth.password) then=tu_string!(i18n, auth.password_hint)/>
                    <ActionError result/>
                    <button type="submit" class="button" disabled=move || register.pending().get()>{t!(i18n, auth.create_account)}</button>
                </ActionForm>
            }>
                <div role="status" data-testid="check-email">
                    <h2>{t!(i18n, auth.check_email)}</h2>
                    <p>{t!(i18n, auth.register_sent)}</p>
                    <p class="hint">{t!(i18n, auth.register_sent_hint)}</p>
                </div>
            </Show>
            <p class="hint">{t!(i18n, auth.already_registered)}<a href="/login">{t!(i18n, nav.sign_in)}</a></p>
        </section>
    }
}

/// Where the registration email's link leads. The token is in the link's fragment, which the
/// browser keeps to itself; once the page is interactive it is read from there and posted.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let verify = use_auth().verify_email;
    let result = verify.value();
    let token = fragment_token();
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, auth.confirm_title)/>
        <section class="card narrow">
            <h1>{t!(i18n, auth.confirm_heading)}</h1>
            <p>{t!(i18n, auth.confirm_intro)}</p>
            <ActionForm action=verify attr:class="form">
                <input type="hidden" name="token" prop:value=move || token.get()/>
                <FieldError result field="token"/>
                <ActionError result/>
                <button type="submit" class="button"
                    disabled=move || verify.pending().get() || token.get().is_empty()>
                    {t!(i18n, auth.confirm_button)}
                </button>
            </ActionForm>
        </section>
    }
}

/// "Forgot your password?": asks for the address and answers the same whatever it is.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let ask = ServerAction::<RequestPasswordReset>::new();
    let result = ask.value();
    let sent = move || matches!(result.get(), Some(Ok(())));
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, auth.forgot_link)/>
        <section class="card narrow">
            <h1>{t!(i18n, auth.forgot_link)}</h1>
            <Show when=sent fallback=move || view! {
                <p>{t!(i18n, auth.forgot_intro)}</p>
                <ActionForm action=ask attr:class="form">
                    <label for="email">{t!(i18n, auth.email)}</label>
                    <input id="email" name="email" type="email" autocomplete="username" required/>
                    <FieldError result field="email"/>
                    <Submit result label=tu_string!(i18n, auth.send_link) disabled=ask.pending()/>
                </ActionForm>
            }>
                <div role="status" data-testid="check-email">
                    <h2>{t!(i18n, auth.check_email)}</h2>
                    <p>{t!(i18n, auth.forgot_sent)}</p>
                    <p class="hint">{t!(i18n, auth.reset_link_valid, count = || RESET_LINK_MINUTES)}</p>
                </div>
            </Show>
            <p class="hint"><a href="/login">{t!(i18n, auth.back_to_sign_in)}</a></p>
        </section>
    }
}

/// Where the reset email's link leads. As on the confirmation page, the token is in the link's
/// fragment, read once the page is interactive and posted with the new password.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let reset = ServerAction::<ResetPassword>::new();
    let result = reset.value();
    let done = move || matches!(result.get(), Some(Ok(())));
    let token = fragment_token();
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, auth.reset_title)/>
        <section class="card narrow">
            <h1>{t!(i18n, auth.reset_title)}</h1>
            <Show when=done fallback=move || view! {
                <ActionForm action=reset attr:class="form">
                    <input type="hidden" name="token" prop:value=move || token.get()/>
                    <NewPasswordField result name="password" label=tu_string!(i18n, auth.new_password)
                        then=tu_string!(i18n, auth.reset_signs_out)/>
                    <FieldError result field="token"/>
                    <Submit result label=tu_string!(i18n, auth.set_password)
                        disabled=Signal::derive(move || reset.pending().get() || token.get().is_empty())/>
                </ActionForm>
            }>
                <div role="status" data-testid="password-changed">
                    <h2>{t!(i18n, auth.password_changed)}</h2>
                    <p><a href="/login">{t!(i18n, auth.sign_in_new_password)}</a></p>
                </div>
            </Show>
        </section>
    }
}

/// The token of an emailed link, from the page's fragment (after `#`), which the browser never
/// sends to the server; empty until the page is interactive.
pub(crate) fn fragment_token() -> RwSignal<String> {
    let token = RwSignal::new(String::new());
    Effect::new(move |_| {
        let hash = window().location().hash().unwrap_or_default();
        token.set(hash.trim_start_matches('#').to_owned());
    });
    token
}
