use crate::components::auth::use_auth;
use crate::components::feedback::{ActionError, FieldError};
use crate::domain::validate::PASSWORD_MIN_CHARS;
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
            <p class="hint">"New here? "<a href="/register">"Create a patient account"</a></p>
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
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="new-password"
                        required minlength=PASSWORD_MIN_CHARS.to_string() aria-describedby="password-hint"/>
                    <p class="hint" id="password-hint">{format!("At least {PASSWORD_MIN_CHARS} characters. A few words together work well.")}</p>
                    <FieldError result field="password"/>
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
    let token = RwSignal::new(String::new());
    Effect::new(move |_| {
        let hash = window().location().hash().unwrap_or_default();
        token.set(hash.trim_start_matches('#').to_owned());
    });
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
