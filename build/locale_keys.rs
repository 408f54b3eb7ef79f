//! The keys of a language's files (`app/locales/<language>/<namespace>.json`), for the check
//! that every language has every key: used by `app/build.rs` (the build fails on a gap) and by
//! the unit tests in `app/src/lang/tests.rs`.
//! A plural key (`count_one`, `count_other`, …) counts once, under its base name (`count`),
//! since each language writes its own plural forms.

use std::collections::BTreeMap;
use std::path::Path;

/// The plural forms a key may end with (CLDR categories; `_other` is always required).
pub const PLURAL_FORMS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// The namespaces of a language: its file names without `.json`, sorted.
pub fn namespaces(dir: &Path) -> Result<Vec<String>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|e| e == "json") {
            if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                names.push(stem.to_owned());
            }
        }
    }
    names.sort();
    Ok(names)
}

/// Every key of a language's folder as `namespace.key` (see [`locale_keys`]).
pub fn language_keys(dir: &Path) -> Result<BTreeMap<String, Vec<String>>, String> {
    let mut keys = BTreeMap::new();
    for namespace in namespaces(dir)? {
        let path = dir.join(format!("{namespace}.json"));
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file = locale_keys(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        keys.extend(
            file.into_iter()
                .map(|(key, forms)| (format!("{namespace}.{key}"), forms)),
        );
    }
    Ok(keys)
}

/// Every key of one locale file as `section.key`, with the plural forms each key uses (empty for
/// a key that is not plural).
pub fn locale_keys(json: &str) -> Result<BTreeMap<String, Vec<String>>, String> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let mut keys = BTreeMap::new();
    collect("", &value, &mut keys)?;
    Ok(keys)
}

fn collect(
    prefix: &str,
    value: &serde_json::Value,
    keys: &mut BTreeMap<String, Vec<String>>,
) -> Result<(), String> {
    let serde_json::Value::Object(map) = value else {
        return Err(format!("{prefix}: expected an object"));
    };
    for (name, value) in map {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match value {
            serde_json::Value::Object(_) => collect(&path, value, keys)?,
            serde_json::Value::String(_) => {
                let (base, form) = split_plural(&path);
                let forms = keys.entry(base.to_owned()).or_default();
                if let Some(form) = form {
                    forms.push(form.to_owned());
                }
            }
            _ => return Err(format!("{path}: a translation is a string")),
        }
    }
    Ok(())
}

fn split_plural(path: &str) -> (&str, Option<&str>) {
    for form in PLURAL_FORMS {
        if let Some(base) = path.strip_suffix(form).and_then(|p| p.strip_suffix('_')) {
            return (base, Some(form));
        }
    }
    (path, None)
}

/// What one language lacks or has extra compared with the other, one line each.
pub fn key_gaps(
    a_name: &str,
    a: &BTreeMap<String, Vec<String>>,
    b_name: &str,
    b: &BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    let mut gaps = Vec::new();
    for key in a.keys().filter(|k| !b.contains_key(*k)) {
        gaps.push(format!("`{key}` is in {a_name} but missing in {b_name}"));
    }
    for key in b.keys().filter(|k| !a.contains_key(*k)) {
        gaps.push(format!("`{key}` is in {b_name} but missing in {a_name}"));
    }
    for (key, forms) in a {
        if let Some(other) = b.get(key) {
            if forms.is_empty() != other.is_empty() {
                gaps.push(format!("`{key}` is plural in one language only"));
            }
        }
    }
    gaps
}
