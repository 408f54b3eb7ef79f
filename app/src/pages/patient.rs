use crate::api::cases::my_cases;
use crate::components::auth::RequireRole;
use crate::components::cases::CaseTable;
use crate::components::feedback::ErrorNote;
use crate::domain::Role;
use crate::error::AppError;
use crate::model::CaseSummary;
use leptos::prelude::*;
use leptos_meta::Title;

/// The patient's home: their cases, newest first, with what happens next on each.
#[component]
pub fn MyCasesPage() -> impl IntoView {
    // Resources are created here, outside the guard's Suspend, so that server and browser
    // number them identically during hydration.
    let cases = Resource::new(|| (), |_| my_cases());
    view! {
        <Title text="My cases"/>
        <RequireRole role=Role::Patient>
            <MyCases cases/>
        </RequireRole>
    }
}

#[component]
fn MyCases(cases: Resource<Result<Vec<CaseSummary>, AppError>>) -> impl IntoView {
    view! {
        <h1>"My cases"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading your cases…"</p> }>
            {move || Suspend::new(async move {
                match cases.await {
                    Ok(list) => view! {
                        <CaseTable cases=list show_patient=false
                            empty="You have no cases yet. When you submit one, it appears here with what happens next."/>
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
