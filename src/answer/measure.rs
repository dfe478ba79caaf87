//! Questions that ask for a measure: how long, how many days or doses, what it costs, what
//! dose in units or milligrams, what year, what percentage or survival rate. Such a question is
//! answered by a passage that states a number; one that only shares its words ("the dose is
//! based on body weight" for "what is the dose in units per kg?") does not answer it, however
//! well it matches, and quoting it would pretend it does.

/// Units of time a "how many" question counts.
const TIME_UNITS: &[&str] = &[
    "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "night", "nights",
    "week", "weeks", "month", "months", "year", "years",
];

/// Things given that a "how many" question counts.
const COUNTED_DOSES: &[&str] = &[
    "dose",
    "doses",
    "cycle",
    "cycles",
    "round",
    "rounds",
    "session",
    "sessions",
    "infusion",
    "infusions",
    "shot",
    "shots",
    "injection",
    "injections",
    "units",
    "million",
];

/// Words that ask for an amount of drug by themselves.
const DOSE_WORDS: &[&str] = &[
    "mg",
    "mcg",
    "milligram",
    "milligrams",
    "microgram",
    "micrograms",
    "units",
    "iu",
    "miu",
];

/// Words that ask what something costs, and that a passage about costs uses.
const COST_WORDS: &[&str] = &["cost", "costs", "price", "priced"];

/// Words a passage that speaks of money uses, with or without a figure.
const MONEY_WORDS: &[&str] = &[
    "cost",
    "costs",
    "price",
    "pay",
    "paid",
    "insurance",
    "insurer",
    "expensive",
    "afford",
    "free",
    "dollars",
];

/// Words that ask for a share or a likelihood as a figure ("what percent respond", "what are the
/// odds"); "%" reads as "percent". "Rate" alone does not: "is the response rate lower for
/// melanoma?" is answered by a passage that compares without a figure.
const RATE_WORDS: &[&str] = &["percent", "percentage", "percentages", "odds"];

/// Words that read as a number in a passage ("one" and "once" are left out: "no one", "once you
/// start").
const NUMBER_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "twenty", "thirty", "hundred", "thousand", "million", "half", "dozen", "percent", "twice",
];

/// Words after which a digit is part of a name ("IL-2", "interleukin 2"), not a number.
const NAMED_BY_DIGIT: &[&str] = &["il", "interleukin", "rhil", "ril"];

/// The kind of measure a question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// How long, how soon, how many days, what year.
    Duration,
    /// How many doses or cycles, what dose in units or milligrams, per kg.
    Amount,
    /// What it costs.
    Cost,
    /// What share of patients, what likelihood, what survival rate.
    Rate,
}

impl Measure {
    /// The measure in words, for `--explain`.
    pub fn described(self) -> &'static str {
        match self {
            Measure::Duration => "a duration",
            Measure::Amount => "an amount or a count of doses",
            Measure::Cost => "a cost",
            Measure::Rate => "a percentage or a rate",
        }
    }
}

/// The measure the question asks for, if it asks for one.
pub fn asked_measure(question: &str) -> Option<Measure> {
    let words = crate::text::words(question);
    let at = |i: usize| words.get(i).map(String::as_str);
    (0..words.len()).find_map(|i| {
        let w = words[i].as_str();
        if DOSE_WORDS.contains(&w) {
            return Some(Measure::Amount);
        }
        if COST_WORDS.contains(&w) {
            return Some(Measure::Cost);
        }
        if RATE_WORDS.contains(&w) {
            return Some(Measure::Rate);
        }
        match (w, at(i + 1)) {
            ("how", Some("long" | "soon")) | ("what", Some("year")) => Some(Measure::Duration),
            ("survival", Some("rate" | "rates")) | ("year", Some("survival")) => {
                Some(Measure::Rate)
            }
            ("per", Some("kg" | "kilo" | "kilogram")) => Some(Measure::Amount),
            ("how", Some("many")) => [at(i + 2), at(i + 3)].into_iter().flatten().find_map(|n| {
                if TIME_UNITS.contains(&n) {
                    Some(Measure::Duration)
                } else if COUNTED_DOSES.contains(&n) {
                    Some(Measure::Amount)
                } else {
                    None
                }
            }),
            _ => None,
        }
    })
}

/// Whether the text states a number: digits that are not part of a drug's name, or a number
/// word.
pub fn states_number(text: &str) -> bool {
    has_number(&crate::text::words(text))
}

fn has_number(words: &[String]) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        if NUMBER_WORDS.contains(&w.as_str()) {
            return true;
        }
        w.bytes().all(|b| b.is_ascii_digit())
            && !(i > 0 && NAMED_BY_DIGIT.contains(&words[i - 1].as_str()))
    })
}

/// Whether the passage speaks of this kind of measure at all: a number, or for a duration a
/// unit of time ("a few weeks"), for a cost the words of money ("insurance usually pays").
fn speaks_of(measure: Measure, passage: &str) -> bool {
    let words = crate::text::words(passage);
    let any = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    has_number(&words)
        || match measure {
            Measure::Duration => any(TIME_UNITS),
            Measure::Amount => false,
            Measure::Cost => any(MONEY_WORDS),
            Measure::Rate => false,
        }
}

/// The measure the question asks for when the passage does not speak of it.
pub fn unstated(question: &str, passage: &str) -> Option<Measure> {
    asked_measure(question).filter(|&m| !speaks_of(m, passage))
}

/// A question match from which the question counts as foreseen: a moderator who wrote it as an
/// alias or an alternate question of the passage decided that the passage answers it (so it
/// is answered even without a stated measure, or with only everyday words in common).
pub(super) const FORESEEN: f32 = 0.9;

/// The measure the question asks for that this passage does not state, unless an alias or
/// alternate question of the passage foresaw the question.
pub fn refused(question: &str, hit: &super::Hit) -> Option<Measure> {
    if hit.signals.question_match >= FORESEEN {
        return None;
    }
    unstated(question, &hit.passage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_counts_amounts_and_years_are_measures() {
        for q in [
            "How long does a course of IL-2 last?",
            "how many days in hospital?",
            "How many doses are in one cycle?",
            "what dose in mg should I get",
            "How much does it cost?",
            "what is the dose per kg",
            "what year was it approved",
            "what percent of patients respond?",
            "what % of people respond",
            "what are the odds it works for him?",
            "what's the 5 year survival rate for stage 3 kidney cancer?",
        ] {
            assert!(asked_measure(q).is_some(), "{q}");
        }
    }

    #[test]
    fn other_questions_are_not_measures() {
        for q in [
            "How many ways are there to get IL-2?",
            "how many people respond",
            "how much IL-2 will they give me",
            "Does my weight decide the dose?",
            "How is IL-2 given?",
            "is the response rate lower for melanoma?",
            "does it improve survival?",
        ] {
            assert_eq!(asked_measure(q), None, "{q}");
        }
    }

    #[test]
    fn a_number_is_digits_or_a_number_word_but_not_the_digit_of_a_name() {
        assert!(states_number("around 50% of people respond"));
        assert!(states_number("given twice a day for five days"));
        assert!(!states_number(
            "Recombinant IL-2 (interleukin 2, rhIL 2) is a cytokine"
        ));
        assert!(!states_number("The dose is based on body weight."));
        assert!(!states_number("There is no one right way to use it."));
    }

    #[test]
    fn a_passage_without_a_figure_still_answers_in_its_own_units() {
        let weeks = "It usually lasts a few weeks.";
        assert_eq!(unstated("how long does it last?", weeks), None);
        let pays = "Insurance usually pays for it.";
        assert_eq!(unstated("what does it cost?", pays), None);
        let weight = "The dose depends on your weight.";
        assert_eq!(unstated("what dose in mg?", weight), Some(Measure::Amount));
        let vein = "It is given through a vein.";
        assert_eq!(
            unstated("how long does it last?", vein),
            Some(Measure::Duration)
        );
        assert_eq!(unstated("how is it given?", vein), None);
    }
}
