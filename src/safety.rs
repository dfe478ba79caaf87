//! Urgent-symptom triage: red-flag phrases from `urgent.toml` (owned by moderators and
//! clinicians) that put a "get help now" notice in front of the reply.
//!
//! The file lists groups, each with a notice and phrase patterns:
//!
//! ```toml
//! [[group]]
//! id = "breathing"
//! name = "Trouble breathing"
//! notice = "Trouble breathing can be an emergency. ..."
//! patterns = ["can't breathe", "short of breath", "lips ... blue"]
//! ```
//!
//! A pattern is a phrase matched word by word, ignoring case and punctuation, with contractions
//! spelt out ("can't", "cant" and "cannot" are all "can not"). Within a pattern, `word*` matches
//! any word starting with `word`, a lone `*` any one word, `...` up to four words (never a
//! number), and `38..45` any number in that range ("a fever of 39.5").
//!
//! A match only counts when the question reads as a report of something happening, not as a
//! general question: "no chest pain" and "I don't have a fever" are negated; "can IL-2 cause a
//! fever?", "will I get chest pain?" or "is shortness of breath a side effect?" are general;
//! "I have a fever of 40 and shaking chills" or "my dad can't breathe" are reports. Groups with
//! `always = true` (thoughts of self-harm) match whatever the phrasing, negated or not.

use crate::faq::file::{line_of, Problem};
use serde::Deserialize;
use std::collections::HashMap;
use toml::Spanned;
use unicode_normalization::UnicodeNormalization;

/// The triage file's name inside the FAQ folder.
pub const FILE_NAME: &str = "urgent.toml";
/// Placeholder in a notice for the configured crisis-line text (`[answer] crisis_line`).
pub const CRISIS_LINE: &str = "{crisis_line}";
/// The crisis-line text used when the configuration sets none.
pub const DEFAULT_CRISIS_LINE: &str = "call your local emergency number, or a suicide and crisis \
line (findahelpline.com lists free, confidential lines in many countries)";
/// Longest notice accepted (before the crisis line is filled in), so a reply always has room.
pub const MAX_NOTICE_CHARS: usize = 600;
/// The title of a reply that carries an urgent notice.
pub const URGENT_TITLE: &str = "⚠️ This may be urgent";
/// Only this many characters of a question are scanned.
const MAX_SCAN_CHARS: usize = 8_000;
/// Most words a `...` in a pattern stands for.
const MAX_GAP: usize = 4;
/// How many words before a match a negation ("no", "not", "never", "without") may stand.
const NEGATION_WINDOW: usize = 4;

/// The triage rules: red-flag groups in file order (the first match comes first).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Triage {
    groups: Vec<Group>,
    /// Patterns by their first word: (group, pattern) indexes.
    by_first_word: HashMap<String, Vec<(usize, usize)>>,
    /// Patterns that start with a word prefix or a number range.
    other_starts: Vec<(usize, usize)>,
}

/// One red-flag group.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Short identifier (lowercase letters, digits, dashes), for logs and tests.
    pub id: String,
    /// What the group is about, in plain words.
    pub name: String,
    /// The notice shown first in the reply; may contain [`CRISIS_LINE`].
    pub notice: String,
    /// Match regardless of negation or general phrasing (self-harm).
    pub always: bool,
    patterns: Vec<Pattern>,
}

impl Group {
    /// The patterns as written in the file.
    pub fn patterns(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter().map(|p| p.source.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Pattern {
    source: String,
    items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
enum Item {
    Word(String),
    Prefix(String),
    Any,
    Gap,
    Range(f64, f64),
}

/// A question that matched a red-flag group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrgentMatch {
    /// The group's id.
    pub group: String,
    /// The group's name.
    pub name: String,
    /// The group's notice, as written (see [`UrgentMatch::notice_with`]).
    pub notice: String,
    /// The pattern that matched, as written.
    pub pattern: String,
}

impl UrgentMatch {
    /// The notice with the crisis-line text filled in.
    pub fn notice_with(&self, crisis_line: &str) -> String {
        fill_crisis_line(&self.notice, crisis_line)
    }
}

/// Fills [`CRISIS_LINE`] in a notice; a blank `crisis_line` uses [`DEFAULT_CRISIS_LINE`].
pub fn fill_crisis_line(notice: &str, crisis_line: &str) -> String {
    let line = crisis_line.trim();
    let line = if line.is_empty() {
        DEFAULT_CRISIS_LINE
    } else {
        line
    };
    notice.replace(CRISIS_LINE, line)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    group: Vec<RawGroup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    id: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    notice: Option<Spanned<String>>,
    #[serde(default)]
    always: bool,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    #[serde(default)]
    #[allow(dead_code)]
    note: String,
}

impl Triage {
    /// Parses and validates `urgent.toml`; `file` names it in problem reports.
    pub fn parse(file: &str, text: &str) -> Result<Triage, Vec<Problem>> {
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
            vec![Problem::new(
                file,
                line,
                format!("bad urgent-symptom file: {}", e.message().trim()),
            )]
        })?;
        let mut problems = Vec::new();
        if raw.group.is_empty() {
            problems.push(Problem::new(
                file,
                1,
                "no [[group]] of red-flag patterns: the bot would never point anyone to urgent help",
            ));
        }
        // Line numbers by binary search over the newlines (a file may hold hundreds of patterns).
        let newlines: Vec<usize> = text.match_indices('\n').map(|(o, _)| o).collect();
        let at = |s: &std::ops::Range<usize>| newlines.partition_point(|&o| o < s.start) + 1;
        let mut groups = Vec::new();
        let mut seen_ids: Vec<String> = Vec::new();
        let mut seen_patterns: Vec<(Vec<Item>, String)> = Vec::new();
        for (gi, g) in raw.group.into_iter().enumerate() {
            let header = nth_group_line(text, gi);
            let id = match &g.id {
                Some(s) => {
                    let id = s.get_ref().trim().to_string();
                    if !crate::faq::entry::is_valid_id(&id) {
                        problems.push(Problem::new(
                            file,
                            at(&s.span()),
                            format!("group id {id:?} must be lowercase letters, digits and dashes"),
                        ));
                    } else if seen_ids.contains(&id) {
                        problems.push(Problem::new(
                            file,
                            at(&s.span()),
                            format!("group id {id:?} is used twice: ids must be unique"),
                        ));
                    }
                    seen_ids.push(id.clone());
                    id
                }
                None => {
                    problems.push(Problem::new(
                        file,
                        header,
                        "group without an id: add a line like id = \"breathing\"",
                    ));
                    String::new()
                }
            };
            let name = match &g.name {
                Some(s) if !s.get_ref().trim().is_empty() => s.get_ref().trim().to_string(),
                Some(s) => {
                    problems.push(Problem::new(file, at(&s.span()), "empty group name"));
                    String::new()
                }
                None => {
                    problems.push(Problem::new(
                        file,
                        header,
                        "group without a name: add a line like name = \"Trouble breathing\"",
                    ));
                    String::new()
                }
            };
            let notice = match &g.notice {
                Some(s) => {
                    let n = s.get_ref().trim().to_string();
                    let line = at(&s.span());
                    if n.is_empty() {
                        problems.push(Problem::new(file, line, "empty notice"));
                    } else if n.chars().count() > MAX_NOTICE_CHARS {
                        problems.push(Problem::new(
                            file,
                            line,
                            format!(
                                "notice is {} characters long; keep it under {MAX_NOTICE_CHARS} so it is read",
                                n.chars().count()
                            ),
                        ));
                    } else if let Some(bad) = unknown_placeholder(&n) {
                        problems.push(Problem::new(
                            file,
                            line,
                            format!("unknown placeholder {bad:?} in the notice: only {CRISIS_LINE} is filled in"),
                        ));
                    }
                    n
                }
                None => {
                    problems.push(Problem::new(
                        file,
                        header,
                        "group without a notice: add notice = \"...\" (what the member should do now)",
                    ));
                    String::new()
                }
            };
            if g.patterns.is_empty() {
                problems.push(Problem::new(
                    file,
                    header,
                    "group without patterns: add patterns = [\"...\"]",
                ));
            }
            let mut patterns = Vec::new();
            for p in &g.patterns {
                let line = at(&p.span());
                match Pattern::parse(p.get_ref()) {
                    Ok(pat) => {
                        if let Some((_, other)) =
                            seen_patterns.iter().find(|(i, _)| *i == pat.items)
                        {
                            problems.push(Problem::new(
                                file,
                                line,
                                format!(
                                    "pattern {:?} is listed twice (also in group {other:?})",
                                    p.get_ref()
                                ),
                            ));
                        } else {
                            seen_patterns.push((pat.items.clone(), id.clone()));
                        }
                        patterns.push(pat);
                    }
                    Err(msg) => problems.push(Problem::new(
                        file,
                        line,
                        format!("pattern {:?}: {msg}", p.get_ref()),
                    )),
                }
            }
            groups.push(Group {
                id,
                name,
                notice,
                always: g.always,
                patterns,
            });
        }
        if problems.is_empty() {
            Ok(Triage::index(groups))
        } else {
            Err(problems)
        }
    }

    /// The default rules shipped in `faq/urgent.toml` (empty only if that file were invalid,
    /// which a test rules out).
    pub fn builtin() -> Triage {
        Triage::parse("faq/urgent.toml", include_str!("../faq/urgent.toml")).unwrap_or_default()
    }

    fn index(groups: Vec<Group>) -> Triage {
        let mut by_first_word: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        let mut other_starts = Vec::new();
        for (gi, g) in groups.iter().enumerate() {
            for (pi, p) in g.patterns.iter().enumerate() {
                match p.items.first() {
                    Some(Item::Word(w)) => {
                        by_first_word.entry(w.clone()).or_default().push((gi, pi))
                    }
                    Some(_) => other_starts.push((gi, pi)),
                    None => {}
                }
            }
        }
        Triage {
            groups,
            by_first_word,
            other_starts,
        }
    }

    /// The groups, in file order.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// Whether there are no rules at all.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The first group (in file order) the question matches, if any.
    pub fn check(&self, question: &str) -> Option<UrgentMatch> {
        self.check_all(question).into_iter().next()
    }

    /// Every group the question matches, in file order. Never fails or panics on any text.
    pub fn check_all(&self, question: &str) -> Vec<UrgentMatch> {
        if self.groups.is_empty() {
            return Vec::new();
        }
        let tokens = tokenize(question, MAX_SCAN_CHARS);
        let mut found: Vec<Option<UrgentMatch>> = vec![None; self.groups.len()];
        for (start, token) in tokens.iter().enumerate() {
            let candidates = self
                .by_first_word
                .get(&token.text)
                .into_iter()
                .flatten()
                .chain(&self.other_starts);
            for &(gi, pi) in candidates {
                let (Some(g), Some(slot)) = (self.groups.get(gi), found.get_mut(gi)) else {
                    continue;
                };
                let Some(p) = g.patterns.get(pi).filter(|_| slot.is_none()) else {
                    continue;
                };
                let Some(end) = match_at(&tokens, start, &p.items) else {
                    continue;
                };
                if g.always || is_report(&tokens, start, end) {
                    *slot = Some(UrgentMatch {
                        group: g.id.clone(),
                        name: g.name.clone(),
                        notice: g.notice.clone(),
                        pattern: p.source.clone(),
                    });
                }
            }
        }
        found.into_iter().flatten().collect()
    }
}

fn nth_group_line(text: &str, n: usize) -> usize {
    text.match_indices("[[group]]")
        .nth(n)
        .map(|(o, _)| line_of(text, o))
        .unwrap_or(1)
}

/// The first `{...}` in a notice other than the crisis-line placeholder.
fn unknown_placeholder(notice: &str) -> Option<String> {
    let mut rest = notice;
    while let Some(open) = rest.find('{') {
        let tail = &rest[open..];
        let end = tail.find('}').map_or(tail.len(), |c| c + 1);
        let found = &tail[..end];
        if found != CRISIS_LINE {
            return Some(found.to_string());
        }
        rest = &tail[end..];
    }
    None
}

impl Pattern {
    fn parse(source: &str) -> Result<Pattern, String> {
        let mut items = Vec::new();
        for chunk in source.split_whitespace() {
            if chunk == "..." || chunk == "…" {
                if matches!(items.last(), Some(Item::Gap)) {
                    return Err("two `...` in a row".to_string());
                }
                items.push(Item::Gap);
            } else if chunk == "*" {
                items.push(Item::Any);
            } else if let Some((lo, hi)) = parse_range(chunk)? {
                items.push(Item::Range(lo, hi));
            } else if let Some(base) = chunk.strip_suffix('*') {
                let words = tokenize(base, usize::MAX);
                match words.as_slice() {
                    [w] if w.text.chars().count() >= 3 => items.push(Item::Prefix(w.text.clone())),
                    [_] => {
                        return Err(format!(
                            "`{chunk}` is too short: a word before `*` needs at least 3 letters"
                        ))
                    }
                    _ => {
                        return Err(format!(
                            "`{chunk}`: a `*` may only end a single word (like `faint*`)"
                        ))
                    }
                }
            } else if chunk.contains('*') {
                return Err(format!(
                    "`{chunk}`: `*` goes at the end of a word or stands alone"
                ));
            } else {
                items.extend(
                    tokenize(chunk, usize::MAX)
                        .into_iter()
                        .map(|t| Item::Word(t.text)),
                );
            }
        }
        if !items
            .iter()
            .any(|i| matches!(i, Item::Word(_) | Item::Prefix(_) | Item::Range(..)))
        {
            return Err("needs at least one word".to_string());
        }
        if matches!(items.first(), Some(Item::Gap | Item::Any))
            || matches!(items.last(), Some(Item::Gap | Item::Any))
        {
            return Err("may not start or end with `...` or `*`".to_string());
        }
        Ok(Pattern {
            source: source.to_string(),
            items,
        })
    }
}

/// `38..45` or `100.4..113`: `Ok(None)` when the chunk is not a range at all.
fn parse_range(chunk: &str) -> Result<Option<(f64, f64)>, String> {
    let Some((a, b)) = chunk.split_once("..") else {
        return Ok(None);
    };
    let num = |s: &str| {
        (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.'))
            .then(|| s.parse::<f64>().ok())
            .flatten()
    };
    match (num(a), num(b)) {
        (Some(lo), Some(hi)) if lo <= hi => Ok(Some((lo, hi))),
        (Some(_), Some(_)) => Err(format!("range `{chunk}` must go from low to high")),
        _ if a
            .chars()
            .chain(b.chars())
            .all(|c| c.is_ascii_digit() || c == '.') =>
        {
            Err(format!("`{chunk}` is not a number range like 38..45"))
        }
        _ => Ok(None),
    }
}

// --- text to words -------------------------------------------------------------------------------

/// One word of a question, with the clause and sentence it belongs to.
#[derive(Debug, Clone, PartialEq)]
struct Token {
    text: String,
    num: Option<f64>,
    clause: u32,
    sentence: u32,
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02bc}' | '`' | '\u{00b4}'
    )
}

fn ends_sentence(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | ';' | '\n' | '\r' | '。' | '！' | '？' | '\u{2029}' | '\u{2028}'
    )
}

fn ends_clause(c: char) -> bool {
    matches!(
        c,
        ',' | ':'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '"'
            | '\u{201c}'
            | '\u{201d}'
            | '\u{2014}'
            | '\u{2013}'
            | '/'
            | '|'
            | '、'
            | '，'
    )
}

/// Splits text into lowercase words, spelling out contractions and keeping decimal numbers
/// ("39.5", "39,5") whole. At most `max_chars` characters are read.
fn tokenize(text: &str, max_chars: usize) -> Vec<Token> {
    // NFKC leaves ASCII as it is, so plain ASCII text (most questions) skips normalisation.
    let chars: Vec<char> = if text.is_ascii() {
        text.bytes()
            .take(max_chars)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect()
    } else {
        text.chars()
            .take(max_chars)
            .nfkc()
            .flat_map(char::to_lowercase)
            .collect()
    };
    let mut out = Vec::new();
    let (mut clause, mut sentence) = (0u32, 0u32);
    let mut cur = String::new();
    for i in 0..chars.len() {
        let c = chars[i];
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        if c.is_alphanumeric() {
            cur.push(c);
            continue;
        }
        if is_apostrophe(c) && !cur.is_empty() && next.is_some_and(char::is_alphabetic) {
            cur.push('\'');
            continue;
        }
        if (c == '.' || c == ',')
            && prev.is_some_and(|p| p.is_ascii_digit())
            && next.is_some_and(|n| n.is_ascii_digit())
            && !cur.is_empty()
            && cur.chars().all(|d| d.is_ascii_digit())
        {
            cur.push('.');
            continue;
        }
        push_word(&mut out, std::mem::take(&mut cur), clause, sentence);
        if ends_sentence(c) {
            sentence += 1;
            clause += 1;
        } else if ends_clause(c)
            || (c == '-'
                && (prev.is_none_or(char::is_whitespace) || next.is_none_or(char::is_whitespace)))
        {
            clause += 1;
        }
    }
    push_word(&mut out, cur, clause, sentence);
    out
}

/// Contractions written without an apostrophe, spelt out.
const BARE_CONTRACTIONS: &[(&str, &[&str])] = &[
    ("im", &["i", "am"]),
    ("ive", &["i", "have"]),
    ("dont", &["do", "not"]),
    ("doesnt", &["does", "not"]),
    ("didnt", &["did", "not"]),
    ("cant", &["can", "not"]),
    ("cannot", &["can", "not"]),
    ("wont", &["will", "not"]),
    ("isnt", &["is", "not"]),
    ("arent", &["are", "not"]),
    ("wasnt", &["was", "not"]),
    ("werent", &["were", "not"]),
    ("havent", &["have", "not"]),
    ("hasnt", &["has", "not"]),
    ("hadnt", &["had", "not"]),
    ("couldnt", &["could", "not"]),
    ("shouldnt", &["should", "not"]),
    ("wouldnt", &["would", "not"]),
    ("aint", &["is", "not"]),
    ("hes", &["he", "is"]),
    ("shes", &["she", "is"]),
    ("theyre", &["they", "are"]),
    ("youre", &["you", "are"]),
    ("whats", &["what", "is"]),
    ("thats", &["that", "is"]),
    ("wanna", &["want", "to"]),
    ("gonna", &["going", "to"]),
    ("gotta", &["got", "to"]),
    ("idk", &["i", "do", "not", "know"]),
];

/// Words after which `'s` means "is" rather than a possessive.
const S_IS: &[&str] = &[
    "it", "he", "she", "that", "what", "there", "who", "where", "here", "how",
];

fn push_word(out: &mut Vec<Token>, word: String, clause: u32, sentence: u32) {
    if word.is_empty() {
        return;
    }
    let mut push = |text: &str| {
        if text.is_empty() {
            return;
        }
        let num = (text.starts_with(|c: char| c.is_ascii_digit())
            && text.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .then(|| text.parse::<f64>().ok())
        .flatten();
        out.push(Token {
            text: text.to_string(),
            num,
            clause,
            sentence,
        });
    };
    // "40c", "104f", "2nd": a number glued to letters is two words.
    if word.starts_with(|c: char| c.is_ascii_digit()) {
        let split = word
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(word.len());
        let (n, rest) = word.split_at(split);
        if !rest.is_empty() && rest.chars().all(char::is_alphabetic) {
            push(n);
            push(rest);
            return;
        }
    }
    if let Some(base) = word.strip_suffix("n't") {
        let base = match base {
            "ca" => "can",
            "wo" => "will",
            "sha" => "shall",
            "ai" => "is",
            b => b,
        };
        push(base);
        push("not");
        return;
    }
    for (suffix, full) in [
        ("'m", "am"),
        ("'re", "are"),
        ("'ve", "have"),
        ("'ll", "will"),
        ("'d", "would"),
    ] {
        if let Some(base) = word.strip_suffix(suffix) {
            push(&base.replace('\'', ""));
            push(full);
            return;
        }
    }
    if let Some(base) = word.strip_suffix("'s") {
        let base = base.replace('\'', "");
        push(&base);
        if S_IS.contains(&base.as_str()) {
            push("is");
        }
        return;
    }
    let word = word.replace('\'', "");
    match BARE_CONTRACTIONS.iter().find(|(w, _)| *w == word) {
        Some((_, parts)) => parts.iter().for_each(|p| push(p)),
        None => push(&word),
    }
}

// --- matching ------------------------------------------------------------------------------------

/// Where a pattern starting at `start` ends (exclusive), all within one clause.
fn match_at(tokens: &[Token], start: usize, items: &[Item]) -> Option<usize> {
    let clause = tokens.get(start)?.clause;
    match_from(tokens, start, items, clause)
}

fn match_from(tokens: &[Token], pos: usize, items: &[Item], clause: u32) -> Option<usize> {
    let Some((first, rest)) = items.split_first() else {
        return Some(pos);
    };
    if let Item::Gap = first {
        for skip in 0..=MAX_GAP {
            if skip > 0 {
                let t = tokens.get(pos + skip - 1)?;
                if t.clause != clause || t.num.is_some() {
                    return None;
                }
            }
            if let Some(end) = match_from(tokens, pos + skip, rest, clause) {
                return Some(end);
            }
        }
        return None;
    }
    let t = tokens.get(pos).filter(|t| t.clause == clause)?;
    let ok = match first {
        Item::Word(w) => t.text == *w,
        Item::Prefix(p) => t.text.starts_with(p.as_str()),
        Item::Any => true,
        Item::Range(lo, hi) => t.num.is_some_and(|n| n >= *lo && n <= *hi),
        Item::Gap => false,
    };
    if ok {
        match_from(tokens, pos + 1, rest, clause)
    } else {
        None
    }
}

// --- reading the context of a match --------------------------------------------------------------

#[rustfmt::skip]
const NEGATIONS: &[&str] = &[
    "no", "not", "never", "without", "nor", "neither", "none", "denies", "deny", "denied",
];
/// A negation does not reach past these words ("no fever but chest pain").
#[rustfmt::skip]
const SCOPE_BREAKERS: &[&str] = &[
    "and", "but", "yet", "so", "although", "though", "however", "except", "then", "because",
    "when", "while", "since", "now", "also",
];
/// "not sure", "don't know": doubt, not denial.
const DOUBTS: &[&str] = &["sure", "certain", "know"];
/// Words that make a statement about someone in particular.
#[rustfmt::skip]
const PERSONAL: &[&str] = &[
    "i", "me", "my", "mine", "myself", "we", "us", "our", "he", "him", "his", "himself", "she",
    "her", "herself", "they", "them", "their", "themselves", "mum", "mom", "mother", "mommy",
    "mummy", "dad", "father", "daddy", "husband", "hubby", "wife", "partner", "spouse", "son",
    "daughter", "child", "kid", "baby", "brother", "sister", "grandma", "grandmother", "gran",
    "granny", "nan", "nana", "grandpa", "grandfather", "grandad", "granddad", "aunt", "auntie",
    "uncle", "cousin", "niece", "nephew", "friend", "boyfriend", "girlfriend", "fiance",
    "fiancee", "patient",
];
/// Pronouns that can start a hypothetical question after a modal ("can I get ...").
const SUBJECTS: &[&str] = &["i", "we", "he", "she", "they"];
/// Pronouns that, after "told" or "said", are the listener, not the one with the symptom.
const LISTENERS: &[&str] = &["me", "us", "him", "them"];
/// Words that make a statement about people in general.
#[rustfmt::skip]
const GENERIC: &[&str] = &[
    "you", "your", "yours", "someone", "somebody", "anyone", "anybody", "people", "patients",
    "person", "everyone", "everybody",
];
/// Modals that, before a subject, ask about what might happen ("will I get a fever?").
const INVERSION_AUX: &[&str] = &[
    "can", "could", "will", "would", "might", "may", "do", "does",
];
/// Modals that, after a subject, speak of what might happen ("I might get chills").
const HYPOTHETICAL_MODALS: &[&str] = &["might", "may", "could", "would", "should", "shall"];
/// Words that open a general question.
#[rustfmt::skip]
const QUESTION_LEADS: &[&str] = &[
    "can", "could", "does", "do", "did", "is", "are", "was", "were", "will", "would", "might",
    "may", "should", "shall", "what", "why", "how", "when", "which", "who", "where", "whom",
    "any", "anyone", "anybody", "has", "tell", "explain", "define", "describe",
];
/// Words that may precede a question's first real word.
#[rustfmt::skip]
const FILLERS: &[&str] = &[
    "so", "and", "but", "also", "ok", "okay", "hi", "hello", "hey", "well", "um", "uh", "just",
    "quick", "question", "q", "please", "all", "everyone", "guys", "folks", "doc", "doctor",
    "hiya", "dear", "then", "btw", "sorry", "again",
];
/// Words that make a sentence about causes, risks or expectations, not a report.
#[rustfmt::skip]
const GENERAL_CUES: &[&str] = &[
    "cause", "causes", "caused", "causing", "side", "effect", "effects", "risk", "risks",
    "chance", "chances", "likely", "likelihood", "possible", "common", "commonly", "usual",
    "usually", "typical", "typically", "expect", "expected", "worried", "worry", "worrying",
    "afraid", "scared", "fear", "prevent", "preventing", "avoid", "read", "heard", "symptom",
    "symptoms", "sign", "signs", "mean", "means", "explain", "lead", "leads", "trigger",
    "triggers", "associated", "linked",
];
/// What others said: general between the speaker and the symptom ("they say chest pain is
/// common"), a report when someone speaks of themselves ("my wife says her chest feels tight").
#[rustfmt::skip]
const SPEECH: &[&str] = &[
    "say", "says", "said", "told", "tell", "tells", "warned", "warn", "mentioned",
];

fn is(t: &Token, words: &[&str]) -> bool {
    words.contains(&t.text.as_str())
}

fn sentence_start(tokens: &[Token], i: usize) -> usize {
    let s = tokens[i].sentence;
    let mut j = i;
    while j > 0 && tokens[j - 1].sentence == s {
        j -= 1;
    }
    j
}

fn sentence_end(tokens: &[Token], i: usize) -> usize {
    let s = tokens[i].sentence;
    let mut j = i;
    while j < tokens.len() && tokens[j].sentence == s {
        j += 1;
    }
    j
}

fn clause_bounds(tokens: &[Token], i: usize) -> (usize, usize) {
    let c = tokens[i].clause;
    let mut a = i;
    while a > 0 && tokens[a - 1].clause == c {
        a -= 1;
    }
    let mut b = i;
    while b < tokens.len() && tokens[b].clause == c {
        b += 1;
    }
    (a, b)
}

/// "no chest pain", "I don't have a fever", "never fainted": a negation shortly before the
/// match, in the same clause and not cut off by "and", "but", ...
fn negated(tokens: &[Token], start: usize) -> bool {
    let clause = tokens[start].clause;
    for j in (start.saturating_sub(NEGATION_WINDOW)..start).rev() {
        let t = &tokens[j];
        if t.clause != clause || is(t, SCOPE_BREAKERS) {
            return false;
        }
        if is(t, NEGATIONS) {
            let doubt = t.text == "not" && tokens.get(j + 1).is_some_and(|n| is(n, DOUBTS));
            if !doubt {
                return true;
            }
        }
    }
    false
}

/// "years ago", "a history of", "used to", "in the past": not happening now.
fn about_the_past(tokens: &[Token], from: usize, to: usize) -> bool {
    let s = &tokens[from..to];
    s.iter().enumerate().any(|(i, t)| {
        let prev = |k: usize| i.checked_sub(k).map(|j| s[j].text.as_str());
        match t.text.as_str() {
            "history" | "previously" | "childhood" => true,
            "ago" => (1..=3).any(|k| {
                matches!(
                    prev(k),
                    Some("year" | "years" | "month" | "months" | "decade" | "decades")
                )
            }),
            "to" => prev(1) == Some("used"),
            "past" => prev(1) == Some("the") && prev(2) == Some("in"),
            "year" => prev(1) == Some("last"),
            _ => false,
        }
    })
}

/// Whether a match at `start..end` reads as something happening to someone now.
fn is_report(tokens: &[Token], start: usize, end: usize) -> bool {
    if negated(tokens, start) {
        return false;
    }
    let s0 = sentence_start(tokens, start);
    let s1 = sentence_end(tokens, start);
    if about_the_past(tokens, s0, s1) {
        return false;
    }
    let (c0, c1) = clause_bounds(tokens, start);
    // The nearest word before the match saying whom it is about; else one inside the match.
    let marker = (s0..start)
        .rev()
        .find(|&k| is(&tokens[k], PERSONAL) || is(&tokens[k], GENERIC))
        .or_else(|| (start..end).find(|&k| is(&tokens[k], PERSONAL)));
    match marker {
        Some(k) if is(&tokens[k], GENERIC) => false,
        Some(k) => {
            let from = k.min(c0);
            if tokens[from..start].iter().any(|t| is(t, GENERAL_CUES)) {
                return false;
            }
            // "they say chest pain is common", "the nurse told me chills are expected"
            let told = k > s0 && is(&tokens[k - 1], SPEECH) && is(&tokens[k], LISTENERS);
            if told
                || tokens[(k + 1).min(start)..start]
                    .iter()
                    .any(|t| is(t, SPEECH))
            {
                return false;
            }
            if is(&tokens[k], SUBJECTS) && k < start {
                // "can I get chest pain ...", "will he have a fever ..."
                if k > s0
                    && is(&tokens[k - 1], INVERSION_AUX)
                    && tokens[s0..k - 1]
                        .iter()
                        .all(|t| is(t, QUESTION_LEADS) || is(t, FILLERS))
                {
                    return false;
                }
                // "I might get chills", but "I could not breathe" is a report.
                if tokens
                    .get(k + 1)
                    .is_some_and(|t| is(t, HYPOTHETICAL_MODALS))
                    && tokens.get(k + 2).is_none_or(|t| t.text != "not")
                {
                    return false;
                }
            }
            true
        }
        None => {
            // A fragment ("chest pain and can't breathe") is a report; a general question is not.
            // ("Can't breathe!" starts with "can", but inside the match: still a report.)
            let lead = (s0..s1).find(|&j| !is(&tokens[j], FILLERS));
            if lead.is_some_and(|j| j < start && is(&tokens[j], QUESTION_LEADS)) {
                return false;
            }
            !tokens[c0..c1].iter().any(|t| is(t, GENERAL_CUES))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        tokenize(s, usize::MAX)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn contractions_and_numbers() {
        assert_eq!(words("I can't breathe"), ["i", "can", "not", "breathe"]);
        assert_eq!(words("I CANNOT breathe"), ["i", "can", "not", "breathe"]);
        assert_eq!(words("i cant breathe"), ["i", "can", "not", "breathe"]);
        assert_eq!(words("I’m dizzy"), ["i", "am", "dizzy"]);
        assert_eq!(words("won't stop"), ["will", "not", "stop"]);
        assert_eq!(words("fever of 39.5°C"), ["fever", "of", "39.5", "c"]);
        assert_eq!(words("fever of 39,5"), ["fever", "of", "39.5"]);
        assert_eq!(words("temp 104f"), ["temp", "104", "f"]);
        assert_eq!(words("dad's chest"), ["dad", "chest"]);
        assert_eq!(words("it's bad"), ["it", "is", "bad"]);
        let t = tokenize("No fever. But chest pain, now", usize::MAX);
        assert_eq!(t[0].sentence, 0);
        assert_eq!(t[2].sentence, 1);
        assert_ne!(t[4].clause, t[5].clause);
    }

    #[test]
    fn pattern_syntax() {
        assert!(Pattern::parse("faint*").is_ok());
        assert!(Pattern::parse("fever ... 38..45").is_ok());
        assert!(Pattern::parse("... fever").is_err());
        assert!(Pattern::parse("fever *").is_err());
        assert!(Pattern::parse("a*").is_err());
        assert!(Pattern::parse("45..38").is_err());
        assert!(Pattern::parse("fe*ver").is_err());
        assert!(Pattern::parse("   ").is_err());
        assert!(Pattern::parse("!!!").is_err());
    }

    #[test]
    fn builtin_rules_parse() {
        let text = include_str!("../faq/urgent.toml");
        let t = Triage::parse("faq/urgent.toml", text).expect("shipped urgent.toml is valid");
        assert!(t.groups().len() >= 7);
        assert_eq!(Triage::builtin(), t);
    }

    #[test]
    fn placeholders() {
        assert_eq!(unknown_placeholder("call {crisis_line} now"), None);
        assert_eq!(
            unknown_placeholder("call {crisis} now").as_deref(),
            Some("{crisis}")
        );
        assert_eq!(
            unknown_placeholder("open { never closed").as_deref(),
            Some("{ never closed")
        );
        assert_eq!(
            fill_crisis_line("x {crisis_line}", "  "),
            format!("x {DEFAULT_CRISIS_LINE}")
        );
    }
}
