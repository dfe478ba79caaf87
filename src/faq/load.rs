//! Reading a whole FAQ folder (or the FAQ embedded in the binary) into a validated [`Faq`].

use crate::faq::check::duplicates;
use crate::faq::entry::Faq;
use crate::faq::file::{parse_entry, Problem};
use crate::faq::synonyms::{parse_synonyms, FILE_NAME as SYNONYMS_FILE};
use crate::safety::{Triage, FILE_NAME as URGENT_FILE};
use include_dir::{include_dir, Dir};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The FAQ shipped in `faq/`, compiled into the binary.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/faq");

/// Bumped whenever the analyzer or schema changes, so old indexes are rebuilt.
pub const FORMAT_VERSION: &str = "faqbot-index-v3";

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
    /// Where the files came from.
    pub source: FaqSource,
    /// Sizes and modification times of the files, taken before they were read (folders only).
    pub stamps: Option<Vec<crate::search::manifest::Stamp>>,
}

/// Reads only the small side files, `synonyms.toml` and `urgent.toml` (the built-in one when the
/// folder has none): what answering needs besides the index.
pub fn load_side_files(
    source: &FaqSource,
) -> Result<(crate::faq::synonyms::Synonyms, Triage), Vec<Problem>> {
    let read = |name: &str| -> Result<Option<(String, Vec<u8>)>, Vec<Problem>> {
        match source {
            FaqSource::Embedded => Ok(EMBEDDED
                .get_file(name)
                .map(|f| (format!("faq/{name}"), f.contents().to_vec()))),
            FaqSource::Dir(d) => match std::fs::read(d.join(name)) {
                Ok(b) => Ok(Some((display_path(d, name), b))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(vec![Problem::new(
                    &display_path(d, name),
                    1,
                    format!("cannot read: {e}"),
                )]),
            },
        }
    };
    let text = |file: &str, bytes: &[u8]| -> Result<String, Vec<Problem>> {
        String::from_utf8(bytes.to_vec()).map_err(|_| {
            vec![Problem::new(
                file,
                1,
                "the file is not valid UTF-8 text: save it as UTF-8",
            )]
        })
    };
    let synonyms = match read(SYNONYMS_FILE)? {
        Some((file, bytes)) => parse_synonyms(&file, &text(&file, &bytes)?)?,
        None => Default::default(),
    };
    let urgent = match read(URGENT_FILE)? {
        Some((file, bytes)) => Triage::parse(&file, &text(&file, &bytes)?)?,
        None => match EMBEDDED.get_file(URGENT_FILE) {
            Some(f) => Triage::parse(
                &format!("faq/{URGENT_FILE} (built in)"),
                &String::from_utf8_lossy(f.contents()),
            )?,
            None => Triage::default(),
        },
    };
    Ok((synonyms, urgent))
}

/// Whether a file in the FAQ folder is an entry file.
pub fn is_entry_file(name: &str) -> bool {
    name.ends_with(".md")
        && !name.eq_ignore_ascii_case("readme.md")
        && !name.starts_with('.')
        && !name.starts_with('_')
}

/// Whether a file in the FAQ folder is read by faqbot: entry files, `synonyms.toml` and
/// `urgent.toml` (a change to any of them changes the FAQ).
pub fn is_faq_file(name: &str) -> bool {
    is_entry_file(name) || name == SYNONYMS_FILE || name == URGENT_FILE
}

/// The raw files of a source: (name, bytes), entry files, the synonym file and the urgent-symptom
/// file, sorted by name.
pub fn read_files(source: &FaqSource) -> Result<Vec<(String, Vec<u8>)>, Problem> {
    let mut files = Vec::new();
    match source {
        FaqSource::Embedded => {
            for f in EMBEDDED.files() {
                let name = f.path().to_string_lossy().to_string();
                if is_faq_file(&name) {
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
                if !is_faq_file(&name) {
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
    let stamps = match source {
        FaqSource::Dir(d) => crate::search::manifest::stamps(d).ok(),
        FaqSource::Embedded => None,
    };
    let mut files = read_files(source).map_err(|p| vec![p])?;
    // A folder without urgent.toml still gets the built-in red-flag rules.
    let builtin_urgent = !files.iter().any(|(n, _)| n == URGENT_FILE);
    if builtin_urgent {
        if let Some(f) = EMBEDDED.get_file(URGENT_FILE) {
            files.push((URGENT_FILE.to_string(), f.contents().to_vec()));
            files.sort();
        }
    }
    let shown = |name: &str| match source {
        _ if builtin_urgent && name == URGENT_FILE => format!("faq/{name} (built in)"),
        FaqSource::Dir(d) => display_path(d, name),
        FaqSource::Embedded => format!("faq/{name}"),
    };
    let mut hasher = Sha256::new();
    hasher.update(FORMAT_VERSION.as_bytes());
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    let mut synonyms = Default::default();
    let mut urgent = Triage::default();
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
        if name == URGENT_FILE {
            match Triage::parse(&file, text) {
                Ok(t) => urgent = t,
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
            urgent,
        },
        fingerprint,
        source: source.clone(),
        stamps,
    })
}
