//! The report as a list of blocks (rows of text with their styles), before pagination.

use super::*;
use crate::lang::Locale;
use crate::model::REPORT_DISCLAIMER;

/// A piece of text on a row; `x` counts from the left margin to the text's left end.
pub(super) struct Run {
    pub(super) x: f32,
    pub(super) text: String,
    pub(super) style: Style,
    /// Whether the paragraph the text belongs to reads right to left (only in Arabic reports),
    /// which decides how the bidirectional algorithm orders it.
    pub(super) rtl: bool,
}

/// One line on the page. Its runs share a baseline `baseline` below the row's top.
pub(super) struct Row {
    pub(super) runs: Vec<Run>,
    pub(super) height: f32,
    pub(super) baseline: f32,
}

impl Row {
    pub(super) fn new(runs: Vec<Run>, style: Style) -> Row {
        let height = style.size * LEADING;
        // Centres the glyphs' visual box (about 0.76 em above the baseline, 0.24 below) in the row.
        let baseline = height / 2.0 + 0.26 * style.size;
        Row {
            runs,
            height,
            baseline,
        }
    }
}

/// Rows that belong together. `space_before` is dropped at the top of a page; `keep_with_next`
/// (headings, labels) moves the block to the next page unless the start of the following block
/// fits below it.
pub(super) struct Block {
    pub(super) rows: Vec<Row>,
    pub(super) space_before: f32,
    pub(super) keep_with_next: bool,
}

impl Block {
    pub(super) fn height(&self) -> f32 {
        self.rows.iter().map(|row| row.height).sum()
    }
}

/// Collects the blocks of a report, wrapping text as it goes.
pub(super) struct Blocks<'s, 'f> {
    pub(super) setter: &'s Setter<'f>,
    pub(super) list: Vec<Block>,
}

impl Blocks<'_, '_> {
    /// Text across the full width, one block per paragraph (blank lines in the input separate
    /// paragraphs), so that every paragraph gets the page-break rules of a block. Empty text adds
    /// nothing.
    pub(super) fn text(&mut self, style: Style, space_before: f32, keep_with_next: bool, text: &str) {
        let lines = self.setter.wrap(style.weight, text, style.size, TEXT_WIDTH);
        let paragraphs = lines
            .split(String::is_empty)
            .filter(|paragraph| !paragraph.is_empty());
        for (index, paragraph) in paragraphs.enumerate() {
            let rtl = self.setter.paragraph_is_rtl(paragraph);
            // What people wrote (body text) starts where its own language starts, as the report
            // page's `dir="auto"` does: an English opinion in an Arabic report is left-aligned.
            // Headings and labels follow the report.
            let from_right = if style == BODY { rtl } else { self.setter.is_rtl() };
            let rows = paragraph
                .iter()
                .map(|line| Row::new(self.line_runs(0.0, line.clone(), style, rtl, from_right), style))
                .collect();
            let space_before = if index == 0 {
                space_before
            } else {
                PARAGRAPH_GAP * style.size
            };
            self.list.push(Block {
                rows,
                space_before,
                keep_with_next,
            });
        }
    }

    pub(super) fn heading(&mut self, text: &str) {
        self.text(HEADING, 16.0, true, text);
    }

    pub(super) fn paragraph(&mut self, text: &str) {
        self.text(BODY, 4.0, false, text);
    }

    /// A bold label with its body-text paragraph, kept together.
    pub(super) fn labelled(&mut self, label: &str, text: &str) {
        self.text(LABEL, 8.0, true, label);
        self.text(BODY, 1.0, false, text);
    }

    /// A "Label   value" row: the label in bold in the left column, the value wrapped in the rest.
    pub(super) fn field(&mut self, space_before: f32, label: &str, value: &str) {
        let labels = self
            .setter
            .wrap(LABEL.weight, label, LABEL.size, LABEL_COLUMN - LABEL_GAP);
        let values = self
            .setter
            .wrap(BODY.weight, value, BODY.size, TEXT_WIDTH - LABEL_COLUMN);
        let label_rtl = self.setter.paragraph_is_rtl(&labels);
        let value_rtl = self.setter.paragraph_is_rtl(&values);
        let mirrored = self.setter.is_rtl();
        let count = labels.len().max(values.len());
        let mut labels = labels.into_iter();
        let mut values = values.into_iter();
        let rows = (0..count)
            .map(|_| {
                let mut runs = labels
                    .next()
                    .map_or_else(Vec::new, |l| self.line_runs(0.0, l, LABEL, label_rtl, mirrored));
                runs.extend(values.next().map_or_else(Vec::new, |v| {
                    self.line_runs(LABEL_COLUMN, v, BODY, value_rtl, mirrored)
                }));
                Row::new(runs, BODY)
            })
            .collect();
        self.list.push(Block {
            rows,
            space_before,
            keep_with_next: false,
        });
    }
}

impl Blocks<'_, '_> {
    /// The runs of one wrapped line: none for a blank line, so it only takes up height (see
    /// [`Setter::run`]).
    pub(super) fn line_runs(
        &self,
        start: f32,
        text: String,
        style: Style,
        rtl: bool,
        from_right: bool,
    ) -> Vec<Run> {
        if text.is_empty() {
            Vec::new()
        } else {
            vec![self.setter.run(start, text, style, rtl, from_right)]
        }
    }
}

/// The whole report, in reading order, in the report's language.
pub(super) fn blocks(setter: &Setter, report: &Report) -> Vec<Block> {
    let locale = report.language;
    let mut b = Blocks {
        setter,
        list: Vec::new(),
    };
    header(&mut b, report);
    patient(&mut b, report);
    b.heading(td_string!(locale, report.your_question));
    b.paragraph(&report.question);
    care_team(&mut b, report);
    opinions(&mut b, report);
    b.heading(td_string!(locale, report.coordinator_summary));
    b.paragraph(&report.summary);
    b.heading(td_string!(locale, report.disclaimer));
    b.paragraph(&disclaimer(report));
    b.list
}

/// The standard disclaimer in the report's language; any other text as it was stored.
pub(super) fn disclaimer(report: &Report) -> String {
    if report.disclaimer == REPORT_DISCLAIMER {
        td_string!(report.language, report.disclaimer_text).to_owned()
    } else {
        report.disclaimer.clone()
    }
}

pub(super) fn header(b: &mut Blocks, report: &Report) {
    let locale = report.language;
    b.text(TITLE, 0.0, true, td_string!(locale, report.heading));
    b.field(10.0, td_string!(locale, report.case_reference), &report.reference);
    let submitted = long_date(locale, &report.submitted_at);
    b.field(0.0, td_string!(locale, report.submitted), &submitted);
    let completed = long_date(locale, &report.completed_at);
    b.field(0.0, td_string!(locale, report.completed), &completed);
}

pub(super) fn patient(b: &mut Blocks, report: &Report) {
    let locale = report.language;
    let not_given = td_string!(locale, report.not_given);
    let age = report
        .patient_age
        .map_or_else(|| not_given.to_string(), |age| age.to_string());
    b.heading(td_string!(locale, report.patient));
    b.field(4.0, td_string!(locale, report.name), &report.patient_name);
    b.field(0.0, td_string!(locale, report.age), &age);
    b.field(
        0.0,
        td_string!(locale, report.sex),
        sex(report).unwrap_or(not_given),
    );
    b.field(0.0, td_string!(locale, report.review_type), &report.review_type);
    b.field(0.0, td_string!(locale, report.category), &report.category);
}

/// The patient's sex in the report's language (the report stores its English label).
pub(super) fn sex(report: &Report) -> Option<&str> {
    let label = report.patient_sex.as_deref()?;
    let translated = crate::domain::intake::SEXES
        .iter()
        .find(|(_, english)| *english == label)
        .and_then(|(stored, _)| crate::lang::labels::sex(report.language, stored));
    Some(translated.unwrap_or(label))
}

pub(super) fn care_team(b: &mut Blocks, report: &Report) {
    let locale = report.language;
    b.heading(td_string!(locale, report.care_team));
    b.field(
        4.0,
        td_string!(locale, report.coordinator),
        &person(&report.coordinator),
    );
    for specialist in &report.specialists {
        b.field(0.0, td_string!(locale, report.specialist), &person(specialist));
    }
}

/// "Dr Anna Wójcik" with the specialties on the line below, when known.
pub(super) fn person(person: &ReportPerson) -> String {
    if person.specialties.trim().is_empty() {
        person.display()
    } else {
        format!("{}\n{}", person.display(), person.specialties)
    }
}

pub(super) fn opinions(b: &mut Blocks, report: &Report) {
    let locale = report.language;
    b.heading(td_string!(locale, report.specialist_opinions));
    if report.opinions.is_empty() {
        b.paragraph(td_string!(locale, report.no_opinion));
    }
    for opinion in &report.opinions {
        opinion_blocks(b, locale, opinion);
    }
}

fn opinion_blocks(b: &mut Blocks, locale: Locale, opinion: &ReportOpinion) {
    b.text(SUBHEADING, 14.0, true, &opinion.author.display());
    let date = long_date(locale, &opinion.submitted_at);
    b.text(
        MUTED,
        0.0,
        true,
        &td_string!(locale, report.opinion_submitted, date = date),
    );
    b.labelled(td_string!(locale, report.assessment), &opinion.assessment);
    b.labelled(td_string!(locale, report.recommendation), &opinion.recommendation);
    if let Some(diagnosis) = &opinion.diagnosis {
        b.labelled(td_string!(locale, report.diagnosis), diagnosis);
    }
    if let Some(treatment) = &opinion.treatment {
        b.labelled(td_string!(locale, report.suggested_treatment), treatment);
    }
}

/// "27 November 2026" / "27 نوفمبر 2026", in UTC like every date the service shows.
pub(super) fn long_date(locale: Locale, at: &DateTime<Utc>) -> String {
    crate::lang::format::date(locale, *at)
}
