//! The schema is written once, in `migrations/`, and spoken in each backend's dialect.
//!
//! A migration file is plain SQL that both backends accept, with two kinds of exception:
//! - a phrase in [`POSTGRES_SPELLING`] is written the SQLite way and respelled for PostgreSQL
//!   (identity columns);
//! - a block that starts with a line `-- only sqlite:` or `-- only postgres:` is kept for that
//!   backend alone, up to the next such line or `-- both:` (the append-only audit triggers,
//!   which the two write in different languages). The marker lines themselves are dropped.
//!
//! sqlx records each applied migration's checksum, so a released file must never change: the
//! tests pin the checksum of every migration in both dialects. (That is also why comments in the
//! released files still speak of a "PostgreSQL twin": they predate the single source.)

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AssertSqlSafe, SqlSafeStr};

use super::Backend;

macro_rules! embedded {
    ($name:literal) => {
        ($name, include_str!(concat!("../../../../migrations/", $name)))
    };
}
/// Every migration, in order. A test checks that this list is exactly the directory.
const FILES: &[(&str, &str)] = &[
    embedded!("0001_foundation.sql"),
    embedded!("0002_documents.sql"),
    embedded!("0003_payments_and_outbox.sql"),
    embedded!("0004_review.sql"),
    embedded!("0005_audit.sql"),
    embedded!("0006_security.sql"),
    embedded!("0007_password_reset.sql"),
    embedded!("0008_accounts.sql"),
    embedded!("0009_provider_calls.sql"),
    embedded!("0010_language.sql"),
    embedded!("0011_detail_keys.sql"),
];

/// SQLite phrase → the PostgreSQL phrase for the same thing.
const POSTGRES_SPELLING: &[(&str, &str)] = &[(
    "INTEGER PRIMARY KEY AUTOINCREMENT",
    "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
)];

const ONLY_SQLITE: &str = "-- only sqlite:";
const ONLY_POSTGRES: &str = "-- only postgres:";
const BOTH: &str = "-- both:";

/// The migrator for one backend, built from the embedded files.
pub fn migrator(backend: Backend) -> Migrator {
    Migrator::with_migrations(
        FILES
            .iter()
            .map(|(name, sql)| migration(name, in_dialect(sql, backend)))
            .collect(),
    )
}

fn migration(name: &str, sql: String) -> Migration {
    let (version, description) = name
        .trim_end_matches(".sql")
        .split_once('_')
        .unwrap_or_else(|| panic!("migration {name} is not named VERSION_DESCRIPTION.sql"));
    let version = version
        .parse()
        .unwrap_or_else(|_| panic!("migration {name} does not start with a number"));
    Migration::new(
        version,
        Cow::Owned(description.replace('_', " ")),
        MigrationType::Simple,
        // Only the files embedded above, never anything a request supplied.
        AssertSqlSafe(sql).into_sql_str(),
        false,
    )
}

/// The file as `backend` runs it: the other dialect's blocks and all markers dropped, and the
/// SQLite phrases respelled for PostgreSQL.
fn in_dialect(sql: &str, backend: Backend) -> String {
    let mut kept = String::with_capacity(sql.len());
    let mut keep = true;
    for line in sql.split_inclusive('\n') {
        match line.trim_end() {
            ONLY_SQLITE => keep = backend == Backend::Sqlite,
            ONLY_POSTGRES => keep = backend == Backend::Postgres,
            BOTH => keep = true,
            _ if keep => kept.push_str(line),
            _ => {}
        }
    }
    match backend {
        Backend::Sqlite => kept,
        Backend::Postgres => POSTGRES_SPELLING
            .iter()
            .fold(kept, |sql, (sqlite, postgres)| sql.replace(sqlite, postgres)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-384 (what sqlx stores) of every released migration as each backend runs it. A
    /// deployed database refuses to start when an applied migration's checksum changes, so a
    /// released file is never edited: a change goes into a new migration, added here.
    const RELEASED: &[(&str, &str, &str)] = &[
        ("0001_foundation.sql", "2258330c69cf6e419d9d3078b5e03a9331628b64057f14b0201d5caa63f78842ed5e337aa1ef9950789814de484043f4", "a10f811b0d292d7fdc1f344a9bb44131386e8654a3d81ea5e5066efde005c9513245700c7d6592aac6631d637f285ddd"),
        ("0002_documents.sql", "e3c2d2602e87f437d4b2aded9c974c88144d8986a548668b1eb27e6d7cd4e3dda28ca1292b1f471a6ed8efcf661ee8c8", "e3c2d2602e87f437d4b2aded9c974c88144d8986a548668b1eb27e6d7cd4e3dda28ca1292b1f471a6ed8efcf661ee8c8"),
        ("0003_payments_and_outbox.sql", "b6d3c35e59f3496d7580b8372c198309ca120906d5a8f1b31c0397dfaabd3d4da39c9f991a8fabd3a66769bfba5a39c7", "b6d3c35e59f3496d7580b8372c198309ca120906d5a8f1b31c0397dfaabd3d4da39c9f991a8fabd3a66769bfba5a39c7"),
        ("0004_review.sql", "d83bf5480ba117e1ae8eede2e822b0ccf870b3af37fca001f6c66d8b0ba1627f69e07e2a890594d12900efb00f2e80c6", "d83bf5480ba117e1ae8eede2e822b0ccf870b3af37fca001f6c66d8b0ba1627f69e07e2a890594d12900efb00f2e80c6"),
        ("0005_audit.sql", "26e3257c380e47de8c9c690a4c5c9c5cfac799bbdfd6cca530df47ded338b0f77474a04a0cbddc5544e0468941ad1ddf", "0bf91ba79ef73f976cc2d9b1881d6cca0cb1ab8feb50549cc1c1d0546475bc9e4a82f2a6ba9166a04efb4d132c16a8b4"),
        ("0006_security.sql", "043a0f2fbf790f4548a423bbfdbf6ef2f6e3b8b14139bc282cbc6d80b2552559c8f562cd255ffb9f2ce255cd3fcf4920", "043a0f2fbf790f4548a423bbfdbf6ef2f6e3b8b14139bc282cbc6d80b2552559c8f562cd255ffb9f2ce255cd3fcf4920"),
        ("0007_password_reset.sql", "3f77702ac54cce493fffebad41a4668df572d4b6e577a187d5a481c316381b029bd6211cec5cd9c4811428a3ca7d0dd7", "75b4bbad9d90baaf71b08e38ac29d587acbe1d711c3d74393c14b5468a5a604263c2bfadd550f557723507dd9ec357a1"),
    ];

    fn checksums(backend: Backend) -> Vec<(String, String)> {
        let migrator = migrator(backend);
        FILES
            .iter()
            .zip(migrator.iter())
            .map(|((name, _), m)| (name.to_string(), hex::encode(&m.checksum)))
            .collect()
    }

    #[test]
    fn released_migrations_are_unchanged_in_both_dialects() {
        let sqlite = checksums(Backend::Sqlite);
        let postgres = checksums(Backend::Postgres);
        for (i, (name, for_sqlite, for_postgres)) in RELEASED.iter().enumerate() {
            assert_eq!(sqlite[i], (name.to_string(), for_sqlite.to_string()), "SQLite");
            assert_eq!(
                postgres[i],
                (name.to_string(), for_postgres.to_string()),
                "PostgreSQL"
            );
        }
    }

    #[test]
    fn the_list_is_the_directory() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("the migrations directory")
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = FILES.iter().map(|(name, _)| *name).collect();
        assert_eq!(on_disk, listed);
    }

    #[test]
    fn versions_rise_one_by_one() {
        let versions: Vec<i64> = migrator(Backend::Sqlite).iter().map(|m| m.version).collect();
        assert_eq!(versions, (1..=FILES.len() as i64).collect::<Vec<_>>());
    }

    #[test]
    fn dialect_blocks_keep_only_their_backend() {
        let sql =
            "a\n-- only sqlite:\ns\n-- only postgres:\np\n-- both:\nid INTEGER PRIMARY KEY AUTOINCREMENT\n";
        assert_eq!(
            in_dialect(sql, Backend::Sqlite),
            "a\ns\nid INTEGER PRIMARY KEY AUTOINCREMENT\n"
        );
        assert_eq!(
            in_dialect(sql, Backend::Postgres),
            "a\np\nid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY\n"
        );
    }
}
