//! The typesetter of one report, chosen by its language: English is set left to right with one
//! glyph per character (the plain path, unchanged since the first report), Arabic right to left
//! with shaped text ([`shaping`]).

use super::shaping::{self, ArabicFonts};
use super::*;
use crate::lang::Locale;

pub(super) enum Setter<'f> {
    /// Left to right, one DejaVu glyph per character.
    Plain(&'f Fonts),
    /// Right to left: shaped, ordered by the bidirectional algorithm, mirrored layout.
    Shaped(&'f ArabicFonts),
}

/// One weight of the Arabic faces, as the line wrapping measures it.
struct ShapedWeight<'f> {
    fonts: &'f ArabicFonts,
    weight: Weight,
}

impl Measure for ShapedWeight<'_> {
    fn printable(&self, line: &str) -> String {
        self.fonts.printable(line)
    }

    fn units(&self, text: &str) -> u64 {
        self.fonts.units(self.weight, text)
    }

    /// A space is measured as the wider of the two faces' spaces: it takes the face of the
    /// words around it, which a single character cannot tell.
    fn advance(&self, c: char) -> u64 {
        if c == ' ' {
            self.fonts.widest_space(self.weight)
        } else {
            self.fonts.units(self.weight, c.encode_utf8(&mut [0; 4]))
        }
    }
}

impl Setter<'static> {
    pub(super) fn for_language(locale: Locale) -> Result<Setter<'static>, RenderError> {
        Ok(if crate::lang::is_rtl(locale) {
            Setter::Shaped(shaping::arabic_fonts()?)
        } else {
            Setter::Plain(fonts()?)
        })
    }
}

impl Setter<'_> {
    pub(super) fn is_rtl(&self) -> bool {
        matches!(self, Setter::Shaped(_))
    }

    /// `text` wrapped to `max_width` points (see [`wrap`]).
    pub(super) fn wrap(&self, weight: Weight, text: &str, size: f32, max_width: f32) -> Vec<String> {
        match self {
            Setter::Plain(fonts) => wrap(fonts.face(weight), text, size, max_width),
            Setter::Shaped(fonts) => wrap(&ShapedWeight { fonts, weight }, text, size, max_width),
        }
    }

    pub(super) fn printable(&self, weight: Weight, line: &str) -> String {
        match self {
            Setter::Plain(fonts) => fonts.face(weight).printable(line),
            Setter::Shaped(fonts) => fonts.printable(line),
        }
    }

    /// Width of `text` in points in `style`.
    pub(super) fn width(&self, style: Style, text: &str) -> f32 {
        match self {
            Setter::Plain(fonts) => fonts.face(style.weight).width(text, style.size),
            Setter::Shaped(fonts) => fonts.units(style.weight, text) as f32 * style.size / 1000.0,
        }
    }

    /// Whether the paragraph of these lines reads right to left. In an Arabic report a paragraph
    /// typed in English (an opinion, a drug list) keeps its own direction, as `dir="auto"` does.
    pub(super) fn paragraph_is_rtl(&self, lines: &[String]) -> bool {
        match self {
            Setter::Plain(_) => false,
            Setter::Shaped(_) => shaping::paragraph_is_rtl(&lines.join(" ")),
        }
    }

    /// A run of `text` that starts `start` points from the text column's left edge, or from its
    /// right edge when `from_right` (Arabic: right-aligned there).
    pub(super) fn run(&self, start: f32, text: String, style: Style, rtl: bool, from_right: bool) -> Run {
        let x = if from_right {
            TEXT_WIDTH - start - self.width(style, &text)
        } else {
            start
        };
        Run { x, text, style, rtl }
    }

    /// The drawing operations of a page's text, between the text object's start and end.
    pub(super) fn text_ops(&self, placed: Vec<Placed>, ops: &mut Vec<Op>) {
        match self {
            Setter::Plain(_) => plain_text_ops(placed, ops),
            Setter::Shaped(fonts) => {
                let mut colour_of = None;
                let mut font = None;
                for text in &placed {
                    if colour_of != Some(text.style.colour) {
                        ops.push(Op::SetFillColor {
                            col: colour(text.style.colour),
                        });
                        colour_of = Some(text.style.colour);
                    }
                    shaping::line_ops(fonts, text, ops, &mut font);
                }
            }
        }
    }

    /// The document's fonts: the two DejaVu faces, and the two Noto Sans Arabic faces in Arabic.
    pub(super) fn register_fonts(&self, doc: &mut PdfDocument) {
        let mut add = |id: &str, font: &ParsedFont| {
            // Cloning shares the parsed tables' big buffers; it does not parse again.
            doc.resources
                .fonts
                .map
                .insert(FontId(id.to_string()), PdfFont::new(font.clone()));
        };
        match self {
            Setter::Plain(fonts) => {
                add(REGULAR_ID, &fonts.regular.font);
                add(BOLD_ID, &fonts.bold.font);
            }
            Setter::Shaped(fonts) => {
                for face in fonts.all() {
                    add(face.id, &face.font);
                }
            }
        }
    }
}
