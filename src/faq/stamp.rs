//! Stamps (name, size, modification time) of the files in a folder, and their digest: how a
//! cold start tells that the FAQ files are the ones an index was built from without reading
//! them.

use std::path::Path;

/// Size and modification time of one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    /// File name inside its folder.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: u128,
}

/// Folders with at least this many files are stat'ed on two threads.
const TWO_THREADS_FROM: usize = 1_000;

/// Stamps of the files in `dir` whose names pass `keep`, sorted by name; symbolic links are
/// followed. A large folder is stat'ed on two threads, as one `stat` per file is most of a cold
/// start's work there.
pub fn stamps_where(dir: &Path, keep: impl Fn(&str) -> bool) -> std::io::Result<Vec<Stamp>> {
    let mut items = Vec::new();
    for item in std::fs::read_dir(dir)? {
        let item = item?;
        let name = item.file_name().to_string_lossy().to_string();
        if keep(&name) {
            items.push((name, item));
        }
    }
    let mut out = if items.len() < TWO_THREADS_FROM {
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

fn stat_all(items: Vec<(String, std::fs::DirEntry)>) -> std::io::Result<Vec<Stamp>> {
    let mut out = Vec::with_capacity(items.len());
    for (name, item) in items {
        let meta = if item.file_type()?.is_symlink() {
            std::fs::metadata(item.path())?
        } else {
            item.metadata()?
        };
        if meta.is_file() {
            let mtime_ns = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            out.push(Stamp {
                name,
                size: meta.len(),
                mtime_ns,
            });
        }
    }
    Ok(out)
}

/// A digest of stamps (names, sizes, modification times), so a manifest stays small whatever
/// the number of files.
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
