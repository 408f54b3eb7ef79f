//! Where documents and reports are kept, as configured: a folder under the data directory (the
//! embedded default) or a bucket of an S3-compatible store (AWS S3, MinIO, Garage, Ceph, R2),
//! which is what lets several app servers share them.
//!
//! `CONSILIUM_STORAGE_URL=s3://BUCKET/PREFIX` picks the bucket; the connection is described by
//! the variables every S3 tool reads (`AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`). Anything malformed stops the start.

use crate::server::config::ConfigError;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageSettings {
    Local { root: PathBuf },
    Bucket(BucketSettings),
}

#[derive(Clone, PartialEq, Eq)]
pub struct BucketSettings {
    pub bucket: String,
    /// Keys live under this prefix: no leading or trailing slash, empty for the bucket's root.
    pub prefix: String,
    /// An S3-compatible server other than AWS itself; `None` is AWS.
    pub endpoint: Option<String>,
    pub region: String,
    /// Both or neither; without them the usual AWS chain (web identity, container, instance
    /// profile) supplies credentials.
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub session_token: Option<String>,
    /// The bucket in the path (`endpoint/bucket/key`), as MinIO-like servers expect, rather than
    /// in the host name.
    pub path_style: bool,
}

/// Never prints the secrets, so the settings may be logged.
impl std::fmt::Debug for BucketSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BucketSettings")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("path_style", &self.path_style)
            .finish_non_exhaustive()
    }
}

impl StorageSettings {
    /// Reads the settings from `var` (non-empty values only); documents default to
    /// `<data dir>/documents`.
    pub fn from_vars(var: &impl Fn(&str) -> Option<String>, data_dir: &Path) -> Result<Self, ConfigError> {
        let Some(url) = var("CONSILIUM_STORAGE_URL") else {
            return Ok(StorageSettings::Local {
                root: data_dir.join("documents"),
            });
        };
        let (bucket, prefix) = parse_s3_url(&url)?;
        let endpoint = var("AWS_ENDPOINT_URL_S3").or_else(|| var("AWS_ENDPOINT_URL"));
        if let Some(e) = &endpoint {
            if !(e.starts_with("http://") || e.starts_with("https://")) {
                return Err(ConfigError(format!(
                    "AWS_ENDPOINT_URL must start with http:// or https://, not '{e}'"
                )));
            }
        }
        let access_key_id = var("AWS_ACCESS_KEY_ID");
        let secret_access_key = var("AWS_SECRET_ACCESS_KEY");
        if access_key_id.is_some() != secret_access_key.is_some() {
            return Err(ConfigError(
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together: set both or neither".into(),
            ));
        }
        let path_style = match var("CONSILIUM_STORAGE_ADDRESSING").as_deref() {
            None => endpoint.is_some(),
            Some("path") => true,
            Some("virtual") => false,
            Some(other) => {
                return Err(ConfigError(format!(
                    "CONSILIUM_STORAGE_ADDRESSING is 'path' or 'virtual', not '{other}'"
                )))
            }
        };
        Ok(StorageSettings::Bucket(BucketSettings {
            bucket,
            prefix,
            endpoint,
            region: var("AWS_REGION")
                .or_else(|| var("AWS_DEFAULT_REGION"))
                .unwrap_or_else(|| "us-east-1".to_owned()),
            access_key_id,
            secret_access_key,
            session_token: var("AWS_SESSION_TOKEN"),
            path_style,
        }))
    }
}

/// `s3://BUCKET` or `s3://BUCKET/PREFIX` → (bucket, prefix without surrounding slashes).
fn parse_s3_url(url: &str) -> Result<(String, String), ConfigError> {
    let refuse = |why: &str| ConfigError(format!("CONSILIUM_STORAGE_URL '{url}': {why}"));
    let rest = url
        .strip_prefix("s3://")
        .ok_or_else(|| refuse("only s3://BUCKET/PREFIX is understood"))?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let bucket_ok = (3..=63).contains(&bucket.len())
        && bucket
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    if !bucket_ok {
        return Err(refuse(
            "the bucket name is 3 to 63 lowercase letters, digits, dots or hyphens",
        ));
    }
    let prefix = prefix.trim_matches('/');
    let segments_ok = prefix.is_empty()
        || prefix
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains(['\\', '#', '?']));
    if !segments_ok {
        return Err(refuse(
            "the prefix has an empty, '.' or '..' segment or a \\, # or ?",
        ));
    }
    Ok((bucket.to_owned(), prefix.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)]) -> Result<StorageSettings, ConfigError> {
        let var = |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        };
        StorageSettings::from_vars(&var, Path::new("/data"))
    }

    fn bucket(vars: &[(&str, &str)]) -> BucketSettings {
        match settings(vars) {
            Ok(StorageSettings::Bucket(b)) => b,
            other => panic!("{vars:?}: {other:?}"),
        }
    }

    #[test]
    fn without_a_storage_url_documents_stay_under_the_data_dir() {
        assert_eq!(
            settings(&[]),
            Ok(StorageSettings::Local {
                root: PathBuf::from("/data/documents")
            })
        );
    }

    #[test]
    fn an_s3_url_names_the_bucket_and_prefix_and_the_aws_variables_the_connection() {
        let b = bucket(&[
            ("CONSILIUM_STORAGE_URL", "s3://clinic-files/consilium/prod/"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:9000"),
            ("AWS_ACCESS_KEY_ID", "minio"),
            ("AWS_SECRET_ACCESS_KEY", "minio-secret"),
            ("AWS_REGION", "eu-central-1"),
        ]);
        assert_eq!(
            (b.bucket.as_str(), b.prefix.as_str()),
            ("clinic-files", "consilium/prod")
        );
        assert_eq!(b.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(b.region, "eu-central-1");
        assert!(
            b.path_style,
            "a custom endpoint is addressed by path unless told otherwise"
        );
        assert!(!format!("{b:?}").contains("minio-secret"));

        let aws = bucket(&[("CONSILIUM_STORAGE_URL", "s3://clinic-files")]);
        assert_eq!((aws.prefix.as_str(), aws.region.as_str()), ("", "us-east-1"));
        assert!(!aws.path_style && aws.endpoint.is_none());
        let s3_specific = bucket(&[
            ("CONSILIUM_STORAGE_URL", "s3://clinic-files"),
            ("AWS_ENDPOINT_URL", "http://general:1"),
            ("AWS_ENDPOINT_URL_S3", "http://s3-only:2"),
            ("CONSILIUM_STORAGE_ADDRESSING", "virtual"),
        ]);
        assert_eq!(s3_specific.endpoint.as_deref(), Some("http://s3-only:2"));
        assert!(!s3_specific.path_style);
    }

    #[test]
    fn malformed_storage_settings_stop_the_start_naming_the_variable() {
        let table: [(&[(&str, &str)], &str); 7] = [
            (&[("CONSILIUM_STORAGE_URL", "/var/lib/consilium")], "only s3://"),
            (&[("CONSILIUM_STORAGE_URL", "s3://")], "bucket name"),
            (&[("CONSILIUM_STORAGE_URL", "s3://Clinic_Files/x")], "bucket name"),
            (&[("CONSILIUM_STORAGE_URL", "s3://clinic/a/../b")], "prefix"),
            (
                &[
                    ("CONSILIUM_STORAGE_URL", "s3://clinic"),
                    ("AWS_ACCESS_KEY_ID", "k"),
                ],
                "set both or neither",
            ),
            (
                &[
                    ("CONSILIUM_STORAGE_URL", "s3://clinic"),
                    ("AWS_ENDPOINT_URL", "minio:9000"),
                ],
                "AWS_ENDPOINT_URL",
            ),
            (
                &[
                    ("CONSILIUM_STORAGE_URL", "s3://clinic"),
                    ("CONSILIUM_STORAGE_ADDRESSING", "host"),
                ],
                "CONSILIUM_STORAGE_ADDRESSING",
            ),
        ];
        for (vars, says) in table {
            let err = settings(vars).expect_err(says);
            assert!(err.0.contains(says), "{vars:?}: {err}");
        }
    }
}
