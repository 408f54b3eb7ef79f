use crate::api::cases::load_clinician_cases;
use crate::components::auth::RolePage;
use crate::components::cases::CaseTable;
use crate::components::feedback::Loaded;
use crate::domain::{CaseStatus, Role};
use crate::error::AppError;
use crate::i18n::{t, tu_string, use_i18n};
use crate::model::{CaseSummary, ClinicianCases};
use leptos::prelude::*;

/// The clinician's home: cases they coordinate and cases they review.
#[component]
pub fn ClinicianHomePage() -> impl IntoView {
    let live = crate::components::live::use_live();
    let cases = Resource::new(move || live.tick(), |_| load_clinician_cases());
    let i18n = use_i18n();
    view! {
        <RolePage title=tu_string!(i18n, nav.my_cases) role=Role::Clinician><ClinicianHome cases/></RolePage>
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
    let i18n = use_i18n();
    view! {
        <form class="filters" on:submit=|ev| ev.prevent_default()>
            <div class="filter">
                <label for="case-filter">{t!(i18n, clinician.find)}</label>
                <input id="case-filter" type="search" placeholder=tu_string!(i18n, clinician.find_placeholder)
                    on:input=move |ev| filters.text.set(event_target_value(&ev))/>
            </div>
            <div class="filter">
                <label for="status-filter">{t!(i18n, cases.col_status)}</label>
                <select id="status-filter" on:change=move |ev| filters.status.set(event_target_value(&ev))>
                    <option value="">{t!(i18n, clinician.any_status)}</option>
                    {CaseStatus::ALL.iter().map(|s| view! { <option value=s.as_str()>{crate::lang::labels::status(crate::lang::current(), *s)}</option> }).collect_view()}
                </select>
            </div>
        </form>
        <Loaded resource=cases loading=tu_string!(i18n, patient.loading_cases) ready=move |lists| view! { <Lists lists filters/> }/>
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
    let i18n = use_i18n();
    let none_to_coordinate = tu_string!(i18n, clinician.none_to_coordinate);
    let none_to_review = tu_string!(i18n, clinician.none_to_review);
    view! {
        <section aria-labelledby="coordinating">
            <h1 id="coordinating">{t!(i18n, clinician.coordinating)}</h1>
            {move || view! { <CaseTable cases=shown(&coordinating) show_patient=true empty=none_to_coordinate/> }}
        </section>
        <section aria-labelledby="reviewing">
            <h2 id="reviewing">{t!(i18n, clinician.reviewing)}</h2>
            {move || view! { <CaseTable cases=shown(&reviewing) show_patient=true empty=none_to_review/> }}
        </section>
    }
}
