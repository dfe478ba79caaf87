//! Words English spells only with a capital: places, organisations, brands (`names/names.txt`,
//! from SCOWL's word list as Debian's wamerican package ships it, less the common first names of
//! the US Census; see `names/README.md`). A question naming something the FAQ never mentions
//! ("Texas", "Medicare") asks about that thing, however common the name is in English: word
//! frequency alone would call it ordinary. A person in a caregiver's story ("my wife Sarah") is
//! not what the question asks about, so common first names are left out; nor is a place in the
//! story around the question ("we drove up from Ohio"), so only a name in the part that asks
//! counts as specific.

/// The data: one lowercase name a line, sorted by code point.
const NAMES: &str = include_str!("names/names.txt");

/// Whether a lowercase word (as [`super::words`] gives it) is a name, or the plural of one
/// ("kennedys" reads as "kennedy").
pub fn is_name(word: &str) -> bool {
    super::sorted_line(NAMES, word).is_some()
        || word.strip_suffix('s').is_some_and(|stem| {
            stem.chars().count() >= 3 && super::sorted_line(NAMES, stem).is_some()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_is_sorted_lowercase_names_each_once() {
        let lines: Vec<&str> = NAMES.lines().collect();
        assert!(lines.len() >= 5_000, "only {} names", lines.len());
        for (i, w) in lines.iter().enumerate() {
            assert!(
                !w.is_empty() && w.chars().all(|c| c.is_alphabetic() && !c.is_uppercase()),
                "names.txt line {}: {w:?}",
                i + 1
            );
        }
        assert!(lines.windows(2).all(|w| w[0] < w[1]), "sorted, each once");
        for w in lines.iter().step_by(101) {
            assert!(is_name(w), "{w}");
        }
    }

    #[test]
    fn places_and_insurers_are_names() {
        for w in ["texas", "houston", "medicare", "medicaid", "boston", "ohio"] {
            assert!(is_name(w), "{w}");
        }
    }

    #[test]
    fn words_also_written_in_lowercase_are_not_names() {
        for w in [
            "may", "mike", "march", "hospital", "cover", "stuff", "folks", "bill",
        ] {
            assert!(!is_name(w), "{w}");
        }
    }

    #[test]
    fn common_first_names_are_not_names() {
        for w in ["sarah", "linda", "jake", "john", "maria"] {
            assert!(!is_name(w), "{w}");
        }
    }

    #[test]
    fn months_and_weekdays_are_not_names() {
        for w in ["january", "october", "monday", "sunday"] {
            assert!(!is_name(w), "{w}");
        }
    }
}
