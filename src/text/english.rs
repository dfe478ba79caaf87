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
