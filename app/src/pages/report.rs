//! The final report in the browser: the same content as the PDF, from the same record, with
//! the PDF to download. Only the patient, the case's coordinator and specialists, and admins
//! get it; everyone else gets "not found".

use crate::api::review::load_report;
use crate::components::auth::RequireUser;
use crate::components::cases::date;
use crate::components::feedback::ErrorNote;
use crate::error::AppError;
use crate::model::{Report, ReportOpinion, ReportPerson};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let report = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        |id| load_report(id.into()),
    );
    view! {
        <Title text="Report"/>
        <RequireUser>
            <Transition fallback=|| view! { <p class="loading">"Loading the report…"</p> }>
                {move || Suspend::new(async move {
                    let loaded: Result<Report, AppError> = report.await;
                    match loaded {
                        Ok(report) => view! { <ReportBody report/> }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
        </RequireUser>
    }
}

#[component]
fn ReportBody(report: Report) -> impl IntoView {
    let id = report.case_id.clone();
    let sex = report.patient_sex.clone().unwrap_or_else(|| "not given".into());
    let age = report
        .patient_age
        .map(|a| a.to_string())
        .unwrap_or_else(|| "not given".into());
    view! {
        <Title text=format!("Report {}", report.reference)/>
        <article class="report" data-testid="report">
            <header class="case-header">
                <h1>"Second opinion report"</h1>
                <p class="actions">
                    <a class="button" href=format!("/cases/{id}/report.pdf?download=1")>"Download PDF"</a>
                    " "
                    <a class="button button-quiet" href=format!("/cases/{id}/report.pdf") target="_blank" rel="noopener">"Open PDF"</a>
                </p>
            </header>
            <dl class="facts">
                <dt>"Case"</dt><dd>{report.reference.clone()}</dd>
                <dt>"Submitted"</dt><dd>{date(report.submitted_at)}</dd>
                <dt>"Completed"</dt><dd>{date(report.completed_at)}</dd>
                <dt>"Patient"</dt><dd>{report.patient_name.clone()}</dd>
                <dt>"Age, sex"</dt><dd>{format!("{age}, {sex}")}</dd>
                <dt>"Review"</dt><dd>{report.review_type.clone()}</dd>
                <dt>"Medical area"</dt><dd>{report.category.clone()}</dd>
            </dl>
            <section>
                <h2>"Your question"</h2>
                <p class="prose">{report.question.clone()}</p>
            </section>
            <section>
                <h2>"Care team"</h2>
                <ul class="team">
                    <PersonRow person=report.coordinator.clone() role="Coordinator"/>
                    {report.specialists.iter().cloned().map(|p| view! { <PersonRow person=p role="Specialist"/> }).collect_view()}
                </ul>
            </section>
            <section>
                <h2>"Specialist opinions"</h2>
                {report.opinions.iter().cloned().map(|o| view! { <OpinionSection opinion=o/> }).collect_view()}
            </section>
            <section>
                <h2>"Coordinator's summary"</h2>
                <p class="prose" data-testid="report-summary">{report.summary.clone()}</p>
            </section>
            <section class="disclaimer">
                <h2>"Disclaimer"</h2>
                <p>{report.disclaimer.clone()}</p>
            </section>
            <p><a href=format!("/cases/{id}")>"Back to the case"</a></p>
        </article>
    }
}

#[component]
fn PersonRow(person: ReportPerson, role: &'static str) -> impl IntoView {
    view! {
        <li class="team-member">
            <strong>{person.display()}</strong>
            <span class="muted">{format!(" · {role} · {}", person.specialties)}</span>
        </li>
    }
}

#[component]
fn OpinionSection(opinion: ReportOpinion) -> impl IntoView {
    let part = |title: &'static str, text: Option<String>| {
        text.map(|t| view! { <h4>{title}</h4><p class="prose">{t}</p> })
    };
    view! {
        <article class="card opinion" data-testid="report-opinion">
            <h3>{opinion.author.display()}</h3>
            <p class="muted">{format!("Submitted {}", date(opinion.submitted_at))}</p>
            {part("Assessment", Some(opinion.assessment))}
            {part("Recommendation", Some(opinion.recommendation))}
            {part("Diagnosis", opinion.diagnosis)}
            {part("Suggested treatment", opinion.treatment)}
        </article>
    }
}
