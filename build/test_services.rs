//! The build script of `server` (and a part of `app`'s): marks the build when a PostgreSQL server or an
//! S3-compatible bucket for the tests is configured, so that the tests that need one report
//! themselves as ignored (not as passed) when none is.

#[allow(dead_code)] // `app`'s build script uses only the marking.
fn main() {
    mark_test_services();
}

pub fn mark_test_services() {
    for (var, cfg) in [
        ("CONSILIUM_TEST_POSTGRES_URL", "postgres_tests"),
        ("CONSILIUM_TEST_S3_URL", "s3_tests"),
    ] {
        println!("cargo::rerun-if-env-changed={var}");
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if std::env::var_os(var).is_some_and(|v| !v.is_empty()) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
