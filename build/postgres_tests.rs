//! The build script of `app` and `server`: marks the build when a PostgreSQL server for the tests
//! is configured, so that the tests that need one report themselves as ignored (not as passed)
//! when none is.

fn main() {
    println!("cargo::rerun-if-env-changed=CONSILIUM_TEST_POSTGRES_URL");
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    let configured = std::env::var_os("CONSILIUM_TEST_POSTGRES_URL").is_some_and(|url| !url.is_empty());
    if configured {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
