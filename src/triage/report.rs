//! Whether a match reads as a report of something happening now, rather than a negation
//! ("no chest pain"), a general question ("can IL-2 cause a fever?"), a hypothetical ("what if
//! he faints?"), something past and over ("I had chills but they went away", "a seizure as a
//! kid") or a joke ("I nearly passed out laughing").

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
/// Possessives that, after "will", ask what will happen to someone ("will my blood pressure drop?").
const POSSESSIVES: &[&str] = &["my", "his", "her", "their", "our"];
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
    "triggers", "associated", "linked", "normal",
];
/// What others said: general between the speaker and the symptom ("they say chest pain is
/// common"), a report when someone speaks of themselves ("my wife says her chest feels tight").
#[rustfmt::skip]
const SPEECH: &[&str] = &[
    "say", "says", "said", "told", "tell", "tells", "warned", "warn", "mentioned",
];

/// Words that open a condition: what follows them is supposed, not happening ("if he faints",
/// "in case of a fever", "suppose I start vomiting").
#[rustfmt::skip]
const CONDITIONS: &[&str] = &["if", "unless", "suppose", "supposing", "case", "event", "whether"];
/// Words that say a condition is real after all ("if he's confused now, ...").
#[rustfmt::skip]
const NOW: &[&str] = &["now", "currently", "tonight", "today"];
/// Words after a match that make it a joke or a figure of speech ("passed out laughing",
/// "heart racing with excitement", "lol").
#[rustfmt::skip]
const JOKES: &[&str] = &[
    "laughing", "laughter", "laughed", "boredom", "bored", "excitement", "excited", "joy",
    "embarrassment", "embarrassed", "joking", "kidding",
];
/// Laughter: the whole sentence is a joke.
const LAUGHS: &[&str] = &["lol", "lmao", "lmfao", "haha", "hahaha", "jk", "rofl"];
/// Phrases, after a match, saying that what happened is over ("it went away", "fine now").
#[rustfmt::skip]
const RESOLVED: &[&[&str]] = &[
    &["went", "away"], &["gone", "away"], &["go", "away"], &["it", "went", "down"],
    &["swelling", "went", "down"], &["came", "down"], &["has", "gone", "down"], &["cleared", "up"],
    &["settled"], &["calmed", "down"], &["resolved"], &["recovered"], &["subsided"],
    &["passed", "after"], &["they", "passed"], &["it", "passed"], &["has", "passed"],
    &["stopped", "after"], &["it", "stopped"], &["sorted", "it"], &["turned", "out"],
    &["fine", "now"], &["ok", "now"], &["okay", "now"], &["better", "now"], &["good", "now"],
    &["normal", "now"], &["back", "to", "normal"], &["gone", "now"], &["fine", "since"],
    &["got", "better"], &["it", "is", "gone"], &["they", "are", "gone"], &["it", "has", "gone"],
    &["they", "have", "gone"], &["been", "stable"], &["stable", "since"], &["stable", "now"],
];
/// Verbs of a question about what something does to people ("could the infusion make my heart
/// race?", "does it give you chills?").
#[rustfmt::skip]
const CAUSE_VERBS: &[&str] = &[
    "make", "makes", "give", "gives", "affect", "affects", "bring", "brings", "induce", "induces",
];
/// Words that, after a resolution, say it is back ("fine now but still confused").
const STILL: &[&str] = &["still", "again", "worse", "worsening"];
/// The stages of life that date a match to long ago ("as a kid", "when I was a teenager").
#[rustfmt::skip]
const LONG_AGO: &[&str] = &[
    "kid", "child", "teenager", "teen", "teens", "baby", "toddler", "youngster", "twenties",
    "thirties", "forties", "fifties", "younger", "young", "little",
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
    negated_within(tokens, start, NEGATION_WINDOW)
}

/// [`negated`], with the negation up to `window` words before the match.
fn negated_within(tokens: &[Token], start: usize, window: usize) -> bool {
    let clause = tokens[start].clause;
    for j in (start.saturating_sub(window)..start).rev() {
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

/// "years ago", "a history of", "used to", "in the past", "as a kid", "back in 2015", "for
/// decades": not happening now.
fn about_the_past(tokens: &[Token], from: usize, to: usize) -> bool {
    let s = &tokens[from..to];
    s.iter().enumerate().any(|(i, t)| {
        let prev = |k: usize| i.checked_sub(k).map(|j| s[j].text.as_str());
        match t.text.as_str() {
            "history" | "previously" | "childhood" | "decades" => true,
            "ago" => (1..=3).any(|k| {
                matches!(
                    prev(k),
                    Some("year" | "years" | "month" | "months" | "decade" | "decades")
                )
            }),
            "to" => prev(1) == Some("used"),
            "past" => prev(1) == Some("the") && prev(2) == Some("in"),
            "year" | "month" => prev(1) == Some("last"),
            "years" => prev(1) == Some("for"),
            w if LONG_AGO.contains(&w) => {
                matches!(prev(1), Some("a" | "i" | "was" | "my"))
                    && (1..=4).any(|k| matches!(prev(k), Some("as" | "when" | "in")))
            }
            _ => {
                // "in 2015", "back in 2019": a year gone by.
                t.num
                    .is_some_and(|n| (1950.0..2030.0).contains(&n) && n.fract() == 0.0)
                    && prev(1) == Some("in")
            }
        }
    })
}

/// "if he faints", "in case of a fever", "what if I can't breathe": a condition opened before
/// the match in its clause, not closed by "and", "but", ... and not said to be real now.
fn supposed(tokens: &[Token], start: usize, end: usize) -> bool {
    let clause = tokens[start].clause;
    let (c0, c1) = clause_bounds(tokens, start);
    if tokens[start..c1.max(end)].iter().any(|t| is(t, NOW)) {
        return false;
    }
    for j in (c0..start).rev() {
        let t = &tokens[j];
        if t.clause != clause || is(t, SCOPE_BREAKERS) {
            return false;
        }
        if is(t, CONDITIONS) {
            // "in case", "in the event", not "a case of"
            let opens = match t.text.as_str() {
                "case" => j > 0 && tokens[j - 1].text == "in",
                "event" => j > 1 && tokens[j - 1].text == "the" && tokens[j - 2].text == "in",
                _ => true,
            };
            if opens {
                return true;
            }
        }
    }
    false
}

/// "passed out laughing", "heart racing with excitement": a joke word soon after the match;
/// "lol" anywhere in its sentence.
fn joking(tokens: &[Token], start: usize, end: usize) -> bool {
    let s0 = sentence_start(tokens, start);
    let s1 = sentence_end(tokens, start);
    plainly_joking(tokens, start, end) || tokens[s0..s1].iter().any(|t| is(t, LAUGHS))
}

/// "died laughing", "wanted to die of embarrassment": a joke word right after the match.
fn plainly_joking(tokens: &[Token], start: usize, end: usize) -> bool {
    let s1 = sentence_end(tokens, start);
    tokens[end.min(s1)..s1.min(end + 6)]
        .iter()
        .any(|t| is(t, JOKES))
}

/// "I had chills but they went away", "fainted last week, fine since": a resolution after the
/// match, in its sentence or the next, and nothing after it saying it is back.
fn resolved(tokens: &[Token], start: usize, end: usize) -> bool {
    let sentence = tokens[start].sentence;
    let rest: Vec<&Token> = tokens[end.min(tokens.len())..]
        .iter()
        .take_while(|t| t.sentence <= sentence + 1)
        .collect();
    // "won't go away", "hasn't settled": a resolution denied is no resolution.
    let denied = |i: usize| i > 0 && is(rest[i - 1], &["not", "never", "no"]);
    let found = (0..rest.len()).find(|&i| {
        !denied(i)
            && RESOLVED.iter().any(|phrase| {
                rest.get(i..i + phrase.len())
                    .is_some_and(|w| w.iter().zip(phrase.iter()).all(|(t, p)| t.text == *p))
            })
    });
    found.is_some_and(|i| !rest[i..].iter().any(|t| is(t, STILL)))
}

/// Whether a match of a group that is never read as general (thoughts of self-harm) still
/// counts: only an explicit denial just before it ("I'd never hurt myself", "not suicidal",
/// "no thoughts of harming myself") or a plain figure of speech right after it ("wanted to die
/// of embarrassment") stops it; a "lol" alone does not.
pub(super) fn is_not_denied(tokens: &[Token], start: usize, end: usize) -> bool {
    // A denial reaches a little further: "I'm not having any thoughts of suicide".
    !negated_within(tokens, start, NEGATION_WINDOW + 1) && !plainly_joking(tokens, start, end)
}

/// Whether a match at `start..end` reads as something happening to someone now.
pub(super) fn is_report(tokens: &[Token], start: usize, end: usize) -> bool {
    if negated(tokens, start) {
        return false;
    }
    let s0 = sentence_start(tokens, start);
    let s1 = sentence_end(tokens, start);
    if about_the_past(tokens, s0, s1)
        || supposed(tokens, start, end)
        || joking(tokens, start, end)
        || resolved(tokens, start, end)
    {
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
            // "could the infusion make my heart race?": a question about what a thing does.
            let lead = (s0..start).find(|&j| !is(&tokens[j], FILLERS));
            if lead.is_some_and(|j| is(&tokens[j], INVERSION_AUX))
                && tokens[s0..start].iter().any(|t| is(t, CAUSE_VERBS))
            {
                return false;
            }
            // "will my blood pressure drop during the infusion?": a question about what will be.
            if lead.is_some_and(|j| {
                is(&tokens[j], &["will", "might", "may"])
                    && tokens.get(j + 1).is_some_and(|t| is(t, POSSESSIVES))
            }) {
                return false;
            }
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
            // "the nurse said a racing heart can happen"
            if tokens[s0..start].iter().any(|t| is(t, SPEECH)) {
                return false;
            }
            !tokens[c0..c1].iter().any(|t| is(t, GENERAL_CUES))
        }
    }
}
