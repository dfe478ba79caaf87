//! The index's freshness manifest, `INDEX_DIR/CURRENT.json`: which index folder serves, the
//! fingerprint it was built from, and the size and modification time of every FAQ file read.
//! When the stamps still match, a cold start opens the index without reading the FAQ files;
//! only when they differ are the files read and hashed.

use crate::faq::load::is_faq_file;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The manifest's file name inside the index folder.
pub const FILE_NAME: &str = "CURRENT.json";

/// Size and modification time of one FAQ file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// File name inside the FAQ folder.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: u128,
}

/// What the current index was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The index format (analyser and schema version) it was built with.
    pub format: String,
    /// Fingerprint of the FAQ files (and the index format).
    pub fingerprint: String,
    /// The stamps of the files when they were read.
    pub files: Vec<Stamp>,
    /// Entries in the FAQ.
    pub entries: usize,
    /// Passages in the FAQ.
    pub passages: usize,
    /// The first few entry questions (offered when a question matches nothing).
    pub topics: Vec<String>,
    /// Stamps of the index folder's files when they were built or last verified.
    pub index_files: Vec<Stamp>,
}

/// Stamps of the FAQ files in `dir`, sorted by name.
pub fn stamps(dir: &Path) -> std::io::Result<Vec<Stamp>> {
    stamps_where(dir, is_faq_file)
}

fn stamp(dir: &Path, name: String) -> std::io::Result<Option<Stamp>> {
    let meta = std::fs::metadata(dir.join(&name))?;
    if !meta.is_file() {
        return Ok(None);
    }
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Ok(Some(Stamp {
        name,
        size: meta.len(),
        mtime_ns,
    }))
}

/// Stamps of the files in `dir` whose names pass `keep`, sorted by name. Large folders are
/// stamped on two threads.
pub fn stamps_where(dir: &Path, keep: impl Fn(&str) -> bool) -> std::io::Result<Vec<Stamp>> {
    let mut names = Vec::new();
    for item in std::fs::read_dir(dir)? {
        let name = item?.file_name().to_string_lossy().to_string();
        if keep(&name) {
            names.push(name);
        }
    }
    let mut out = if names.len() < 2_000 {
        names
            .into_iter()
            .map(|n| stamp(dir, n))
            .collect::<std::io::Result<Vec<_>>>()?
    } else {
        let second = names.split_off(names.len() / 2);
        std::thread::scope(|s| {
            let other = s.spawn(|| {
                second
                    .into_iter()
                    .map(|n| stamp(dir, n))
                    .collect::<std::io::Result<Vec<_>>>()
            });
            let mut mine = names
                .into_iter()
                .map(|n| stamp(dir, n))
                .collect::<std::io::Result<Vec<_>>>()?;
            let theirs = other
                .join()
                .map_err(|_| std::io::Error::other("stamping thread failed"))??;
            mine.extend(theirs);
            Ok::<_, std::io::Error>(mine)
        })?
    };
    let mut out: Vec<Stamp> = out.drain(..).flatten().collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Reads the manifest, if there is a readable one.
pub fn read(index_dir: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(index_dir.join(FILE_NAME)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes the manifest atomically.
pub fn write(index_dir: &Path, manifest: &Manifest) -> Result<()> {
    let text = serde_json::to_vec(manifest).context("cannot encode the index manifest")?;
    crate::faq::store::write_atomic(&index_dir.join(FILE_NAME), &text)
}
