//! Times `report_pdf::render` on a realistic five-page report.
//!
//! `cargo run --release -p app --features ssr --example report_bench [-- out.pdf]`
//!
//! Renders twice to warm up (the first render parses the fonts), then 20 times, and prints the
//! median, 90th percentile and maximum render time, the page count and the file size. With a path
//! argument the PDF is also written there, to look at.

use app::server::report_pdf;
use std::time::{Duration, Instant};

const WARM_UPS: usize = 2;
const RUNS: usize = 20;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let report = report_pdf::sample::five_pages();
    for _ in 0..WARM_UPS {
        report_pdf::render(&report)?;
    }
    let mut times = Vec::with_capacity(RUNS);
    let mut bytes = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        bytes = report_pdf::render(&report)?;
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "render: median {:.2} ms, p90 {:.2} ms, max {:.2} ms over {RUNS} runs",
        ms(times[RUNS / 2]),
        ms(times[RUNS * 9 / 10 - 1]),
        ms(times[RUNS - 1])
    );
    println!("pages: {}, size: {} bytes", page_count(&bytes), bytes.len());
    if let Some(path) = std::env::args().nth(1) {
        std::fs::write(&path, &bytes)?;
        println!("written to {path}");
    }
    Ok(())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Page objects in the file: each page dictionary says `/Type/Page` (the page tree `/Type/Pages`).
fn page_count(pdf: &[u8]) -> usize {
    let needle = b"/Type/Page";
    pdf.windows(needle.len() + 1)
        .filter(|window| window.starts_with(needle) && window[needle.len()] != b's')
        .count()
}
