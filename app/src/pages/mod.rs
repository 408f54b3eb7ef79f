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
    view! {
        <section class="hero">
            <h1>"A second opinion from specialists, without the waiting room"</h1>
            <p class="lead">
                "Send us your medical records and your questions. A coordinating doctor chooses the "
                "right specialists, they review your case, and you receive a written report."
            </p>
            <ol class="steps">
                <li><strong>"Describe your case"</strong>" and upload your documents."</li>
                <li><strong>"We assign a coordinator"</strong>" and you pay for the review."</li>
                <li><strong>"Specialists review"</strong>" and may ask for more documents."</li>
                <li><strong>"Read your report"</strong>" in the browser or as a PDF."</li>
            </ol>
            <p class="actions">
                <a class="button" href="/register">"Start a case"</a>
                <a class="button button-quiet" href="/login">"Sign in"</a>
            </p>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    crate::components::feedback::set_page_status(http::StatusCode::NOT_FOUND);
    view! {
        <Title text="Not found"/>
        <section class="notice">
            <h1>"Page not found"</h1>
            <p><a href="/">"Go to the home page"</a></p>
        </section>
    }
}
