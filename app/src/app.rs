use crate::components::auth::AuthContext;
use crate::components::layout::Header;
use crate::components::live::Live;
use crate::i18n::{t, use_i18n, I18nContextProvider, Locale};
use crate::pages;
use crate::pages::lazy;
use leptos::prelude::*;
use leptos_i18n::context::CookieOptions;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_page_security_headers();
    view! {
        <!DOCTYPE html>
        // `lang` and `dir` are the reader's, set by the translation context (see `App`).
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                // The stylesheet's name carries its content hash when the build hashes files.
                <HashedStylesheet id="leptos" options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
                {crate::components::layout::payments_in_test_mode().then(|| view! {
                    <meta name="consilium-payments" content="test"/>
                })}
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Pages get a Content-Security-Policy that allows only our own scripts, the inline hydration
/// script carrying this response's nonce, and WebAssembly; and are never cached, since they may
/// hold health data. Other responses get a stricter default from the server's middleware.
#[cfg(feature = "ssr")]
fn set_page_security_headers() {
    use http::{header, HeaderValue};
    let Some(options) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let nonce = leptos::nonce::use_nonce()
        .map(|n| n.to_string())
        .unwrap_or_default();
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&csp) {
        options.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
    options.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    Live::provide();
    provide_context(AuthContext::new());
    // Only the browser runs effects: tests wait for this marker before clicking.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
    // The language comes from the cookie (the switch, or the account at sign-in), else from
    // Accept-Language; the browser takes it back from `<html lang>`, so hydration agrees.
    let year_ms: i64 = 365 * 24 * 3600 * 1000;
    let cookie = CookieOptions::<Locale>::default().path("/").max_age(year_ms);
    view! {
        <I18nContextProvider cookie_name=crate::lang::COOKIE cookie_options=cookie>
            <Site/>
        </I18nContextProvider>
    }
}

/// Everything inside the translation context: the title, the header and the pages.
#[component]
fn Site() -> impl IntoView {
    let i18n = use_i18n();
    // Signing in sets the language cookie from the account; the page moves on without a reload,
    // so the browser takes that language at once (on any browser the person signs in on).
    let auth = crate::components::auth::use_auth();
    Effect::new(move |_| {
        let signed_in = matches!(auth.login.value().get(), Some(Ok(())))
            || matches!(auth.verify_code.value().get(), Some(Ok(())));
        if let Some(chosen) = signed_in.then(crate::lang::choice::in_browser).flatten() {
            if chosen != i18n.get_locale_untracked() {
                i18n.set_locale(chosen);
            }
        }
    });
    view! {
        <Title formatter=|text: String| if text.is_empty() { "Consilium".to_owned() } else { format!("{text} · Consilium") }/>
        // Pages render completely before the first byte (SsrMode::Async), so a page can still
        // answer 302, 403 or 404 once it knows who is asking; our pages are small and
        // database-bound, so streaming would gain little.
        <Router>
            <a class="skip-link" href="#main">{t!(i18n, app.skip_to_content)}</a>
            <Header/>
            <main id="main">
                <Routes fallback=pages::NotFound>
                    <Route path=path!("/") view=pages::Landing ssr=SsrMode::Async/>
                    <Route path=path!("/login") view={Lazy::<lazy::Login>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/login/code") view={Lazy::<lazy::SignInCode>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/register") view={Lazy::<lazy::Register>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/verify-email") view={Lazy::<lazy::VerifyEmail>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/forgot-password") view={Lazy::<lazy::ForgotPassword>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/reset-password") view={Lazy::<lazy::ResetPassword>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account") view={Lazy::<lazy::Account>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account/profile") view={Lazy::<lazy::Profile>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/confirm-email") view={Lazy::<lazy::ConfirmEmail>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account/password") view={Lazy::<lazy::Password>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account/two-factor") view={Lazy::<lazy::TwoFactor>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account/sessions") view={Lazy::<lazy::Sessions>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/cases") view={Lazy::<lazy::MyCases>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/cases/:id") view={Lazy::<lazy::Case>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/cases/:id/edit") view={Lazy::<lazy::Intake>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/cases/:id/report") view={Lazy::<lazy::Report>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/pay/test/:id") view={Lazy::<lazy::TestCheckout>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/notifications") view={Lazy::<lazy::Notifications>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/clinician") view={Lazy::<lazy::ClinicianHome>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view={Lazy::<lazy::Queue>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/accounts") view={Lazy::<lazy::Accounts>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/accounts/:id") view={Lazy::<lazy::AdminProfile>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/catalog") view={Lazy::<lazy::Catalog>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view={Lazy::<lazy::Audit>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
