use crate::components::auth::AuthContext;
use crate::components::layout::Header;
use crate::components::live::Live;
use crate::pages;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_page_security_headers();
    view! {
        <!DOCTYPE html>
        <html lang="en">
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
    view! {
        <Title formatter=|text: String| if text.is_empty() { "Consilium".to_owned() } else { format!("{text} · Consilium") }/>
        // Pages render completely before the first byte (SsrMode::Async), so a page can still
        // answer 302, 403 or 404 once it knows who is asking; our pages are small and
        // database-bound, so streaming would gain little.
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header/>
            <main id="main">
                <Routes fallback=pages::NotFound>
                    <Route path=path!("/") view=pages::Landing ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=pages::auth::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/login/code") view=pages::auth::SignInCodePage ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=pages::auth::RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/verify-email") view=pages::auth::VerifyEmailPage ssr=SsrMode::Async/>
                    <Route path=path!("/forgot-password") view=pages::auth::ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/reset-password") view=pages::auth::ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=pages::account::AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/profile") view=pages::profile::ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/confirm-email") view=pages::profile::ConfirmEmailPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/password") view=pages::account::PasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/two-factor") view=pages::account::TwoFactorPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/sessions") view=pages::account::SessionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/cases") view=pages::patient::MyCasesPage ssr=SsrMode::Async/>
                    <Route path=path!("/cases/:id") view=pages::case::CasePage ssr=SsrMode::Async/>
                    <Route path=path!("/cases/:id/edit") view=pages::intake::IntakePage ssr=SsrMode::Async/>
                    <Route path=path!("/cases/:id/report") view=pages::report::ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/pay/test/:id") view=pages::checkout::TestCheckoutPage ssr=SsrMode::Async/>
                    <Route path=path!("/notifications") view=pages::notifications::NotificationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/clinician") view=pages::clinician::ClinicianHomePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=pages::admin::QueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/accounts") view=pages::admin::AccountsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/accounts/:id") view=pages::profile::AdminProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/catalog") view=pages::admin::CatalogPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view=pages::admin::AuditPage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
