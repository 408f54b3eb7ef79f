//! Demo data for trying the product: loaded once into an empty database when
//! `CONSILIUM_DEMO_DATA=1`. Every account shares [`DEMO_PASSWORD`]; the README lists them.

use super::auth::password;
use super::db::catalog::{self, NewReviewType, Pool};
use super::db::users::{self, ClinicianProfile, NewUser};
use super::db::Db;
use crate::domain::Role;
use crate::error::AppError;

pub const DEMO_PASSWORD: &str = "consilium-demo";

/// The TOTP secret every demo staff account's second factor is set up with (base32, 160 bits),
/// so a newcomer adds one entry to any authenticator app, or runs `oathtool --totp -b` on it,
/// and signs in as any staff role. Listed in the README; never used outside demo data.
pub const DEMO_TOTP_SECRET: &str = "CONSILIUMDEMOSTAFFTOTPSECRET2345";

struct Clinician {
    name: &'static str,
    email: &'static str,
    title: &'static str,
    specialty: &'static str,
    phone: &'static str,
}

const fn clinician(
    name: &'static str,
    email: &'static str,
    title: &'static str,
    specialty: &'static str,
    phone: &'static str,
) -> Clinician {
    Clinician {
        name,
        email,
        title,
        specialty,
        phone,
    }
}

/// Coordinators, one per category, in category order.
const COORDINATORS: [Clinician; 3] = [
    clinician(
        "Zofia Wójcik",
        "zofia.wojcik@consilium.test",
        "Dr",
        "Cardiology",
        "+48 22 555 0101",
    ),
    clinician(
        "Samuel Okafor",
        "samuel.okafor@consilium.test",
        "Dr",
        "Oncology",
        "+44 20 7946 0102",
    ),
    clinician(
        "Inés García",
        "ines.garcia@consilium.test",
        "Prof",
        "Neurology",
        "+34 91 555 0103",
    ),
];

/// Specialists, two per category, in category order.
const SPECIALISTS: [Clinician; 6] = [
    clinician(
        "Henrik Larsen",
        "henrik.larsen@consilium.test",
        "Dr",
        "Cardiology",
        "+45 55 50 0201",
    ),
    clinician(
        "Amara Nwosu",
        "amara.nwosu@consilium.test",
        "Dr",
        "Cardiology",
        "+44 20 7946 0202",
    ),
    clinician(
        "Mei Chen",
        "mei.chen@consilium.test",
        "Prof",
        "Oncology",
        "+1 415 555 0203",
    ),
    clinician(
        "Lukas Becker",
        "lukas.becker@consilium.test",
        "Dr",
        "Oncology",
        "+49 30 5550 0204",
    ),
    clinician(
        "Priya Raman",
        "priya.raman@consilium.test",
        "Dr",
        "Neurology",
        "+91 22 5550 0205",
    ),
    clinician(
        "Jean-Luc Moreau",
        "jean-luc.moreau@consilium.test",
        "Dr",
        "Neurology",
        "+33 1 55 50 0206",
    ),
];

const CATEGORIES: [&str; 3] = ["Cardiology", "Oncology", "Neurology"];

/// Loads the demo data if the database has no users yet. Returns whether it did.
pub async fn load_if_empty(db: &Db) -> Result<bool, AppError> {
    if users::count(db.pool()).await? > 0 {
        return Ok(false);
    }
    let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut tx = db.begin().await?;
    let user = |email: &'static str, name: &'static str, role| NewUser {
        email,
        name,
        password_hash: &hash,
        role,
        language: crate::lang::Locale::en,
    };
    users::insert(&mut tx, &user("admin@consilium.test", "Alex Morgan", Role::Admin)).await?;
    users::insert(
        &mut tx,
        &user("maria.rossi@example.com", "Maria Rossi", Role::Patient),
    )
    .await?;
    users::insert(
        &mut tx,
        &user("tomasz.nowak@example.com", "Tomasz Nowak", Role::Patient),
    )
    .await?;
    // A patient who reads the service in Arabic (her pages, emails and report).
    users::insert(
        &mut tx,
        &NewUser {
            language: crate::lang::Locale::ar,
            ..user("layla.haddad@example.com", "Layla Haddad", Role::Patient)
        },
    )
    .await?;

    let mut category_ids = Vec::new();
    for name in CATEGORIES {
        category_ids.push(catalog::insert_category(&mut tx, name).await?);
    }
    for (pool, people) in [
        (Pool::Coordinators, &COORDINATORS[..]),
        (Pool::Specialists, &SPECIALISTS[..]),
    ] {
        for c in people {
            let id = users::insert(&mut tx, &user(c.email, c.name, Role::Clinician)).await?;
            let profile = ClinicianProfile {
                title: c.title,
                specialties: c.specialty,
                contact_email: c.email,
                contact_phone: c.phone,
            };
            users::insert_profile(&mut tx, &id, &profile).await?;
            let index = CATEGORIES
                .iter()
                .position(|name| *name == c.specialty)
                .unwrap_or_default();
            catalog::add_to_pool(&mut tx, pool, &category_ids[index], &id).await?;
            // Each coordinator also backs up the next category, so every category has two
            // coordinators to choose between (and a coordinator can be reassigned).
            if pool == Pool::Coordinators {
                let backup = &category_ids[(index + 1) % CATEGORIES.len()];
                catalog::add_to_pool(&mut tx, pool, backup, &id).await?;
            }
        }
    }
    for rt in [
        NewReviewType {
            name: "Standard second opinion",
            description: "Two specialists review your records and answer your questions in writing.",
            price_minor: 45_000,
            currency: "EUR",
            expected_days: 10,
        },
        NewReviewType {
            name: "Expedited second opinion",
            description: "The same review, prioritised: written opinions within four days.",
            price_minor: 85_000,
            currency: "EUR",
            expected_days: 4,
        },
    ] {
        catalog::insert_review_type(&mut tx, &rt).await?;
    }
    super::db::second_factor::enrol_all_staff(&mut tx, DEMO_TOTP_SECRET).await?;
    tx.commit().await?;
    Ok(true)
}
