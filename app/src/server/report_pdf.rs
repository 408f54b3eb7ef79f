//! Renders a [`crate::model::Report`] as a PDF. Being written (issue 5).
