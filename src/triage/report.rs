//! Whether a match reads as a report of something happening now, rather than a negation
//! ("no chest pain") or a general question ("can IL-2 cause a fever?").

use super::words::Token;
use super::NEGATION_WINDOW;

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
pub(super) fn is_report(tokens: &[Token], start: usize, end: usize) -> bool {
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
