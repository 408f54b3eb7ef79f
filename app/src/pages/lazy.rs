//! The browser's code comes in parts, loaded when first needed (Leptos' lazy routes, split out by
//! `cargo leptos --split`). The first download is the shell: the router, the header and what
//! every page shares. Pages come in seven groups, one part each (plus the code groups share):
//! signing in, one's own account, cases (a patient's list, the case page everyone opens, the
//! checkout, notifications), describing a case, the report, the clinician's dashboard, and
//! administration. So a patient never downloads the admin, catalog, audit or clinician pages,
//! and a visitor signing in downloads no case page.
//!
//! Seven parts rather than one per page: the splitter gives the code shared by each set of parts
//! a file of its own, and one part per page made hundreds of small files, each a request on a
//! slow network (the case page alone needed 213).
//!
//! A page rendered by the server names its group's files in `<link rel="preload">`, so the browser
//! fetches them beside the shell, not after it. Without `--split` (the router tests, a plain
//! `cargo leptos build`) each group is an ordinary function in the one WASM file.
//!
//! A lazy route's data step is empty: every page loads its own data through server functions
//! when it renders, and on the first visit that data comes with the server's HTML.

use super::{account, admin, auth, case, checkout, clinician, intake, notifications, patient};
use super::{profile, report};
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// Declares a group: the enum of its pages, the one lazily loaded function rendering any of them,
/// and a route type per page for `Lazy::<…>::new()`.
macro_rules! page_group {
    ($group:ident, $render:ident, $preload:ident { $($route:ident => $page:path),* $(,)? }) => {
        #[derive(Clone, Copy)]
        pub enum $group {
            $($route),*
        }

        /// The group's part of the client: fetched the first time one of its pages is opened.
        #[lazy]
        fn $render(page: $group) -> AnyView {
            match page {
                $($group::$route => $page().into_any()),*
            }
        }

        $(
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $render($group::$route).await
                }

                async fn preload() {
                    #[cfg(target_arch = "wasm32")]
                    $preload().await;
                }
            }
        )*
    };
}

page_group!(SignIn, sign_in_pages, __preload_sign_in_pages {
    Login => auth::LoginPage,
    SignInCode => auth::SignInCodePage,
    Register => auth::RegisterPage,
    VerifyEmail => auth::VerifyEmailPage,
    ForgotPassword => auth::ForgotPasswordPage,
    ResetPassword => auth::ResetPasswordPage,
    ConfirmEmail => profile::ConfirmEmailPage,
});

page_group!(OwnAccount, own_account_pages, __preload_own_account_pages {
    Account => account::AccountPage,
    Password => account::PasswordPage,
    TwoFactor => account::TwoFactorPage,
    Sessions => account::SessionsPage,
    Profile => profile::ProfilePage,
});

page_group!(Cases, case_pages, __preload_case_pages {
    MyCases => patient::MyCasesPage,
    Case => case::CasePage,
    TestCheckout => checkout::TestCheckoutPage,
    Notifications => notifications::NotificationsPage,
});

// Describing a case and uploading documents, opened once per case.
page_group!(Drafting, drafting_pages, __preload_drafting_pages {
    Intake => intake::IntakePage,
});

// The final report, opened once a case is completed.
page_group!(Reading, report_pages, __preload_report_pages {
    Report => report::ReportPage,
});

page_group!(Clinician, clinician_pages, __preload_clinician_pages {
    ClinicianHome => clinician::ClinicianHomePage,
});

page_group!(Administration, admin_pages, __preload_admin_pages {
    Queue => admin::QueuePage,
    Accounts => admin::AccountsPage,
    AdminProfile => profile::AdminProfilePage,
    Catalog => admin::CatalogPage,
    Audit => admin::AuditPage,
});
