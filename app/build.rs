//! The build script of `app`: compiles the translations into typed keys, and marks the build
//! when a PostgreSQL server or an S3-compatible bucket for the tests is configured.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::{Path, PathBuf};

#[path = "../build/locale_keys.rs"]
mod locale_keys;
#[path = "../build/test_services.rs"]
mod test_services;

/// The languages the service speaks; English is the default and the fallback of nothing:
/// a key missing in either language fails the build.
const LOCALES: [&str; 2] = ["en", "ar"];

fn main() -> Result<(), Box<dyn Error>> {
    test_services::mark_test_services();
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../build/locale_keys.rs");
    check_every_key_in_every_language()?;
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR")?).join("i18n");
    let namespaces = locale_keys::namespaces(Path::new("locales/en"))?;
    let config = Config::new(LOCALES[0])?
        .add_locales(&LOCALES[1..])?
        .add_namespaces(&namespaces)?
        .parse_options(ParseOptions::default().interpolate_display(true));
    let infos = TranslationsInfos::parse(config)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    Ok(())
}

fn check_every_key_in_every_language() -> Result<(), Box<dyn Error>> {
    let read = |locale: &str| -> Result<_, Box<dyn Error>> {
        let dir = format!("locales/{locale}");
        println!("cargo::rerun-if-changed={dir}");
        Ok(locale_keys::language_keys(Path::new(&dir))?)
    };
    let (en, ar) = (read("en")?, read("ar")?);
    let gaps = locale_keys::key_gaps("en", &en, "ar", &ar);
    if gaps.is_empty() {
        Ok(())
    } else {
        Err(format!("translations incomplete:\n  {}", gaps.join("\n  ")).into())
    }
}
