use super::samples::*;
use super::*;

fn check(bytes: &[u8]) -> Result<MediaType, Rejection> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let tail = &bytes[bytes.len().saturating_sub(SNIFF_BYTES)..];
    sniff(head, tail, bytes.len() as u64)
}

#[test]
fn each_allowed_type_is_recognised_by_its_content() {
    assert_eq!(check(&pdf()), Ok(MediaType::Pdf));
    assert_eq!(check(&jpeg()), Ok(MediaType::Jpeg));
    assert_eq!(check(&png()), Ok(MediaType::Png));
    assert_eq!(check(&webp()), Ok(MediaType::Webp));
    assert_eq!(check(&heic()), Ok(MediaType::Heic));
}

#[test]
fn hostile_and_broken_files_are_refused() {
    let files = hostile();
    assert!(files.len() >= 20);
    for (what, bytes, unsupported) in files {
        match check(&bytes) {
            Err(Rejection::Unsupported) => assert!(unsupported, "{what}: expected malformed"),
            Err(Rejection::Empty | Rejection::Malformed(_)) => {
                assert!(!unsupported, "{what}: expected unsupported")
            }
            Ok(t) => panic!("{what} was accepted as {t:?}"),
        }
    }
}

#[test]
fn names_keep_only_a_safe_last_component() {
    let cases = [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\cmd.exe", "cmd.exe"),
        ("scan\u{0}.pdf", "scan.pdf"),
        ("\"quoted\".pdf", "quoted.pdf"),
        ("..", "document"),
        ("", "document"),
        ("   ", "document"),
        (".hidden.pdf", "hidden.pdf"),
        ("wyniki badań – Łódź.pdf", "wyniki badań – Łódź.pdf"),
        ("scan\u{202E}fdp.exe", "scanfdp.exe"),
        ("a\u{2066}b\u{2069}\u{200F}c\u{FEFF}.pdf", "abc.pdf"),
        ("\u{202D}\u{202C}", "document"),
    ];
    for (raw, expected) in cases {
        assert_eq!(clean_name(raw), expected, "{raw:?}");
    }
    let long = format!("{}.pdf", "a".repeat(300));
    let cleaned = clean_name(&long);
    assert_eq!(cleaned.chars().count(), 120);
    assert!(cleaned.ends_with(".pdf"));
}

#[test]
fn sizes_read_like_a_person_would_say_them() {
    assert_eq!(human_size(512), "512 bytes");
    assert_eq!(human_size(25 * 1024 * 1024), "25.0 MB");
}

#[test]
fn downloads_carry_an_extension_that_matches_the_content() {
    let table = [
        ("lab-results.html", MediaType::Heic, "lab-results.heic"),
        ("viewer.exe", MediaType::Heic, "viewer.heic"),
        ("report.html", MediaType::Pdf, "report.pdf"),
        ("zipped.zip", MediaType::Pdf, "zipped.pdf"),
        ("scan", MediaType::Pdf, "scan.pdf"),
        ("photo.JPG", MediaType::Jpeg, "photo.JPG"),
        ("photo.jpeg", MediaType::Jpeg, "photo.jpeg"),
        ("photo.png", MediaType::Jpeg, "photo.jpg"),
        ("IMG_0001.HEIF", MediaType::Heic, "IMG_0001.HEIF"),
        ("wyniki.badań", MediaType::Png, "wyniki.badań.png"),
        ("x.pdf.exe", MediaType::Webp, "x.pdf.webp"),
    ];
    for (name, media_type, expected) in table {
        assert_eq!(download_name(name, media_type), expected, "{name}");
    }
    for media_type in MediaType::ALL {
        let given = download_name("any.html", media_type);
        assert!(given.ends_with(media_type.extensions()[0]), "{given}");
    }
}
