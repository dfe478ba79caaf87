//! Question match: how closely a member's question repeats one single question a passage
//! answers. Coverage pools every alias and alternate question of a passage, so a passage whose
//! questions each hold one of the member's words looks as good as the one with a question that
//! holds them all; the closest single question tells them apart.

use super::terms::QTerm;

/// The best match, over the `asked` lines (one analysed question a line), of the question's
/// terms: the harmonic mean of the share of the question's weight a line holds and the share of
/// the line's distinct terms the question holds. 0 when no line shares a known term.
pub(super) fn question_match(qterms: &[QTerm], asked: &str) -> f32 {
    let total: f32 = qterms.iter().map(|q| q.weight).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let known: Vec<(&str, f32)> = qterms
        .iter()
        .filter(|q| q.known)
        .map(|q| (q.text.as_str(), q.weight))
        .collect();
    let mut best = 0f32;
    // One buffer for every line, and linear scans rather than sorting: this runs for each
    // candidate of every question, and a line holds a handful of terms.
    let mut line_terms: Vec<&str> = Vec::new();
    for line in asked.lines() {
        line_terms.clear();
        for t in line.split_ascii_whitespace() {
            if !line_terms.contains(&t) {
                line_terms.push(t);
            }
        }
        if line_terms.is_empty() {
            continue;
        }
        let (mut held_weight, mut held) = (0f32, 0usize);
        for &(text, weight) in &known {
            if line_terms.contains(&text) {
                held_weight += weight;
                held += 1;
            }
        }
        if held == 0 {
            continue;
        }
        let recall = held_weight / total;
        let precision = held as f32 / line_terms.len() as f32;
        best = best.max(2.0 * recall * precision / (recall + precision));
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str, weight: f32, known: bool) -> QTerm {
        QTerm {
            text: text.into(),
            weight,
            known,
            df: 1,
            field_dfs: [1; 4],
            word: None,
            corrected_from: None,
            focus: true,
            specificity: None,
            named: false,
            zipf: None,
        }
    }

    #[test]
    fn a_foreseen_question_asked_again_matches_fully() {
        let q = [term("common", 2.0, true), term("way", 1.0, true)];
        assert!((question_match(&q, "il_2 given\ncommon way") - 1.0).abs() < 1e-6);
    }

    #[test]
    fn one_question_holding_every_word_beats_several_holding_one_each() {
        let q = [term("common", 2.0, true), term("way", 1.0, true)];
        let apart = question_match(&q, "common method\nway give");
        let together = question_match(&q, "common way give");
        assert!(together > apart, "{together} vs {apart}");
    }

    #[test]
    fn words_the_faq_never_uses_lower_the_match_but_never_match() {
        let q = [term("common", 2.0, true), term("texas", 2.0, false)];
        let m = question_match(&q, "common way");
        assert!(m > 0.0 && m < 0.6, "{m}");
        assert_eq!(question_match(&[term("texas", 2.0, false)], "texas"), 0.0);
    }
}
