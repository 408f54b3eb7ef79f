use crate::api::accounts::{list_accounts, CreateStaff, ResetSecondFactor, SetAccountActive};
use crate::components::auth::{use_auth, RolePage};
use crate::components::feedback::{ActionError, FieldError, Loaded};
use crate::domain::validate::PASSWORD_MIN_CHARS;
use crate::domain::Role;
use crate::error::AppError;
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
    view! {
        <RolePage title="Accounts" role=Role::Admin><Accounts accounts create actions/></RolePage>
    }
}

#[component]
fn Accounts(
    accounts: Resource<Result<Vec<UserSummary>, AppError>>,
    create: ServerAction<CreateStaff>,
    actions: RowActions,
) -> impl IntoView {
    view! {
        <h1>"Accounts"</h1>
        <div class="columns">
            <section aria-labelledby="list-title">
                <h2 id="list-title">"Everyone"</h2>
                <ActionError result=actions.toggle.value()/>
                <ActionError result=actions.reset.value()/>
                <Loaded resource=accounts loading="Loading accounts…" ready=move |list| view! { <AccountTable list actions/> }/>
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
    view! {
        <table class="table stack accounts-table">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|u| {
                    let name = match &u.title { Some(t) => format!("{t} {}", u.name), None => u.name.clone() };
                    let (label, next) = if u.active { ("Deactivate", "false") } else { ("Reactivate", "true") };
                    let is_me = me.as_ref().is_some_and(|me| *me == u.id.as_str());
                    view! {
                        <tr>
                            <td data-label="Name">
                                <a href=format!("/admin/accounts/{}", u.id)>{name}</a>
                                {u.specialties.map(|s| view! { <div class="muted">{s}</div> })}
                            </td>
                            <td data-label="Email">{u.email}</td>
                            <td data-label="Role">{u.role.label()}</td>
                            <td data-label="Status">
                                {if u.active { "Active" } else { "Deactivated" }}
                                {u.second_factor.then(|| view! { <div class="muted">"Two-factor on"</div> })}
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
                                        <button type="submit" class="button button-quiet">"Reset two-factor"</button>
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
    view! {
        <section class="card" aria-labelledby="create-title">
            <h2 id="create-title">"Add a staff account"</h2>
            <ActionForm action=create attr:class="form">
                <label for="role">"Role"</label>
                <select id="role" name="role" on:change=move |ev| role.set(event_target_value(&ev))>
                    <option value="clinician">"Clinician"</option>
                    <option value="admin">"Administrator"</option>
                </select>
                <label for="staff-name">"Full name"</label>
                <input id="staff-name" name="name" required maxlength="120"/>
                <FieldError result field="name"/>
                <label for="staff-email">"Sign-in email"</label>
                <input id="staff-email" name="email" type="email" required/>
                <FieldError result field="email"/>
                <label for="staff-password">"Initial password"</label>
                <input id="staff-password" name="password" type="password" autocomplete="new-password"
                    required minlength=PASSWORD_MIN_CHARS.to_string()/>
                <FieldError result field="password"/>
                <fieldset class="fieldset" disabled=move || !is_clinician()>
                    <legend>"Profile shown to patients"</legend>
                    <label for="title">"Title"</label>
                    <input id="title" name="title" placeholder="Dr" maxlength="80"/>
                    <FieldError result field="title"/>
                    <label for="specialties">"Specialties"</label>
                    <input id="specialties" name="specialties" placeholder="Cardiology, Internal medicine" maxlength="200"/>
                    <FieldError result field="specialties"/>
                    <label for="contact_email">"Contact email"</label>
                    <input id="contact_email" name="contact_email" type="email"/>
                    <FieldError result field="contact_email"/>
                    <label for="contact_phone">"Contact phone"</label>
                    <input id="contact_phone" name="contact_phone" type="tel" maxlength="40"/>
                    <FieldError result field="contact_phone"/>
                </fieldset>
                <ActionError result/>
                {move || matches!(result.get(), Some(Ok(_))).then(|| view! { <p class="success" role="status">"Account created."</p> })}
                <button type="submit" class="button">"Create account"</button>
            </ActionForm>
        </section>
    }
}
