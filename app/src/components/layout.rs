use super::auth::use_auth;
use super::live::use_live;
use crate::domain::Role;
use crate::model::CurrentUser;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Header() -> impl IntoView {
    let auth = use_auth();
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"C"</span>
                "Consilium"
            </a>
            {payments_in_test_mode().then(|| view! {
                <p class="test-mode-badge" role="note" data-testid="test-mode">
                    "Test mode"<span class="test-mode-detail">": payments are simulated and no money moves."</span>
                </p>
            })}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match auth.user.await {
                        Ok(Some(user)) => view! { <UserNav user/> }.into_any(),
                        _ => view! {
                            <nav class="nav" aria-label="Account">
                                <A href="/login">"Sign in"</A>
                                <A href="/register">"Register"</A>
                            </nav>
                        }.into_any(),
                    }
                })}
            </Transition>
        </header>
    }
}

#[component]
fn UserNav(user: CurrentUser) -> impl IntoView {
    let auth = use_auth();
    let mut links: Vec<(&str, &str)> = match user.role {
        Role::Patient => vec![("/cases", "My cases")],
        Role::Clinician => vec![("/clinician", "My cases")],
        Role::Admin => vec![
            ("/admin", "Case queue"),
            ("/admin/catalog", "Catalog"),
            ("/admin/accounts", "Accounts"),
            ("/admin/audit", "Audit log"),
        ],
    };
    links.push(("/account", "Your account"));
    let live = use_live();
    // Someone with a step to take first gets no updates until it is taken (the server refuses).
    if user.next_step.is_none() {
        live.start();
    }
    view! {
        <nav class="nav" aria-label="Main">
            {links.into_iter().map(|(href, text)| view! { <A href=href exact=true>{text}</A> }).collect_view()}
        </nav>
        <div class="account">
            <a class="bell" href="/notifications" data-testid="bell">
                "Notifications"
                // Filled in by the live stream once the page is interactive.
                {move || live.unread.get().filter(|n| *n > 0).map(|n| view! {
                    <span class="count" data-testid="unread-count" aria-label=format!("{n} unread")>{n}</span>
                })}
            </a>
            <span class="account-name" data-testid="account-name">{user.name}</span>
            <span class="account-role">{user.role.label()}</span>
            <ActionForm action=auth.logout attr:class="inline-form">
                <button type="submit" class="button button-quiet">"Sign out"</button>
            </ActionForm>
        </div>
    }
}

/// Whether this deployment runs the built-in test payment provider. The server knows from its
/// settings and writes a `<meta name="consilium-payments">` into the page's head; the browser
/// reads that tag back, so the hydrated header says the same as the server-rendered one.
pub fn payments_in_test_mode() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::server::AppState>().is_some_and(|s| s.config.test_payments())
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .query_selector("meta[name=consilium-payments]")
            .ok()
            .flatten()
            .and_then(|m| m.get_attribute("content"))
            .is_some_and(|c| c == "test")
    }
}

/// A page's main heading with the page's one action (a form, usually) beside it.
#[component]
pub fn PageHeading(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="page-title">
            <h1>{title}</h1>
            {children()}
        </div>
    }
}
