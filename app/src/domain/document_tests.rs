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
