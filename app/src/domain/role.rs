use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The account role. A clinician is a coordinator or a specialist only relative to a case
/// (see [`Relation`]); the account itself is just "clinician".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Patient,
    Clinician,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Patient, Role::Clinician, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Patient => "patient",
            Role::Clinician => "clinician",
            Role::Admin => "admin",
        }
    }

    /// The page each role lands on after signing in.
    pub fn home_path(self) -> &'static str {
        match self {
            Role::Patient => "/cases",
            Role::Clinician => "/clinician",
            Role::Admin => "/admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Patient => "Patient",
            Role::Clinician => "Clinician",
            Role::Admin => "Administrator",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role '{s}'"))
    }
}

/// How a signed-in user relates to one case. Derived on the server from the case row and its
/// active assignments; never taken from the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Relation {
    /// The patient who owns the case.
    Owner,
    /// The clinician holding the case's active coordinator assignment.
    Coordinator,
    /// A clinician holding an active specialist assignment on the case.
    Specialist,
    /// Any administrator.
    Admin,
    /// Signed in, but none of the above: another patient, an unassigned clinician.
    Unrelated,
}

impl Relation {
    pub const ALL: [Relation; 5] = [
        Relation::Owner,
        Relation::Coordinator,
        Relation::Specialist,
        Relation::Admin,
        Relation::Unrelated,
    ];

    /// Whether the case is visible at all. An invisible case answers exactly like a missing one.
    pub fn may_view_case(self) -> bool {
        !matches!(self, Relation::Unrelated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn only_unrelated_users_cannot_see_a_case() {
        for relation in Relation::ALL {
            assert_eq!(relation.may_view_case(), relation != Relation::Unrelated);
        }
    }
}
