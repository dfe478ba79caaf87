//! Reading `urgent.toml`: groups, notices and patterns, every problem as `FILE:LINE: message`.

use super::pattern::Pattern;
use super::{Group, Triage, CRISIS_LINE, MAX_NOTICE_CHARS};
use crate::problem::Problem;
use crate::text::{line_of, nth_group_line};
use serde::Deserialize;
use toml::Spanned;

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
        // Patterns seen so far, by their parsed form ([`Pattern::key`]), with their group's id.
        let mut seen_patterns: std::collections::HashMap<String, String> =
            std::collections::HashMap::new();
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
                        let key = pat.key();
                        if let Some(other) = seen_patterns.get(&key) {
                            problems.push(Problem::new(
                                file,
                                line,
                                format!(
                                    "pattern {:?} is listed twice (also in group {other:?})",
                                    p.get_ref()
                                ),
                            ));
                        } else {
                            seen_patterns.insert(key, id.clone());
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

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
