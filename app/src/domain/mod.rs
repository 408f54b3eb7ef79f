//! The pure domain: statuses, roles, who may do what. No I/O, no view!, no database; compiled
//! for the browser and the server alike so that both ask the same rules.

/// Case statuses, actions, actors and the transition rule with its effects.
pub mod case;
/// Allowed document types (decided from content), limits, and name cleaning.
pub mod document;
/// The patient's case form and what submission requires.
pub mod intake;
/// Money in integer minor units; parsing typed prices.
pub mod money;
/// Opinions, document requests, the final summary and when a case may complete.
pub mod review;
/// Who may see a case and which home each role lands on.
pub mod role;
/// Validated input values (email, names, passwords) shared by forms and server.
pub mod validate;

pub use case::{Actor, CaseAction, CaseStatus, Effect, Recipient, Refusal, TimelineLabel, Transition};
pub use document::MediaType;
pub use role::{Relation, Role};
