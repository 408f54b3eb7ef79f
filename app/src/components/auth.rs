use crate::api::auth::{load_current_user, Login, Logout, Register, VerifyEmail, VerifySignInCode};
use crate::api::me::{ChangePassword, ConfirmSecondFactor, EndAllSessions};
use crate::components::feedback::{set_page_status, ErrorNote};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{t, use_i18n};
use crate::model::CurrentUser;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// The sign-in actions and the current user, refetched whenever one of the actions completes.
#[derive(Clone, Copy)]
pub struct AuthContext {
    pub login: ServerAction<Login>,
    /// The code step of signing in.
    pub verify_code: ServerAction<VerifySignInCode>,
    pub register: ServerAction<Register>,
    pub verify_email: ServerAction<VerifyEmail>,
    pub logout: ServerAction<Logout>,
    /// Changing the password can take the account's first step (see `domain::account`).
    pub change_password: ServerAction<ChangePassword>,
    /// So can setting up the second factor.
    pub confirm_second_factor: ServerAction<ConfirmSecondFactor>,
    pub end_all_sessions: ServerAction<EndAllSessions>,
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
}

impl AuthContext {
    pub fn new() -> Self {
        let login = ServerAction::<Login>::new();
        let verify_code = ServerAction::<VerifySignInCode>::new();
        let confirm_second_factor = ServerAction::<ConfirmSecondFactor>::new();
        let register = ServerAction::<Register>::new();
        let verify_email = ServerAction::<VerifyEmail>::new();
        let logout = ServerAction::<Logout>::new();
        let change_password = ServerAction::<ChangePassword>::new();
        let end_all_sessions = ServerAction::<EndAllSessions>::new();
        let user = Resource::new(
            move || {
                [
                    login.version().get(),
                    verify_code.version().get(),
                    verify_email.version().get(),
                    logout.version().get(),
                    change_password.version().get(),
                    confirm_second_factor.version().get(),
                    end_all_sessions.version().get(),
                ]
            },
            |_| load_current_user(),
        );
        Self {
            login,
            verify_code,
            confirm_second_factor,
            register,
            verify_email,
            logout,
            change_password,
            end_all_sessions,
            user,
        }
    }
}

impl Default for AuthContext {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_auth() -> AuthContext {
    expect_context::<AuthContext>()
}

/// A page for one role: its browser title, and `children` for a signed-in user with `role`. A
/// signed-out visitor is sent to sign in; a user with another role sees "not allowed". The
/// server functions check again regardless.
#[component]
pub fn RolePage(title: &'static str, role: Role, children: ChildrenFn) -> impl IntoView {
    view! {
        <Title text=title/>
        <Guard role=Some(role) children/>
    }
}

/// Renders `children` for any signed-in user.
#[component]
pub fn RequireUser(children: ChildrenFn) -> impl IntoView {
    view! { <Guard role=None children/> }
}

/// Renders `children` for any signed-in user, even one with a step to take first: for the
/// pages where that step is taken, or that must never wait for it (signing out elsewhere).
#[component]
pub fn RequireUserWithStepsLeft(children: ChildrenFn) -> impl IntoView {
    view! { <Guard role=None steps_left=true children/> }
}

/// Waits for the signed-in user, then shows `children` if `role` (any, when None) admits them.
/// Someone with a step to take first (see `domain::account`) is sent to take it, unless
/// `steps_left` admits them.
#[component]
fn Guard(role: Option<Role>, #[prop(optional)] steps_left: bool, children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let i18n = use_i18n();
    view! {
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, app.loading)}</p> }>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match auth.user.await {
                        Ok(Some(user)) if user.next_step.is_some() && !steps_left => {
                            let path = user.next_step.map_or("/", |step| step.path());
                            view! { <Redirect path/> }.into_any()
                        }
                        Ok(Some(user)) if role.is_none_or(|r| r == user.role) => children().into_any(),
                        Ok(Some(_)) => view! { <NotAllowed/> }.into_any(),
                        Ok(None) => view! { <Redirect path="/login"/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
pub fn NotAllowed() -> impl IntoView {
    set_page_status(http::StatusCode::FORBIDDEN);
    let i18n = use_i18n();
    view! {
        <section class="notice notice-denied" role="alert">
            <h1>{t!(i18n, app.not_allowed)}</h1>
            <p>{t!(i18n, app.not_allowed_detail)}</p>
            <p><a href="/">{t!(i18n, app.go_home)}</a></p>
        </section>
    }
}
