//! Pagination: blocks placed on pages, headings kept with what follows, footers with page numbers.

use super::*;

/// Text placed on a page: the baseline's start, in points from the page's bottom left.
pub(super) struct Placed {
    pub(super) x: f32,
    pub(super) y: f32,
    pub(super) text: String,
    pub(super) style: Style,
    /// The direction of the paragraph the text belongs to (see [`Run::rtl`]).
    pub(super) rtl: bool,
}

/// Lays the blocks out on as many pages as they need (always at least one).
pub(super) fn paginate(blocks: &[Block]) -> Vec<Vec<Placed>> {
    let mut pager = Pager {
        pages: vec![Vec::new()],
        top: TOP,
    };
    for (index, block) in blocks.iter().enumerate() {
        pager.start_block(block.space_before, keep_height(blocks, index));
        for row in &block.rows {
            pager.place(row);
        }
    }
    pager.pages
}

/// The height that must fit below the cursor for block `index` to start on this page: a
/// keep-with-next block in full plus whatever its successor needs, otherwise the block's first
/// [`ORPHAN_ROWS`] rows. This is what keeps a heading (and a chain like author, date, label) from
/// ending a page.
pub(super) fn keep_height(blocks: &[Block], index: usize) -> f32 {
    let Some(block) = blocks.get(index) else {
        return 0.0;
    };
    match blocks.get(index + 1) {
        Some(next) if block.keep_with_next => {
            block.height() + next.space_before + keep_height(blocks, index + 1)
        }
        _ => block.rows.iter().take(ORPHAN_ROWS).map(|row| row.height).sum(),
    }
}

pub(super) struct Pager {
    pub(super) pages: Vec<Vec<Placed>>,
    /// Top of the next row on the current (last) page.
    pub(super) top: f32,
}

impl Pager {
    pub(super) fn page_is_empty(&self) -> bool {
        self.pages.last().is_none_or(Vec::is_empty)
    }

    pub(super) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.top = TOP;
    }

    /// Moves to a new page unless `needed` fits below the block's space; at the top of a page the
    /// block starts right away (space dropped), even if it could never fit.
    pub(super) fn start_block(&mut self, space_before: f32, needed: f32) {
        if self.page_is_empty() {
            return;
        }
        if self.top - space_before - needed < BOTTOM {
            self.new_page();
        } else {
            self.top -= space_before;
        }
    }

    pub(super) fn place(&mut self, row: &Row) {
        if self.top - row.height < BOTTOM && !self.page_is_empty() {
            self.new_page();
        }
        // A blank line at the top of a page would only push the text down.
        if row.runs.is_empty() && self.page_is_empty() {
            return;
        }
        let y = self.top - row.baseline;
        let placed = row.runs.iter().map(|run| Placed {
            x: MARGIN + run.x,
            y,
            text: run.text.clone(),
            style: run.style,
            rtl: run.rtl,
        });
        if let Some(page) = self.pages.last_mut() {
            page.extend(placed);
        }
        self.top -= row.height;
    }
}

/// "Consilium · CON-… · Page n of m", centred under the rule at the foot of the page.
pub(super) fn footer(setter: &Setter, report: &Report, page: usize, total: usize) -> Placed {
    let page_of = td_string!(report.language, report.page_of, page = page, total = total);
    let text = setter.printable(
        FOOTER.weight,
        &format!("Consilium · {} · {page_of}", report.reference),
    );
    let width = setter.width(FOOTER, &text);
    Placed {
        x: (PAGE_WIDTH - width) / 2.0,
        y: FOOTER_BASELINE,
        text,
        style: FOOTER,
        rtl: setter.is_rtl(),
    }
}
