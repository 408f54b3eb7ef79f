//! How an audited action ended. Stored by name in the audit log; admins filter by it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    Ok,
    /// Not allowed, or not visible to the caller (answered like a missing record).
    Denied,
    /// Refused because the record changed meanwhile or is in the wrong state.
    Conflict,
    /// Refused because the input was wrong.
    Invalid,
    /// Failed on our side.
    Error,
    /// A stored file no longer matches its checksum.
    IntegrityFailure,
    /// A sign-in refused before any password was checked.
    Throttled,
    BadCredentials,
    Unverified,
    Deactivated,
}

string_enum!(Outcome {
    Ok => "ok",
    Denied => "denied",
    Conflict => "conflict",
    Invalid => "invalid",
    Error => "error",
    IntegrityFailure => "integrity_failure",
    Throttled => "throttled",
    BadCredentials => "bad_credentials",
    Unverified => "unverified",
    Deactivated => "deactivated",
});

#[cfg(test)]
mod tests {
    use super::Outcome;

    #[test]
    fn every_outcome_reads_back_from_its_stored_name() {
        for outcome in Outcome::ALL {
            assert_eq!(outcome.as_str().parse::<Outcome>(), Ok(*outcome));
        }
        assert!("maybe".parse::<Outcome>().is_err());
    }
}
