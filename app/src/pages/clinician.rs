use crate::api::cases::load_clinician_cases;
use crate::components::auth::RolePage;
use crate::components::cases::CaseTable;
use crate::components::feedback::Loaded;
use crate::domain::{CaseStatus, Role};
use crate::error::AppError;
use crate::model::{CaseSummary, ClinicianCases};
use leptos::prelude::*;

/// The clinician's home: cases they coordinate and cases they review.
const NONE_TO_COORDINATE: &str = "No cases to coordinate here. An administrator assigns them to you.";
const NONE_TO_REVIEW: &str = "No cases to review here. A coordinator assigns them to you.";

#[component]
pub fn ClinicianHomePage() -> impl IntoView {
    let live = crate::components::live::use_live();
    let cases = Resource::new(move || live.tick(), |_| load_clinician_cases());
    view! {
        <RolePage title="My cases" role=Role::Clinician><ClinicianHome cases/></RolePage>
    }
}

/// Filters applied in the browser as the clinician types: by reference or patient, and status.
#[derive(Clone, Copy)]
struct Filters {
    text: RwSignal<String>,
    status: RwSignal<String>,
}

impl Filters {
    fn keep(&self, case: &CaseSummary) -> bool {
        let text = self.text.get().trim().to_lowercase();
        let status = self.status.get();
        (text.is_empty()
            || case.reference.to_lowercase().contains(&text)
            || case.patient_name.to_lowercase().contains(&text))
            && (status.is_empty() || case.status.as_str() == status)
    }
}

#[component]
fn ClinicianHome(cases: Resource<Result<ClinicianCases, AppError>>) -> impl IntoView {
    let filters = Filters {
        text: RwSignal::new(String::new()),
        status: RwSignal::new(String::new()),
    };
    view! {
        <form class="filters" on:submit=|ev| ev.prevent_default()>
            <div class="filter">
                <label for="case-filter">"Find"</label>
                <input id="case-filter" type="search" placeholder="Reference or patient name"
                    on:input=move |ev| filters.text.set(event_target_value(&ev))/>
            </div>
            <div class="filter">
                <label for="status-filter">"Status"</label>
                <select id="status-filter" on:change=move |ev| filters.status.set(event_target_value(&ev))>
                    <option value="">"Any status"</option>
                    {CaseStatus::ALL.iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                </select>
            </div>
        </form>
        <Loaded resource=cases loading="Loading your cases…" ready=move |lists| view! { <Lists lists filters/> }/>
    }
}

#[component]
fn Lists(lists: ClinicianCases, filters: Filters) -> impl IntoView {
    let ClinicianCases {
        coordinating,
        reviewing,
    } = lists;
    let shown = move |all: &Vec<CaseSummary>| {
        all.iter()
            .filter(|c| filters.keep(c))
            .cloned()
            .collect::<Vec<_>>()
    };
    view! {
        <section aria-labelledby="coordinating">
            <h1 id="coordinating">"Cases I coordinate"</h1>
            {move || view! { <CaseTable cases=shown(&coordinating) show_patient=true empty=NONE_TO_COORDINATE/> }}
        </section>
        <section aria-labelledby="reviewing">
            <h2 id="reviewing">"Cases I review"</h2>
            {move || view! { <CaseTable cases=shown(&reviewing) show_patient=true empty=NONE_TO_REVIEW/> }}
        </section>
    }
}
