//! Renders the final report of a case ([`Report`]) as an A4 PDF.
//!
//! The layout is done here rather than by printpdf's HTML engine: a report is a fixed sequence of
//! headings, label/value rows and paragraphs, and setting those by hand keeps the output
//! deterministic, fast and small. Text is set in DejaVu Sans (bundled, so Polish, Greek, € and
//! arrows print on any server), measured with exactly the glyph widths the PDF declares, wrapped
//! to the text column and paginated with headings kept together with what follows them. A report
//! in Arabic is set right to left, shaped, in Noto Sans Arabic (`setter`, `shaping`).

use crate::i18n::td_string;
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
/// The report is written in its language ([`Report::language`], the patient's): English left to
/// right, Arabic right to left with shaped text.
pub fn render(report: &Report) -> Result<Vec<u8>, RenderError> {
    let setter = Setter::for_language(report.language)?;
    let pages = paginate(&blocks(&setter, report));
    let total = pages.len();
    let pdf_pages = pages
        .into_iter()
        .enumerate()
        .map(|(index, mut placed)| {
            placed.push(footer(&setter, report, index + 1, total));
            PdfPage::new(Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM), page_ops(&setter, placed))
        })
        .collect();
    let doc = document(&setter, report, pdf_pages);
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

static REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

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

mod content;
mod fonts;
mod output;
mod pages;
mod setter;
mod shaping;

use content::*;
use fonts::*;
use output::*;
use pages::*;
use setter::*;

pub mod sample;
#[cfg(test)]
mod tests;
