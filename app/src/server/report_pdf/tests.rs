//! The renderer checked with the real tools (qpdf, poppler) and its layout rules.
use super::sample::{self, report as sample_report, text as long_text};
use super::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A PDF written to a fresh temporary file, removed when dropped.
struct TempPdf(PathBuf);

impl TempPdf {
    fn new(bytes: &[u8]) -> TempPdf {
        let path =
            std::env::temp_dir().join(format!("consilium-report-{}.pdf", uuid::Uuid::new_v4().simple()));
        std::fs::write(&path, bytes).expect("write the PDF to a temporary file");
        TempPdf(path)
    }
}

impl Drop for TempPdf {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Runs `tool` on `path`; panics with its stderr unless it succeeds.
fn run(tool: &str, args: &[&str], path: &Path) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(path)
        .output()
        .expect("run the PDF tool");
    assert!(
        output.status.success(),
        "{tool} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// pdffonts lists each named font as embedded, subset, with a ToUnicode map.
fn fonts_embedded_as_subsets(pdf: &TempPdf, names: &[&str]) {
    let fonts = run("pdffonts", &[], &pdf.0);
    for name in names {
        let line = fonts
            .lines()
            .find(|line| line.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in\n{fonts}"));
        let columns: Vec<&str> = line.split_whitespace().collect();
        // name type… encoding emb sub uni object generation
        let flags = &columns[columns.len() - 5..columns.len() - 2];
        assert_eq!(
            flags,
            ["yes", "yes", "yes"],
            "{name} should be embedded, subset, with ToUnicode:\n{fonts}"
        );
    }
}

fn page_count(path: &Path) -> usize {
    run("pdfinfo", &[], path)
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|count| count.trim().parse().ok())
        .expect("pdfinfo prints the page count")
}

#[test]
fn report_is_a_valid_pdf_with_extractable_unicode_text_and_embedded_subset_fonts() {
    let report = sample_report();
    let bytes = render(&report).expect("render");
    let pdf = TempPdf::new(&bytes);

    run("qpdf", &["--check"], &pdf.0);
    let pages = page_count(&pdf.0);
    assert!(
        pages >= 3,
        "the long opinion should need at least 3 pages, got {pages}"
    );

    let text = pdftotext(&pdf.0);
    for expected in [
        "Second opinion report",
        "CON-2026-0042",
        "27 November 2026",
        "Małgorzata Żółkiewska",
        "Zażółć gęślą jaźń",
        "Ωμέγα",
        "€1",
        "→",
        "Dr Anna Wójcik",
        "Prof. Łukasz Lewandowski",
        "Dr Jan Kowalski",
        "Coordinator's summary",
        "This second opinion is based only",
        "Page 1 of",
        &format!("Page {pages} of {pages}"),
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the extracted text:\n{text}"
        );
    }

    fonts_embedded_as_subsets(&pdf, &["DVSREG+DejaVuSans", "DVSBLD+DejaVuSans-Bold"]);

    assert!(
        bytes.len() < 150_000,
        "a {pages}-page report took {} bytes",
        bytes.len()
    );
}

fn pdftotext(path: &Path) -> String {
    let output = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(
        output.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("pdftotext prints UTF-8")
}

#[test]
fn rendering_the_same_report_twice_gives_the_same_bytes() {
    let report = sample_report();
    let first = render(&report).expect("render");
    assert_eq!(first, render(&report).expect("render again"));
    let mut other = report.clone();
    other.summary.push_str(" One more sentence.");
    assert_ne!(first, render(&other).expect("render a changed report"));
}

#[test]
fn missing_age_and_sex_print_not_given() {
    let mut report = sample_report();
    report.patient_age = None;
    report.patient_sex = None;
    let pdf = TempPdf::new(&render(&report).expect("render"));
    let text = pdftotext(&pdf.0);
    assert_eq!(text.matches("not given").count(), 2, "{text}");
}

/// Texts that stress the wrapper: long paragraphs, explicit breaks, tabs, a word longer than
/// any line, characters DejaVu lacks.
fn wrapping_inputs() -> Vec<String> {
    vec![
        long_text(6),
        "Line one\nLine two\r\n\n\n\nAfter a blank line\twith a tab".into(),
        format!("short {} short", "Wójcik→Ωμέγα€".repeat(40)),
        "W".repeat(500),
        "漢字 and 🫀 are not in DejaVu Sans".into(),
        String::new(),
    ]
}

#[test]
fn wrapped_lines_never_exceed_the_width() {
    let fonts = fonts().expect("fonts");
    for face in [&fonts.regular, &fonts.bold] {
        for size in [8.0, 10.5, 13.5, 20.0] {
            for max_width in [
                TEXT_WIDTH,
                TEXT_WIDTH - LABEL_COLUMN,
                LABEL_COLUMN - LABEL_GAP,
                40.0,
            ] {
                for text in wrapping_inputs() {
                    for line in wrap(face, &text, size, max_width) {
                        let width = face.width(&line, size);
                        assert!(
                            width <= max_width + 0.001,
                            "{line:?} is {width} pt wide, limit {max_width}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn wrapping_keeps_every_character_and_the_explicit_line_breaks() {
    let fonts = fonts().expect("fonts");
    let face = &fonts.regular;
    for text in wrapping_inputs() {
        let lines = wrap(face, &text, BODY.size, 120.0);
        let kept: String = lines.concat().chars().filter(|c| !c.is_whitespace()).collect();
        let given: String = face
            .printable(&text.replace(['\r', '\n'], " "))
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert_eq!(kept, given);
    }

    let lines = wrap(
        face,
        "Line one\nLine two\r\n\n\n\nAfter a blank line",
        BODY.size,
        TEXT_WIDTH,
    );
    assert_eq!(lines, ["Line one", "Line two", "", "After a blank line"]);

    let lines = wrap(face, &format!("see {} now", "x".repeat(300)), BODY.size, 100.0);
    assert!(lines.len() > 3, "a 300-character word is cut: {lines:?}");
    assert_eq!(lines[0], "see");
    assert!(
        lines.last().is_some_and(|last| last.ends_with(" now")),
        "{lines:?}"
    );

    assert_eq!(wrap(face, "漢", BODY.size, TEXT_WIDTH), ["\u{FFFD}"]);
}

#[test]
fn measured_widths_come_from_the_font() {
    let fonts = fonts().expect("fonts");
    let face = &fonts.regular;
    assert!(face.units("W") > face.units("i"));
    assert!(face.units("ż") > 0 && face.units("Ω") > 0 && face.units("€") > 0 && face.units("→") > 0);
    assert_eq!(
        face.units("ab cd"),
        face.units("ab") + face.advance(' ') + face.units("cd")
    );
    // DejaVu Sans's hmtx gives "W" 2025 and the space 651 of 2048 units: 988 and 317 thousandths.
    assert_eq!((face.units("W"), face.advance(' ')), (988, 317));
    assert!(fonts.bold.units("abc") > face.units("abc"), "bold is wider");
    // printpdf writes each glyph's `/W` width from the decoded glyph; the table must agree.
    for face in [&fonts.regular, &fonts.bold] {
        for c in long_text(4).chars().chain("\u{FFFD}?€→Ωμέγα漢".chars()) {
            let gid = face.font.lookup_glyph_index(u32::from(c)).unwrap_or(0);
            let decoded = face
                .font
                .get_or_decode_glyph(gid)
                .map_or(0, |glyph| glyph.horz_advance);
            let written = (f32::from(decoded) * (1000.0 / face.units_per_em)) as u64;
            assert_eq!(face.advance(c), written, "{c:?}");
        }
    }
}

/// Headings, opinion authors, dates and labels must be followed by text on the same page.
#[test]
fn headings_and_labels_never_end_a_page() {
    let setter = Setter::for_language(crate::lang::Locale::en).expect("fonts");
    for extra in 0..30 {
        let mut report = sample_report();
        // Shift everything down line by line so that every heading meets the page foot once.
        report.question = (0..extra)
            .map(|i| format!("Question {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let pages = paginate(&blocks(&setter, &report));
        for (number, page) in pages.iter().enumerate().take(pages.len() - 1) {
            let last = page.last().expect("no page is empty");
            assert!(
                last.style == BODY,
                "page {} of variant {extra} ends with {:?} in {:?}",
                number + 1,
                last.text,
                last.style
            );
        }
    }
}

#[test]
fn a_report_without_opinions_still_renders() {
    let mut report = sample_report();
    report.opinions.clear();
    report.specialists.clear();
    report.question = String::new();
    let pdf = TempPdf::new(&render(&report).expect("render"));
    run("qpdf", &["--check"], &pdf.0);
    assert!(pdftotext(&pdf.0).contains("No specialist opinion was submitted"));
    assert_eq!(page_count(&pdf.0), 1);
}

/// Glyphs and extracted text of an Arabic report.
mod arabic {
    use super::shaping::arabic_fonts;
    use super::*;

    #[test]
    fn the_report_is_in_arabic_with_its_sentences_extractable_in_logical_order() {
        let report = sample::arabic();
        let bytes = render(&report).expect("render");
        let pdf = TempPdf::new(&bytes);
        run("qpdf", &["--check"], &pdf.0);
        fonts_embedded_as_subsets(
            &pdf,
            &[
                "NSAREG+NotoSansArabic",
                "NSABLD+NotoSansArabic-Bold",
                "DVSREG+DejaVuSans",
            ],
        );
        let text = pdftotext(&pdf.0);
        // pdftotext marks the direction of each run (U+202A…U+202C) and moves spaces at the
        // boundaries of runs: the letters and their order are what is compared.
        let letters = |text: &str| -> String {
            text.chars()
                .filter(|c| !c.is_whitespace() && !('\u{200E}'..='\u{200F}').contains(c))
                .filter(|c| !('\u{202A}'..='\u{202E}').contains(c) && !('\u{2066}'..='\u{2069}').contains(c))
                .collect()
        };
        let found = letters(&text);
        for expected in [
            "تقرير الرأي الطبي الثاني",
            "ليلى حداد",
            "27 نوفمبر 2026",
            sample::ARABIC_QUESTION,
            sample::ARABIC_SUMMARY,
            sample::ARABIC_MIXED,
            "Dr Anna Wójcik",
            "Repeat the echocardiogram in three months.",
            "الجنس",
            "أنثى",
            "صفحة 1 من",
        ] {
            assert!(
                found.contains(&letters(expected)),
                "{expected:?} missing from the extracted text:\n{text}"
            );
        }
        assert!(
            !text.contains("Second opinion report"),
            "nothing of the English report:\n{text}"
        );
        assert!(bytes.len() < 150_000, "{} bytes", bytes.len());
    }

    /// The letters take their joined forms: the glyphs of a word are not the font's nominal
    /// glyphs of its letters, and lam followed by alef becomes one ligature.
    #[test]
    fn letters_are_joined_and_lam_alef_is_one_glyph() {
        let fonts = arabic_fonts().expect("fonts");
        let nominal_glyph = |c: char| {
            let (glyphs, _) = fonts.glyphs(Weight::Regular, c.encode_utf8(&mut [0; 4]), true);
            glyphs[0].gid
        };
        let word = "بين";
        let (glyphs, _) = fonts.glyphs(Weight::Regular, word, true);
        assert_eq!(glyphs.len(), 3);
        // Drawn from the left: the final nun first, the initial beh last.
        let drawn: Vec<u16> = glyphs.iter().map(|g| g.gid).collect();
        let nominal: Vec<u16> = word.chars().rev().map(nominal_glyph).collect();
        assert!(
            drawn.iter().zip(&nominal).all(|(a, b)| a != b),
            "{drawn:?} {nominal:?}"
        );
        let texts: Vec<&str> = glyphs.iter().filter_map(|g| g.text.as_deref()).collect();
        assert_eq!(texts, ["ن", "ي", "ب"]);

        let (glyphs, _) = fonts.glyphs(Weight::Regular, "لا", true);
        assert_eq!(glyphs.len(), 1);
        // In the order drawn (alef on the left): extractors turn right-to-left runs around.
        assert_eq!(glyphs[0].text.as_deref(), Some("ال"));
    }

    /// In a right-to-left line the Latin words keep their own order and read left to right, and
    /// the Arabic around them is placed from the right.
    #[test]
    fn a_mixed_line_keeps_its_order() {
        let fonts = arabic_fonts().expect("fonts");
        let (glyphs, width) = fonts.glyphs(
            Weight::Regular,
            &format!("{} {}", sample::ARABIC_MIXED, sample::ARABIC_DOSE),
            true,
        );
        let text: String = glyphs.iter().filter_map(|g| g.text.clone()).collect();
        // Left to right on the page: the dose's last word, "mg", "2.5" (read from the right:
        // "2.5 mg"), the first sentence's last words, "Ramipril", then its first words.
        let at = |needle: &str| {
            text.find(needle)
                .unwrap_or_else(|| panic!("{needle:?} in {text:?}"))
        };
        assert!(at("mg") < at("2.5") && at("2.5") < at("Ramipril"), "{text:?}");
        let right_of_drug = &text[at("Ramipril") + "Ramipril".len()..];
        assert!(
            right_of_drug
                .chars()
                .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "{text:?}"
        );
        assert!(glyphs.iter().all(|g| g.x >= -0.01 && g.x < width), "{width}");
    }

    #[test]
    fn english_paragraphs_in_an_arabic_report_read_left_to_right() {
        assert!(shaping::paragraph_is_rtl("نوصي بدواء Ramipril"));
        assert!(!shaping::paragraph_is_rtl("Repeat the echo, بعد ثلاثة أشهر"));
        assert!(
            !shaping::paragraph_is_rtl("2.5 mg نوصي"),
            "digits have no direction, mg has"
        );
        assert!(shaping::paragraph_is_rtl("2.5 %"), "none at all: the report's");
    }

    #[test]
    fn arabic_lines_fit_their_column() {
        let setter = Setter::for_language(crate::lang::Locale::ar).expect("fonts");
        let report = sample::arabic();
        let pages = paginate(&blocks(&setter, &report));
        let all = || pages.iter().flatten();
        // Arabic starts at the right margin; an English paragraph someone wrote at the left one.
        let title = all().find(|p| p.style == TITLE).expect("the title");
        let title_end = title.x + setter.width(TITLE, &title.text);
        assert!((title_end - (PAGE_WIDTH - MARGIN)).abs() < 0.5, "{title_end}");
        let english = all()
            .find(|p| p.text == "Repeat the echocardiogram in three months.")
            .expect("the English recommendation");
        assert!((english.x - MARGIN).abs() < 0.01 && !english.rtl, "{}", english.x);
        for (page, placed) in pages.iter().enumerate() {
            for text in placed {
                let width = setter.width(text.style, &text.text);
                assert!(
                    text.x >= MARGIN - 0.5 && text.x + width <= PAGE_WIDTH - MARGIN + 0.5,
                    "page {page}: {:?} at {} wide {width}",
                    text.text,
                    text.x
                );
            }
        }
    }
}
