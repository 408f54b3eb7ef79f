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

    /// How an account relates to one case, from its role, whether it is the case's patient, and
    /// its active assignment on the case (`Some(true)` coordinator, `Some(false)` specialist).
    pub fn of(role: Role, is_patient: bool, assignment: Option<bool>) -> Relation {
        match (role, assignment) {
            (Role::Admin, _) => Relation::Admin,
            (Role::Patient, _) if is_patient => Relation::Owner,
            (Role::Patient, _) => Relation::Unrelated,
            (Role::Clinician, Some(true)) => Relation::Coordinator,
            (Role::Clinician, Some(false)) => Relation::Specialist,
            (Role::Clinician, None) => Relation::Unrelated,
        }
    }

    /// Whether the case is visible at all. An invisible case answers exactly like a missing one.
    /// A draft is the patient's own until submitted: not even an admin reads it.
    pub fn may_view_case(self, status: super::CaseStatus) -> bool {
        match self {
            Relation::Unrelated => false,
            Relation::Admin => status != super::CaseStatus::Draft,
            Relation::Owner | Relation::Coordinator | Relation::Specialist => true,
        }
    }

    /// Whether this person may read payment details (amounts, invoices, refunds). Doctors
    /// review the medicine; money is between the patient, the coordinator and the service.
    pub fn sees_payments(self) -> bool {
        matches!(self, Relation::Owner | Relation::Coordinator | Relation::Admin)
    }

    /// Whether a timeline entry written for `audience` is shown to this person.
    pub fn sees(self, audience: super::case::Audience) -> bool {
        match audience {
            super::case::Audience::Case => true,
            super::case::Audience::Payment => self.sees_payments(),
        }
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
    fn the_relation_comes_from_the_role_the_patient_and_the_assignment() {
        use Relation as R;
        let table = [
            (Role::Admin, false, None, R::Admin),
            (Role::Admin, false, Some(true), R::Admin),
            (Role::Patient, true, None, R::Owner),
            (Role::Patient, false, None, R::Unrelated),
            (Role::Clinician, false, Some(true), R::Coordinator),
            (Role::Clinician, false, Some(false), R::Specialist),
            (Role::Clinician, false, None, R::Unrelated),
            // A clinician is never the case's patient, even with a matching id.
            (Role::Clinician, true, None, R::Unrelated),
        ];
        for (role, is_patient, assignment, expected) in table {
            assert_eq!(
                Relation::of(role, is_patient, assignment),
                expected,
                "{role:?} {is_patient} {assignment:?}"
            );
        }
    }

    #[test]
    fn who_sees_a_case_in_each_status() {
        use crate::domain::CaseStatus;
        for &status in CaseStatus::ALL {
            for relation in Relation::ALL {
                let expected = match relation {
                    Relation::Unrelated => false,
                    Relation::Admin => status != CaseStatus::Draft,
                    _ => true,
                };
                assert_eq!(
                    relation.may_view_case(status),
                    expected,
                    "{relation:?} {status:?}"
                );
            }
        }
    }

    #[test]
    fn only_the_patient_the_coordinator_and_admins_see_payment_entries() {
        use crate::domain::case::Audience;
        let table = [
            (Relation::Owner, true),
            (Relation::Coordinator, true),
            (Relation::Admin, true),
            (Relation::Specialist, false),
            (Relation::Unrelated, false),
        ];
        for (relation, sees) in table {
            assert_eq!(relation.sees_payments(), sees, "{relation:?}");
            assert_eq!(relation.sees(Audience::Payment), sees, "{relation:?}");
            assert!(relation.sees(Audience::Case));
        }
    }
}
