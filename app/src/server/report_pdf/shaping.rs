//! Right-to-left reports: Arabic text shaped with rustybuzz (HarfBuzz's shaping in Rust: joined
//! letter forms, lam-alef and other ligatures, marks placed on their letters), put in display
//! order with the Unicode bidirectional algorithm (unicode-bidi), and drawn glyph by glyph in
//! Noto Sans Arabic. What it has no glyph for (Latin letters in doctors' and drug names,
//! brackets, symbols) is set in DejaVu Sans, as in English reports.
//!
//! Every glyph carries the text it stands for; printpdf writes that into the font's ToUnicode
//! map, so copying or extracting the text gives the letters in their logical order rather than
//! the joined shapes in the order they are drawn.

use super::*;
use rustybuzz::{BufferClusterLevel, Direction, UnicodeBuffer};
use unicode_bidi::{BidiClass, Level, ParagraphBidiInfo};

static ARABIC_REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSansArabic-Regular.ttf");
static ARABIC_BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/NotoSansArabic-Bold.ttf");

/// Resource names of the Arabic faces (see [`REGULAR_ID`] for why they are fixed).
pub(super) const ARABIC_REGULAR_ID: &str = "NSAREG";
pub(super) const ARABIC_BOLD_ID: &str = "NSABLD";

/// One face as the shaper reads it and as the PDF embeds it.
pub(super) struct ShapingFace {
    pub(super) id: &'static str,
    pub(super) shaper: rustybuzz::Face<'static>,
    pub(super) font: ParsedFont,
    /// Thousandths of an em per font unit.
    scale: f32,
}

impl ShapingFace {
    /// `font` is printpdf's parse of the same bytes when it was parsed already (DejaVu, for
    /// English reports); otherwise it is parsed here.
    fn parse(
        id: &'static str,
        bytes: &'static [u8],
        font: Option<&ParsedFont>,
        name: &'static str,
    ) -> Result<ShapingFace, &'static str> {
        let shaper = rustybuzz::Face::from_slice(bytes, 0).ok_or(name)?;
        let units_per_em = shaper.units_per_em();
        if units_per_em <= 0 {
            return Err(name);
        }
        let font = match font {
            // Cloning shares the parsed tables' big buffers; it does not parse again.
            Some(parsed) => parsed.clone(),
            None => ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).ok_or(name)?,
        };
        Ok(ShapingFace {
            id,
            shaper,
            font,
            scale: 1000.0 / units_per_em as f32,
        })
    }

    fn has_glyph(&self, c: char) -> bool {
        self.shaper.glyph_index(c).is_some_and(|gid| gid.0 != 0)
    }
}

/// The four faces of an Arabic report: Noto Sans Arabic for Arabic, DejaVu for the rest, in both weights.
pub(super) struct ArabicFonts {
    arabic: [ShapingFace; 2],
    latin: [ShapingFace; 2],
}

/// The parsed Arabic faces, shared by every render.
pub(super) fn arabic_fonts() -> Result<&'static ArabicFonts, RenderError> {
    static FONTS: OnceLock<Result<ArabicFonts, &'static str>> = OnceLock::new();
    parsed_once(&FONTS, ArabicFonts::parse)
}

impl ArabicFonts {
    fn parse() -> Result<ArabicFonts, &'static str> {
        let dejavu = fonts().map_err(|_| "DejaVuSans.ttf")?;
        Ok(ArabicFonts {
            arabic: [
                ShapingFace::parse(
                    ARABIC_REGULAR_ID,
                    ARABIC_REGULAR_TTF,
                    None,
                    "NotoSansArabic-Regular.ttf",
                )?,
                ShapingFace::parse(ARABIC_BOLD_ID, ARABIC_BOLD_TTF, None, "NotoSansArabic-Bold.ttf")?,
            ],
            latin: [
                ShapingFace::parse(
                    REGULAR_ID,
                    REGULAR_TTF,
                    Some(&dejavu.regular.font),
                    "DejaVuSans.ttf",
                )?,
                ShapingFace::parse(BOLD_ID, BOLD_TTF, Some(&dejavu.bold.font), "DejaVuSans-Bold.ttf")?,
            ],
        })
    }

    fn pair(&self, weight: Weight) -> (&ShapingFace, &ShapingFace) {
        let index = match weight {
            Weight::Regular => 0,
            Weight::Bold => 1,
        };
        (&self.arabic[index], &self.latin[index])
    }

    /// Every face, for the document's font resources.
    pub(super) fn all(&self) -> impl Iterator<Item = &ShapingFace> {
        self.arabic.iter().chain(self.latin.iter())
    }

    /// One line of input as these faces can draw it: tabs become spaces, control characters go
    /// (the bidirectional marks and isolates stay: they order the line), and characters neither
    /// face has become U+FFFD.
    pub(super) fn printable(&self, line: &str) -> String {
        let (arabic, latin) = self.pair(Weight::Regular);
        line.chars()
            .filter_map(|c| match c {
                '\t' => Some(' '),
                c if c.is_control() => None,
                c if is_bidi_control(c) || arabic.has_glyph(c) || latin.has_glyph(c) => Some(c),
                _ => Some('\u{FFFD}'),
            })
            .collect()
    }

    /// Width of `text` in thousandths of an em, as [`ArabicFonts::glyphs`] sets it.
    pub(super) fn units(&self, weight: Weight, text: &str) -> u64 {
        let (_, width) = self.glyphs(weight, text, true);
        width.round().max(0.0) as u64
    }

    /// The width of the wider of the two faces' spaces, in thousandths of an em.
    pub(super) fn widest_space(&self, weight: Weight) -> u64 {
        let (arabic, latin) = self.pair(weight);
        let mut widest = 0.0_f32;
        for face in [arabic, latin] {
            let mut set = Setting {
                glyphs: Vec::new(),
                pen: 0.0,
            };
            set.shape(face, " ", false);
            widest = widest.max(set.pen);
        }
        widest.ceil() as u64
    }

    /// The glyphs of one line from left to right, positioned in thousandths of an em from the
    /// line's left end, and the line's width. `rtl` is the direction of the paragraph the line
    /// belongs to: it decides where neutral characters and runs of the other direction go.
    pub(super) fn glyphs<'f>(&'f self, weight: Weight, line: &str, rtl: bool) -> (Vec<Glyph<'f>>, f32) {
        let mut set = Setting {
            glyphs: Vec::new(),
            pen: 0.0,
        };
        if line.is_empty() {
            return (set.glyphs, 0.0);
        }
        let level = if rtl { Level::rtl() } else { Level::ltr() };
        let bidi = ParagraphBidiInfo::new(line, Some(level));
        let (levels, runs) = bidi.visual_runs(0..line.len());
        let (arabic, latin) = self.pair(weight);
        for run in runs {
            let run_rtl = levels.get(run.start).is_some_and(|l| l.is_rtl());
            let mut pieces = font_pieces(arabic, latin, &line[run.clone()]);
            if run_rtl {
                pieces.reverse();
            }
            for (face, range) in pieces {
                let start = run.start + range.start;
                set.shape(face, &line[start..run.start + range.end], run_rtl);
            }
        }
        (set.glyphs, set.pen)
    }
}

/// A glyph placed on a line. `text` is what it stands for (None for the second and later glyphs
/// of one character, which printpdf then maps by the font's own tables).
pub(super) struct Glyph<'f> {
    pub(super) face: &'f ShapingFace,
    pub(super) gid: u16,
    pub(super) x: f32,
    pub(super) y: f32,
    /// The pen's advance after it, in font units (0 for a mark).
    advance: i32,
    /// Whether it was set right to left (its marks come before it, not after).
    rtl: bool,
    pub(super) text: Option<String>,
}

impl Glyph<'_> {
    fn is_mark(&self) -> bool {
        self.advance == 0
    }
}

struct Setting<'f> {
    glyphs: Vec<Glyph<'f>>,
    pen: f32,
}

impl<'f> Setting<'f> {
    /// Shapes `text` (one direction, one face) and appends its glyphs at the pen.
    fn shape(&mut self, face: &'f ShapingFace, text: &str, rtl: bool) {
        let mut buffer = UnicodeBuffer::new();
        // Each character keeps its own cluster (a mark is not merged into its letter's), so each
        // glyph can say which character it draws.
        buffer.set_cluster_level(BufferClusterLevel::Characters);
        buffer.push_str(text);
        buffer.set_direction(if rtl {
            Direction::RightToLeft
        } else {
            Direction::LeftToRight
        });
        let shaped = rustybuzz::shape(&face.shaper, &[], buffer);
        let texts = cluster_texts(text, shaped.glyph_infos(), rtl);
        for ((info, position), text) in shaped
            .glyph_infos()
            .iter()
            .zip(shaped.glyph_positions())
            .zip(texts)
        {
            self.glyphs.push(Glyph {
                face,
                gid: u16::try_from(info.glyph_id).unwrap_or(0),
                x: self.pen + position.x_offset as f32 * face.scale,
                y: position.y_offset as f32 * face.scale,
                advance: position.x_advance,
                rtl,
                text,
            });
            self.pen += position.x_advance as f32 * face.scale;
        }
    }
}

/// The text each glyph stands for: its character (a letter in its joined form, a mark), or the
/// characters of a ligature such as lam-alef. A character drawn with several glyphs gives its text
/// to the first.
fn cluster_texts(text: &str, infos: &[rustybuzz::GlyphInfo], rtl: bool) -> Vec<Option<String>> {
    let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
    starts.sort_unstable();
    starts.dedup();
    let cluster_of = |start: usize| {
        let end = starts.iter().find(|&&s| s > start).copied().unwrap_or(text.len());
        text.get(start..end).unwrap_or_default()
    };
    // Right to left, a ligature's characters are given in the order they are drawn (lam-alef
    // as alef, lam): text extractors (poppler, pdf.js, Acrobat) read the glyphs from left to
    // right and turn each right-to-left run around character by character, which gives
    // the ligature's letters back in their logical order, as for every other glyph.
    let drawn_order = |cluster: &str| -> String {
        if rtl {
            cluster.chars().rev().collect()
        } else {
            cluster.to_owned()
        }
    };
    let mut seen = std::collections::HashSet::new();
    infos
        .iter()
        .map(|info| {
            seen.insert(info.cluster)
                .then(|| drawn_order(cluster_of(info.cluster as usize)))
        })
        .collect()
}

/// Splits a run of one direction into pieces set in one face each: Arabic letters in Noto Sans Arabic,
/// what only DejaVu has in DejaVu, and characters both have (spaces, digits, full stops) in the
/// face of the letters around them, so "NT-proBNP 620" stays in DejaVu and a number inside an
/// Arabic sentence in Noto Sans Arabic. Ranges are byte ranges of `text`, in logical order.
fn font_pieces<'f>(
    arabic: &'f ShapingFace,
    latin: &'f ShapingFace,
    text: &str,
) -> Vec<(&'f ShapingFace, std::ops::Range<usize>)> {
    let choice = |c: char| -> Option<bool> {
        let in_arabic = arabic.has_glyph(c);
        if is_arabic(c) && in_arabic {
            Some(true)
        } else if in_arabic && latin.has_glyph(c) || is_bidi_control(c) {
            None
        } else {
            Some(in_arabic)
        }
    };
    let chosen: Vec<(usize, Option<bool>)> = text.char_indices().map(|(i, c)| (i, choice(c))).collect();
    // Neutral characters take the face of the letter before them, or else the one after them.
    let first = chosen.iter().find_map(|(_, choice)| *choice).unwrap_or(true);
    let mut pieces: Vec<(&ShapingFace, std::ops::Range<usize>)> = Vec::new();
    let mut current = first;
    for (index, choice) in chosen {
        current = choice.unwrap_or(current);
        let face = if current { arabic } else { latin };
        match pieces.last_mut() {
            Some((last, range)) if std::ptr::eq(*last, face) => range.end = index,
            _ => pieces.push((face, index..index)),
        }
    }
    let mut end = text.len();
    for (_, range) in pieces.iter_mut().rev() {
        range.end = end;
        end = range.start;
    }
    pieces
}

fn is_arabic(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}')
}

/// Marks and isolates that order bidirectional text: kept in the line, drawn as nothing.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether a paragraph reads right to left: by its first letter with a direction (as a browser
/// does for `dir="auto"`), and right to left when it has none, as the report does.
pub(super) fn paragraph_is_rtl(text: &str) -> bool {
    for c in text.chars() {
        match unicode_bidi::bidi_class(c) {
            BidiClass::L => return false,
            BidiClass::R | BidiClass::AL => return true,
            _ => {}
        }
    }
    true
}

/// The drawing operations of one shaped line whose left end is at (`placed.x`, `placed.y`).
///
/// A letter with marks (vowel signs, shadda) is drawn letter first and wrapped in a marked span
/// whose `ActualText` is the letter with its marks: the marks sit above or below the baseline,
/// and a text extractor would otherwise take them for a line of their own. Like a ligature's,
/// the span's text is in drawn order.
pub(super) fn line_ops(
    fonts: &ArabicFonts,
    placed: &Placed,
    ops: &mut Vec<Op>,
    current: &mut Option<(&'static str, f32)>,
) {
    let (glyphs, _) = fonts.glyphs(placed.style.weight, &placed.text, placed.rtl);
    let mut rest = glyphs.as_slice();
    while !rest.is_empty() {
        let (group, after) = rest.split_at(letter_with_marks(rest));
        rest = after;
        if group.len() == 1 {
            glyph_ops(placed, &group[0], ops, current);
            continue;
        }
        let actual: String = group.iter().filter_map(|g| g.text.as_deref()).collect();
        ops.push(Op::BeginMarkedContentWithProperties {
            tag: "Span".into(),
            properties: printpdf::DictItem::Dict {
                map: [("ActualText".to_string(), text_string(&actual))].into(),
            },
        });
        for glyph in group
            .iter()
            .filter(|g| !g.is_mark())
            .chain(group.iter().filter(|g| g.is_mark()))
        {
            glyph_ops(placed, glyph, ops, current);
        }
        ops.push(Op::EndMarkedContent);
    }
}

/// How many glyphs at the start of `glyphs` make one letter with its marks: marks then their
/// letter right to left, the letter then its marks left to right.
fn letter_with_marks(glyphs: &[Glyph]) -> usize {
    let Some(first) = glyphs.first() else {
        return 0;
    };
    if first.rtl {
        let marks = glyphs.iter().take_while(|g| g.is_mark()).count();
        (marks + 1).min(glyphs.len())
    } else {
        1 + glyphs[1..].iter().take_while(|g| g.is_mark()).count()
    }
}

/// A PDF text string: UTF-16BE after its byte order mark.
fn text_string(text: &str) -> printpdf::DictItem {
    let mut data = vec![0xFE, 0xFF];
    data.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    printpdf::DictItem::String { data, literal: false }
}

fn glyph_ops(placed: &Placed, glyph: &Glyph, ops: &mut Vec<Op>, current: &mut Option<(&'static str, f32)>) {
    let size = placed.style.size;
    // The font is set again when the face or the size changes.
    if *current != Some((glyph.face.id, size)) {
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(FontId(glyph.face.id.to_string())),
            size: Pt(size),
        });
        *current = Some((glyph.face.id, size));
    }
    ops.push(Op::SetTextMatrix {
        matrix: TextMatrix::Translate(
            Pt(placed.x + glyph.x * size / 1000.0),
            Pt(placed.y + glyph.y * size / 1000.0),
        ),
    });
    ops.push(Op::ShowText {
        items: vec![TextItem::GlyphIds(vec![printpdf::Codepoint {
            gid: glyph.gid,
            offset: 0.0,
            cid: glyph.text.clone(),
        }])],
    });
}
