//! One component per page. Pages fetch through server functions and render with Transition;
//! rules about who may do what come from the domain module, never from the page.

pub mod account;
pub mod admin;
pub mod auth;
pub mod case;
pub mod case_review;
pub mod case_staff;
pub mod checkout;
pub mod clinician;
pub mod intake;
pub mod lazy;
pub mod notifications;
pub mod patient;
pub mod profile;
pub mod report;

use crate::components::auth::use_auth;
use crate::i18n::{t, tu_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// The front page: signed-in users go straight to their home; visitors see what the service is.
#[component]
pub fn Landing() -> impl IntoView {
    let auth = use_auth();
    view! {
        <Title text=""/>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) => view! { <Redirect path=user.role.home_path()/> }.into_any(),
                    _ => view! { <Intro/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Intro() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero">
            <h1>{t!(i18n, landing.title)}</h1>
            <p class="lead">{t!(i18n, landing.lead)}</p>
            <ol class="steps">
                <li>{t!(i18n, landing.step_describe, <b> = <strong/>)}</li>
                <li>{t!(i18n, landing.step_coordinator, <b> = <strong/>)}</li>
                <li>{t!(i18n, landing.step_review, <b> = <strong/>)}</li>
                <li>{t!(i18n, landing.step_report, <b> = <strong/>)}</li>
            </ol>
            <p class="actions">
                <a class="button" href="/register">{t!(i18n, landing.start)}</a>
                <a class="button button-quiet" href="/login">{t!(i18n, nav.sign_in)}</a>
            </p>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    crate::components::feedback::set_page_status(http::StatusCode::NOT_FOUND);
    let i18n = use_i18n();
    view! {
        <Title text=tu_string!(i18n, not_found.title)/>
        <section class="notice">
            <h1>{t!(i18n, not_found.heading)}</h1>
            <p><a href="/">{t!(i18n, not_found.home)}</a></p>
        </section>
    }
}
