//! Posts that ask other members about their own experience ("what was it like for you?", "were
//! you nervous before you started?", "please share your experience"). In a patient and
//! caregiver community these are among the commonest posts, and the FAQ cannot answer them: it
//! states what the treatment is and does, not how anyone lived through it. A passage that shares
//! the post's other words ("started", "treatment") would answer a question nobody asked, so the
//! honest reply is that the FAQ does not cover it.

/// Word sequences that ask the reader about their own experience. Each is matched on the
/// post's lowercase words (an apostrophe splits a word: "anyone's" is "anyone s").
const ASKS_EXPERIENCE: &[&[&str]] = &[
    &["what", "was", "it", "like"],
    &["what", "was", "that", "like"],
    &["what", "were", "they", "like"],
    &["how", "was", "it", "for", "you"],
    &["how", "was", "that", "for", "you"],
    &["how", "was", "it", "for", "u"],
    &["how", "did", "you", "feel"],
    &["how", "did", "u", "feel"],
    &["how", "did", "you", "cope"],
    &["how", "did", "you", "manage"],
    &["how", "did", "you", "handle"],
    &["how", "did", "you", "find", "it"],
    &["how", "are", "you", "finding", "it"],
    &["your", "experience"],
    &["your", "experiences"],
    &["ur", "experience"],
    &["personal", "experience"],
    &["personal", "experiences"],
    &["share", "your"],
    &["anyone", "s", "experience"],
    &["anybody", "s", "experience"],
    &["first", "hand"],
    &["firsthand"],
];

/// Feelings a "were you …?" or "did you feel …?" question asks another member about.
const FEELINGS: &[&str] = &[
    "nervous",
    "scared",
    "worried",
    "afraid",
    "anxious",
    "frightened",
    "terrified",
    "excited",
    "hopeful",
    "ok",
    "okay",
];

/// Whether the post asks other members about their own experience.
pub fn asks_experience(question: &str) -> bool {
    let words = crate::text::words(question);
    let at = |i: usize| words.get(i).map(String::as_str);
    let feeling = |j: usize| at(j).is_some_and(|w| FEELINGS.contains(&w));
    words.iter().enumerate().any(|(i, w)| match w.as_str() {
        "were" => matches!(at(i + 1), Some("you" | "u")) && feeling(i + 2),
        "did" if matches!(at(i + 1), Some("you" | "u")) && at(i + 2) == Some("feel") => {
            feeling(i + 3)
        }
        // Most words start no phrase: only these are looked up.
        "what" | "how" | "your" | "ur" | "personal" | "share" | "anyone" | "anybody" | "first"
        | "firsthand" => ASKS_EXPERIENCE.iter().any(|phrase| {
            phrase
                .iter()
                .enumerate()
                .all(|(k, p)| at(i + k) == Some(*p))
        }),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_to_members_about_their_own_experience_are_recognised() {
        for q in [
            "Has anyone had IL-2? What was it like?",
            "how was it for you after the first cycle",
            "Were you nervous before your first infusion?",
            "did you feel scared going in?",
            "How did you cope with the hospital stay?",
            "please share your experiences with proleukin",
            "looking for anyone's experience with high dose IL-2",
            "any first-hand stories?",
        ] {
            assert!(asks_experience(q), "{q}");
        }
    }

    #[test]
    fn questions_about_the_treatment_itself_are_not_requests_for_experience() {
        for q in [
            "Did you get premedication before your infusion?",
            "What is IL-2 like compared with chemo?",
            "Will I feel sick on IL-2?",
            "did you feel sick after the shot?",
            "How is IL-2 given?",
            "I was nervous, but how does IL-2 work?",
        ] {
            assert!(!asks_experience(q), "{q}");
        }
    }
}
