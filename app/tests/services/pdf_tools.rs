//! Checks a PDF with the real tools (qpdf, poppler) the way a reader's software would see it.

use std::process::Command;

/// Runs `qpdf --check` and `pdffonts` on the file and returns its text from `pdftotext`. Fails
/// the test if the structure is broken or a font is not embedded.
pub fn checked_text(pdf: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("consilium-report-{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&path, pdf).unwrap();
    let qpdf = Command::new("qpdf").arg("--check").arg(&path).output().unwrap();
    assert!(
        qpdf.status.success(),
        "qpdf --check: {}",
        String::from_utf8_lossy(&qpdf.stdout)
    );
    let fonts = Command::new("pdffonts").arg(&path).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout).to_string();
    assert!(fonts.contains("DejaVu"), "{fonts}");
    assert!(
        fonts
            .lines()
            .skip(2)
            .all(|l| l.split_whitespace().rev().nth(4) == Some("yes")),
        "every font embedded: {fonts}"
    );
    let text = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    String::from_utf8(text.stdout).unwrap()
}
