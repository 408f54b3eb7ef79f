use crate::api::cases::{my_cases, StartCase};
use crate::components::auth::RolePage;
use crate::components::cases::CaseTable;
use crate::components::feedback::{ActionError, ErrorNote};
use crate::components::layout::PageHeading;
use crate::domain::Role;
use crate::error::AppError;
use crate::model::CaseSummary;
use leptos::prelude::*;

/// The patient's home: their cases, newest first, with what happens next on each.
#[component]
pub fn MyCasesPage() -> impl IntoView {
    // Resources are created here, outside the guard's Suspend, so that server and browser
    // number them identically during hydration.
    let live = crate::components::live::use_live();
    let cases = Resource::new(move || live.tick(), |_| my_cases());
    view! {
        <RolePage title="My cases" role=Role::Patient><MyCases cases/></RolePage>
    }
}

#[component]
fn MyCases(cases: Resource<Result<Vec<CaseSummary>, AppError>>) -> impl IntoView {
    let start = ServerAction::<StartCase>::new();
    view! {
        <PageHeading title="My cases">
            <ActionForm action=start attr:class="inline-form">
                <button type="submit" class="button">"Start a new case"</button>
            </ActionForm>
        </PageHeading>
        <ActionError result=start.value()/>
        <Transition fallback=|| view! { <p class="loading">"Loading your cases…"</p> }>
            {move || Suspend::new(async move {
                match cases.await {
                    Ok(list) => view! {
                        <CaseTable cases=list show_patient=false
                            empty="You have no cases yet. Start one to ask specialists for a second opinion."/>
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
