//! The browser's code for each page is a part of its own, loaded when the page is first opened
//! (Leptos' lazy routes, split out by `cargo leptos --split`). The first download is the shell:
//! the router, the header and what every page shares. A patient never downloads the admin,
//! catalog, audit or clinician pages, and nobody downloads the two-factor setup until they open it.
//!
//! A page rendered by the server names its parts in `<link rel="preload">`, so the browser
//! fetches them beside the shell, not after it. Without `--split` (the router tests, a plain
//! `cargo leptos build`) each part is an ordinary function in the one WASM file.
//!
//! A lazy route's data step is empty: every page loads its own data through server functions
//! when it renders, and on the first visit that data comes with the server's HTML.

use super::{account, admin, auth, case, checkout, clinician, intake, notifications, patient};
use super::{profile, report};
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// One lazily loaded page per line: the route type, then the page component it renders.
macro_rules! lazy_pages {
    ($($route:ident => $page:path),* $(,)?) => {$(
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

lazy_pages! {
    Login => auth::LoginPage,
    SignInCode => auth::SignInCodePage,
    Register => auth::RegisterPage,
    VerifyEmail => auth::VerifyEmailPage,
    ForgotPassword => auth::ForgotPasswordPage,
    ResetPassword => auth::ResetPasswordPage,
    Account => account::AccountPage,
    Password => account::PasswordPage,
    TwoFactor => account::TwoFactorPage,
    Sessions => account::SessionsPage,
    Profile => profile::ProfilePage,
    ConfirmEmail => profile::ConfirmEmailPage,
    MyCases => patient::MyCasesPage,
    Case => case::CasePage,
    Intake => intake::IntakePage,
    Report => report::ReportPage,
    TestCheckout => checkout::TestCheckoutPage,
    Notifications => notifications::NotificationsPage,
    ClinicianHome => clinician::ClinicianHomePage,
    Queue => admin::QueuePage,
    Accounts => admin::AccountsPage,
    AdminProfile => profile::AdminProfilePage,
    Catalog => admin::CatalogPage,
    Audit => admin::AuditPage,
}
