//! Leaf text helpers shared by every layer: Unicode words, phrase keys, Discord mention markup,
//! cutting text to a length, and line numbers of byte offsets. Nothing here knows about the FAQ,
//! the index or Discord's API.

pub mod english;
pub mod names;

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// A piece of Discord mention markup found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mention<'a> {
    /// `<@id>` or `<@!id>`: a user (the id's digits).
    User(&'a str),
    /// `<@&id>`: a role.
    Role(&'a str),
    /// `<#id>`: a channel.
    Channel(&'a str),
    /// `@everyone` or `@here`.
    Everyone,
    /// Any other run of `@ # ! &` markers around an id, such as `<@#!123>`: not valid markup,
    /// but Discord-like enough that it never names a topic.
    Other,
}

/// The mention markup at the very start of `text`, with its length in bytes.
pub fn mention_at(text: &str) -> Option<(Mention<'_>, usize)> {
    if let Some(after) = text.strip_prefix('<') {
        let inner = after.trim_start_matches(['@', '#', '!', '&']);
        let marker = &after[..after.len() - inner.len()];
        let digits = inner.len() - inner.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if marker.is_empty() || digits == 0 || !inner[digits..].starts_with('>') {
            return None;
        }
        let id = &inner[..digits];
        let mention = match marker {
            "@" | "@!" => Mention::User(id),
            "@&" => Mention::Role(id),
            "#" => Mention::Channel(id),
            _ => Mention::Other,
        };
        return Some((mention, 1 + marker.len() + digits + 1));
    }
    ["@everyone", "@here"]
        .into_iter()
        .find(|m| text.starts_with(m))
        .map(|m| (Mention::Everyone, m.len()))
}

/// Replaces each piece of mention markup for which `with` gives a replacement; the rest of the
/// text (and markup `with` declines) is kept as it is.
pub fn replace_mentions<'t>(
    text: &'t str,
    mut with: impl FnMut(Mention<'_>) -> Option<&'static str>,
) -> Cow<'t, str> {
    if !text.contains(['<', '@']) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['<', '@']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        match mention_at(tail).and_then(|(m, len)| with(m).map(|r| (r, len))) {
            Some((replacement, len)) => {
                out.push_str(replacement);
                rest = &tail[len..];
            }
            None => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// Splits text into lowercase Unicode words (letters and digits), after NFKC normalisation and
/// removing Discord mentions (they name people and channels, never a topic). A `%` reads as the
/// word "percent".
pub fn words(text: &str) -> Vec<String> {
    let stripped = replace_mentions(text, |_| Some(" "));
    let mut out = Vec::new();
    if stripped.is_ascii() {
        // ASCII is already in NFKC form: split and lowercase byte by byte.
        let mut start = None;
        for (i, b) in stripped.bytes().enumerate() {
            if b.is_ascii_alphanumeric() {
                start.get_or_insert(i);
                continue;
            }
            if let Some(s) = start.take() {
                out.push(stripped[s..i].to_ascii_lowercase());
            }
            if b == b'%' {
                out.push("percent".to_string());
            }
        }
        if let Some(s) = start {
            out.push(stripped[s..].to_ascii_lowercase());
        }
        return out;
    }
    let mut cur = String::new();
    for c in stripped.nfkc() {
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if c == '%' {
                out.push("percent".to_string());
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The normalised form of a phrase (its words joined by spaces), to compare phrases and terms.
pub fn phrase_key(term: &str) -> String {
    words(term).join(" ")
}

/// A question's key: its letters and digits lowercased, so "What is X?" and "what is x" are one
/// question (duplicate entries, topics typed by name).
pub fn question_key(q: &str) -> String {
    q.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Text as compared loosely: lowercase, curly quotes straightened, runs of whitespace as one
/// space (does a passage contain a snippet, whatever its typography?).
pub fn loose(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201b}' | '\u{2032}' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201f}' | '\u{2033}' => '"',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Cuts `text` to at most `max` characters, ending with "…" when cut, so that a shortened text
/// says it was shortened.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Rows of the edit-distance table, reused from one word to the next when many are compared.
#[derive(Default)]
pub(crate) struct EditRows {
    before: Vec<usize>,
    last: Vec<usize>,
    this: Vec<usize>,
}

impl EditRows {
    /// The edit distance between `a` and `b`, when it is at most `max` (it stops as soon as it
    /// cannot be): insertions, deletions, substitutions and swaps of two neighbouring letters
    /// each count one (optimal string alignment).
    pub(crate) fn distance<T: PartialEq>(&mut self, a: &[T], b: &[T], max: usize) -> Option<usize> {
        let m = b.len();
        for row in [&mut self.before, &mut self.last, &mut self.this] {
            row.clear();
            row.resize(m + 1, 0);
        }
        for (j, cell) in self.last.iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            self.this[0] = i;
            let mut least = i;
            for j in 1..=m {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut d = (self.last[j] + 1)
                    .min(self.this[j - 1] + 1)
                    .min(self.last[j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d = d.min(self.before[j - 2] + 1);
                }
                self.this[j] = d;
                least = least.min(d);
            }
            if least > max {
                return None;
            }
            std::mem::swap(&mut self.before, &mut self.last);
            std::mem::swap(&mut self.last, &mut self.this);
        }
        (self.last[m] <= max).then_some(self.last[m])
    }
}

/// 1-based line of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// 1-based line of the `n`-th (from 0) `[[group]]` table header in a TOML file, 1 when absent.
pub fn nth_group_line(text: &str, n: usize) -> usize {
    text.match_indices("[[group]]")
        .nth(n)
        .map(|(o, _)| line_of(text, o))
        .unwrap_or(1)
}

/// Binary search of a text of `key[<TAB>value]` lines sorted by key (code point order): the
/// value after the tab (empty when the line has none) of the line whose key is `key`. Embedded
/// word lists are searched as they are, with nothing parsed or built at start-up.
pub(crate) fn sorted_line<'a>(list: &'a str, key: &str) -> Option<&'a str> {
    let bytes = list.as_bytes();
    let (mut lo, mut hi) = (0, bytes.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = bytes[..mid]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1)
            .max(lo);
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| start + p);
        let line = list.get(start..end)?;
        let (listed, value) = line.split_once('\t').unwrap_or((line, ""));
        match listed.cmp(key) {
            std::cmp::Ordering::Equal => return Some(value),
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mention_markup_is_recognised_by_kind() {
        assert_eq!(mention_at("<@123> hi"), Some((Mention::User("123"), 6)));
        assert_eq!(mention_at("<@!123>"), Some((Mention::User("123"), 7)));
        assert_eq!(mention_at("<@&9>"), Some((Mention::Role("9"), 5)));
        assert_eq!(mention_at("<#45>"), Some((Mention::Channel("45"), 5)));
        assert_eq!(mention_at("<@#!1>"), Some((Mention::Other, 6)));
        assert_eq!(mention_at("@here now"), Some((Mention::Everyone, 5)));
        assert_eq!(mention_at("<@abc>"), None);
        assert_eq!(mention_at("<123>"), None);
        assert_eq!(mention_at("<@123"), None);
    }

    #[test]
    fn declined_markup_is_kept_verbatim() {
        let kept = replace_mentions("a <@1> b @everyone <#2>", |m| match m {
            Mention::Channel(_) => Some("#channel"),
            _ => None,
        });
        assert_eq!(kept, "a <@1> b @everyone #channel");
    }

    #[test]
    fn words_drop_mentions_and_read_percent() {
        assert_eq!(
            words("<@1> IL-2 works 20%!"),
            ["il", "2", "works", "20", "percent"]
        );
        assert_eq!(words("Ｆｕｌｌ width"), ["full", "width"]);
    }

    #[test]
    fn question_keys_ignore_case_and_punctuation() {
        assert_eq!(question_key("What is X?"), question_key("what is x"));
        assert_ne!(question_key("What is X?"), question_key("What is Y?"));
    }

    #[test]
    fn loose_text_ignores_case_quotes_and_spacing() {
        assert_eq!(loose("It\u{2019}s  \n A \u{201c}b\u{201d}"), "it's a \"b\"");
    }

    fn edit_distance(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        EditRows::default()
            .distance(&a, &b, usize::MAX)
            .unwrap_or(usize::MAX)
    }

    #[test]
    fn edit_distance_counts_a_swap_as_one() {
        assert_eq!(edit_distance("intraven", "intraven"), 0);
        assert_eq!(edit_distance("intravnous", "intravenous"), 1);
        assert_eq!(edit_distance("intravneous", "intravenous"), 1);
        assert_eq!(edit_distance("abc", ""), 3);
    }

    #[test]
    fn lines_count_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb", 99), 2);
        assert_eq!(nth_group_line("x\n[[group]]\n[[group]]\n", 1), 3);
        assert_eq!(nth_group_line("", 0), 1);
    }
}
