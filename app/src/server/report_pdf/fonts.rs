//! The two embedded faces, parsed once per process, and text measured and wrapped with exactly
//! the glyph widths the PDF declares.

use super::*;

/// One embedded face and what is needed to measure text in it.
pub(super) struct Face {
    pub(super) font: ParsedFont,
    pub(super) units_per_em: f32,
    /// Advances of the code points below [`TABLED_CHARS`], indexed by code point.
    pub(super) tabled: Vec<u64>,
}

/// Code points below this (Latin, Greek, Cyrillic, punctuation…) have their advance looked up once,
/// when the font is parsed.
pub(super) const TABLED_CHARS: u32 = 0x800;

pub(super) struct Fonts {
    pub(super) regular: Face,
    pub(super) bold: Face,
}

/// The parsed fonts, shared by every render.
pub(super) fn fonts() -> Result<&'static Fonts, RenderError> {
    static FONTS: OnceLock<Result<Fonts, &'static str>> = OnceLock::new();
    parsed_once(&FONTS, Fonts::parse)
}

/// Fonts parsed on first use and kept for the process. A parse failure is remembered too, so a
/// broken build fails every render quickly instead of re-parsing each time.
pub(super) fn parsed_once<T>(
    cell: &'static OnceLock<Result<T, &'static str>>,
    parse: fn() -> Result<T, &'static str>,
) -> Result<&'static T, RenderError> {
    cell.get_or_init(parse)
        .as_ref()
        .map_err(|name| RenderError::Font(name))
}

impl Fonts {
    pub(super) fn parse() -> Result<Fonts, &'static str> {
        Ok(Fonts {
            regular: Face::parse(REGULAR_TTF, "DejaVuSans.ttf")?,
            bold: Face::parse(BOLD_TTF, "DejaVuSans-Bold.ttf")?,
        })
    }

    pub(super) fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

impl Face {
    pub(super) fn parse(bytes: &[u8], name: &'static str) -> Result<Face, &'static str> {
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
    pub(super) fn advance(&self, c: char) -> u64 {
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
    pub(super) fn look_up_advance(&self, c: char) -> u64 {
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
    pub(super) fn units(&self, text: &str) -> u64 {
        text.chars().map(|c| self.advance(c)).sum()
    }

    /// Width of `text` in points at `size`.
    pub(super) fn width(&self, text: &str, size: f32) -> f32 {
        self.units(text) as f32 * size / 1000.0
    }

    pub(super) fn has_glyph(&self, c: char) -> bool {
        self.font
            .lookup_glyph_index(u32::from(c))
            .is_some_and(|gid| gid != 0)
    }

    /// One line of input (no newlines) as this face can draw it: tabs become spaces, other control
    /// characters go, and characters the font lacks become U+FFFD, so a reader sees that something
    /// was there rather than an empty box, and drawn and measured text agree.
    pub(super) fn printable(&self, line: &str) -> String {
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

/// How the wrapping measures text: a face of an English report, or the shaped faces of an
/// Arabic one.
pub(super) trait Measure {
    /// One line of input as it will be drawn (see [`Face::printable`]).
    fn printable(&self, line: &str) -> String;
    /// Width of `text` in thousandths of an em.
    fn units(&self, text: &str) -> u64;
    /// Width of one character in thousandths of an em.
    fn advance(&self, c: char) -> u64;
}

impl Measure for Face {
    fn printable(&self, line: &str) -> String {
        Face::printable(self, line)
    }

    fn units(&self, text: &str) -> u64 {
        Face::units(self, text)
    }

    fn advance(&self, c: char) -> u64 {
        Face::advance(self, c)
    }
}

/// Splits `text` into lines no wider than `max_width` points at `size` in `face`. Each explicit
/// newline starts a new line, runs of blank lines shrink to one blank line (a paragraph break),
/// words wrap at spaces, and a word wider than a whole line is cut between characters.
pub(super) fn wrap(face: &impl Measure, text: &str, size: f32, max_width: f32) -> Vec<String> {
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
pub(super) fn wrap_line(face: &impl Measure, line: &str, max_units: u64, out: &mut Vec<String>) {
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
pub(super) fn break_word(
    face: &impl Measure,
    word: &str,
    max_units: u64,
    out: &mut Vec<String>,
) -> (String, u64) {
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
