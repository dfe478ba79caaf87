//! Reading a whole FAQ folder (or the FAQ embedded in the binary) into a validated [`Faq`].

use crate::faq::check::duplicates;
use crate::faq::entry::Faq;
use crate::faq::file::{parse_entry, Problem};
use crate::faq::synonyms::{parse_synonyms, FILE_NAME as SYNONYMS_FILE};
use include_dir::{include_dir, Dir};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The FAQ shipped in `faq/`, compiled into the binary.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/faq");

/// Bumped whenever the analyzer or schema changes, so old indexes are rebuilt.
pub const FORMAT_VERSION: &str = "faqbot-index-v2";

/// Where the FAQ files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaqSource {
    /// A folder of Markdown files.
    Dir(PathBuf),
    /// The FAQ shipped inside the binary.
    Embedded,
}

impl std::fmt::Display for FaqSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FaqSource::Dir(p) => write!(f, "{}", p.display()),
            FaqSource::Embedded => f.write_str("the FAQ built into faqbot"),
        }
    }
}

/// A loaded, valid FAQ plus the fingerprint of the files it came from.
#[derive(Debug, Clone)]
pub struct LoadedFaq {
    /// The entries and synonyms.
    pub faq: Faq,
    /// Hex SHA-256 over every file read (names and bytes) and the index format.
    pub fingerprint: String,
}

/// Whether a file in the FAQ folder is an entry file.
pub fn is_entry_file(name: &str) -> bool {
    name.ends_with(".md")
        && !name.eq_ignore_ascii_case("readme.md")
        && !name.starts_with('.')
        && !name.starts_with('_')
}

/// The raw files of a source: (name, bytes), entry files and the synonym file, sorted by name.
pub fn read_files(source: &FaqSource) -> Result<Vec<(String, Vec<u8>)>, Problem> {
    let mut files = Vec::new();
    match source {
        FaqSource::Embedded => {
            for f in EMBEDDED.files() {
                let name = f.path().to_string_lossy().to_string();
                if is_entry_file(&name) || name == SYNONYMS_FILE {
                    files.push((name, f.contents().to_vec()));
                }
            }
        }
        FaqSource::Dir(dir) => {
            let shown = dir.display().to_string();
            let rd = std::fs::read_dir(dir)
                .map_err(|e| Problem::new(&shown, 1, format!("cannot read the FAQ folder: {e}")))?;
            for item in rd {
                let item = item.map_err(|e| {
                    Problem::new(&shown, 1, format!("cannot list the FAQ folder: {e}"))
                })?;
                let name = item.file_name().to_string_lossy().to_string();
                if !(is_entry_file(&name) || name == SYNONYMS_FILE) {
                    continue;
                }
                let path = item.path();
                if !path.is_file() {
                    continue;
                }
                let bytes = std::fs::read(&path).map_err(|e| {
                    Problem::new(&display_path(dir, &name), 1, format!("cannot read: {e}"))
                })?;
                files.push((name, bytes));
            }
        }
    }
    files.sort();
    Ok(files)
}

fn display_path(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

/// Loads and validates a FAQ. Every problem is reported, each as `FILE:LINE: message`.
pub fn load_faq(source: &FaqSource) -> Result<LoadedFaq, Vec<Problem>> {
    let files = read_files(source).map_err(|p| vec![p])?;
    let shown = |name: &str| match source {
        FaqSource::Dir(d) => display_path(d, name),
        FaqSource::Embedded => format!("faq/{name}"),
    };
    let mut hasher = Sha256::new();
    hasher.update(FORMAT_VERSION.as_bytes());
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    let mut synonyms = Default::default();
    for (name, bytes) in &files {
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
        let file = shown(name);
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                problems.push(Problem::new(
                    &file,
                    line,
                    "the file is not valid UTF-8 text: save it as UTF-8",
                ));
                continue;
            }
        };
        if name == SYNONYMS_FILE {
            match parse_synonyms(&file, text) {
                Ok(s) => synonyms = s,
                Err(mut p) => problems.append(&mut p),
            }
            continue;
        }
        match parse_entry(&file, text) {
            Ok(e) => parsed.push(e),
            Err(mut p) => problems.append(&mut p),
        }
    }
    problems.extend(duplicates(&parsed));
    if parsed.is_empty() && problems.is_empty() {
        let where_ = match source {
            FaqSource::Dir(d) => d.display().to_string(),
            FaqSource::Embedded => "faq".to_string(),
        };
        problems.push(Problem::new(
            &where_,
            1,
            "no FAQ entries (*.md files) found in this folder",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let fingerprint = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(LoadedFaq {
        faq: Faq {
            entries: parsed.into_iter().map(|(e, _)| e).collect(),
            synonyms,
        },
        fingerprint,
    })
}
