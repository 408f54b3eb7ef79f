use crate::api::cases::load_clinician_cases;
use crate::components::auth::RequireRole;
use crate::components::cases::CaseTable;
use crate::components::feedback::ErrorNote;
use crate::domain::Role;
use crate::error::AppError;
use crate::model::ClinicianCases;
use leptos::prelude::*;
use leptos_meta::Title;

/// The clinician's home: cases they coordinate and cases they review.
#[component]
pub fn ClinicianHomePage() -> impl IntoView {
    let live = crate::components::live::use_live();
    let cases = Resource::new(move || live.tick(), |_| load_clinician_cases());
    view! {
        <Title text="My cases"/>
        <RequireRole role=Role::Clinician>
            <ClinicianHome cases/>
        </RequireRole>
    }
}

#[component]
fn ClinicianHome(cases: Resource<Result<ClinicianCases, AppError>>) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading your cases…"</p> }>
            {move || Suspend::new(async move {
                match cases.await {
                    Ok(lists) => view! {
                        <section aria-labelledby="coordinating">
                            <h1 id="coordinating">"Cases I coordinate"</h1>
                            <CaseTable cases=lists.coordinating show_patient=true
                                empty="No cases to coordinate. An administrator assigns them to you."/>
                        </section>
                        <section aria-labelledby="reviewing">
                            <h2 id="reviewing">"Cases I review"</h2>
                            <CaseTable cases=lists.reviewing show_patient=true
                                empty="No cases to review. A coordinator assigns them to you."/>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
