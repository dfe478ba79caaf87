//! The opt-in request dump, for checking that a refactor changes no body the bot sends: with
//! `FAKE_DISCORD_DUMP_DIR` set, every REST request the fake receives is written as one JSON
//! line, in arrival order, to `<dir>/<test binary>.<test name>.jsonl` (`.2.jsonl`, ... for a
//! test's later fakes). `tests/support/compare_bodies.sh` runs the end-to-end tests with it and
//! compares two dumps.
//!
//! Lines are canonical so that two runs of the same code write the same text: keys sorted, and
//! what differs from run to run replaced by a placeholder: snowflakes (`<id>`; the fixed test
//! ids are short and stay), interaction tokens (`<token>`), timestamps (`<timestamp>`), Unix
//! times (`<unix>`), temporary folders (`/<tempdir>`), nonces (`<nonce>`) and the numbers in
//! custom ids (`<n>`).

use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use anyhow::{Context, Result};
use serde_json::Value;

use super::fixtures::INTERACTION_TOKEN_PREFIX;
use super::state::Recorded;

/// The environment variable naming the folder to dump into.
pub const DUMP_DIR_VAR: &str = "FAKE_DISCORD_DUMP_DIR";

/// Digit runs at least this long are snowflakes (the fixture's ids have four digits).
const SNOWFLAKE_DIGITS: usize = 15;
/// Shorter digit runs at least this long are Unix times (e.g. in `<t:…>` or a file name).
const UNIX_TIME_DIGITS: usize = 10;

/// One fake's dump file.
pub(super) struct Dump {
    path: PathBuf,
    file: Mutex<File>,
}

impl Dump {
    /// The dump of a fake starting now, when the environment asks for one. Call it on the
    /// test's own thread: the file is named after the thread (libtest names it after the test).
    pub fn from_env() -> Result<Option<Self>> {
        let Some(dir) = std::env::var_os(DUMP_DIR_VAR).filter(|d| !d.is_empty()) else {
            return Ok(None);
        };
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("{DUMP_DIR_VAR}: cannot create {}", dir.display()))?;
        let path = dir.join(file_name());
        let file = File::create(&path)
            .with_context(|| format!("{DUMP_DIR_VAR}: cannot create {}", path.display()))?;
        Ok(Some(Self {
            path,
            file: Mutex::new(file),
        }))
    }

    /// Appends a request; called in arrival order (under the state lock).
    pub fn write(&self, req: &Recorded) {
        let line = line_of(req);
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = file.write_all(line.as_bytes()) {
            eprintln!("fake Discord: cannot write {}: {e}", self.path.display());
        }
    }
}

/// `<binary>.<test>[.<n>].jsonl`, unique within the process.
fn file_name() -> String {
    let binary = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .map(|s| strip_cargo_hash(&s).to_string())
        .unwrap_or_else(|| "test".into());
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("unnamed");
    let base = sanitise(&format!("{binary}.{test}"));
    static STARTS: OnceLock<Mutex<HashMap<String, usize>>> = OnceLock::new();
    let mut starts = STARTS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let n = starts.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 {
        format!("{base}.jsonl")
    } else {
        format!("{base}.{n}.jsonl")
    }
}

/// `discord_bot-0123456789abcdef` → `discord_bot`: the hash changes with the build.
fn strip_cargo_hash(stem: &str) -> &str {
    match stem.rsplit_once('-') {
        Some((name, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            name
        }
        _ => stem,
    }
}

fn sanitise(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The canonical line of a request: `{"method":..,"route":..,"body":..}`, the route with its
/// query.
fn line_of(req: &Recorded) -> String {
    let mut route = canonical_str(req.route());
    if let Some(q) = &req.query {
        route.push('?');
        route.push_str(&canonical_str(q));
    }
    let body = match &req.body {
        Some(b) => canonical(b, None),
        None if req.raw_body.is_empty() => Value::Null,
        None => Value::from(format!("<{} bytes, not JSON>", req.raw_body.len())),
    };
    let mut line = format!(
        "{{\"method\":{},\"route\":{},\"body\":",
        Value::from(req.method.as_str()),
        Value::from(route)
    );
    write_canonical(&body, &mut line);
    line.push_str("}\n");
    line
}

/// `v` with its volatile values replaced (`key`: the object key it is found under).
fn canonical(v: &Value, key: Option<&str>) -> Value {
    match v {
        _ if key == Some("nonce") && !v.is_null() => Value::from("<nonce>"),
        Value::String(s) if key == Some("custom_id") => Value::from(without_numbers(s)),
        Value::String(s) => Value::from(canonical_str(s)),
        Value::Number(n) if n.as_u64().is_some_and(|n| n >= 10u64.pow(14)) => Value::from("<id>"),
        Value::Array(items) => items.iter().map(|i| canonical(i, None)).collect(),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), canonical(v, Some(k))))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A string with its snowflakes, tokens, Unix times, timestamps and temporary folders replaced.
fn canonical_str(s: &str) -> String {
    if is_timestamp(s) {
        return "<timestamp>".into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix(INTERACTION_TOKEN_PREFIX) {
            let token = after
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
                .count();
            out.push_str("<token>");
            rest = &after[token..];
            continue;
        }
        if let Some(after) = rest.strip_prefix("/.tmp") {
            // tempfile's folders: `.tmp` and six random letters or digits.
            let random = after.bytes().take_while(u8::is_ascii_alphanumeric).count();
            if random == 6 {
                out.push_str("/<tempdir>");
                rest = &after[random..];
                continue;
            }
        }
        let digits = leading_digits(rest);
        if digits >= SNOWFLAKE_DIGITS {
            out.push_str("<id>");
        } else if digits >= UNIX_TIME_DIGITS {
            out.push_str("<unix>");
        } else if digits > 0 {
            out.push_str(&rest[..digits]);
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        rest = &rest[digits..];
    }
    out
}

/// A custom id with every number replaced: the bot numbers its answers in the order it gives
/// them, which concurrent interactions do not fix.
fn without_numbers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_number = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push_str("<n>");
            }
            in_number = true;
        } else {
            out.push(c);
            in_number = false;
        }
    }
    out
}

fn leading_digits(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// `2024-01-01T00:00:00...`: an ISO 8601 date and time.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
        .into_iter()
        .all(digit)
        && at(4, b'-')
        && at(7, b'-')
        && at(10, b'T')
        && at(13, b':')
        && at(16, b':')
}

/// Writes `v` as JSON with every object's keys sorted, whatever order the map keeps.
fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut entries: Vec<(&String, &Value)> = m.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(k.as_str()).to_string());
                out.push(':');
                write_canonical(v, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}
