//! Turning placed text into printpdf operations and a deterministic PDF file.

use super::*;

/// The drawing operations of one page: the footer rule, then all text in one text object.
pub(super) fn page_ops(setter: &Setter, placed: Vec<Placed>) -> Vec<Op> {
    let mut ops = footer_rule();
    ops.push(Op::StartTextSection);
    setter.text_ops(placed, &mut ops);
    ops.push(Op::EndTextSection);
    ops
}

/// The text of an English page, switching font and colour only where the style changes.
pub(super) fn plain_text_ops(placed: Vec<Placed>, ops: &mut Vec<Op>) {
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
}

pub(super) fn style_ops(style: Style) -> [Op; 2] {
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

pub(super) fn colour([r, g, b]: [f32; 3]) -> Color {
    Color::Rgb(Rgb::new(r, g, b, None))
}

pub(super) fn footer_rule() -> Vec<Op> {
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

/// The document: metadata in the report's language, the faces under their fixed names, and the
/// pages.
pub(super) fn document(setter: &Setter, report: &Report, pages: Vec<PdfPage>) -> PdfDocument {
    let locale = report.language;
    let mut doc = PdfDocument::new(&td_string!(
        locale,
        report.pdf_title,
        reference = &report.reference
    ));
    describe(&mut doc.metadata.info, report);
    setter.register_fonts(&mut doc);
    doc.with_pages(pages);
    doc
}

/// Document properties. Dated with the completion date rather than "now" so that re-rendering a
/// report reproduces the stored file.
pub(super) fn describe(info: &mut PdfDocumentInfo, report: &Report) {
    info.author = "Consilium".to_string();
    info.creator = "Consilium".to_string();
    info.producer = "Consilium (printpdf)".to_string();
    info.subject = td_string!(report.language, report.heading).to_string();
    info.identifier = report.reference.clone();
    if let Ok(date) = printpdf::OffsetDateTime::from_unix_timestamp(report.completed_at.timestamp()) {
        info.creation_date = date;
        info.modification_date = date;
        info.metadata_date = date;
    }
}

/// The file identifier written to the trailer: a digest of the report, so it is the same for the
/// same report and differs between reports (printpdf would draw a random one on every save).
pub(super) fn file_id(report: &Report) -> Result<String, RenderError> {
    let json =
        serde_json::to_vec(report).map_err(|e| RenderError::Write(format!("hashing the report: {e}")))?;
    let digest = Sha256::digest(&json);
    Ok(hex::encode(&digest[..16]))
}

/// Writes the document with compressed streams and subset fonts (printpdf's defaults), but with
/// the trailer's /ID replaced by `file_id`. printpdf's `save` would do the same minus that
/// replacement, so this goes through its lopdf document instead.
pub(super) fn serialize(doc: &PdfDocument, file_id: &str) -> Result<Vec<u8>, RenderError> {
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
pub(super) fn log_problems(warnings: &[PdfWarnMsg]) {
    for warning in warnings
        .iter()
        .filter(|w| w.severity == PdfParseErrorSeverity::Error)
    {
        tracing::warn!(page = warning.page, message = %warning.msg, "report PDF: printpdf reported a problem");
    }
}
