//! The index's freshness manifest, `INDEX_DIR/CURRENT.json`: which index folder serves, the
//! fingerprint it was built from, and the size and modification time of every FAQ file read.
//! When the stamps still match, a cold start opens the index without reading the FAQ files;
//! only when they differ are the files read and hashed.
//!
//! Adding, removing or renaming a file changes its folder's modification time, so the manifest
//! also records the FAQ folder itself ([`Folder`]), and `INDEX_DIR/CURRENT.names` the FAQ file
//! names it held: while the folder is unchanged, those names are stat'ed directly instead of
//! listing the folder again (the trick git's untracked cache uses). Edits in place change the
//! file's own stamp, which is still checked every time.

use crate::faq::load::is_faq_file;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Mutex;

/// The manifest's file name inside the index folder.
pub const FILE_NAME: &str = "CURRENT.json";

/// The file of FAQ file names beside the manifest (kept apart so that reading the manifest
/// stays cheap; see [`Folder`]).
pub const NAMES_FILE: &str = "CURRENT.names";

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
    /// The FAQ folder, when its modification time could be trusted; its FAQ file names are in
    /// [`NAMES_FILE`].
    #[serde(default)]
    pub faq_folder: Option<Folder>,
}

/// A FAQ folder's identity and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Folder {
    /// Device of the folder.
    pub dev: u64,
    /// Inode of the folder: a folder replaced by another one is not the same folder.
    pub ino: u64,
    /// The folder's modification time, nanoseconds since the epoch.
    pub mtime_ns: u128,
}

/// The FAQ files of a folder: their stamps, and the folder's record when it can be trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaqFiles {
    /// Stamps of the FAQ files, sorted by name.
    pub stamps: Vec<Stamp>,
    /// The folder's record, unless it was modified too recently to be trusted (see [`SETTLE`]).
    pub folder: Option<Folder>,
}

impl FaqFiles {
    /// The FAQ file names as [`NAMES_FILE`] keeps them: sorted, separated by `/`, which no
    /// file name holds.
    pub fn names(&self) -> String {
        let names: Vec<&str> = self.stamps.iter().map(|s| s.name.as_str()).collect();
        names.join(NAME_SEPARATOR.encode_utf8(&mut [0; 4]))
    }
}

/// Separates the names in [`NAMES_FILE`].
const NAME_SEPARATOR: char = '/';

/// How old a folder's modification time must be before it is trusted. A change within the
/// same clock tick as the listing could leave the time unchanged; file systems tick at up to
/// 2 s (FAT), so a folder modified less than 3 s before it was listed is always listed again.
pub const SETTLE: std::time::Duration = std::time::Duration::from_secs(3);

/// The folder's device, inode and modification time (Unix only). With `settled`, only when it
/// was modified at least [`SETTLE`] ago.
fn folder_id(dir: &Path, settled: bool) -> Option<(u64, u64, u128)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(dir).ok()?;
        let modified = meta.modified().ok()?;
        if settled && std::time::SystemTime::now().duration_since(modified).ok()? < SETTLE {
            return None;
        }
        let mtime_ns = modified
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        Some((meta.dev(), meta.ino(), mtime_ns))
    }
    #[cfg(not(unix))]
    {
        let _ = (dir, settled);
        None
    }
}

/// Stamps of the FAQ files in `dir` and, when its modification time has settled, the folder's
/// record. The folder is stat'ed before it is listed, so a change made during the listing
/// leaves a record that no longer matches.
pub fn faq_files(dir: &Path) -> std::io::Result<FaqFiles> {
    let id = folder_id(dir, true);
    let stamps = stamps(dir)?;
    let folder = id.map(|(dev, ino, mtime_ns)| Folder { dev, ino, mtime_ns });
    Ok(FaqFiles { stamps, folder })
}

/// The digest of the FAQ files in `dir` as they are now, found by listing the folder (see
/// [`digest`]), and the files found.
pub fn listed(dir: &Path) -> std::io::Result<(String, FaqFiles)> {
    let files = faq_files(dir)?;
    Ok((digest(&files.stamps), files))
}

/// Names stamped per turn of [`NameCheck::help`].
const CHUNK: usize = 256;

/// Stamps the names recorded for a [`Folder`] while the folder is unchanged, without listing
/// it. Any number of threads may call [`NameCheck::help`]: each takes chunks of names until none
/// are left, so a thread done with other work joins in and the threads finish together.
pub struct NameCheck {
    folder: std::fs::File,
    names: String,
    /// Where the names not yet handed out start, and the number of chunks handed out so far.
    /// Each helper splits off its own chunk, so no thread splits all the names up front.
    rest: Mutex<(usize, usize)>,
    done: Mutex<Vec<(usize, [u8; 32])>>,
    failed: Mutex<Option<std::io::Error>>,
}

impl NameCheck {
    /// Starts a check when `dir` is still the folder `known` recorded (same device, inode and
    /// modification time) and the names recorded with it in `index_dir` are readable; `None`
    /// when the folder must be listed instead.
    pub fn start(dir: &Path, known: &Folder, index_dir: &Path) -> Option<NameCheck> {
        if folder_id(dir, false)? != (known.dev, known.ino, known.mtime_ns) {
            return None;
        }
        Some(NameCheck {
            names: read_names(index_dir)?,
            folder: std::fs::File::open(dir).ok()?,
            rest: Mutex::new((0, 0)),
            done: Mutex::new(Vec::new()),
            failed: Mutex::new(None),
        })
    }

    /// The next [`CHUNK`] names (separated as in [`NAMES_FILE`]) and their chunk number.
    fn take(&self) -> Option<(usize, &str)> {
        let mut rest = lock(&self.rest);
        let (start, turn) = *rest;
        let names = self.names.get(start..).filter(|n| !n.is_empty())?;
        let (chunk, next) = match names.match_indices(NAME_SEPARATOR).nth(CHUNK - 1) {
            Some((end, _)) => (&names[..end], start + end + 1),
            None => (names, self.names.len()),
        };
        *rest = (next, turn + 1);
        Some((turn, chunk))
    }

    /// Stamps chunks of names until none are left (or one file fails).
    pub fn help(&self) {
        while let Some((turn, chunk)) = self.take() {
            let stamps: std::io::Result<Vec<(&str, u64, u128)>> = chunk
                .split(NAME_SEPARATOR)
                .map(|name| self.stamp(name).map(|(size, mtime)| (name, size, mtime)))
                .collect();
            match stamps {
                Ok(stamps) => lock(&self.done).push((turn, chunk_digest(stamps))),
                Err(e) => {
                    lock(&self.rest).0 = self.names.len();
                    *lock(&self.failed) = Some(e);
                    return;
                }
            }
        }
    }

    /// The digest of the stamps (see [`digest`]) once the helpers are done: an error when a
    /// recorded file is gone or is no longer a file, which means the index is stale.
    pub fn finish(self) -> std::io::Result<String> {
        if let Some(e) = lock(&self.failed).take() {
            return Err(e);
        }
        let (next, chunks) = *lock(&self.rest);
        let mut done = std::mem::take(&mut *lock(&self.done));
        if next < self.names.len() || done.len() != chunks {
            return Err(std::io::Error::other("the stamping was not finished"));
        }
        done.sort_unstable_by_key(|(turn, _)| *turn);
        Ok(digest_of_chunks(done.into_iter().map(|(_, d)| d)))
    }

    /// Size and modification time of one named file.
    fn stamp(&self, name: &str) -> std::io::Result<(u64, u128)> {
        stat_at(&self.folder, name)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One file's size and modification time, stat'ed relative to the open `folder` (symbolic
/// links followed).
#[cfg(unix)]
fn stat_at(folder: &std::fs::File, name: &str) -> std::io::Result<(u64, u128)> {
    use rustix::fs::{statat, AtFlags, FileType};
    let st = statat(folder, name, AtFlags::empty())?;
    if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile {
        return Err(std::io::Error::other(format!("{name} is not a file")));
    }
    let (secs, nanos) = (st.st_mtime as i128, st.st_mtime_nsec as i128);
    let mtime_ns = if secs < 0 {
        0
    } else {
        (secs * 1_000_000_000 + nanos) as u128
    };
    Ok((st.st_size as u64, mtime_ns))
}

/// Elsewhere a folder is never recorded (see [`folder_id`]), so no check by name starts.
#[cfg(not(unix))]
fn stat_at(_folder: &std::fs::File, _name: &str) -> std::io::Result<(u64, u128)> {
    Err(std::io::ErrorKind::Unsupported.into())
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
/// the list, so reading it stays cheap whatever the number of files. It is a digest of the
/// digests of runs of [`CHUNK`] stamps, so threads can each digest their own runs.
pub fn digest(stamps: &[Stamp]) -> String {
    digest_of_chunks(
        stamps
            .chunks(CHUNK)
            .map(|c| chunk_digest(c.iter().map(|s| (s.name.as_str(), s.size, s.mtime_ns)))),
    )
}

/// The digest of one run of stamps, each given as (name, size, modification time).
fn chunk_digest<'s>(stamps: impl IntoIterator<Item = (&'s str, u64, u128)>) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (name, size, mtime_ns) in stamps {
        h.update((name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update(size.to_le_bytes());
        h.update(mtime_ns.to_le_bytes());
    }
    h.finalize().into()
}

fn digest_of_chunks(chunks: impl IntoIterator<Item = [u8; 32]>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for c in chunks {
        h.update(c);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads the manifest, if there is a readable one.
pub fn read(index_dir: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(index_dir.join(FILE_NAME)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes the manifest atomically, after the names of `files` when it records the FAQ folder.
pub fn write(index_dir: &Path, manifest: &Manifest, files: &FaqFiles) -> Result<()> {
    if manifest.faq_folder.is_some() {
        crate::faq::store::write_atomic(&index_dir.join(NAMES_FILE), files.names().as_bytes())?;
    }
    let text = serde_json::to_vec(manifest).context("cannot encode the index manifest")?;
    crate::faq::store::write_atomic(&index_dir.join(FILE_NAME), &text)
}

/// The FAQ file names recorded with the manifest's [`Folder`], if readable.
pub fn read_names(index_dir: &Path) -> Option<String> {
    std::fs::read_to_string(index_dir.join(NAMES_FILE)).ok()
}
