//! Reading a whole FAQ folder (or the FAQ embedded in the binary) into a validated [`Faq`].

use crate::faq::entry::Entry;
use crate::faq::entry::Faq;
use crate::faq::file::parse_entry;
use crate::faq::stamp::{stamps_where, Stamp};
use crate::faq::synonyms::{parse_synonyms, Synonyms, FILE_NAME as SYNONYMS_FILE};
use crate::problem::Problem;
use include_dir::{include_dir, Dir};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The FAQ shipped in `faq/`, compiled into the binary.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/faq");

/// The red-flag rules' file name inside the FAQ folder.
pub const URGENT_FILE: &str = "urgent.toml";

/// Bumped whenever the analyzer or schema changes, so old indexes are rebuilt.
pub const FORMAT_VERSION: &str = "faqbot-index-v15";

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
    /// Sizes and modification times of the FAQ files, taken before they were read (folders
    /// only).
    pub stamps: Option<Vec<Stamp>>,
    /// The red-flag rules file as it was read and hashed with the rest.
    pub urgent: SideFile,
}

/// A small side file of the FAQ as text, with the name it is shown under in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideFile {
    /// The file as shown to moderators (`faq/urgent.toml (built in)` for the shipped one).
    pub file: String,
    /// Its text.
    pub text: String,
}

/// Reads one side file of the FAQ by name; `None` when the folder has none.
fn read_side_file(source: &FaqSource, name: &str) -> Result<Option<SideFile>, Vec<Problem>> {
    let (file, bytes) = match source {
        FaqSource::Embedded => match EMBEDDED.get_file(name) {
            Some(f) => (format!("faq/{name}"), f.contents().to_vec()),
            None => return Ok(None),
        },
        FaqSource::Dir(d) => match std::fs::read(d.join(name)) {
            Ok(b) => (display_path(d, name), b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(vec![Problem::new(
                    &display_path(d, name),
                    1,
                    format!("cannot read: {e}"),
                )])
            }
        },
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(SideFile { file, text })),
        Err(_) => Err(vec![Problem::new(
            &file,
            1,
            "the file is not valid UTF-8 text: save it as UTF-8",
        )]),
    }
}

/// Reads and checks `synonyms.toml` alone (none: no synonyms): what answering needs from the
/// FAQ files besides the index.
pub fn load_synonyms(source: &FaqSource) -> Result<Synonyms, Vec<Problem>> {
    match read_side_file(source, SYNONYMS_FILE)? {
        Some(f) => parse_synonyms(&f.file, &f.text),
        None => Ok(Synonyms::default()),
    }
}

/// The red-flag rules file, `urgent.toml`, as text: the folder's own, else the one built into
/// faqbot. Checking what it says is triage's job.
pub fn urgent_file(source: &FaqSource) -> Result<SideFile, Vec<Problem>> {
    if let Some(f) = read_side_file(source, URGENT_FILE)? {
        return Ok(f);
    }
    Ok(SideFile {
        file: format!("faq/{URGENT_FILE} (built in)"),
        text: EMBEDDED
            .get_file(URGENT_FILE)
            .map(|f| String::from_utf8_lossy(f.contents()).into_owned())
            .unwrap_or_default(),
    })
}

/// Stamps of the FAQ files in `dir`, sorted by name.
pub fn faq_stamps(dir: &Path) -> std::io::Result<Vec<Stamp>> {
    stamps_where(dir, is_faq_file)
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

fn display_path(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

/// What a scan of the FAQ found besides the entries it handed over.
#[derive(Debug, Clone)]
pub struct Scan {
    /// Hex SHA-256 over every file read (names and bytes) and the index format.
    pub fingerprint: String,
    /// The synonym groups.
    pub synonyms: Synonyms,
    /// Entries seen.
    pub entries: usize,
    /// Passages seen.
    pub passages: usize,
    /// The first few entry questions (not the overview).
    pub topics: Vec<String>,
    /// Sizes and modification times of the FAQ files, taken before they were read (folders
    /// only), so that a file changed while it was read makes the recorded stamps stale.
    pub stamps: Option<Vec<Stamp>>,
    /// The red-flag rules file as it was read and hashed, so that triage checks the very text
    /// the fingerprint covers, without reading it again.
    pub urgent: SideFile,
}

/// Names of the FAQ files of a source, sorted; `true` when `urgent.toml` is the built-in one.
fn file_names(source: &FaqSource) -> Result<(Vec<String>, bool), Problem> {
    let mut names: Vec<String> = match source {
        FaqSource::Embedded => EMBEDDED
            .files()
            .map(|f| f.path().to_string_lossy().to_string())
            .filter(|n| is_faq_file(n))
            .collect(),
        FaqSource::Dir(dir) => {
            let shown = dir.display().to_string();
            let rd = std::fs::read_dir(dir)
                .map_err(|e| Problem::new(&shown, 1, format!("cannot read the FAQ folder: {e}")))?;
            let mut names = Vec::new();
            for item in rd {
                let item = item.map_err(|e| {
                    Problem::new(&shown, 1, format!("cannot list the FAQ folder: {e}"))
                })?;
                let name = item.file_name().to_string_lossy().to_string();
                if is_faq_file(&name) && item.path().is_file() {
                    names.push(name);
                }
            }
            names
        }
    };
    // A folder without urgent.toml still gets the built-in red-flag rules.
    let builtin_urgent = !names.iter().any(|n| n == URGENT_FILE);
    if builtin_urgent && EMBEDDED.get_file(URGENT_FILE).is_some() {
        names.push(URGENT_FILE.to_string());
    }
    names.sort();
    Ok((names, builtin_urgent))
}

/// Reads, validates and hashes every FAQ file one at a time, handing each valid entry to `each`
/// as soon as it is read, so a large FAQ is never held in memory whole. Every problem is
/// reported, each as `FILE:LINE: message`; when there are any, entries already handed over
/// must be discarded.
pub fn scan_faq(source: &FaqSource, mut each: impl FnMut(Entry)) -> Result<Scan, Vec<Problem>> {
    let stamps = match source {
        FaqSource::Dir(d) => faq_stamps(d).ok(),
        FaqSource::Embedded => None,
    };
    let (names, builtin_urgent) = file_names(source).map_err(|p| vec![p])?;
    let shown = |name: &str| match source {
        _ if builtin_urgent && name == URGENT_FILE => format!("faq/{name} (built in)"),
        FaqSource::Dir(d) => display_path(d, name),
        FaqSource::Embedded => format!("faq/{name}"),
    };
    let mut hasher = Sha256::new();
    hasher.update(FORMAT_VERSION.as_bytes());
    let mut problems = Vec::new();
    let mut seen = crate::faq::check::DuplicateCheck::default();
    let mut scan = Scan {
        fingerprint: String::new(),
        synonyms: Default::default(),
        entries: 0,
        passages: 0,
        topics: Vec::new(),
        stamps,
        urgent: SideFile {
            file: format!("faq/{URGENT_FILE} (built in)"),
            text: String::new(),
        },
    };
    let mut topics = crate::faq::entry::TopicSample::default();
    for name in &names {
        let file = shown(name);
        let bytes: Vec<u8> = match source {
            _ if builtin_urgent && name == URGENT_FILE => EMBEDDED
                .get_file(URGENT_FILE)
                .map(|f| f.contents().to_vec())
                .unwrap_or_default(),
            FaqSource::Embedded => EMBEDDED
                .get_file(name)
                .map(|f| f.contents().to_vec())
                .unwrap_or_default(),
            FaqSource::Dir(d) => match std::fs::read(d.join(name)) {
                Ok(b) => b,
                Err(e) => {
                    problems.push(Problem::new(&file, 1, format!("cannot read: {e}")));
                    continue;
                }
            },
        };
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
        let text = match std::str::from_utf8(&bytes) {
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
                Ok(s) => scan.synonyms = s,
                Err(mut p) => problems.append(&mut p),
            }
            continue;
        }
        if name == URGENT_FILE {
            // Hashed with the rest; its rules are checked by triage.
            scan.urgent = SideFile {
                file,
                text: text.to_string(),
            };
            continue;
        }
        match parse_entry(&file, text) {
            Ok((entry, lines)) => {
                let mut dup = seen.check(&entry, &lines);
                if !dup.is_empty() {
                    problems.append(&mut dup);
                    continue;
                }
                scan.entries += 1;
                scan.passages += entry.passages.len();
                topics.offer(&entry);
                if problems.is_empty() {
                    each(entry);
                }
            }
            Err(mut p) => problems.append(&mut p),
        }
    }
    if scan.entries == 0 && problems.is_empty() {
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
    scan.topics = topics.0;
    scan.fingerprint = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(scan)
}

/// Loads and validates a whole FAQ into memory. Every problem is reported, each as
/// `FILE:LINE: message`.
pub fn load_faq(source: &FaqSource) -> Result<LoadedFaq, Vec<Problem>> {
    let mut entries = Vec::new();
    let scan = scan_faq(source, |e| entries.push(e))?;
    Ok(LoadedFaq {
        faq: Faq {
            entries,
            synonyms: scan.synonyms,
        },
        fingerprint: scan.fingerprint,
        source: source.clone(),
        stamps: scan.stamps,
        urgent: scan.urgent,
    })
}
