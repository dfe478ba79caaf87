//! The pattern grammar of `urgent.toml` (`word`, `word*`, `*`, `...`, `38..45`, `a|b*`) and
//! its matcher over a message's words.

use super::words::{tokenize, Token};
use super::MAX_GAP;

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Pattern {
    pub(super) source: String,
    pub(super) items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Item {
    Word(String),
    Prefix(String),
    Any,
    Gap,
    Range(f64, f64),
    /// `want*|wish*|hope`: any one of these words or word beginnings.
    Either(Vec<Item>),
}

impl Pattern {
    /// The parsed pattern written out, the same for two patterns that match alike ("ok" and
    /// "OK!"): the key under which `urgent.toml`'s duplicates are found. Written by hand
    /// rather than through `Debug`, whose formatting machinery every start-up would pay for
    /// each of the file's patterns.
    pub(super) fn key(&self) -> String {
        fn push(items: &[Item], out: &mut String) {
            for item in items {
                match item {
                    Item::Word(w) => {
                        out.push('w');
                        out.push_str(w);
                    }
                    Item::Prefix(p) => {
                        out.push('p');
                        out.push_str(p);
                    }
                    Item::Any => out.push('*'),
                    Item::Gap => out.push('.'),
                    Item::Range(lo, hi) => {
                        out.push_str(&format!("r{}:{}", lo.to_bits(), hi.to_bits()));
                    }
                    Item::Either(options) => {
                        out.push('(');
                        push(options, out);
                        out.push(')');
                    }
                }
                out.push('\u{1f}');
            }
        }
        let mut out = String::with_capacity(32);
        push(&self.items, &mut out);
        out
    }
}

/// One word or word beginning (`faint*`) of a pattern.
fn word_item(chunk: &str) -> Result<Item, String> {
    if let Some(base) = chunk.strip_suffix('*') {
        let words = tokenize(base, usize::MAX);
        return match words.as_slice() {
            [w] if w.text.chars().count() >= 3 => Ok(Item::Prefix(w.text.clone())),
            [_] => Err(format!(
                "`{chunk}` is too short: a word before `*` needs at least 3 letters"
            )),
            _ => Err(format!(
                "`{chunk}`: a `*` may only end a single word (like `faint*`)"
            )),
        };
    }
    if chunk.contains('*') {
        return Err(format!(
            "`{chunk}`: `*` goes at the end of a word or stands alone"
        ));
    }
    match tokenize(chunk, usize::MAX).as_slice() {
        [w] => Ok(Item::Word(w.text.clone())),
        _ => Err(format!("`{chunk}`: each choice of `a|b` must be one word")),
    }
}

impl Pattern {
    pub(super) fn parse(source: &str) -> Result<Pattern, String> {
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
            } else if chunk.contains('|') {
                let choices = chunk
                    .split('|')
                    .map(|c| {
                        if c.is_empty() {
                            Err(format!("`{chunk}`: an empty choice"))
                        } else {
                            word_item(c)
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                items.push(Item::Either(choices));
            } else if chunk.ends_with('*') || chunk.contains('*') {
                items.push(word_item(chunk)?);
            } else {
                items.extend(
                    tokenize(chunk, usize::MAX)
                        .into_iter()
                        .map(|t| Item::Word(t.text)),
                );
            }
        }
        if !items.iter().any(|i| {
            matches!(
                i,
                Item::Word(_) | Item::Prefix(_) | Item::Range(..) | Item::Either(_)
            )
        }) {
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

/// Where a pattern starting at `start` ends (exclusive), all within one clause.
pub(super) fn match_at(tokens: &[Token], start: usize, items: &[Item]) -> Option<usize> {
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
    if fits(first, t) {
        match_from(tokens, pos + 1, rest, clause)
    } else {
        None
    }
}

/// Whether one word of the message is what one item of a pattern asks for.
fn fits(item: &Item, t: &Token) -> bool {
    match item {
        Item::Word(w) => t.text == *w,
        Item::Prefix(p) => t.text.starts_with(p.as_str()),
        Item::Any => true,
        Item::Range(lo, hi) => t.num.is_some_and(|n| n >= *lo && n <= *hi),
        Item::Either(choices) => choices.iter().any(|c| fits(c, t)),
        Item::Gap => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_that_match_alike_share_a_key_and_others_do_not() {
        let key = |p: &str| Pattern::parse(p).expect("valid").key();
        assert_eq!(key("ok"), key("OK!"));
        assert_eq!(key("chest pain*"), key("Chest  PAIN*"));
        let distinct = [
            "okay",
            "okay*",
            "okay ... now",
            "okay * now",
            "okay|fine",
            "38..45",
            "38..46",
            "okays",
            "ok ay",
        ];
        for (i, a) in distinct.iter().enumerate() {
            for b in &distinct[i + 1..] {
                assert_ne!(key(a), key(b), "{a} / {b}");
            }
        }
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
        assert!(Pattern::parse("want*|wish ... dead|die").is_ok());
        assert!(Pattern::parse("want|").is_err());
        assert!(Pattern::parse("want|can't").is_err());
        assert!(Pattern::parse("want|a*").is_err());
    }

    #[test]
    fn either_matches_any_of_its_choices() {
        let p = Pattern::parse("want*|wish ... dead|die").expect("valid");
        for (text, hit) in [
            ("i wish i was dead", true),
            ("wanting to die", true),
            ("i hope to die", false),
            ("i want a coffee", false),
        ] {
            let tokens = tokenize(text, usize::MAX);
            let found = (0..tokens.len()).any(|i| match_at(&tokens, i, &p.items).is_some());
            assert_eq!(found, hit, "{text}");
        }
    }
}
