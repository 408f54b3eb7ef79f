use crate::api::auth::{load_current_user, Login, Logout, Register, VerifyEmail};
use crate::components::feedback::{set_page_status, ErrorNote};
use crate::domain::Role;
use crate::error::AppError;
use crate::model::CurrentUser;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// The sign-in actions and the current user, refetched whenever one of the actions completes.
#[derive(Clone, Copy)]
pub struct AuthContext {
    pub login: ServerAction<Login>,
    pub register: ServerAction<Register>,
    pub verify_email: ServerAction<VerifyEmail>,
    pub logout: ServerAction<Logout>,
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
}

impl AuthContext {
    pub fn new() -> Self {
        let login = ServerAction::<Login>::new();
        let register = ServerAction::<Register>::new();
        let verify_email = ServerAction::<VerifyEmail>::new();
        let logout = ServerAction::<Logout>::new();
        let user = Resource::new(
            move || {
                (
                    login.version().get(),
                    verify_email.version().get(),
                    logout.version().get(),
                )
            },
            |_| load_current_user(),
        );
        Self {
            login,
            register,
            verify_email,
            logout,
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

/// Waits for the signed-in user, then shows `children` if `role` (any, when None) admits them.
#[component]
fn Guard(role: Option<Role>, children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match auth.user.await {
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
    view! {
        <section class="notice notice-denied" role="alert">
            <h1>"Not allowed"</h1>
            <p>"Your account cannot open this page."</p>
            <p><a href="/">"Go to your home page"</a></p>
        </section>
    }
}
