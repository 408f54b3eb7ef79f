use super::auth::use_auth;
use super::live::use_live;
use crate::api::language::ChooseLanguage;
use crate::domain::Role;
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::model::CurrentUser;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Header() -> impl IntoView {
    let auth = use_auth();
    let i18n = use_i18n();
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"C"</span>
                "Consilium"
            </a>
            {payments_in_test_mode().then(|| view! {
                <p class="test-mode-badge" role="note" data-testid="test-mode">
                    {t!(i18n, app.test_mode)}<span class="test-mode-detail">{t!(i18n, app.test_mode_detail)}</span>
                </p>
            })}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match auth.user.await {
                        Ok(Some(user)) => view! { <UserNav user/> }.into_any(),
                        _ => view! {
                            <nav class="nav" aria-label=move || t_string!(i18n, nav.account)>
                                <A href="/login">{t!(i18n, nav.sign_in)}</A>
                                <A href="/register">{t!(i18n, nav.register)}</A>
                            </nav>
                        }.into_any(),
                    }
                })}
            </Transition>
            <LanguageSwitch/>
        </header>
    }
}

/// The other language, one click away: the page comes back in it, and a signed-in person's
/// account keeps the choice. The button names the language in that language's own script.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let choose = ServerAction::<ChooseLanguage>::new();
    // Everything on the page, down to labels handed to components once, is rendered anew in the
    // chosen language: reloading is simpler and surer than re-rendering in place.
    Effect::new(move |_| {
        if matches!(choose.value().get(), Some(Ok(()))) {
            let _ = window().location().reload();
        }
    });
    let other = move || crate::lang::other(i18n.get_locale());
    view! {
        <ActionForm action=choose attr:class="inline-form language-switch">
            <input type="hidden" name="language" prop:value=move || crate::lang::code(other())/>
            <button type="submit" class="button button-quiet" data-testid="language-switch"
                lang=move || crate::lang::code(other())
                aria-label=move || t_string!(i18n, language.switch_label)
                disabled=move || choose.pending().get()>
                {t!(i18n, language.switch_to)}
            </button>
        </ActionForm>
    }
}

#[component]
fn UserNav(user: CurrentUser) -> impl IntoView {
    let auth = use_auth();
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let mut links: Vec<(&str, &str)> = match user.role {
        Role::Patient => vec![("/cases", td_string!(locale, nav.my_cases))],
        Role::Clinician => vec![("/clinician", td_string!(locale, nav.my_cases))],
        Role::Admin => vec![
            ("/admin", td_string!(locale, nav.case_queue)),
            ("/admin/catalog", td_string!(locale, nav.catalog)),
            ("/admin/accounts", td_string!(locale, nav.accounts)),
            ("/admin/audit", td_string!(locale, nav.audit_log)),
        ],
    };
    links.push(("/account", td_string!(locale, nav.your_account)));
    let live = use_live();
    // Someone with a step to take first gets no updates until it is taken (the server refuses).
    if user.next_step.is_none() {
        live.start();
    }
    view! {
        <nav class="nav" aria-label=td_string!(locale, nav.main)>
            {links.into_iter().map(|(href, text)| view! { <A href=href exact=true>{text}</A> }).collect_view()}
        </nav>
        <div class="account">
            <a class="bell" href="/notifications" data-testid="bell">
                {td_string!(locale, nav.notifications)}
                // Filled in by the live stream once the page is interactive.
                {move || live.unread.get().filter(|n| *n > 0).map(|n| view! {
                    <span class="count" data-testid="unread-count"
                        aria-label=td_string!(locale, nav.unread, count = n)>{n}</span>
                })}
            </a>
            // A name typed in one script stays whole inside a page in the other.
            <bdi class="account-name" data-testid="account-name">{user.name}</bdi>
            <span class="account-role">{crate::lang::labels::role(locale, user.role)}</span>
            <ActionForm action=auth.logout attr:class="inline-form">
                <button type="submit" class="button button-quiet">{td_string!(locale, nav.sign_out)}</button>
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
