//! A realistic completed case's report, for the renderer's tests and its benchmark: accented
//! names, Greek, €, arrows, a long unbreakable URL and opinions long enough to span pages.

use crate::lang::Locale;
use crate::model::{Report, ReportOpinion, ReportPerson, REPORT_DISCLAIMER};
use chrono::{DateTime, TimeZone, Utc};

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 10, 30, 0)
        .single()
        .unwrap_or_default()
}

fn person(title: &str, name: &str, specialties: &str) -> ReportPerson {
    ReportPerson {
        name: name.into(),
        title: title.into(),
        specialties: specialties.into(),
    }
}

const PARAGRAPHS: [&str; 4] = [
    "The echocardiogram from 12 March shows a mildly dilated left ventricle with an ejection \
     fraction of 45 %, which is lower than the 55 % measured a year earlier. Together with the \
     exercise test this points to an early cardiomyopathy rather than to ischaemia → the \
     coronary angiography proposed locally is not urgent.",
    "Pacjentka zgłasza duszność wysiłkową od trzech miesięcy; Zażółć gęślą jaźń. The notes use \
     the Greek letters α, β and Ωμέγα for the study arms, and the private clinic quoted €1 250 \
     for the MRI, which we consider worthwhile before any change of treatment.",
    "Laboratory results (NT-proBNP 620 pg/ml, troponin within the normal range, TSH 2.1 mIU/l) \
     are consistent with this reading. The referral code \
     https://example.org/referrals/2026/CON-2026-0042/attachments/echo-report-final-version-2.pdf \
     is quoted in full in the documents.",
    "We would repeat the echocardiogram in three months, start an ACE inhibitor at a low dose \
     and titrate it every two weeks while monitoring kidney function and potassium.",
];

/// An opinion text of `paragraphs` paragraphs, separated by blank lines.
pub fn text(paragraphs: usize) -> String {
    (0..paragraphs)
        .map(|i| PARAGRAPHS[i % PARAGRAPHS.len()])
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Two specialists, one of them long-winded: at least three pages.
pub fn report() -> Report {
    let wojcik = person("Dr", "Anna Wójcik", "Cardiology");
    let lewandowski = person("Prof.", "Łukasz Lewandowski", "Internal medicine, Nephrology");
    Report {
        case_id: "0b0c5f0e-6f6a-4c1e-9d7e-2f1f2d5b9a10".into(),
        reference: "CON-2026-0042".into(),
        submitted_at: at(2026, 11, 3),
        completed_at: at(2026, 11, 27),
        patient_name: "Małgorzata Żółkiewska".into(),
        patient_age: Some(58),
        patient_sex: Some("Female".into()),
        review_type: "Diagnosis review".into(),
        category: "Cardiology".into(),
        question: "Is the proposed coronary angiography necessary?\nShould I change my medication?".into(),
        coordinator: person("Dr", "Jan Kowalski", "General practice"),
        specialists: vec![wojcik.clone(), lewandowski.clone()],
        opinions: vec![
            ReportOpinion {
                author: wojcik,
                submitted_at: at(2026, 11, 20),
                assessment: text(18),
                recommendation: text(3),
                diagnosis: Some("Early dilated cardiomyopathy (ICD-10 I42.0).".into()),
                treatment: Some("ACE inhibitor, titrated; repeat echocardiogram in 3 months.".into()),
            },
            ReportOpinion {
                author: lewandowski,
                submitted_at: at(2026, 11, 22),
                assessment: text(5),
                recommendation: "Check kidney function two weeks after each dose change.".into(),
                diagnosis: None,
                treatment: None,
            },
        ],
        summary: text(2),
        disclaimer: REPORT_DISCLAIMER.into(),
        language: Locale::en,
    }
}

/// Three specialists with long opinions: the five pages the benchmark renders.
pub fn five_pages() -> Report {
    let mut report = report();
    report
        .specialists
        .push(person("Dr", "Zofia Kaczmarek-Nowak", "Radiology"));
    report.opinions = report
        .specialists
        .iter()
        .enumerate()
        .map(|(i, author)| ReportOpinion {
            author: author.clone(),
            submitted_at: at(2026, 11, 18 + i as u32),
            assessment: text(12),
            recommendation: text(3),
            diagnosis: Some("Early dilated cardiomyopathy (ICD-10 I42.0).".into()),
            treatment: (i == 0).then(|| "ACE inhibitor, titrated; echocardiogram in 3 months.".into()),
        })
        .collect();
    report.summary = text(4);
    report
}

/// Sentences of the Arabic sample, each on one line of the source so tests can look for them.
pub const ARABIC_QUESTION: &str = "هل تصوير الشرايين التاجية المقترح ضروري؟";
/// A line mixing Arabic with a Latin drug name.
pub const ARABIC_MIXED: &str = "نوصي بدواء Ramipril مرة واحدة يوميًا.";
/// A dose inside Arabic: the number and its unit read right to left as "2.5 mg".
pub const ARABIC_DOSE: &str = "ابدأ بجرعة 2.5 mg صباحًا";
pub const ARABIC_SUMMARY: &str = "لا حاجة عاجلة إلى تصوير الشرايين، ونوصي بإعادة الفحص بعد ثلاثة أشهر.";

const ARABIC_FINDINGS: &str = "يُظهر تخطيط صدى القلب توسعًا خفيفًا في البطين الأيسر مع انخفاض في \
    الكسر القذفي مقارنةً بالقياس السابق. تشير هذه النتائج مع اختبار الجهد إلى اعتلال مبكر في عضلة \
    القلب وليس إلى نقص التروية، ولذلك فإن تصوير الشرايين التاجية المقترح ليس عاجلًا.";

/// The report of a patient who reads Arabic: Arabic text throughout, Latin names, a drug and a
/// dose inside Arabic sentences, a recommendation written in English, paragraphs that wrap.
pub fn arabic() -> Report {
    let mut report = report();
    report.language = Locale::ar;
    report.patient_name = "ليلى حداد".into();
    report.question = format!("{ARABIC_QUESTION}\nهل يجب أن أغيّر أدويتي؟");
    for opinion in &mut report.opinions {
        opinion.assessment =
            format!("{ARABIC_FINDINGS}\n\n{ARABIC_FINDINGS}\n\n{ARABIC_MIXED}\n{ARABIC_DOSE}");
        opinion.diagnosis = Some("اعتلال عضلة القلب التوسعي المبكر (ICD-10 I42.0).".into());
        opinion.treatment = None;
    }
    if let Some(first) = report.opinions.first_mut() {
        first.recommendation = "Repeat the echocardiogram in three months.".into();
    }
    if let Some(second) = report.opinions.get_mut(1) {
        second.recommendation = "متابعة وظائف الكلى بعد أسبوعين من كل تعديل للجرعة.".into();
    }
    report.summary = format!("راجعت الدكتورة Anna Wójcik ملفك الطبي بالكامل.\n\n{ARABIC_SUMMARY}");
    report
}
