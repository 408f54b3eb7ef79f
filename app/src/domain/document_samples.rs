//! Minimal well-formed files of each accepted type, and hostile or broken ones.

/// A one-page PDF that parses: catalog, page tree, page, cross-reference table and trailer.
pub fn pdf() -> Vec<u8> {
    build_pdf(&[
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ])
}

/// A PDF of the given objects (object 1 is the catalog) with a correct cross-reference table.
pub fn build_pdf(objects: &[&str]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
pub fn jpeg() -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];
    v.extend_from_slice(&[0x11; 64]);
    v.extend_from_slice(&[0xFF, 0xD9]);
    v
}
pub fn png() -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    v.extend_from_slice(&[0u8; 17]);
    v.extend_from_slice(b"\x00\x00\x00\x00IEND\xAE\x42\x60\x82");
    v
}
pub fn webp() -> Vec<u8> {
    let body = b"WEBPVP8 \x04\x00\x00\x00abcd";
    let mut v = b"RIFF".to_vec();
    v.extend_from_slice(&u32::try_from(body.len()).unwrap_or_default().to_le_bytes());
    v.extend_from_slice(body);
    v
}
/// A HEIF image's box structure: `ftyp`, a `meta` box whose handler is `pict`, and `mdat`.
pub fn heic() -> Vec<u8> {
    let ftyp = heif_box(b"ftyp", b"heic\x00\x00\x00\x00mif1heic");
    let hdlr = heif_box(
        b"hdlr",
        b"\x00\x00\x00\x00\x00\x00\x00\x00pict\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
    );
    let meta = heif_box(b"meta", &cat(&[b"\x00\x00\x00\x00", &hdlr]));
    let mdat = heif_box(b"mdat", &[0x22; 40]);
    cat(&[&ftyp, &meta, &mdat])
}

/// One ISO-BMFF box: 32-bit size, four-character type, payload.
pub fn heif_box(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let size = u32::try_from(payload.len() + 8).unwrap_or(u32::MAX);
    cat(&[&size.to_be_bytes(), kind, payload])
}

/// Files whose first and last bytes look right but whose structure is not that of their type:
/// each must be refused by the full check on the server (`server::file_check`).
pub fn structurally_hostile() -> Vec<(&'static str, Vec<u8>)> {
    let ftyp = heif_box(b"ftyp", b"heic\x00\x00\x00\x00mif1heic");
    vec![
        (
            "HTML behind a HEIC header",
            cat(&[&ftyp, b"<html><script>alert(document.cookie)</script></html>"]),
        ),
        (
            "Windows executable behind a HEIC header",
            cat(&[&ftyp, b"MZ\x90\x00\x03\x00\x00\x00", &[0; 200]]),
        ),
        (
            "HEIC boxes without a picture handler",
            cat(&[&ftyp, &heif_box(b"mdat", &[1; 64])]),
        ),
        (
            "HEIC box that claims more bytes than the file has",
            cat(&[&ftyp, &[0, 0, 0x10, 0], b"meta", &[0; 32]]),
        ),
        (
            "PDF header, an HTML page and an end marker",
            b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n".to_vec(),
        ),
        (
            "ZIP-like body between a PDF header and an end marker",
            cat(&[
                b"%PDF-1.7\n",
                b"PK\x03\x04\x14\x00\x00\x00",
                &[0x41; 120],
                b"PK\x05\x06",
                &[0; 18],
                b"\n%%EOF",
            ]),
        ),
        (
            "PDF trailer without a cross-reference table",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec(),
        ),
    ]
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// Hostile and broken files, each with the kind of refusal it must get.
pub fn hostile() -> Vec<(&'static str, Vec<u8>, bool)> {
    // (description, bytes, true if the refusal is "unsupported type" rather than "malformed/empty")
    let pdf = pdf();
    let png = png();
    let jpeg = jpeg();
    vec![
        ("empty file", vec![], false),
        (
            "Windows executable renamed .pdf",
            cat(&[b"MZ\x90\x00\x03\x00\x00\x00", &[0; 64]]),
            true,
        ),
        ("ELF executable", cat(&[b"\x7fELF\x02\x01\x01", &[0; 64]]), true),
        ("shell script", b"#!/bin/sh\nrm -rf /\n".to_vec(), true),
        (
            "HTML named .png",
            b"<!doctype html><script>alert(1)</script>".to_vec(),
            true,
        ),
        (
            "HTML with leading whitespace",
            b"\n\n  <html><body onload=alert(1)>".to_vec(),
            true,
        ),
        (
            "SVG named .png",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec(),
            true,
        ),
        (
            "XML with BOM",
            b"\xEF\xBB\xBF<?xml version=\"1.0\"?><x/>".to_vec(),
            true,
        ),
        ("zip archive", cat(&[b"PK\x03\x04\x14\x00", &[0; 64]]), true),
        ("GIF image", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(), true),
        ("plain text", b"just some notes about my symptoms".to_vec(), true),
        ("truncated PDF", pdf[..pdf.len() - 8].to_vec(), false),
        ("truncated PNG", png[..png.len() - 6].to_vec(), false),
        ("truncated JPEG", jpeg[..jpeg.len() - 2].to_vec(), false),
        (
            "PNG with a zip appended (polyglot)",
            cat(&[&png, b"PK\x03\x04", &[0; 32]]),
            false,
        ),
        (
            "PNG with HTML appended (polyglot)",
            cat(&[&png, b"<script>alert(1)</script>"]),
            false,
        ),
        (
            "JPEG with a zip appended (polyglot)",
            cat(&[&jpeg, b"PK\x03\x04", &[1; 32]]),
            false,
        ),
        (
            "PDF with an archive after the end marker",
            cat(&[&pdf, &[0x50; 64], b"PK\x05\x06"]),
            false,
        ),
        (
            "WebP whose header lies about its size",
            cat(&[&webp(), &[0; 16]]),
            false,
        ),
        (
            "MP4 video (ftyp isom)",
            cat(&[b"\x00\x00\x00\x18ftypisom", &[0; 32]]),
            true,
        ),
        ("PDF signature only", b"%PDF-".to_vec(), false),
        ("PNG signature only", b"\x89PNG\r\n\x1a\n".to_vec(), false),
        ("single null byte", vec![0], true),
    ]
}
