use crate::api::accounts::{list_accounts, CreateStaff, ResetSecondFactor, SetAccountActive};
use crate::components::auth::{use_auth, RolePage};
use crate::components::feedback::{ActionError, FieldError, Loaded};
use crate::domain::validate::PASSWORD_MIN_CHARS;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{t, td_string, tu_string, use_i18n};
use crate::model::UserSummary;
use leptos::prelude::*;

/// What an admin does to an existing account from the list.
#[derive(Clone, Copy)]
struct RowActions {
    toggle: ServerAction<SetAccountActive>,
    reset: ServerAction<ResetSecondFactor>,
}

/// Staff accounts: create clinicians and admins, deactivate and reactivate anyone, reset a lost
/// second factor.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let create = ServerAction::<CreateStaff>::new();
    let actions = RowActions {
        toggle: ServerAction::new(),
        reset: ServerAction::new(),
    };
    let accounts = Resource::new(
        move || {
            (
                create.version().get(),
                actions.toggle.version().get(),
                actions.reset.version().get(),
            )
        },
        |_| list_accounts(),
    );
    let i18n = use_i18n();
    view! {
        <RolePage title=tu_string!(i18n, nav.accounts) role=Role::Admin><Accounts accounts create actions/></RolePage>
    }
}

#[component]
fn Accounts(
    accounts: Resource<Result<Vec<UserSummary>, AppError>>,
    create: ServerAction<CreateStaff>,
    actions: RowActions,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, nav.accounts)}</h1>
        <div class="columns">
            <section aria-labelledby="list-title">
                <h2 id="list-title">{t!(i18n, admin.accounts_everyone)}</h2>
                <ActionError result=actions.toggle.value()/>
                <ActionError result=actions.reset.value()/>
                <Loaded resource=accounts loading=tu_string!(i18n, admin.accounts_loading) ready=move |list| view! { <AccountTable list actions/> }/>
            </section>
            <CreateStaffForm create/>
        </div>
    }
}

#[component]
fn AccountTable(list: Vec<UserSummary>, actions: RowActions) -> impl IntoView {
    // Admins cannot lock themselves out; the server refuses it too.
    let me = use_auth()
        .user
        .get_untracked()
        .and_then(|r| r.ok())
        .flatten()
        .map(|u| u.id);
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let (c_name, c_email, c_role, c_status) = (
        td_string!(locale, account.name),
        td_string!(locale, auth.email),
        td_string!(locale, admin.role),
        td_string!(locale, cases.col_status),
    );
    view! {
        <table class="table stack accounts-table">
            <thead>
                <tr>
                    <th scope="col">{c_name}</th>
                    <th scope="col">{c_email}</th>
                    <th scope="col">{c_role}</th>
                    <th scope="col">{c_status}</th>
                    <th scope="col"><span class="visually-hidden">{t!(i18n, admin.accounts_actions)}</span></th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|u| {
                    let name = match &u.title { Some(t) => format!("{t} {}", u.name), None => u.name.clone() };
                    let (label, next) = if u.active {
                        (td_string!(locale, admin.deactivate), "false")
                    } else {
                        (td_string!(locale, admin.accounts_reactivate), "true")
                    };
                    let is_me = me.as_ref().is_some_and(|me| *me == u.id.as_str());
                    view! {
                        <tr>
                            <td data-label=c_name>
                                <a href=format!("/admin/accounts/{}", u.id)><bdi>{name}</bdi></a>
                                {u.specialties.map(|s| view! { <div class="muted"><bdi>{s}</bdi></div> })}
                            </td>
                            <td data-label=c_email><bdi>{u.email}</bdi></td>
                            <td data-label=c_role>{crate::lang::labels::role(locale, u.role)}</td>
                            <td data-label=c_status>
                                {if u.active { td_string!(locale, admin.accounts_active) } else { td_string!(locale, admin.accounts_deactivated) }}
                                {u.second_factor.then(|| view! { <div class="muted">{td_string!(locale, admin.accounts_two_factor_on)}</div> })}
                            </td>
                            <td data-label="">
                                {(!is_me).then(|| { let id = u.id.clone(); view! {
                                    <ActionForm action=actions.toggle attr:class="inline-form">
                                        <input type="hidden" name="user_id" value=id/>
                                        <input type="hidden" name="active" value=next/>
                                        <button type="submit" class="button button-quiet">{label}</button>
                                    </ActionForm>
                                }})}
                                {(!is_me && u.second_factor).then(|| view! {
                                    <ActionForm action=actions.reset attr:class="inline-form">
                                        <input type="hidden" name="user_id" value=u.id.clone()/>
                                        <button type="submit" class="button button-quiet">{td_string!(locale, admin.accounts_reset_two_factor)}</button>
                                    </ActionForm>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn CreateStaffForm(create: ServerAction<CreateStaff>) -> impl IntoView {
    let result = create.value();
    let role = RwSignal::new("clinician".to_owned());
    let is_clinician = move || role.get() == "clinician";
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="create-title">
            <h2 id="create-title">{t!(i18n, admin.accounts_add_staff)}</h2>
            <ActionForm action=create attr:class="form">
                <label for="role">{t!(i18n, admin.role)}</label>
                <select id="role" name="role" on:change=move |ev| role.set(event_target_value(&ev))>
                    <option value="clinician">{t!(i18n, role.clinician)}</option>
                    <option value="admin">{t!(i18n, role.admin)}</option>
                </select>
                <label for="staff-name">{t!(i18n, auth.full_name)}</label>
                <input id="staff-name" name="name" required maxlength="120"/>
                <FieldError result field="name"/>
                <label for="staff-email">{t!(i18n, admin.accounts_sign_in_email)}</label>
                <input id="staff-email" name="email" type="email" required/>
                <FieldError result field="email"/>
                <label for="staff-password">{t!(i18n, admin.accounts_initial_password)}</label>
                <input id="staff-password" name="password" type="password" autocomplete="new-password"
                    required minlength=PASSWORD_MIN_CHARS.to_string()/>
                <FieldError result field="password"/>
                <fieldset class="fieldset" disabled=move || !is_clinician()>
                    <legend>{t!(i18n, admin.accounts_profile_for_patients)}</legend>
                    <label for="title">{t!(i18n, admin.accounts_title)}</label>
                    <input id="title" name="title" placeholder=tu_string!(i18n, admin.accounts_title_placeholder) maxlength="80"/>
                    <FieldError result field="title"/>
                    <label for="specialties">{t!(i18n, admin.accounts_specialties)}</label>
                    <input id="specialties" name="specialties" placeholder=tu_string!(i18n, admin.accounts_specialties_placeholder) maxlength="200"/>
                    <FieldError result field="specialties"/>
                    <label for="contact_email">{t!(i18n, admin.accounts_contact_email)}</label>
                    <input id="contact_email" name="contact_email" type="email"/>
                    <FieldError result field="contact_email"/>
                    <label for="contact_phone">{t!(i18n, admin.accounts_contact_phone)}</label>
                    <input id="contact_phone" name="contact_phone" type="tel" maxlength="40"/>
                    <FieldError result field="contact_phone"/>
                </fieldset>
                <ActionError result/>
                {move || matches!(result.get(), Some(Ok(_))).then(|| view! { <p class="success" role="status">{t!(i18n, admin.accounts_created)}</p> })}
                <button type="submit" class="button">{t!(i18n, auth.create_account)}</button>
            </ActionForm>
        </section>
    }
}
