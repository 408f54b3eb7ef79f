//! Profiles: the signed-in person's own (with the change of sign-in email), and any account's
//! for an admin. The server decides which fields each may change; the form shows those as
//! inputs and the rest as text.

use crate::api::me::{load_profile, ConfirmEmailChange, RequestEmailChange, SaveProfile};
use crate::components::auth::{RequireUser, RolePage};
use crate::components::feedback::{FieldError, Loaded};
use crate::components::forms::Submit;
use crate::domain::account::ProfileField;
use crate::domain::Role;
use crate::i18n::{t, td_string, tu_string, use_i18n};
use crate::lang;
use crate::model::Profile;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// "Your profile": what others see of you, and your sign-in email.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveProfile>::new();
    let profile = Resource::new(move || save.version().get(), |_| load_profile(String::new()));
    view! {
        <Title text=tu_string!(i18n, account.profile)/>
        <RequireUser>
            <h1>{t!(i18n, account.profile)}</h1>
            <div class="columns profile-columns">
                <Loaded resource=profile loading=tu_string!(i18n, profile.loading_own) ready=move |p| view! { <ProfileEditor profile=p save/> }/>
                <EmailChange/>
            </div>
        </RequireUser>
    }
}

/// An admin edits any account's profile.
#[component]
pub fn AdminProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let save = ServerAction::<SaveProfile>::new();
    let profile = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), save.version().get()),
        |(id, _)| load_profile(id),
    );
    view! {
        <RolePage title=tu_string!(i18n, profile.edit_title) role=Role::Admin>
            <h1>{t!(i18n, profile.edit_title)}</h1>
            <p><a href="/admin/accounts">{t!(i18n, profile.back_to_accounts)}</a></p>
            <Loaded resource=profile loading=tu_string!(i18n, profile.loading) ready=move |p| view! { <ProfileEditor profile=p save/> }/>
        </RolePage>
    }
}

#[component]
fn ProfileEditor(profile: Profile, save: ServerAction<SaveProfile>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
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
            <h2 id="profile-heading"><bdi>{profile.email.clone()}</bdi>" · "{lang::labels::role(locale, profile.role)}</h2>
            <ActionForm action=save attr:class="form">
                <input type="hidden" name="user_id" value=profile.user_id.to_string()/>
                {field(ProfileField::Name, "name", td_string!(locale, profile.name_label), profile.name.clone(), "text")}
                {(profile.role == Role::Patient).then(|| field(ProfileField::Phone, "phone", td_string!(locale, profile.phone_label), profile.phone.clone(), "tel"))}
                {clinician.then(|| view! {
                    {field(ProfileField::Title, "title", td_string!(locale, profile.title_label), profile.title.clone(), "text")}
                    {field(ProfileField::Specialties, "specialties", td_string!(locale, profile.specialties_label), profile.specialties.clone(), "text")}
                    {field(ProfileField::ContactEmail, "contact_email", td_string!(locale, profile.contact_email_label), profile.contact_email.clone(), "email")}
                    {field(ProfileField::ContactPhone, "contact_phone", td_string!(locale, profile.contact_phone_label), profile.contact_phone.clone(), "tel")}
                })}
                {read_only_specialties.then(|| view! {
                    <p class="hint">{t!(i18n, profile.specialties_fixed, <bdi> = <bdi/>, specialties = profile.specialties.clone())}</p>
                })}
                <Submit result label=tu_string!(i18n, profile.save) disabled=save.pending()/>
                {move || saved().then(|| view! { <p role="status" data-testid="profile-saved">{t!(i18n, profile.saved)}</p> })}
            </ActionForm>
        </section>
    }
}

/// Changing the sign-in email: the new address gets a link; nothing changes until it is opened.
#[component]
fn EmailChange() -> impl IntoView {
    let i18n = use_i18n();
    let ask = ServerAction::<RequestEmailChange>::new();
    let result = ask.value();
    let sent = move || matches!(result.get(), Some(Ok(())));
    view! {
        <section class="card" aria-labelledby="email-heading">
            <h2 id="email-heading">{t!(i18n, profile.sign_in_email)}</h2>
            <Show when=sent fallback=move || view! {
                <ActionForm action=ask attr:class="form">
                    <label for="new_email">{t!(i18n, profile.new_sign_in_email)}</label>
                    <input id="new_email" name="new_email" type="email" autocomplete="email" required/>
                    <FieldError result field="new_email"/>
                    <label for="email_password">{t!(i18n, account.current_password)}</label>
                    <input id="email_password" name="current_password" type="password" autocomplete="current-password" required/>
                    <FieldError result field="current_password"/>
                    <Submit result label=tu_string!(i18n, profile.send_confirmation) disabled=ask.pending()/>
                </ActionForm>
            }>
                <p role="status" data-testid="check-email">{t!(i18n, profile.check_new_address)}</p>
            </Show>
        </section>
    }
}

/// Where the link sent to a new sign-in email leads. The token is in the fragment, as on the
/// other emailed links.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let confirm = ServerAction::<ConfirmEmailChange>::new();
    let result = confirm.value();
    let done = move || matches!(result.get(), Some(Ok(())));
    let token = super::auth::fragment_token();
    view! {
        <Title text=tu_string!(i18n, profile.confirm_title)/>
        <section class="card narrow">
            <h1>{t!(i18n, profile.confirm_heading)}</h1>
            <Show when=done fallback=move || view! {
                <ActionForm action=confirm attr:class="form">
                    <input type="hidden" name="token" prop:value=move || token.get()/>
                    <FieldError result field="token"/>
                    <Submit result label=tu_string!(i18n, profile.use_address)
                        disabled=Signal::derive(move || confirm.pending().get() || token.get().is_empty())/>
                </ActionForm>
            }>
                <p role="status" data-testid="email-changed">{t!(i18n, profile.email_changed)}</p>
            </Show>
        </section>
    }
}
