//! Profiles: the signed-in person's own (with the change of sign-in email), and any account's
//! for an admin. The server decides which fields each may change; the form shows those as
//! inputs and the rest as text.

use crate::api::me::{load_profile, ConfirmEmailChange, RequestEmailChange, SaveProfile};
use crate::components::auth::{RequireUser, RolePage};
use crate::components::feedback::{FieldError, Loaded};
use crate::components::forms::Submit;
use crate::domain::account::ProfileField;
use crate::domain::Role;
use crate::model::Profile;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// "Your profile": what others see of you, and your sign-in email.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let save = ServerAction::<SaveProfile>::new();
    let profile = Resource::new(move || save.version().get(), |_| load_profile(String::new()));
    view! {
        <Title text="Your profile"/>
        <RequireUser>
            <h1>"Your profile"</h1>
            <div class="columns profile-columns">
                <Loaded resource=profile loading="Loading your profile…" ready=move |p| view! { <ProfileEditor profile=p save/> }/>
                <EmailChange/>
            </div>
        </RequireUser>
    }
}

/// An admin edits any account's profile.
#[component]
pub fn AdminProfilePage() -> impl IntoView {
    let params = use_params_map();
    let save = ServerAction::<SaveProfile>::new();
    let profile = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), save.version().get()),
        |(id, _)| load_profile(id),
    );
    view! {
        <RolePage title="Edit profile" role=Role::Admin>
            <h1>"Edit profile"</h1>
            <p><a href="/admin/accounts">"Back to accounts"</a></p>
            <Loaded resource=profile loading="Loading the profile…" ready=move |p| view! { <ProfileEditor profile=p save/> }/>
        </RolePage>
    }
}

#[component]
fn ProfileEditor(profile: Profile, save: ServerAction<SaveProfile>) -> impl IntoView {
    let result = save.value();
    let saved = move || matches!(result.get(), Some(Ok(())));
    let editable = profile.editable.clone();
    let field =
        move |f: ProfileField, id: &'static str, label: &'static str, value: String, kind: &'static str| {
            if editable.contains(&f) {
                view! {
                    <label for=id>{label}</label>
                    <input id=id name=id type=kind value=value/>
                    <FieldError result field=id/>
                }
                .into_any()
            } else {
                // Sent unchanged; the server keeps the stored value regardless.
                view! { <input type="hidden" name=id value=value/> }.into_any()
            }
        };
    let clinician = profile.role == Role::Clinician;
    let read_only_specialties = clinician && !profile.editable.contains(&ProfileField::Specialties);
    view! {
        <section class="card" aria-labelledby="profile-heading" data-testid="profile">
            <h2 id="profile-heading">{format!("{} · {}", profile.email, profile.role.label())}</h2>
            <ActionForm action=save attr:class="form">
                <input type="hidden" name="user_id" value=profile.user_id.to_string()/>
                {field(ProfileField::Name, "name", "Name (as others see it)", profile.name.clone(), "text")}
                {(profile.role == Role::Patient).then(|| field(ProfileField::Phone, "phone", "Phone (optional)", profile.phone.clone(), "tel"))}
                {clinician.then(|| view! {
                    {field(ProfileField::Title, "title", "Title", profile.title.clone(), "text")}
                    {field(ProfileField::Specialties, "specialties", "Specialties", profile.specialties.clone(), "text")}
                    {field(ProfileField::ContactEmail, "contact_email", "Contact email (shown to your patients)", profile.contact_email.clone(), "email")}
                    {field(ProfileField::ContactPhone, "contact_phone", "Contact phone (shown to your patients)", profile.contact_phone.clone(), "tel")}
                })}
                {read_only_specialties.then(|| view! {
                    <p class="hint">{format!("Specialties: {}. The service keeps these; ask an administrator to change them.", profile.specialties)}</p>
                })}
                <Submit result label="Save profile" disabled=save.pending()/>
                {move || saved().then(|| view! { <p role="status" data-testid="profile-saved">"Saved."</p> })}
            </ActionForm>
        </section>
    }
}

/// Changing the sign-in email: the new address gets a link; nothing changes until it is opened.
#[component]
fn EmailChange() -> impl IntoView {
    let ask = ServerAction::<RequestEmailChange>::new();
    let result = ask.value();
    let sent = move || matches!(result.get(), Some(Ok(())));
    view! {
        <section class="card" aria-labelledby="email-heading">
            <h2 id="email-heading">"Sign-in email"</h2>
            <Show when=sent fallback=move || view! {
                <ActionForm action=ask attr:class="form">
                    <label for="new_email">"New sign-in email"</label>
                    <input id="new_email" name="new_email" type="email" autocomplete="email" required/>
                    <FieldError result field="new_email"/>
                    <label for="email_password">"Current password"</label>
                    <input id="email_password" name="current_password" type="password" autocomplete="current-password" required/>
                    <FieldError result field="current_password"/>
                    <Submit result label="Send a confirmation link" disabled=ask.pending()/>
                </ActionForm>
            }>
                <p role="status" data-testid="check-email">"Check the new address: open the link in the message we sent to it. Until then you sign in with your current email."</p>
            </Show>
        </section>
    }
}

/// Where the link sent to a new sign-in email leads. The token is in the fragment, as on the
/// other emailed links.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let confirm = ServerAction::<ConfirmEmailChange>::new();
    let result = confirm.value();
    let done = move || matches!(result.get(), Some(Ok(())));
    let token = super::auth::fragment_token();
    view! {
        <Title text="Confirm your new email"/>
        <section class="card narrow">
            <h1>"Confirm your new sign-in email"</h1>
            <Show when=done fallback=move || view! {
                <ActionForm action=confirm attr:class="form">
                    <input type="hidden" name="token" prop:value=move || token.get()/>
                    <FieldError result field="token"/>
                    <Submit result label="Use this address to sign in"
                        disabled=Signal::derive(move || confirm.pending().get() || token.get().is_empty())/>
                </ActionForm>
            }>
                <p role="status" data-testid="email-changed">"Done: sign in with this address from now on."</p>
            </Show>
        </section>
    }
}
