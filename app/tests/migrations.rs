//! The SQLite and PostgreSQL migrations are one schema in two dialects: same files, same
//! statements, and only the lines listed here may exist in one dialect and not the other.

use std::path::Path;

/// Lines (trimmed) that only one dialect has: identity columns, and the append-only audit log
/// written as SQLite triggers or as a PostgreSQL trigger function.
const SQLITE_ONLY: &[&str] = &[
    "id          INTEGER PRIMARY KEY AUTOINCREMENT,",
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log",
    "SELECT RAISE(ABORT, 'the audit log is append-only');",
    "BEGIN",
    "END;",
];
const POSTGRES_ONLY: &[&str] = &[
    "id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,",
    "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$",
    "RAISE EXCEPTION 'the audit log is append-only';",
    "BEGIN",
    "END;",
    "$$;",
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log",
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();",
];

fn files(dialect: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(dialect);
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dialect} migrations: {e}"))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".sql"))
        .collect();
    names.sort();
    names
}

/// The file's lines without the ones only this dialect has.
fn shared_lines(dialect: &str, name: &str, only: &[&str]) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(dialect)
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|line| line.trim().to_owned())
        .filter(|line| !only.contains(&line.as_str()))
        .collect()
}

#[test]
fn the_two_dialects_differ_only_in_the_listed_lines() {
    let sqlite = files("sqlite");
    assert_eq!(
        sqlite,
        files("postgres"),
        "the same migration files in both dialects"
    );
    assert!(!sqlite.is_empty());
    for name in &sqlite {
        let a = shared_lines("sqlite", name, SQLITE_ONLY);
        let b = shared_lines("postgres", name, POSTGRES_ONLY);
        let first_difference = a.iter().zip(&b).position(|(x, y)| x != y);
        assert!(
            a.len() == b.len() && first_difference.is_none(),
            "{name}: the dialects differ beyond the listed lines, first at shared line {:?}: {:?} vs {:?}",
            first_difference,
            first_difference.map(|i| &a[i]),
            first_difference.map(|i| &b[i]),
        );
    }
}
