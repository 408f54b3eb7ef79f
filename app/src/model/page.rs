//! Lists shown page by page: what is asked for and what comes back.

use serde::{Deserialize, Serialize};

/// A page of a list, with the total for the pager.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
}

impl<T> Page<T> {
    pub fn page_count(&self) -> u32 {
        let per_page = u64::from(self.per_page.max(1));
        u32::try_from(self.total.div_ceil(per_page))
            .unwrap_or(u32::MAX)
            .max(1)
    }
}

/// Which page of a list is asked for (counted from 1) and how long pages are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl PageRequest {
    /// Page 0 is read as the first.
    pub fn new(page: u32, per_page: u32) -> Self {
        Self {
            page: page.max(1),
            per_page,
        }
    }

    /// SQL's `LIMIT`.
    pub fn limit(self) -> i64 {
        i64::from(self.per_page)
    }

    /// SQL's `OFFSET`: the rows of the pages before this one.
    pub fn offset(self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    /// This page's `items`, out of `total` rows in all.
    pub fn answer<T>(self, items: Vec<T>, total: i64) -> Page<T> {
        Page {
            items,
            page: self.page,
            per_page: self.per_page,
            total: u64::try_from(total).unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_request_reads_the_rows_of_its_page_only() {
        // (asked for, per page) -> (page, limit, offset)
        let cases = [
            ((0, 50), (1, 50, 0)),
            ((1, 50), (1, 50, 0)),
            ((3, 25), (3, 25, 50)),
        ];
        for ((page, per_page), expected) in cases {
            let asked = PageRequest::new(page, per_page);
            assert_eq!(
                (asked.page, asked.limit(), asked.offset()),
                expected,
                "page {page}"
            );
        }
        let answer = PageRequest::new(2, 10).answer(vec!["k"], 11);
        assert_eq!(
            (answer.page, answer.per_page, answer.total, answer.page_count()),
            (2, 10, 11, 2)
        );
    }
}
