//! What a medical document may be: the allowed types, decided from the bytes themselves (never
//! from the name or the browser's claim), the size limits, and how an uploaded name is cleaned.
//! Messages are written in the reader's language via the translation layer.

use crate::i18n::td_string;
use crate::lang;
use serde::{Deserialize, Serialize};

/// Largest single file, in bytes.
pub const MAX_FILE_BYTES: u64 = 25 * 1024 * 1024;
/// Most files one case may hold.
pub const MAX_FILES_PER_CASE: u32 = 20;
/// Most bytes one case may hold.
pub const MAX_CASE_BYTES: u64 = 200 * 1024 * 1024;
/// Most bytes all of one patient's cases may hold together.
pub const MAX_PATIENT_BYTES: u64 = 1024 * 1024 * 1024;
/// How many leading and trailing bytes the type check needs.
pub const SNIFF_BYTES: usize = 1024;
const MAX_NAME_CHARS: usize = 120;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MediaType {
    Pdf,
    Jpeg,
    Png,
    Webp,
    Heic,
}

impl MediaType {
    pub const ALL: [MediaType; 5] = [Self::Pdf, Self::Jpeg, Self::Png, Self::Webp, Self::Heic];

    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Heic => "image/heic",
        }
    }

    pub fn from_mime(mime: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.mime() == mime)
    }

    /// Browsers display these themselves; HEIC is offered as a download only.
    pub fn viewable_inline(self) -> bool {
        !matches!(self, Self::Heic)
    }
}

/// Why a file was refused. `Unsupported` is HTTP 415; the others are 422.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rejection {
    Empty,
    Unsupported,
    Malformed(Damage),
}

/// What is wrong with a file that claims an accepted type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Damage {
    NoEndOfFile,
    NoEndOfImage,
    NoEndChunk,
    SizeMismatch,
    UnreadablePdf,
    PdfWithoutPages,
    BrokenHeic,
    HeicWithoutImage,
}

impl Damage {
    fn describe(self, locale: lang::Locale) -> &'static str {
        match self {
            Damage::NoEndOfFile => td_string!(locale, errors.damage_no_end_of_file),
            Damage::NoEndOfImage => td_string!(locale, errors.damage_no_end_of_image),
            Damage::NoEndChunk => td_string!(locale, errors.damage_no_end_chunk),
            Damage::SizeMismatch => td_string!(locale, errors.damage_size_mismatch),
            Damage::UnreadablePdf => td_string!(locale, errors.damage_unreadable_pdf),
            Damage::PdfWithoutPages => td_string!(locale, errors.damage_pdf_without_pages),
            Damage::BrokenHeic => td_string!(locale, errors.damage_broken_heic),
            Damage::HeicWithoutImage => td_string!(locale, errors.damage_heic_without_image),
        }
    }
}

impl Rejection {
    /// What to tell the person who uploaded the file, in the reader's language.
    pub fn message(&self) -> String {
        let locale = lang::current();
        match self {
            Rejection::Empty => td_string!(locale, errors.file_empty).to_owned(),
            Rejection::Unsupported => td_string!(locale, errors.file_unsupported).to_owned(),
            Rejection::Malformed(damage) => {
                td_string!(locale, errors.file_damaged, what = damage.describe(locale))
            }
        }
    }
}

/// Decides the type of a complete file from its first and last bytes (up to [`SNIFF_BYTES`]
/// each) and its size. Besides the signature at the start, each format must end the way a
/// complete file of its kind ends, which refuses truncated files and most polyglots (a valid
/// image with an archive or a script glued after it).
pub fn sniff(head: &[u8], tail: &[u8], size: u64) -> Result<MediaType, Rejection> {
    if size == 0 {
        return Err(Rejection::Empty);
    }
    if looks_like_markup(head) {
        return Err(Rejection::Unsupported);
    }
    if head.starts_with(b"%PDF-") {
        let end = trim_trailing_whitespace(tail);
        return if contains(&end[end.len().saturating_sub(32)..], b"%%EOF") {
            Ok(MediaType::Pdf)
        } else {
            Err(Rejection::Malformed(Damage::NoEndOfFile))
        };
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let end = trim_trailing_zeros(tail);
        return if end.ends_with(&[0xFF, 0xD9]) {
            Ok(MediaType::Jpeg)
        } else {
            Err(Rejection::Malformed(Damage::NoEndOfImage))
        };
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return if tail.ends_with(b"IEND\xAE\x42\x60\x82") {
            Ok(MediaType::Png)
        } else {
            Err(Rejection::Malformed(Damage::NoEndChunk))
        };
    }
    if head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        let declared = u64::from(u32::from_le_bytes([head[4], head[5], head[6], head[7]])) + 8;
        let padded = declared + (declared % 2);
        return if size == declared || size == padded {
            Ok(MediaType::Webp)
        } else {
            Err(Rejection::Malformed(Damage::SizeMismatch))
        };
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        let brand = &head[8..12];
        const HEIF_BRANDS: [&[u8; 4]; 8] = [
            b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1",
        ];
        return if HEIF_BRANDS.iter().any(|b| *b == brand) {
            Ok(MediaType::Heic)
        } else {
            Err(Rejection::Unsupported)
        };
    }
    Err(Rejection::Unsupported)
}

/// HTML, SVG and XML are refused outright, even if a later signature would match.
fn looks_like_markup(head: &[u8]) -> bool {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF)
        .unwrap_or(head.len());
    head[start..].first() == Some(&b'<')
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn trim_trailing_whitespace(bytes: &[u8]) -> &[u8] {
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &bytes[..end]
}

fn trim_trailing_zeros(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    &bytes[..end]
}

/// The uploaded name, reduced to something safe to show and to put in a header: the last path
/// component only, no control characters, no quotes, at most 120 characters (keeping the
/// extension). The name is never used to build a storage path.
pub fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| {
            !c.is_control()
                && !is_invisible_format(*c)
                && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':')
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    if cleaned.is_empty() {
        return "document".to_owned();
    }
    if cleaned.chars().count() <= MAX_NAME_CHARS {
        return cleaned;
    }
    let (stem, ext) = match cleaned.rsplit_once('.') {
        Some((s, e)) if e.chars().count() <= 10 => (s.to_owned(), format!(".{e}")),
        _ => (cleaned.clone(), String::new()),
    };
    let keep = MAX_NAME_CHARS - ext.chars().count();
    format!("{}{ext}", stem.chars().take(keep).collect::<String>())
}

/// Bidirectional overrides, embeddings, isolates and marks, and zero-width characters: they
/// change how a name is displayed without being seen (`scan\u{202E}fdp.exe` shows as
/// "scanexe.pdf"), so they never reach a stored name.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}'
    )
}

impl MediaType {
    /// The file name extensions that say this type; the first is the one we give.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Pdf => &["pdf"],
            Self::Jpeg => &["jpg", "jpeg"],
            Self::Png => &["png"],
            Self::Webp => &["webp"],
            Self::Heic => &["heic", "heif"],
        }
    }
}

/// The name a download is offered under: the stored name, with its extension replaced by one
/// that matches the type detected from the content (quality F2), so `lab-results.html` that is
/// really a HEIC image downloads as `lab-results.heic` and never opens as a web page.
pub fn download_name(name: &str, media_type: MediaType) -> String {
    let allowed = media_type.extensions();
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty() && ext.len() <= 10 && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            (stem, Some(ext))
        }
        _ => (name, None),
    };
    if ext.is_some_and(|e| allowed.contains(&e.to_ascii_lowercase().as_str())) {
        return name.to_owned();
    }
    let stem = if stem.is_empty() { "document" } else { stem };
    format!("{stem}.{}", allowed[0])
}

/// "2.4 MB" and the like, for limits and file lists (the units are written in Latin letters in
/// every language; a count of bytes in words).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        td_string!(lang::current(), errors.size_bytes, count = bytes)
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Sample files of every accepted type and a set of hostile ones, for tests in this crate and
/// the integration tests of the server.
#[doc(hidden)]
#[cfg(any(test, feature = "ssr"))]
#[path = "document_samples.rs"]
pub mod samples;

#[cfg(test)]
#[path = "document_tests.rs"]
mod tests;
