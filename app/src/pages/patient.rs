use crate::api::cases::{my_cases, StartCase};
use crate::components::auth::RolePage;
use crate::components::cases::CaseTable;
use crate::components::feedback::{ActionError, ErrorNote};
use crate::components::layout::PageHeading;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::model::CaseSummary;
use leptos::prelude::*;

/// The patient's home: their cases, newest first, with what happens next on each.
#[component]
pub fn MyCasesPage() -> impl IntoView {
    // Resources are created here, outside the guard's Suspend, so that server and browser
    // number them identically during hydration.
    let live = crate::components::live::use_live();
    let cases = Resource::new(move || live.tick(), |_| my_cases());
    let i18n = use_i18n();
    view! {
        <RolePage title=tu_string!(i18n, nav.my_cases) role=Role::Patient><MyCases cases/></RolePage>
    }
}

#[component]
fn MyCases(cases: Resource<Result<Vec<CaseSummary>, AppError>>) -> impl IntoView {
    let start = ServerAction::<StartCase>::new();
    let i18n = use_i18n();
    view! {
        <PageHeading title=tu_string!(i18n, nav.my_cases)>
            <ActionForm action=start attr:class="inline-form">
                <button type="submit" class="button">{t!(i18n, patient.start_case)}</button>
            </ActionForm>
        </PageHeading>
        <ActionError result=start.value()/>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, patient.loading_cases)}</p> }>
            {move || Suspend::new(async move {
                match cases.await {
                    Ok(list) => view! {
                        <CaseTable cases=list show_patient=false
                            empty=tu_string!(i18n, patient.no_cases)/>
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
