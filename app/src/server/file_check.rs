//! The second, full look at an uploaded file (quality F2), once its type has been decided from
//! its first and last bytes: a PDF must parse as one (cross-reference table, catalog, at least
//! one page), and a HEIC image must be a well-formed sequence of ISO-BMFF boxes, from `ftyp` to
//! the end of the file, with a `meta` box whose handler is `pict`. Both refuse files that only
//! borrow a format's first bytes and end marker (an HTML page or an executable behind them).
//! The other types are already checked from end to end by their signature and end marker.

use crate::domain::document::{Damage, MediaType, Rejection};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::OnceLock;
use tokio::sync::Semaphore;

/// Parsing loads a PDF (up to the 25 MB limit) into memory; two at a time keep that bounded.
const PARSES_AT_ONCE: usize = 2;

/// Checks the complete file at `path` whose type is `media_type`.
pub async fn check(path: &Path, media_type: MediaType) -> std::io::Result<Result<(), Rejection>> {
    if !matches!(media_type, MediaType::Pdf | MediaType::Heic) {
        return Ok(Ok(()));
    }
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    let _slot = SLOTS
        .get_or_init(|| Semaphore::new(PARSES_AT_ONCE))
        .acquire()
        .await
        .map_err(std::io::Error::other)?;
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut file = std::fs::File::open(&path)?;
        let size = file.metadata()?.len();
        Ok(match media_type {
            MediaType::Pdf => check_pdf(&mut file),
            _ => check_heif(&mut file, size),
        })
    })
    .await
    .map_err(std::io::Error::other)?
}

fn check_pdf(file: &mut impl Read) -> Result<(), Rejection> {
    let document =
        lopdf::Document::load_from(file).map_err(|_| Rejection::Malformed(Damage::UnreadablePdf))?;
    if document.get_pages().is_empty() {
        return Err(Rejection::Malformed(Damage::PdfWithoutPages));
    }
    Ok(())
}

/// Most top-level boxes a real HEIC file has is a handful; a long run of tiny ones is not one.
const MAX_BOXES: usize = 1000;

/// Walks the top-level boxes: each header well formed with a printable four-character type,
/// each size inside the file, the sizes adding up to exactly the file's length; the first box
/// `ftyp`, and a `meta` box (a full box) whose first child is a `hdlr` for pictures.
pub fn check_heif(file: &mut (impl Read + Seek), size: u64) -> Result<(), Rejection> {
    const BROKEN: Rejection = Rejection::Malformed(Damage::BrokenHeic);
    let mut offset = 0u64;
    let mut boxes = 0usize;
    let mut picture = false;
    while offset < size {
        boxes += 1;
        if boxes > MAX_BOXES || size - offset < 8 {
            return Err(BROKEN);
        }
        let header = read_at(file, offset, 8).ok_or(BROKEN)?;
        let kind = [header[4], header[5], header[6], header[7]];
        if !kind.iter().all(|b| b.is_ascii_alphanumeric() || *b == b' ') {
            return Err(BROKEN);
        }
        let (length, header_len) = match u32::from_be_bytes([header[0], header[1], header[2], header[3]]) {
            0 => (size - offset, 8),
            1 => {
                let large = read_at(file, offset + 8, 8).ok_or(BROKEN)?;
                let mut bytes = [0u8; 8];
                bytes.copy_from_slice(&large);
                (u64::from_be_bytes(bytes), 16)
            }
            n => (u64::from(n), 8),
        };
        if length < header_len || length > size - offset {
            return Err(BROKEN);
        }
        if boxes == 1 && (&kind != b"ftyp" || !(16..=4096).contains(&length)) {
            return Err(BROKEN);
        }
        if &kind == b"meta" {
            picture |= meta_declares_pictures(file, offset + header_len, length - header_len);
        }
        offset += length;
    }
    if picture {
        Ok(())
    } else {
        Err(Rejection::Malformed(Damage::HeicWithoutImage))
    }
}

/// `meta` is a full box (4 bytes of version and flags); its first child must be `hdlr`, whose
/// handler type (after its own version, flags and 4 reserved bytes) is `pict`.
fn meta_declares_pictures(file: &mut (impl Read + Seek), body: u64, body_len: u64) -> bool {
    if body_len < 4 + 20 {
        return false;
    }
    let Some(hdlr) = read_at(file, body + 4, 20) else {
        return false;
    };
    let child_len = u64::from(u32::from_be_bytes([hdlr[0], hdlr[1], hdlr[2], hdlr[3]]));
    &hdlr[4..8] == b"hdlr" && child_len >= 20 && child_len <= body_len - 4 && &hdlr[16..20] == b"pict"
}

fn read_at(file: &mut (impl Read + Seek), offset: u64, len: usize) -> Option<Vec<u8>> {
    file.seek(SeekFrom::Start(offset)).ok()?;
    let mut buf = vec![0u8; len];
    file.read_exact(&mut buf).ok()?;
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::document::samples;
    use std::io::Cursor;

    fn heif(bytes: &[u8]) -> Result<(), Rejection> {
        check_heif(&mut Cursor::new(bytes), bytes.len() as u64)
    }

    fn pdf(bytes: &[u8]) -> Result<(), Rejection> {
        check_pdf(&mut Cursor::new(bytes))
    }

    #[test]
    fn well_formed_samples_pass() {
        assert_eq!(heif(&samples::heic()), Ok(()));
        assert_eq!(pdf(&samples::pdf()), Ok(()));
    }

    #[test]
    fn files_that_only_borrow_a_format_s_first_and_last_bytes_are_refused() {
        for (what, bytes) in samples::structurally_hostile() {
            let result = if bytes.starts_with(b"%PDF-") {
                pdf(&bytes)
            } else {
                heif(&bytes)
            };
            assert!(
                matches!(result, Err(Rejection::Malformed(_))),
                "{what}: {result:?}"
            );
        }
    }

    #[test]
    fn a_heif_box_with_a_64_bit_size_and_a_last_box_to_the_end_are_read() {
        let mut bytes = samples::heic();
        // A final mdat with a 64-bit size, then one whose size 0 means "to the end of the file".
        bytes.extend_from_slice(&[0, 0, 0, 1]);
        bytes.extend_from_slice(b"mdat");
        bytes.extend_from_slice(&(16u64 + 4).to_be_bytes());
        bytes.extend_from_slice(&[7; 4]);
        bytes.extend_from_slice(&[0, 0, 0, 0]);
        bytes.extend_from_slice(b"free");
        bytes.extend_from_slice(&[0; 10]);
        assert_eq!(heif(&bytes), Ok(()));
        bytes.push(0);
        assert_eq!(heif(&bytes), Ok(()), "a size-0 box takes whatever follows");
        let mut cut = samples::heic();
        cut.truncate(cut.len() - 1);
        assert!(heif(&cut).is_err(), "the last box is one byte short");
    }
}
