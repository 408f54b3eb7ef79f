//! The final report in the browser: the same content as the PDF, from the same record, with
//! the PDF to download. Only the patient, the case's coordinator and specialists, and admins
//! get it; everyone else gets "not found".

use crate::api::review::load_report;
use crate::components::auth::RequireUser;
use crate::components::cases::date;
use crate::components::feedback::ErrorNote;
use crate::domain::intake::SEXES;
use crate::error::AppError;
use crate::i18n::{t, td_string, tu_string, use_i18n};
use crate::lang;
use crate::model::{Report, ReportOpinion, ReportPerson, REPORT_DISCLAIMER};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let report = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        |id| load_report(id.into()),
    );
    view! {
        <Title text=tu_string!(i18n, report.title)/>
        <RequireUser>
            <Transition fallback=move || view! { <p class="loading">{t!(i18n, report.loading)}</p> }>
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
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let id = report.case_id.clone();
    let not_given = td_string!(locale, report.not_given);
    // The report carries the English label of the stored sex; the reader gets it in their language.
    let sex = report
        .patient_sex
        .as_deref()
        .map(|label| {
            SEXES
                .iter()
                .find(|(_, english)| *english == label)
                .and_then(|(stored, _)| lang::labels::sex(locale, stored))
                .unwrap_or(label)
                .to_owned()
        })
        .unwrap_or_else(|| not_given.to_owned());
    let age = report
        .patient_age
        .map(|a| a.to_string())
        .unwrap_or_else(|| not_given.to_owned());
    // The standard disclaimer is shown in the reader's language; any other text as stored.
    let disclaimer = if report.disclaimer == REPORT_DISCLAIMER {
        td_string!(locale, report.disclaimer_text).to_owned()
    } else {
        report.disclaimer.clone()
    };
    view! {
        <Title text=td_string!(locale, report.title_ref, reference = report.reference.clone())/>
        <article class="report" data-testid="report">
            <header class="case-header">
                <h1>{t!(i18n, report.heading)}</h1>
                <p class="actions">
                    <a class="button" href=format!("/cases/{id}/report.pdf?download=1")>{t!(i18n, report.download_pdf)}</a>
                    " "
                    <a class="button button-quiet" href=format!("/cases/{id}/report.pdf") target="_blank" rel="noopener">{t!(i18n, report.open_pdf)}</a>
                </p>
            </header>
            <dl class="facts">
                <dt>{t!(i18n, cases.col_case)}</dt><dd><bdi>{report.reference.clone()}</bdi></dd>
                <dt>{t!(i18n, report.submitted)}</dt><dd>{date(report.submitted_at)}</dd>
                <dt>{t!(i18n, report.completed)}</dt><dd>{date(report.completed_at)}</dd>
                <dt>{t!(i18n, cases.col_patient)}</dt><dd><bdi>{report.patient_name.clone()}</bdi></dd>
                <dt>{t!(i18n, report.age_sex)}</dt><dd>{td_string!(locale, report.age_sex_value, age = age, sex = sex)}</dd>
                <dt>{t!(i18n, cases.col_review)}</dt><dd><bdi>{report.review_type.clone()}</bdi></dd>
                <dt>{t!(i18n, intake.medical_area)}</dt><dd><bdi>{report.category.clone()}</bdi></dd>
            </dl>
            <section>
                <h2>{t!(i18n, report.your_question)}</h2>
                <p class="prose" dir="auto">{report.question.clone()}</p>
            </section>
            <section>
                <h2>{t!(i18n, report.care_team)}</h2>
                <ul class="team">
                    <PersonRow person=report.coordinator.clone() role=td_string!(locale, report.coordinator)/>
                    {report.specialists.iter().cloned().map(|p| view! { <PersonRow person=p role=td_string!(locale, report.specialist)/> }).collect_view()}
                </ul>
            </section>
            <section>
                <h2>{t!(i18n, report.specialist_opinions)}</h2>
                {report.opinions.iter().cloned().map(|o| view! { <OpinionSection opinion=o/> }).collect_view()}
            </section>
            <section>
                <h2>{t!(i18n, report.coordinator_summary)}</h2>
                <p class="prose" dir="auto" data-testid="report-summary">{report.summary.clone()}</p>
            </section>
            <section class="disclaimer">
                <h2>{t!(i18n, report.disclaimer)}</h2>
                <p>{disclaimer}</p>
            </section>
            <p><a href=format!("/cases/{id}")>{t!(i18n, checkout.back)}</a></p>
        </article>
    }
}

#[component]
fn PersonRow(person: ReportPerson, role: &'static str) -> impl IntoView {
    view! {
        <li class="team-member">
            <strong><bdi>{person.display()}</bdi></strong>
            <span class="muted">" · "{role}" · "<bdi>{person.specialties}</bdi></span>
        </li>
    }
}

#[component]
fn OpinionSection(opinion: ReportOpinion) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let part = |title: &'static str, text: Option<String>| {
        text.map(|t| view! { <h4>{title}</h4><p class="prose" dir="auto">{t}</p> })
    };
    view! {
        <article class="card opinion" data-testid="report-opinion">
            <h3><bdi>{opinion.author.display()}</bdi></h3>
            <p class="muted">{td_string!(locale, report.opinion_submitted, date = date(opinion.submitted_at))}</p>
            {part(td_string!(locale, report.assessment), Some(opinion.assessment))}
            {part(td_string!(locale, report.recommendation), Some(opinion.recommendation))}
            {part(td_string!(locale, report.diagnosis), opinion.diagnosis)}
            {part(td_string!(locale, report.suggested_treatment), opinion.treatment)}
        </article>
    }
}
