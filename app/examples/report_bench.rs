//! Times `report_pdf::render` on a realistic five-page report.
//!
//! `cargo run --release -p app --features ssr --example report_bench [-- out.pdf]`
//!
//! Renders twice to warm up (the first render parses the fonts), then 20 times, and prints the
//! median, 90th percentile and maximum render time, the page count and the file size. With a path
//! argument the PDF is also written there, to look at.

use app::model::{Report, ReportOpinion, ReportPerson, REPORT_DISCLAIMER};
use app::server::report_pdf;
use chrono::{TimeZone, Utc};
use std::time::{Duration, Instant};

const WARM_UPS: usize = 2;
const RUNS: usize = 20;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let report = report();
    for _ in 0..WARM_UPS {
        report_pdf::render(&report)?;
    }
    let mut times = Vec::with_capacity(RUNS);
    let mut bytes = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        bytes = report_pdf::render(&report)?;
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "render: median {:.2} ms, p90 {:.2} ms, max {:.2} ms over {RUNS} runs",
        ms(times[RUNS / 2]),
        ms(times[RUNS * 9 / 10 - 1]),
        ms(times[RUNS - 1])
    );
    println!("pages: {}, size: {} bytes", page_count(&bytes), bytes.len());
    if let Some(path) = std::env::args().nth(1) {
        std::fs::write(&path, &bytes)?;
        println!("written to {path}");
    }
    Ok(())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Page objects in the file: each page dictionary says `/Type/Page` (the page tree `/Type/Pages`).
fn page_count(pdf: &[u8]) -> usize {
    let needle = b"/Type/Page";
    pdf.windows(needle.len() + 1)
        .filter(|window| window.starts_with(needle) && window[needle.len()] != b's')
        .count()
}

fn person(title: &str, name: &str, specialties: &str) -> ReportPerson {
    ReportPerson {
        name: name.into(),
        title: title.into(),
        specialties: specialties.into(),
    }
}

const PARAGRAPHS: [&str; 4] = [
    "The echocardiogram from 12 March shows a mildly dilated left ventricle with an ejection fraction \
     of 45 %, lower than the 55 % measured a year earlier. Together with the exercise test this points \
     to an early cardiomyopathy rather than to ischaemia → the coronary angiography proposed locally is \
     not urgent.",
    "Pacjentka zgłasza duszność wysiłkową od trzech miesięcy; Zażółć gęślą jaźń. The study arms are \
     called α, β and Ωμέγα, and the private clinic quoted €1 250 for the MRI, which we consider \
     worthwhile before any change of treatment.",
    "Laboratory results (NT-proBNP 620 pg/ml, troponin normal, TSH 2.1 mIU/l) are consistent with this \
     reading. Kidney function is normal (eGFR 88 ml/min/1.73 m²) and potassium is 4.4 mmol/l.",
    "We would repeat the echocardiogram in three months, start an ACE inhibitor at a low dose and \
     titrate it every two weeks while monitoring kidney function and potassium.",
];

fn text(paragraphs: usize) -> String {
    (0..paragraphs)
        .map(|i| PARAGRAPHS[i % PARAGRAPHS.len()])
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A completed case with three specialists, sized to fill five pages.
fn report() -> Report {
    let at = |day| {
        Utc.with_ymd_and_hms(2026, 11, day, 9, 15, 0)
            .single()
            .unwrap_or_default()
    };
    let specialists = vec![
        person("Dr", "Anna Wójcik", "Cardiology"),
        person("Prof.", "Łukasz Lewandowski", "Internal medicine, Nephrology"),
        person("Dr", "Zofia Kaczmarek-Nowak", "Radiology"),
    ];
    let opinions = specialists
        .iter()
        .enumerate()
        .map(|(i, author)| ReportOpinion {
            author: author.clone(),
            submitted_at: at(18 + i as u32),
            assessment: text(12),
            recommendation: text(3),
            diagnosis: Some("Early dilated cardiomyopathy (ICD-10 I42.0).".into()),
            treatment: (i == 0).then(|| "ACE inhibitor, titrated; echocardiogram in 3 months.".into()),
        })
        .collect();
    Report {
        case_id: "0b0c5f0e-6f6a-4c1e-9d7e-2f1f2d5b9a10".into(),
        reference: "CON-2026-0042".into(),
        submitted_at: at(3),
        completed_at: at(27),
        patient_name: "Małgorzata Żółkiewska".into(),
        patient_age: Some(58),
        patient_sex: Some("Female".into()),
        review_type: "Diagnosis review".into(),
        category: "Cardiology".into(),
        question: "Is the proposed coronary angiography necessary?\nShould I change my medication?".into(),
        coordinator: person("Dr", "Jan Kowalski", "General practice"),
        specialists,
        opinions,
        summary: text(4),
        disclaimer: REPORT_DISCLAIMER.into(),
    }
}
