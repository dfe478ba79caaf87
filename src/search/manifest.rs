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
    /// Digest of the FAQ files' stamps when they were read (see [`digest`]).
    pub files_digest: String,
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

fn stamp_of(name: String, meta: &std::fs::Metadata) -> Stamp {
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Stamp {
        name,
        size: meta.len(),
        mtime_ns,
    }
}

/// Stamps of the files in `dir` whose names pass `keep`, sorted by name. Each file is stat'ed
/// relative to the open folder (no path walk per file), large folders on two threads; symbolic
/// links are followed.
pub fn stamps_where(dir: &Path, keep: impl Fn(&str) -> bool) -> std::io::Result<Vec<Stamp>> {
    let mut items = Vec::new();
    for item in std::fs::read_dir(dir)? {
        let item = item?;
        let name = item.file_name().to_string_lossy().to_string();
        if keep(&name) {
            items.push((name, item));
        }
    }
    let stat_all = |items: Vec<(String, std::fs::DirEntry)>| -> std::io::Result<Vec<Stamp>> {
        let mut out = Vec::with_capacity(items.len());
        for (name, item) in items {
            let meta = if item.file_type()?.is_symlink() {
                std::fs::metadata(item.path())?
            } else {
                item.metadata()?
            };
            if meta.is_file() {
                out.push(stamp_of(name, &meta));
            }
        }
        Ok(out)
    };
    let mut out = if items.len() < 1_000 {
        stat_all(items)?
    } else {
        let second = items.split_off(items.len() / 2);
        std::thread::scope(|s| {
            let other = s.spawn(|| stat_all(second));
            let mut mine = stat_all(items)?;
            mine.extend(
                other
                    .join()
                    .map_err(|_| std::io::Error::other("stamping thread failed"))??,
            );
            Ok::<_, std::io::Error>(mine)
        })?
    };
    out.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// A digest of stamps (names, sizes, modification times): the manifest keeps this instead of
/// the list, so reading it stays cheap whatever the number of files.
pub fn digest(stamps: &[Stamp]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for s in stamps {
        h.update((s.name.len() as u64).to_le_bytes());
        h.update(s.name.as_bytes());
        h.update(s.size.to_le_bytes());
        h.update(s.mtime_ns.to_le_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The digest of the FAQ files in `dir` as they are now.
pub fn files_digest(dir: &Path) -> std::io::Result<String> {
    Ok(digest(&stamps(dir)?))
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
