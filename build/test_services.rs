//! The build script of `app` and `server`: marks the build when a PostgreSQL server or an
//! S3-compatible bucket for the tests is configured, so that the tests that need one report
//! themselves as ignored (not as passed) when none is.

fn main() {
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
