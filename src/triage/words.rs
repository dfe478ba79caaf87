//! A message as words for triage: lowercased, contractions spelt out, decimal numbers kept
//! whole, each word tagged with its clause and sentence.

use unicode_normalization::UnicodeNormalization;

/// One word of a question, with the clause and sentence it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub(super) text: String,
    pub(super) num: Option<f64>,
    pub(super) clause: u32,
    pub(super) sentence: u32,
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
pub(super) fn tokenize(text: &str, max_chars: usize) -> Vec<Token> {
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
}
