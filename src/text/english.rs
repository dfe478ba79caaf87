//! How common a word is in general English, from wordfreq's frequency lists (`english/words.txt`,
//! CC BY-SA 4.0; see `english/README.md`). A question word the FAQ never uses says little by
//! itself: this tells an everyday word ("folks", "stuff"), which should not count against an
//! answer, from a rare, specific one (a place, a drug, an insurer), which should.

/// The data: `word<TAB>zipf` lines sorted by word, about 40,000 words down to Zipf ~2.7.
const WORDS: &str = include_str!("english/words.txt");

/// Inflection endings and what replaces them, tried in this order when a word is not listed as
/// is: plurals and third persons ("oncologists", "boxes", "biopsies"), past tenses ("biopsied",
/// "dosed") and gerunds ("rebooting", "relapsing") of listed words. Only one ending is replaced,
/// the first whose result is listed (so "dosed" reads as "dose", not "dos"), and the stem keeps
/// at least [`MIN_STEM`] characters so that "bed" never reads as "b". No doubled consonants
/// ("scanned"): the list holds the common inflections itself, so this only catches rarer forms.
const INFLECTIONS: [(&str, &str); 8] = [
    ("s", ""),
    ("es", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ed", "e"),
    ("ed", ""),
    ("ing", "e"),
    ("ing", ""),
];

/// The shortest stem that an inflection fallback may look up, in characters.
const MIN_STEM: usize = 3;

/// The Zipf frequency of a lowercase word in English: log10 of its occurrences per billion
/// words, so about 7.7 for "the", 5 for "hospital", 3 for a word seen once in a million, and
/// None below the list's cut (~2.7) or for a word never seen. Falls back to the word without an
/// inflection ending (see [`INFLECTIONS`]) when the word itself is not listed.
///
/// The word must be as [`super::words`] gives it (lowercase letters and digits, after NFKC);
/// the list's forms with apostrophes ("don't") are found only when asked for with one.
pub fn zipf(word: &str) -> Option<f32> {
    if let Some(z) = lookup(word) {
        return Some(z);
    }
    INFLECTIONS.iter().find_map(|&(ending, replacement)| {
        let stem = word.strip_suffix(ending)?;
        if stem.chars().count() < MIN_STEM {
            return None;
        }
        lookup(&format!("{stem}{replacement}"))
    })
}

/// The word's Zipf frequency in the embedded list, which is sorted by word: nothing is parsed
/// or built at start-up, so a one-shot `faqbot ask` pays a few comparisons, not a table.
fn lookup(word: &str) -> Option<f32> {
    super::sorted_line(WORDS, word)?.parse().ok()
}

/// Listed words within `max_edits` edits of `word` (each an insertion, deletion, substitution
/// or swap of two neighbouring letters), with their number of edits and Zipf frequency. Only
/// words that begin with `word`'s first letter, or with its second when the first two are
/// swapped, are looked at: misspellings seldom touch the first letter, and the list is sorted, so
/// that is a slice of it. ASCII words only.
pub fn near(word: &str, max_edits: usize) -> Vec<(&'static str, usize, f32)> {
    let w = word.as_bytes();
    if !word.is_ascii() || w.len() < 2 || max_edits == 0 {
        return Vec::new();
    }
    let mut firsts = vec![w[0]];
    if w[1] != w[0] {
        firsts.push(w[1]);
    }
    let by_start = by_first_letter_and_length();
    let lengths = w.len().saturating_sub(max_edits)..=w.len() + max_edits;
    let mut rows = super::EditRows::default();
    let mut out = Vec::new();
    for first in firsts {
        for len in lengths.clone() {
            let Some(starts) = by_start.get(&(first, len)) else {
                continue;
            };
            for &start in starts {
                let line = WORDS[start as usize..].lines().next().unwrap_or("");
                let Some((listed, z)) = line.split_once('\t') else {
                    continue;
                };
                if !may_be_near(listed.as_bytes(), w, max_edits) {
                    continue;
                }
                if let (Some(d), Ok(z)) =
                    (rows.distance(listed.as_bytes(), w, max_edits), z.parse())
                {
                    out.push((listed, d, z));
                }
            }
        }
    }
    out
}

/// The words of `list` within `max_edits` edits of `word` (as [`near`] counts them), with their
/// number of edits: for a vocabulary of its own, such as an FAQ's synonym words.
pub fn near_in<'a>(
    word: &str,
    max_edits: usize,
    list: impl IntoIterator<Item = &'a str>,
) -> Vec<(&'a str, usize)> {
    let w = word.as_bytes();
    let mut rows = super::EditRows::default();
    list.into_iter()
        .filter(|c| {
            c.len().abs_diff(w.len()) <= max_edits && may_be_near(c.as_bytes(), w, max_edits)
        })
        .filter_map(|c| Some((c, rows.distance(c.as_bytes(), w, max_edits)?)))
        .collect()
}

/// Where each line of [`WORDS`] starts, by the word's first byte and length: built once, when a
/// word is first looked up by [`near`] (a misspelt question is rare; a one-shot `faqbot ask`
/// seldom pays for it).
fn by_first_letter_and_length() -> &'static std::collections::HashMap<(u8, usize), Vec<u32>> {
    static INDEX: std::sync::OnceLock<std::collections::HashMap<(u8, usize), Vec<u32>>> =
        std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: std::collections::HashMap<(u8, usize), Vec<u32>> = Default::default();
        let mut start = 0;
        for line in WORDS.split_inclusive('\n') {
            let word = line.split('\t').next().unwrap_or("");
            if let Some(&first) = word.as_bytes().first() {
                index
                    .entry((first, word.len()))
                    .or_default()
                    .push(start as u32);
            }
            start += line.len();
        }
        index
    })
}

/// A quick test that rules most words out before the edit distance is computed. One edit
/// leaves the words the same outside a stretch of at most two letters; several change the
/// counts of letters by at most two an edit.
fn may_be_near(a: &[u8], b: &[u8], max: usize) -> bool {
    if max == 1 {
        let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let suffix = a[prefix..]
            .iter()
            .rev()
            .zip(b[prefix..].iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        return prefix + suffix + 2 >= a.len().max(b.len());
    }
    let mut counts = [0i32; 128];
    for &x in a {
        counts[usize::from(x & 0x7f)] += 1;
    }
    for &y in b {
        counts[usize::from(y & 0x7f)] -= 1;
    }
    counts
        .iter()
        .map(|c| c.unsigned_abs() as usize)
        .sum::<usize>()
        <= 2 * max
}

/// The `(word, zipf)` entries of a `word<TAB>zipf` list, or the 1-based number of a line that
/// is not one (the tests check the shipped list with it).
#[cfg(test)]
fn parse(text: &str) -> impl Iterator<Item = Result<(&str, f32), usize>> {
    text.lines().enumerate().map(|(i, line)| {
        let (word, z) = line.split_once('\t').ok_or(i + 1)?;
        let z: f32 = z.parse().map_err(|_| i + 1)?;
        let valid = !word.is_empty()
            && word.chars().any(|c| c.is_alphanumeric())
            && word
                .chars()
                .all(|c| c == '\'' || (c.is_alphanumeric() && !c.is_uppercase()))
            && z.is_finite()
            && (0.0..=9.0).contains(&z);
        if valid {
            Ok((word, z))
        } else {
            Err(i + 1)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_parses_fully_without_duplicates() {
        let entries: Vec<_> = parse(WORDS)
            .collect::<Result<_, _>>()
            .unwrap_or_else(|line| panic!("english/words.txt line {line} is not word<TAB>zipf"));
        assert!(entries.len() >= 20_000, "only {} words", entries.len());
        assert!(
            entries.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted by word, each once (the lookup is a binary search)"
        );
        for (word, z) in entries.iter().step_by(97) {
            assert_eq!(lookup(word), Some(*z), "{word}");
        }
    }

    #[test]
    fn common_words_score_high() {
        for word in ["the", "people", "stuff", "folks", "hospital"] {
            let z = zipf(word).unwrap_or_else(|| panic!("{word} is not listed"));
            assert!(z > 4.0, "{word}: {z}");
        }
    }

    #[test]
    fn rare_words_score_lower_or_are_unlisted() {
        let people = zipf("people").unwrap();
        let chemotherapy = zipf("chemotherapy").unwrap();
        assert!(chemotherapy < people - 2.0, "chemotherapy: {chemotherapy}");
        assert!(chemotherapy < zipf("stuff").unwrap());
        assert_eq!(zipf("pembrolizumab"), None);
    }

    #[test]
    fn near_words_are_found_within_the_edits_allowed() {
        let near_cancer: Vec<_> = near("cacner", 1)
            .into_iter()
            .map(|(w, d, _)| (w, d))
            .collect();
        assert!(near_cancer.contains(&("cancer", 1)), "{near_cancer:?}");
        assert!(near("usaully", 1).iter().any(|(w, _, _)| *w == "usually"));
        // A swap of the first two letters is still found.
        assert!(near("ucrrently", 1)
            .iter()
            .any(|(w, _, _)| *w == "currently"));
        assert!(near("cancer", 1)
            .iter()
            .any(|(w, d, _)| *w == "cancer" && *d == 0));
        assert!(near("qzxvbnmw", 2).is_empty());
        // Two edits far apart are found when two are allowed.
        assert!(near("genetixalky", 2)
            .iter()
            .any(|(w, d, _)| *w == "genetically" && *d == 2));
        assert!(near("cancer", 0).is_empty());
    }

    #[test]
    fn nonsense_is_unlisted() {
        for word in ["qzxvbnmw", "", "asdfghjklq"] {
            assert_eq!(zipf(word), None, "{word}");
        }
    }

    #[test]
    fn inflections_fall_back_to_their_stem() {
        // Each stem is listed and the inflected form is not: the fallback is what finds them.
        for (word, stem) in [
            ("oncologists", "oncologist"),
            ("deductibles", "deductible"),
            ("biopsies", "biopsy"),
            ("biopsied", "biopsy"),
            ("rebooting", "reboot"),
            ("relapsing", "relapse"),
            ("dosed", "dose"),
            ("reimbursing", "reimburse"),
        ] {
            assert_eq!(lookup(word), None, "{word} is listed itself");
            assert_eq!(zipf(word), zipf(stem), "{word}");
            assert!(zipf(word).is_some(), "{word}");
        }
        // The exact word wins over a stem; a stem shorter than MIN_STEM is never looked up.
        assert_eq!(zipf("odds"), lookup("odds"));
        assert!(lookup("odds").is_some());
        assert_eq!(zipf("ising"), None);
    }
}
