//! The report as a list of blocks (rows of text with their styles), before pagination.

use super::*;

/// A piece of text on a row; `x` counts from the left margin.
pub(super) struct Run {
    pub(super) x: f32,
    pub(super) text: String,
    pub(super) style: Style,
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
pub(super) struct Blocks<'f> {
    pub(super) fonts: &'f Fonts,
    pub(super) list: Vec<Block>,
}

impl Blocks<'_> {
    /// Text across the full width, one block per paragraph (blank lines in the input separate
    /// paragraphs), so that every paragraph gets the page-break rules of a block. Empty text adds
    /// nothing.
    pub(super) fn text(&mut self, style: Style, space_before: f32, keep_with_next: bool, text: &str) {
        let face = self.fonts.face(style.weight);
        let lines = wrap(face, text, style.size, TEXT_WIDTH);
        let paragraphs = lines
            .split(String::is_empty)
            .filter(|paragraph| !paragraph.is_empty());
        for (index, paragraph) in paragraphs.enumerate() {
            let rows = paragraph
                .iter()
                .map(|line| Row::new(line_runs(0.0, line.clone(), style), style))
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
        let labels = wrap(&self.fonts.bold, label, LABEL.size, LABEL_COLUMN - LABEL_GAP);
        let values = wrap(&self.fonts.regular, value, BODY.size, TEXT_WIDTH - LABEL_COLUMN);
        let count = labels.len().max(values.len());
        let mut labels = labels.into_iter();
        let mut values = values.into_iter();
        let rows = (0..count)
            .map(|_| {
                let mut runs = labels.next().map_or_else(Vec::new, |l| line_runs(0.0, l, LABEL));
                runs.extend(
                    values
                        .next()
                        .map_or_else(Vec::new, |v| line_runs(LABEL_COLUMN, v, BODY)),
                );
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

/// The runs of one wrapped line: none for a blank line, so it only takes up height.
pub(super) fn line_runs(x: f32, text: String, style: Style) -> Vec<Run> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Run { x, text, style }]
    }
}

/// The whole report, in reading order.
pub(super) fn blocks(fonts: &Fonts, report: &Report) -> Vec<Block> {
    let mut b = Blocks {
        fonts,
        list: Vec::new(),
    };
    header(&mut b, report);
    patient(&mut b, report);
    b.heading("Your question");
    b.paragraph(&report.question);
    care_team(&mut b, report);
    opinions(&mut b, &report.opinions);
    b.heading("Coordinator's summary");
    b.paragraph(&report.summary);
    b.heading("Disclaimer");
    b.paragraph(&report.disclaimer);
    b.list
}

pub(super) fn header(b: &mut Blocks, report: &Report) {
    b.text(TITLE, 0.0, true, "Second opinion report");
    b.field(10.0, "Case reference", &report.reference);
    b.field(0.0, "Submitted", &long_date(&report.submitted_at));
    b.field(0.0, "Completed", &long_date(&report.completed_at));
}

pub(super) fn patient(b: &mut Blocks, report: &Report) {
    let age = report
        .patient_age
        .map_or_else(|| NOT_GIVEN.to_string(), |age| age.to_string());
    b.heading("Patient");
    b.field(4.0, "Name", &report.patient_name);
    b.field(0.0, "Age", &age);
    b.field(0.0, "Sex", report.patient_sex.as_deref().unwrap_or(NOT_GIVEN));
    b.field(0.0, "Review type", &report.review_type);
    b.field(0.0, "Category", &report.category);
}

pub(super) const NOT_GIVEN: &str = "not given";

pub(super) fn care_team(b: &mut Blocks, report: &Report) {
    b.heading("Care team");
    b.field(4.0, "Coordinator", &person(&report.coordinator));
    for specialist in &report.specialists {
        b.field(0.0, "Specialist", &person(specialist));
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

pub(super) fn opinions(b: &mut Blocks, opinions: &[ReportOpinion]) {
    b.heading("Specialist opinions");
    if opinions.is_empty() {
        b.paragraph("No specialist opinion was submitted for this case.");
    }
    for opinion in opinions {
        b.text(SUBHEADING, 14.0, true, &opinion.author.display());
        b.text(
            MUTED,
            0.0,
            true,
            &format!("Submitted {}", long_date(&opinion.submitted_at)),
        );
        b.labelled("Assessment", &opinion.assessment);
        b.labelled("Recommendation", &opinion.recommendation);
        if let Some(diagnosis) = &opinion.diagnosis {
            b.labelled("Diagnosis", diagnosis);
        }
        if let Some(treatment) = &opinion.treatment {
            b.labelled("Suggested treatment", treatment);
        }
    }
}

/// "27 November 2026", in UTC like every date the service shows.
pub(super) fn long_date(at: &DateTime<Utc>) -> String {
    at.format("%-d %B %Y").to_string()
}
