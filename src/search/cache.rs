//! The index cache's manifest, `INDEX_DIR/CURRENT.json`: which index folder serves, the
//! fingerprint it was built from, and a digest of the FAQ files' stamps (names, sizes,
//! modification times) when they were read. While the stamps still match, a cold start opens
//! the index without reading the FAQ files; otherwise the files are read, hashed and, when
//! their fingerprint is new, indexed again.

use crate::faq::stamp::{self, Stamp};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The manifest's file name inside the index folder.
pub const FILE_NAME: &str = "CURRENT.json";

/// What the current index was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The index format (analyser and schema version) it was built with.
    pub format: String,
    /// Fingerprint of the FAQ files (and the index format).
    pub fingerprint: String,
    /// Digest of the FAQ files' stamps when they were read (see [`stamp::digest`]).
    pub files_digest: String,
    /// Entries in the FAQ.
    pub entries: usize,
    /// Passages in the FAQ.
    pub passages: usize,
    /// The first few entry questions (offered when a question matches nothing).
    pub topics: Vec<String>,
    /// Stamps of the index folder's files when they were built or last verified: while they
    /// are unchanged, the files' checksums need not be read again.
    pub index_files: Vec<Stamp>,
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

/// Stamps of every file in an index folder.
pub fn index_stamps(folder: &Path) -> std::io::Result<Vec<Stamp>> {
    stamp::stamps_where(folder, |_| true)
}
