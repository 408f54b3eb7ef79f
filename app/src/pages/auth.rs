use crate::api::auth::{RequestPasswordReset, ResetPassword};
use crate::components::auth::use_auth;
use crate::components::feedback::{ActionError, FieldError};
use crate::components::forms::{NewPasswordField, Submit};
use crate::domain::validate::RESET_LINK_MINUTES;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = use_auth().login;
    let result = login.value();
    view! {
        <Title text="Sign in"/>
        <section class="card narrow">
            <h1>"Sign in"</h1>
            <ActionForm action=login attr:class="form">
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="username" required/>
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
                <ActionError result/>
                <button type="submit" class="button" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
            <p class="hint"><a href="/forgot-password">"Forgot your password?"</a></p>
            <p class="hint">"New here? "<a href="/register">"Create a patient account"</a></p>
        </section>
    }
}

/// The second step of signing in, for accounts with two-factor sign-in.
#[component]
pub fn SignInCodePage() -> impl IntoView {
    let verify = use_auth().verify_code;
    let result = verify.value();
    view! {
        <Title text="Enter your code"/>
        <section class="card narrow">
            <h1>"Enter your code"</h1>
            <p>"Open your authenticator app and enter the six-digit code it shows for Consilium."</p>
            <ActionForm action=verify attr:class="form">
                <label for="code">"Code"</label>
                <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                    required maxlength="20" aria-describedby="code-hint"/>
                <p class="hint" id="code-hint">"Lost your phone? Enter one of your recovery codes instead."</p>
                <FieldError result field="code"/>
                <Submit result label="Sign in" disabled=verify.pending()/>
            </ActionForm>
            <p class="hint"><a href="/login">"Start again"</a></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let register = use_auth().register;
    let result = register.value();
    let sent = move || matches!(result.get(), Some(Ok(())));
    view! {
        <Title text="Create an account"/>
        <section class="card narrow">
            <h1>"Create a patient account"</h1>
            <Show when=sent fallback=move || view! {
                <ActionForm action=register attr:class="form">
                    <label for="name">"Full name"</label>
                    <input id="name" name="name" type="text" autocomplete="name" required maxlength="120"/>
                    <FieldError result field="name"/>
                    <label for="email">"Email"</label>
                    <input id="email" name="email" type="email" autocomplete="email" required/>
                    <FieldError result field="email"/>
                    <NewPasswordField result name="password" label="Password" then="A few words together work well."/>
                    <ActionError result/>
                    <button type="submit" class="button" disabled=move || register.pending().get()>"Create account"</button>
                </ActionForm>
            }>
                <div role="status" data-testid="check-email">
                    <h2>"Check your email"</h2>
                    <p>"We have sent a message to the address you gave. Open the link in it to confirm the address and sign in."</p>
                    <p class="hint">"The link works once, for 24 hours. Nothing arrived? Check your spam folder, or register again with the same address for a new link."</p>
                </div>
            </Show>
            <p class="hint">"Already registered? "<a href="/login">"Sign in"</a></p>
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
    view! {
        <Title text="Confirm your email"/>
        <section class="card narrow">
            <h1>"Confirm your email address"</h1>
            <p>"One step left: confirm that this address is yours, and you are signed in."</p>
            <ActionForm action=verify attr:class="form">
                <input type="hidden" name="token" prop:value=move || token.get()/>
                <FieldError result field="token"/>
                <ActionError result/>
                <button type="submit" class="button"
                    disabled=move || verify.pending().get() || token.get().is_empty()>
                    "Confirm and sign in"
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
    view! {
        <Title text="Forgot your password?"/>
        <section class="card narrow">
            <h1>"Forgot your password?"</h1>
            <Show when=sent fallback=move || view! {
                <p>"Enter the email address of your account. We will send you a link to choose a new password."</p>
                <ActionForm action=ask attr:class="form">
                    <label for="email">"Email"</label>
                    <input id="email" name="email" type="email" autocomplete="username" required/>
                    <FieldError result field="email"/>
                    <Submit result label="Send the link" disabled=ask.pending()/>
                </ActionForm>
            }>
                <div role="status" data-testid="check-email">
                    <h2>"Check your email"</h2>
                    <p>"If an account uses that address, a message with a link is on its way. Open it to choose a new password."</p>
                    <p class="hint">{format!("The link works once, for {RESET_LINK_MINUTES} minutes.")}</p>
                </div>
            </Show>
            <p class="hint"><a href="/login">"Back to sign in"</a></p>
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
    view! {
        <Title text="Choose a new password"/>
        <section class="card narrow">
            <h1>"Choose a new password"</h1>
            <Show when=done fallback=move || view! {
                <ActionForm action=reset attr:class="form">
                    <input type="hidden" name="token" prop:value=move || token.get()/>
                    <NewPasswordField result name="password" label="New password"
                        then="Every device signed in to your account is signed out."/>
                    <FieldError result field="token"/>
                    <Submit result label="Set the new password"
                        disabled=Signal::derive(move || reset.pending().get() || token.get().is_empty())/>
                </ActionForm>
            }>
                <div role="status" data-testid="password-changed">
                    <h2>"Your password is changed"</h2>
                    <p><a href="/login">"Sign in with your new password"</a></p>
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
