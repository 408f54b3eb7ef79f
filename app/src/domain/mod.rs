//! The pure domain: statuses, roles, who may do what. No I/O, no view!, no database; compiled
//! for the browser and the server alike so that both ask the same rules.

/// An enum stored and sent by a stable name: `as_str`, `ALL`, `Display`, `FromStr`, and (on the
/// server) an sqlx codec, so rows carry the enum and queries bind it instead of a text literal.
macro_rules! string_enum {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stable name stored in the database and sent on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str(self.as_str()) }
        }
        impl ::std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
                    .ok_or_else(|| format!("unknown {} '{s}'", stringify!($name)))
            }
        }
        #[cfg(feature = "ssr")]
        impl ::sqlx::Type<::sqlx::Any> for $name {
            fn type_info() -> ::sqlx::any::AnyTypeInfo {
                <str as ::sqlx::Type<::sqlx::Any>>::type_info()
            }
        }
        #[cfg(feature = "ssr")]
        impl<'q> ::sqlx::Encode<'q, ::sqlx::Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <::sqlx::Any as ::sqlx::Database>::ArgumentBuffer,
            ) -> Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {
                <&str as ::sqlx::Encode<'q, ::sqlx::Any>>::encode(self.as_str(), buf)
            }
        }
        #[cfg(feature = "ssr")]
        impl<'r> ::sqlx::Decode<'r, ::sqlx::Any> for $name {
            fn decode(
                value: <::sqlx::Any as ::sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, ::sqlx::error::BoxDynError> {
                let text = <&str as ::sqlx::Decode<'r, ::sqlx::Any>>::decode(value)?;
                Ok(text.parse::<$name>()?)
            }
        }
    };
}

/// What an account must do before anything else.
pub mod account;
/// Audit log outcomes.
pub mod audit;
/// Case statuses, actions, actors and the transition rule with its effects.
pub mod case;
/// Allowed document types (decided from content), limits, and name cleaning.
pub mod document;
/// Timeline entries, recipients and effects of a change (re-exported by `case`).
pub mod effects;
/// The patient's case form and what submission requires.
pub mod intake;
/// Money in integer minor units; parsing typed prices.
pub mod money;
/// Where a payment stands.
pub mod payment;
/// Opinions, document requests, the final summary and when a case may complete.
pub mod review;
/// Who may see a case and which home each role lands on.
pub mod role;
/// Validated input values (email, names, passwords) shared by forms and server.
pub mod validate;
/// Who sees what of a case (opinions, contact details) and whom it may be staffed with.
pub mod visibility;

pub use case::{Actor, CaseAction, CaseStatus, Effect, Recipient, Refusal, TimelineLabel, Transition};
pub use document::MediaType;
pub use role::{Relation, Role};

#[cfg(test)]
mod tests {
    use super::audit::{Outcome, UseCase};
    use super::payment::PaymentStatus;
    use super::{CaseAction, CaseStatus, TimelineLabel};

    /// Each stored name reads back as its variant, and a name nobody stored is refused.
    fn reads_back<T>(all: &[T])
    where
        T: Copy + PartialEq + std::fmt::Debug + std::str::FromStr + std::fmt::Display,
    {
        for value in all {
            assert_eq!(value.to_string().parse::<T>().ok(), Some(*value));
        }
        assert!("maybe".parse::<T>().is_err());
    }

    #[test]
    fn every_string_enum_reads_back_from_its_stored_name() {
        reads_back(CaseStatus::ALL);
        reads_back(CaseAction::ALL);
        reads_back(TimelineLabel::ALL);
        reads_back(PaymentStatus::ALL);
        assert!(
            "pending".parse::<PaymentStatus>().is_err(),
            "a payment is open, not pending"
        );
        reads_back(Outcome::ALL);
        reads_back(UseCase::ALL);
    }
}
