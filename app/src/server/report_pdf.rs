//! Renders the final report of a case ([`Report`]) as an A4 PDF.
//!
//! The layout is done here rather than by printpdf's HTML engine: a report is a fixed sequence of
//! headings, label/value rows and paragraphs, and setting those by hand keeps the output
//! deterministic, fast and small. Text is set in DejaVu Sans (bundled, so Polish, Greek, € and
//! arrows print on any server), measured with exactly the glyph widths the PDF declares, wrapped
//! to the text column and paginated with headings kept together with what follows them.

use crate::model::{Report, ReportOpinion, ReportPerson};
use chrono::{DateTime, Utc};
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfDocumentInfo, PdfFont, PdfFontHandle,
    PdfPage, PdfParseErrorSeverity, PdfSaveOptions, PdfWarnMsg, Point, Pt, Rgb, TextItem, TextMatrix,
};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// Why a report could not be rendered. Neither depends on the report's content: both mean the
/// build or the PDF library is broken, so callers can treat them as internal errors.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A bundled font did not parse.
    #[error("the bundled font {0} could not be parsed")]
    Font(&'static str),
    /// The PDF could not be assembled or written.
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// Renders `report` to the bytes of a PDF file. The same report always gives the same bytes.
pub fn render(report: &Report) -> Result<Vec<u8>, RenderError> {
    let fonts = fonts()?;
    let pages = paginate(&blocks(fonts, report));
    let total = pages.len();
    let pdf_pages = pages
        .into_iter()
        .enumerate()
        .map(|(index, mut placed)| {
            placed.push(footer(fonts, &report.reference, index + 1, total));
            PdfPage::new(Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM), page_ops(placed))
        })
        .collect();
    let doc = document(fonts, report, pdf_pages);
    serialize(&doc, &file_id(report)?)
}

// ---------------------------------------------------------------------------------------------
// Page geometry and type styles. PDF user space is in points (1/72 inch) from the bottom left.

const PAGE_WIDTH_MM: f32 = 210.0;
const PAGE_HEIGHT_MM: f32 = 297.0;
const MM: f32 = 72.0 / 25.4;
const PAGE_WIDTH: f32 = PAGE_WIDTH_MM * MM;
const PAGE_HEIGHT: f32 = PAGE_HEIGHT_MM * MM;
const MARGIN: f32 = 20.0 * MM;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// Top of the first row on a page.
const TOP: f32 = PAGE_HEIGHT - MARGIN;
/// No body row reaches below this; the footer lives underneath.
const BOTTOM: f32 = 22.0 * MM;
const FOOTER_RULE: f32 = 17.0 * MM;
const FOOTER_BASELINE: f32 = 12.0 * MM;
/// Width of the label column of "Label   value" rows; values start here.
const LABEL_COLUMN: f32 = 38.0 * MM;
/// Gap kept between a label and its value when a label wraps.
const LABEL_GAP: f32 = 3.0 * MM;
/// Row height as a multiple of the font size.
const LEADING: f32 = 1.4;
/// Space between the paragraphs of one text, as a multiple of the font size.
const PARAGRAPH_GAP: f32 = 0.7;
/// A paragraph only starts on a page with room for this many of its rows, so none begins with a
/// lone line at the foot of a page.
const ORPHAN_ROWS: usize = 2;

/// Resource names of the two faces inside the PDF. Fixed, because printpdf would draw random
/// ones and the bytes would differ on every render; their first six capitals also become the
/// subset tag ("DVSREG+DejaVuSans") that tells readers the embedded font is a subset.
const REGULAR_ID: &str = "DVSREG";
const BOLD_ID: &str = "DVSBLD";

static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

#[derive(Clone, Copy, Debug, PartialEq)]
enum Weight {
    Regular,
    Bold,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Style {
    weight: Weight,
    size: f32,
    /// Fill colour, RGB from 0 to 1.
    colour: [f32; 3],
}

const fn style(weight: Weight, size: f32, colour: [f32; 3]) -> Style {
    Style { weight, size, colour }
}

const INK: [f32; 3] = [0.1, 0.1, 0.1];
const ACCENT: [f32; 3] = [0.07, 0.27, 0.42];
const GREY: [f32; 3] = [0.4, 0.4, 0.4];

const TITLE: Style = style(Weight::Bold, 20.0, ACCENT);
const HEADING: Style = style(Weight::Bold, 13.5, ACCENT);
const SUBHEADING: Style = style(Weight::Bold, 11.5, INK);
const LABEL: Style = style(Weight::Bold, 10.5, INK);
const BODY: Style = style(Weight::Regular, 10.5, INK);
const MUTED: Style = style(Weight::Regular, 9.5, GREY);
const FOOTER: Style = style(Weight::Regular, 8.0, GREY);

// ---------------------------------------------------------------------------------------------
// Fonts: parsed once per process, because parsing DejaVu takes far longer than laying out a report.

/// One embedded face and what is needed to measure text in it.
struct Face {
    font: ParsedFont,
    units_per_em: f32,
    /// Advances of the code points below [`TABLED_CHARS`], indexed by code point.
    tabled: Vec<u64>,
}

/// Code points below this (Latin, Greek, Cyrillic, punctuation…) have their advance looked up once,
/// when the font is parsed.
const TABLED_CHARS: u32 = 0x800;

struct Fonts {
    regular: Face,
    bold: Face,
}

/// The parsed fonts, shared by every render. A parse failure is remembered too, so a broken
/// build fails every render quickly instead of re-parsing each time.
fn fonts() -> Result<&'static Fonts, RenderError> {
    static FONTS: OnceLock<Result<Fonts, &'static str>> = OnceLock::new();
    FONTS
        .get_or_init(Fonts::parse)
        .as_ref()
        .map_err(|name| RenderError::Font(name))
}

impl Fonts {
    fn parse() -> Result<Fonts, &'static str> {
        Ok(Fonts {
            regular: Face::parse(REGULAR_TTF, "DejaVuSans.ttf")?,
            bold: Face::parse(BOLD_TTF, "DejaVuSans-Bold.ttf")?,
        })
    }

    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

impl Face {
    fn parse(bytes: &[u8], name: &'static str) -> Result<Face, &'static str> {
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or(name)?;
        let units_per_em = f32::from(font.pdf_font_metrics.units_per_em);
        if units_per_em <= 0.0 {
            return Err(name);
        }
        let mut face = Face {
            font,
            units_per_em,
            tabled: Vec::new(),
        };
        face.tabled = (0..TABLED_CHARS)
            .map(|c| char::from_u32(c).map_or(0, |c| face.look_up_advance(c)))
            .collect();
        Ok(face)
    }

    /// Advance of `c` in thousandths of an em. Common characters come from the table made at
    /// parse time, so measuring a report costs an index per character.
    fn advance(&self, c: char) -> u64 {
        let tabled = usize::try_from(u32::from(c))
            .ok()
            .and_then(|i| self.tabled.get(i));
        tabled.copied().unwrap_or_else(|| self.look_up_advance(c))
    }

    /// Advance of `c` in thousandths of an em, computed exactly as printpdf fills the PDF's `/W`
    /// widths (the glyph's hmtx advance scaled in f32, then truncated): the viewer moves the pen by
    /// those numbers, so measuring with them means a line is exactly as wide as we think. Unmapped
    /// characters count as glyph 0, as printpdf draws them; [`Face::printable`] removes them
    /// beforehand.
    fn look_up_advance(&self, c: char) -> u64 {
        let gid = self.font.lookup_glyph_index(u32::from(c)).unwrap_or(0);
        // printpdf takes the advance of a decoded glyph, which azul reads from hmtx for every gid
        // below `num_glyphs` (and has none above); reading hmtx directly skips decoding the outline.
        let advance = if gid < self.font.num_glyphs {
            self.font.get_horizontal_advance(gid)
        } else {
            0
        };
        (f32::from(advance) * (1000.0 / self.units_per_em)) as u64
    }

    /// Width of `text` in thousandths of an em. Integers, so that adding up words and spaces gives
    /// exactly the width of the joined line.
    fn units(&self, text: &str) -> u64 {
        text.chars().map(|c| self.advance(c)).sum()
    }

    /// Width of `text` in points at `size`.
    fn width(&self, text: &str, size: f32) -> f32 {
        self.units(text) as f32 * size / 1000.0
    }

    fn has_glyph(&self, c: char) -> bool {
        self.font
            .lookup_glyph_index(u32::from(c))
            .is_some_and(|gid| gid != 0)
    }

    /// One line of input (no newlines) as this face can draw it: tabs become spaces, other control
    /// characters go, and characters the font lacks become U+FFFD, so a reader sees that something
    /// was there rather than an empty box, and drawn and measured text agree.
    fn printable(&self, line: &str) -> String {
        line.chars()
            .filter_map(|c| match c {
                '\t' => Some(' '),
                c if c.is_control() => None,
                c if self.has_glyph(c) => Some(c),
                _ if self.has_glyph('\u{FFFD}') => Some('\u{FFFD}'),
                _ => Some('?'),
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Wrapping.

/// Splits `text` into lines no wider than `max_width` points at `size` in `face`. Each explicit
/// newline starts a new line, runs of blank lines shrink to one blank line (a paragraph break),
/// words wrap at spaces, and a word wider than a whole line is cut between characters.
fn wrap(face: &Face, text: &str, size: f32, max_width: f32) -> Vec<String> {
    // Compare in font units: integer sums cannot drift past the limit through rounding.
    let max_units = (max_width * 1000.0 / size.max(f32::MIN_POSITIVE))
        .floor()
        .max(0.0) as u64;
    let mut lines: Vec<String> = Vec::new();
    for raw in text.trim().lines() {
        let line = face.printable(raw);
        if line.trim().is_empty() {
            if lines.last().is_some_and(|last| !last.is_empty()) {
                lines.push(String::new());
            }
            continue;
        }
        wrap_line(face, &line, max_units, &mut lines);
    }
    lines
}

/// Greedy fill of one explicit line: as many words as fit, then the next line.
fn wrap_line(face: &Face, line: &str, max_units: u64, out: &mut Vec<String>) {
    let space = face.advance(' ');
    let mut current = String::new();
    let mut used = 0;
    for word in line.split(' ').filter(|word| !word.is_empty()) {
        let width = face.units(word);
        if !current.is_empty() && used + space + width <= max_units {
            current.push(' ');
            current.push_str(word);
            used += space + width;
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        (current, used) = if width <= max_units {
            (word.to_string(), width)
        } else {
            break_word(face, word, max_units, out)
        };
    }
    if !current.is_empty() {
        out.push(current);
    }
}

/// Cuts a word too wide for any line (a long URL, a pasted lab code) into pieces that fit. All
/// but the last piece go to `out`; the last is returned with its width, so the following words can
/// continue on its line. A piece always takes at least one character, so this ends even if a
/// single glyph were wider than the line.
fn break_word(face: &Face, word: &str, max_units: u64, out: &mut Vec<String>) -> (String, u64) {
    let mut piece = String::new();
    let mut used = 0;
    for c in word.chars() {
        let width = face.advance(c);
        if !piece.is_empty() && used + width > max_units {
            out.push(std::mem::take(&mut piece));
            used = 0;
        }
        piece.push(c);
        used += width;
    }
    (piece, used)
}

// ---------------------------------------------------------------------------------------------
// Content: the report as a list of blocks, before it is split into pages.

/// A piece of text on a row; `x` counts from the left margin.
struct Run {
    x: f32,
    text: String,
    style: Style,
}

/// One line on the page. Its runs share a baseline `baseline` below the row's top.
struct Row {
    runs: Vec<Run>,
    height: f32,
    baseline: f32,
}

impl Row {
    fn new(runs: Vec<Run>, style: Style) -> Row {
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
struct Block {
    rows: Vec<Row>,
    space_before: f32,
    keep_with_next: bool,
}

impl Block {
    fn height(&self) -> f32 {
        self.rows.iter().map(|row| row.height).sum()
    }
}

/// Collects the blocks of a report, wrapping text as it goes.
struct Blocks<'f> {
    fonts: &'f Fonts,
    list: Vec<Block>,
}

impl Blocks<'_> {
    /// Text across the full width, one block per paragraph (blank lines in the input separate
    /// paragraphs), so that every paragraph gets the page-break rules of a block. Empty text adds
    /// nothing.
    fn text(&mut self, style: Style, space_before: f32, keep_with_next: bool, text: &str) {
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

    fn heading(&mut self, text: &str) {
        self.text(HEADING, 16.0, true, text);
    }

    fn paragraph(&mut self, text: &str) {
        self.text(BODY, 4.0, false, text);
    }

    /// A bold label with its body-text paragraph, kept together.
    fn labelled(&mut self, label: &str, text: &str) {
        self.text(LABEL, 8.0, true, label);
        self.text(BODY, 1.0, false, text);
    }

    /// A "Label   value" row: the label in bold in the left column, the value wrapped in the rest.
    fn field(&mut self, space_before: f32, label: &str, value: &str) {
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
fn line_runs(x: f32, text: String, style: Style) -> Vec<Run> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Run { x, text, style }]
    }
}

/// The whole report, in reading order.
fn blocks(fonts: &Fonts, report: &Report) -> Vec<Block> {
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

fn header(b: &mut Blocks, report: &Report) {
    b.text(TITLE, 0.0, true, "Second opinion report");
    b.field(10.0, "Case reference", &report.reference);
    b.field(0.0, "Submitted", &long_date(&report.submitted_at));
    b.field(0.0, "Completed", &long_date(&report.completed_at));
}

fn patient(b: &mut Blocks, report: &Report) {
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

const NOT_GIVEN: &str = "not given";

fn care_team(b: &mut Blocks, report: &Report) {
    b.heading("Care team");
    b.field(4.0, "Coordinator", &person(&report.coordinator));
    for specialist in &report.specialists {
        b.field(0.0, "Specialist", &person(specialist));
    }
}

/// "Dr Anna Wójcik" with the specialties on the line below, when known.
fn person(person: &ReportPerson) -> String {
    if person.specialties.trim().is_empty() {
        person.display()
    } else {
        format!("{}\n{}", person.display(), person.specialties)
    }
}

fn opinions(b: &mut Blocks, opinions: &[ReportOpinion]) {
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
fn long_date(at: &DateTime<Utc>) -> String {
    at.format("%-d %B %Y").to_string()
}

// ---------------------------------------------------------------------------------------------
// Pagination.

/// Text placed on a page: the baseline's start, in points from the page's bottom left.
struct Placed {
    x: f32,
    y: f32,
    text: String,
    style: Style,
}

/// Lays the blocks out on as many pages as they need (always at least one).
fn paginate(blocks: &[Block]) -> Vec<Vec<Placed>> {
    let mut pager = Pager {
        pages: vec![Vec::new()],
        top: TOP,
    };
    for (index, block) in blocks.iter().enumerate() {
        pager.start_block(block.space_before, keep_height(blocks, index));
        for row in &block.rows {
            pager.place(row);
        }
    }
    pager.pages
}

/// The height that must fit below the cursor for block `index` to start on this page: a
/// keep-with-next block in full plus whatever its successor needs, otherwise the block's first
/// [`ORPHAN_ROWS`] rows. This is what keeps a heading (and a chain like author, date, label) from
/// ending a page.
fn keep_height(blocks: &[Block], index: usize) -> f32 {
    let Some(block) = blocks.get(index) else {
        return 0.0;
    };
    match blocks.get(index + 1) {
        Some(next) if block.keep_with_next => {
            block.height() + next.space_before + keep_height(blocks, index + 1)
        }
        _ => block.rows.iter().take(ORPHAN_ROWS).map(|row| row.height).sum(),
    }
}

struct Pager {
    pages: Vec<Vec<Placed>>,
    /// Top of the next row on the current (last) page.
    top: f32,
}

impl Pager {
    fn page_is_empty(&self) -> bool {
        self.pages.last().is_none_or(Vec::is_empty)
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.top = TOP;
    }

    /// Moves to a new page unless `needed` fits below the block's space; at the top of a page the
    /// block starts right away (space dropped), even if it could never fit.
    fn start_block(&mut self, space_before: f32, needed: f32) {
        if self.page_is_empty() {
            return;
        }
        if self.top - space_before - needed < BOTTOM {
            self.new_page();
        } else {
            self.top -= space_before;
        }
    }

    fn place(&mut self, row: &Row) {
        if self.top - row.height < BOTTOM && !self.page_is_empty() {
            self.new_page();
        }
        // A blank line at the top of a page would only push the text down.
        if row.runs.is_empty() && self.page_is_empty() {
            return;
        }
        let y = self.top - row.baseline;
        let placed = row.runs.iter().map(|run| Placed {
            x: MARGIN + run.x,
            y,
            text: run.text.clone(),
            style: run.style,
        });
        if let Some(page) = self.pages.last_mut() {
            page.extend(placed);
        }
        self.top -= row.height;
    }
}

/// "Consilium · CON-… · Page n of m", centred under the rule at the foot of the page.
fn footer(fonts: &Fonts, reference: &str, page: usize, total: usize) -> Placed {
    let face = fonts.face(FOOTER.weight);
    let text = face.printable(&format!("Consilium · {reference} · Page {page} of {total}"));
    let width = face.width(&text, FOOTER.size);
    Placed {
        x: (PAGE_WIDTH - width) / 2.0,
        y: FOOTER_BASELINE,
        text,
        style: FOOTER,
    }
}

// ---------------------------------------------------------------------------------------------
// PDF output.

/// The drawing operations of one page: the footer rule, then all text in one text object,
/// switching font and colour only where the style changes.
fn page_ops(placed: Vec<Placed>) -> Vec<Op> {
    let mut ops = footer_rule();
    ops.push(Op::StartTextSection);
    let mut current = None;
    for text in placed {
        if current != Some(text.style) {
            ops.extend(style_ops(text.style));
            current = Some(text.style);
        }
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(text.x), Pt(text.y)),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.text)],
        });
    }
    ops.push(Op::EndTextSection);
    ops
}

fn style_ops(style: Style) -> [Op; 2] {
    let id = match style.weight {
        Weight::Regular => REGULAR_ID,
        Weight::Bold => BOLD_ID,
    };
    [
        Op::SetFont {
            font: PdfFontHandle::External(FontId(id.to_string())),
            size: Pt(style.size),
        },
        Op::SetFillColor {
            col: colour(style.colour),
        },
    ]
}

fn colour([r, g, b]: [f32; 3]) -> Color {
    Color::Rgb(Rgb::new(r, g, b, None))
}

fn footer_rule() -> Vec<Op> {
    let point = |x: f32| LinePoint {
        p: Point {
            x: Pt(x),
            y: Pt(FOOTER_RULE),
        },
        bezier: false,
    };
    vec![
        Op::SetOutlineColor {
            col: colour([0.75, 0.75, 0.75]),
        },
        Op::SetOutlineThickness { pt: Pt(0.5) },
        Op::DrawLine {
            line: Line {
                points: vec![point(MARGIN), point(PAGE_WIDTH - MARGIN)],
                is_closed: false,
            },
        },
    ]
}

/// The document: metadata, the two faces under their fixed names, and the pages.
fn document(fonts: &Fonts, report: &Report, pages: Vec<PdfPage>) -> PdfDocument {
    let mut doc = PdfDocument::new(&format!("Second opinion report {}", report.reference));
    describe(&mut doc.metadata.info, report);
    for (id, face) in [(REGULAR_ID, &fonts.regular), (BOLD_ID, &fonts.bold)] {
        // Cloning shares the parsed tables' big buffers; it does not parse again.
        doc.resources
            .fonts
            .map
            .insert(FontId(id.to_string()), PdfFont::new(face.font.clone()));
    }
    doc.with_pages(pages);
    doc
}

/// Document properties. Dated with the completion date rather than "now" so that re-rendering a
/// report reproduces the stored file.
fn describe(info: &mut PdfDocumentInfo, report: &Report) {
    info.author = "Consilium".to_string();
    info.creator = "Consilium".to_string();
    info.producer = "Consilium (printpdf)".to_string();
    info.subject = "Second opinion report".to_string();
    info.identifier = report.reference.clone();
    if let Ok(date) = printpdf::OffsetDateTime::from_unix_timestamp(report.completed_at.timestamp()) {
        info.creation_date = date;
        info.modification_date = date;
        info.metadata_date = date;
    }
}

/// The file identifier written to the trailer: a digest of the report, so it is the same for the
/// same report and differs between reports (printpdf would draw a random one on every save).
fn file_id(report: &Report) -> Result<String, RenderError> {
    let json =
        serde_json::to_vec(report).map_err(|e| RenderError::Write(format!("hashing the report: {e}")))?;
    let digest = Sha256::digest(&json);
    Ok(hex::encode(&digest[..16]))
}

/// Writes the document with compressed streams and subset fonts (printpdf's defaults), but with
/// the trailer's /ID replaced by `file_id`. printpdf's `save` would do the same minus that
/// replacement, so this goes through its lopdf document instead.
fn serialize(doc: &PdfDocument, file_id: &str) -> Result<Vec<u8>, RenderError> {
    let mut warnings = Vec::new();
    let mut pdf = doc.to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
    log_problems(&warnings);
    if let Ok(ids) = pdf.trailer.get_mut(b"ID").and_then(|ids| ids.as_array_mut()) {
        for id in ids {
            if let Ok(bytes) = id.as_str_mut() {
                *bytes = file_id.as_bytes().to_vec();
            }
        }
    }
    pdf.compress();
    let mut bytes = Vec::new();
    pdf.save_to(&mut bytes)
        .map_err(|e| RenderError::Write(e.to_string()))?;
    Ok(bytes)
}

/// printpdf reports problems (such as text drawn outside a text object) as messages rather than
/// errors; none are expected, so any that appear are logged for whoever changes the layout.
fn log_problems(warnings: &[PdfWarnMsg]) {
    for warning in warnings
        .iter()
        .filter(|w| w.severity == PdfParseErrorSeverity::Error)
    {
        tracing::warn!(page = warning.page, message = %warning.msg, "report PDF: printpdf reported a problem");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::REPORT_DISCLAIMER;
    use chrono::TimeZone;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 10, 30, 0)
            .single()
            .expect("valid date")
    }

    fn clinician(title: &str, name: &str, specialties: &str) -> ReportPerson {
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
    fn long_text(paragraphs: usize) -> String {
        (0..paragraphs)
            .map(|i| PARAGRAPHS[i % PARAGRAPHS.len()])
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    fn sample_report() -> Report {
        let wojcik = clinician("Dr", "Anna Wójcik", "Cardiology");
        let lewandowski = clinician("Prof.", "Łukasz Lewandowski", "Internal medicine, Nephrology");
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
            question: "Is the proposed coronary angiography necessary?\nShould I change my medication?"
                .into(),
            coordinator: clinician("Dr", "Jan Kowalski", "General practice"),
            specialists: vec![wojcik.clone(), lewandowski.clone()],
            opinions: vec![
                ReportOpinion {
                    author: wojcik,
                    submitted_at: at(2026, 11, 20),
                    assessment: long_text(18),
                    recommendation: long_text(3),
                    diagnosis: Some("Early dilated cardiomyopathy (ICD-10 I42.0).".into()),
                    treatment: Some("ACE inhibitor, titrated; repeat echocardiogram in 3 months.".into()),
                },
                ReportOpinion {
                    author: lewandowski,
                    submitted_at: at(2026, 11, 22),
                    assessment: long_text(5),
                    recommendation: "Check kidney function two weeks after each dose change.".into(),
                    diagnosis: None,
                    treatment: None,
                },
            ],
            summary: long_text(2),
            disclaimer: REPORT_DISCLAIMER.into(),
        }
    }

    /// A PDF written to a fresh temporary file, removed when dropped.
    struct TempPdf(PathBuf);

    impl TempPdf {
        fn new(bytes: &[u8]) -> TempPdf {
            let path =
                std::env::temp_dir().join(format!("consilium-report-{}.pdf", uuid::Uuid::new_v4().simple()));
            std::fs::write(&path, bytes).expect("write the PDF to a temporary file");
            TempPdf(path)
        }
    }

    impl Drop for TempPdf {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    /// Runs `tool` on `path`; panics with its stderr unless it succeeds.
    fn run(tool: &str, args: &[&str], path: &Path) -> String {
        let output = Command::new(tool)
            .args(args)
            .arg(path)
            .output()
            .expect("run the PDF tool");
        assert!(
            output.status.success(),
            "{tool} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn page_count(path: &Path) -> usize {
        run("pdfinfo", &[], path)
            .lines()
            .find_map(|line| line.strip_prefix("Pages:"))
            .and_then(|count| count.trim().parse().ok())
            .expect("pdfinfo prints the page count")
    }

    #[test]
    fn report_is_a_valid_pdf_with_extractable_unicode_text_and_embedded_subset_fonts() {
        let report = sample_report();
        let bytes = render(&report).expect("render");
        let pdf = TempPdf::new(&bytes);

        run("qpdf", &["--check"], &pdf.0);
        let pages = page_count(&pdf.0);
        assert!(
            pages >= 3,
            "the long opinion should need at least 3 pages, got {pages}"
        );

        let text = pdftotext(&pdf.0);
        for expected in [
            "Second opinion report",
            "CON-2026-0042",
            "27 November 2026",
            "Małgorzata Żółkiewska",
            "Zażółć gęślą jaźń",
            "Ωμέγα",
            "€1",
            "→",
            "Dr Anna Wójcik",
            "Prof. Łukasz Lewandowski",
            "Dr Jan Kowalski",
            "Coordinator's summary",
            "This second opinion is based only",
            "Page 1 of",
            &format!("Page {pages} of {pages}"),
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} missing from the extracted text:\n{text}"
            );
        }

        let fonts = run("pdffonts", &[], &pdf.0);
        for name in ["DVSREG+DejaVuSans", "DVSBLD+DejaVuSans-Bold"] {
            let line = fonts
                .lines()
                .find(|line| line.starts_with(name))
                .unwrap_or_else(|| panic!("{name} in\n{fonts}"));
            let columns: Vec<&str> = line.split_whitespace().collect();
            // name type… encoding emb sub uni object generation
            let flags = &columns[columns.len() - 5..columns.len() - 2];
            assert_eq!(
                flags,
                ["yes", "yes", "yes"],
                "{name} should be embedded, subset, with ToUnicode:\n{fonts}"
            );
        }

        assert!(
            bytes.len() < 150_000,
            "a {pages}-page report took {} bytes",
            bytes.len()
        );
    }

    fn pdftotext(path: &Path) -> String {
        let output = Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(path)
            .arg("-")
            .output()
            .expect("run pdftotext");
        assert!(
            output.status.success(),
            "pdftotext failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("pdftotext prints UTF-8")
    }

    #[test]
    fn rendering_the_same_report_twice_gives_the_same_bytes() {
        let report = sample_report();
        let first = render(&report).expect("render");
        assert_eq!(first, render(&report).expect("render again"));
        let mut other = report.clone();
        other.summary.push_str(" One more sentence.");
        assert_ne!(first, render(&other).expect("render a changed report"));
    }

    #[test]
    fn missing_age_and_sex_print_not_given() {
        let mut report = sample_report();
        report.patient_age = None;
        report.patient_sex = None;
        let pdf = TempPdf::new(&render(&report).expect("render"));
        let text = pdftotext(&pdf.0);
        assert_eq!(text.matches(NOT_GIVEN).count(), 2, "{text}");
    }

    /// Texts that stress the wrapper: long paragraphs, explicit breaks, tabs, a word longer than
    /// any line, characters DejaVu lacks.
    fn wrapping_inputs() -> Vec<String> {
        vec![
            long_text(6),
            "Line one\nLine two\r\n\n\n\nAfter a blank line\twith a tab".into(),
            format!("short {} short", "Wójcik→Ωμέγα€".repeat(40)),
            "W".repeat(500),
            "漢字 and 🫀 are not in DejaVu Sans".into(),
            String::new(),
        ]
    }

    #[test]
    fn wrapped_lines_never_exceed_the_width() {
        let fonts = fonts().expect("fonts");
        for face in [&fonts.regular, &fonts.bold] {
            for size in [8.0, 10.5, 13.5, 20.0] {
                for max_width in [
                    TEXT_WIDTH,
                    TEXT_WIDTH - LABEL_COLUMN,
                    LABEL_COLUMN - LABEL_GAP,
                    40.0,
                ] {
                    for text in wrapping_inputs() {
                        for line in wrap(face, &text, size, max_width) {
                            let width = face.width(&line, size);
                            assert!(
                                width <= max_width + 0.001,
                                "{line:?} is {width} pt wide, limit {max_width}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn wrapping_keeps_every_character_and_the_explicit_line_breaks() {
        let fonts = fonts().expect("fonts");
        let face = &fonts.regular;
        for text in wrapping_inputs() {
            let lines = wrap(face, &text, BODY.size, 120.0);
            let kept: String = lines.concat().chars().filter(|c| !c.is_whitespace()).collect();
            let given: String = face
                .printable(&text.replace(['\r', '\n'], " "))
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            assert_eq!(kept, given);
        }

        let lines = wrap(
            face,
            "Line one\nLine two\r\n\n\n\nAfter a blank line",
            BODY.size,
            TEXT_WIDTH,
        );
        assert_eq!(lines, ["Line one", "Line two", "", "After a blank line"]);

        let lines = wrap(face, &format!("see {} now", "x".repeat(300)), BODY.size, 100.0);
        assert!(lines.len() > 3, "a 300-character word is cut: {lines:?}");
        assert_eq!(lines[0], "see");
        assert!(
            lines.last().is_some_and(|last| last.ends_with(" now")),
            "{lines:?}"
        );

        assert_eq!(wrap(face, "漢", BODY.size, TEXT_WIDTH), ["\u{FFFD}"]);
    }

    #[test]
    fn measured_widths_come_from_the_font() {
        let fonts = fonts().expect("fonts");
        let face = &fonts.regular;
        assert!(face.units("W") > face.units("i"));
        assert!(face.units("ż") > 0 && face.units("Ω") > 0 && face.units("€") > 0 && face.units("→") > 0);
        assert_eq!(
            face.units("ab cd"),
            face.units("ab") + face.advance(' ') + face.units("cd")
        );
        // DejaVu Sans's hmtx gives "W" 2025 and the space 651 of 2048 units: 988 and 317 thousandths.
        assert_eq!((face.units("W"), face.advance(' ')), (988, 317));
        assert!(fonts.bold.units("abc") > face.units("abc"), "bold is wider");
        // printpdf writes each glyph's `/W` width from the decoded glyph; the table must agree.
        for face in [&fonts.regular, &fonts.bold] {
            for c in long_text(4).chars().chain("\u{FFFD}?€→Ωμέγα漢".chars()) {
                let gid = face.font.lookup_glyph_index(u32::from(c)).unwrap_or(0);
                let decoded = face
                    .font
                    .get_or_decode_glyph(gid)
                    .map_or(0, |glyph| glyph.horz_advance);
                let written = (f32::from(decoded) * (1000.0 / face.units_per_em)) as u64;
                assert_eq!(face.advance(c), written, "{c:?}");
            }
        }
    }

    /// Headings, opinion authors, dates and labels must be followed by text on the same page.
    #[test]
    fn headings_and_labels_never_end_a_page() {
        let fonts = fonts().expect("fonts");
        for extra in 0..30 {
            let mut report = sample_report();
            // Shift everything down line by line so that every heading meets the page foot once.
            report.question = (0..extra)
                .map(|i| format!("Question {i}"))
                .collect::<Vec<_>>()
                .join("\n");
            let pages = paginate(&blocks(fonts, &report));
            for (number, page) in pages.iter().enumerate().take(pages.len() - 1) {
                let last = page.last().expect("no page is empty");
                assert!(
                    last.style == BODY,
                    "page {} of variant {extra} ends with {:?} in {:?}",
                    number + 1,
                    last.text,
                    last.style
                );
            }
        }
    }

    #[test]
    fn a_report_without_opinions_still_renders() {
        let mut report = sample_report();
        report.opinions.clear();
        report.specialists.clear();
        report.question = String::new();
        let pdf = TempPdf::new(&render(&report).expect("render"));
        run("qpdf", &["--check"], &pdf.0);
        assert!(pdftotext(&pdf.0).contains("No specialist opinion was submitted"));
        assert_eq!(page_count(&pdf.0), 1);
    }
}
