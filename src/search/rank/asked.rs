//! Question match: how closely a member's question repeats one single question a passage
//! answers. Coverage pools every alias and alternate question of a passage, so a passage whose
//! questions each hold one of the member's words looks as good as the one with a question that
//! holds them all; the closest single question tells them apart.
//!
//! This runs for several candidates of every question, so the questions are stored
//! pre-digested ([`asked_lines`]): each question once, each of its terms once, as a fixed-width
//! hash, and matching compares integers rather than splitting and comparing words.

use super::terms::QTerm;

/// A term's stored form: its 64-bit FNV-1a hash, stable across builds and platforms, as the
/// index on disk outlives the binary that wrote it. Two terms sharing a hash (even among a
/// million distinct terms, about one chance in thirty million) would only blur this one ranking
/// signal.
fn term_hash(term: &[u8]) -> u64 {
    term.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A stored term: its hash as 16 lowercase hex digits (text, which tantivy's store reads back
/// in one copy), compared as one 128-bit integer.
fn stored_term(term: &[u8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    let hex = format!("{:016x}", term_hash(term));
    out.copy_from_slice(hex.as_bytes());
    out
}

/// The stored form of the questions a passage answers (each its analysed terms, joined by
/// spaces): for each distinct question, the number of its distinct terms as two hex digits
/// (at most 255 kept), then those terms as [`stored_term`]s, one after another, so that
/// matching jumps from question to question without scanning for a separator.
pub(crate) fn asked_lines<'a>(questions: impl IntoIterator<Item = &'a str>) -> String {
    let mut lines: Vec<Vec<[u8; 16]>> = Vec::new();
    for q in questions {
        let mut line: Vec<[u8; 16]> = Vec::new();
        for t in q
            .split_ascii_whitespace()
            .map(|t| stored_term(t.as_bytes()))
        {
            if !line.contains(&t) && line.len() < usize::from(u8::MAX) {
                line.push(t);
            }
        }
        if !line.is_empty() && !lines.contains(&line) {
            lines.push(line);
        }
    }
    let mut out = String::with_capacity(lines.iter().map(|l| 2 + 16 * l.len()).sum());
    for line in lines {
        out.push_str(&format!("{:02x}", line.len()));
        out.extend(line.iter().flatten().map(|&b| char::from(b)));
    }
    out
}

/// The number a stored question starts with: its count of terms, two hex digits.
fn count(digits: &[u8]) -> Option<usize> {
    let digit = |b: u8| char::from(b).to_digit(16);
    Some((digit(*digits.first()?)? * 16 + digit(*digits.get(1)?)?) as usize)
}

/// The question's known terms in their stored form, computed once for all its candidates.
pub(super) struct Asked {
    /// Stored form (as an integer) and weight of each known term, in question order.
    known: Vec<(u128, f32)>,
    /// Bit [`filter_bit`] of every known term: most stored terms are none of the question's,
    /// and one test of this rules them out without searching `known`.
    filter: u64,
    /// The question's whole weight, known and unknown terms.
    total: f32,
}

/// Which of 64 bits stands for a stored term in [`Asked::filter`].
fn filter_bit(t: u128) -> u64 {
    let folded = (t as u64) ^ ((t >> 64) as u64);
    1 << (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58)
}

impl Asked {
    pub(super) fn new(qterms: &[QTerm]) -> Asked {
        let known: Vec<(u128, f32)> = qterms
            .iter()
            .filter(|q| q.known)
            .map(|q| {
                (
                    u128::from_le_bytes(stored_term(q.text.as_bytes())),
                    q.weight,
                )
            })
            .collect();
        Asked {
            filter: known.iter().fold(0, |f, &(k, _)| f | filter_bit(k)),
            known,
            total: qterms.iter().map(|q| q.weight).sum(),
        }
    }

    /// The best match, over a passage's `stored` questions (as [`asked_lines`] wrote them), of
    /// the question's terms: the harmonic mean of the share of the question's weight a stored
    /// question holds and the share of that question's terms the member's holds. 0 when none
    /// shares a known term.
    pub(super) fn question_match(&self, stored: &str) -> f32 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let mut best = 0f32;
        let mut rest = stored.as_bytes();
        while let Some(len) = count(rest) {
            let (line, next) = rest[2..].split_at((len * 16).min(rest.len() - 2));
            rest = next;
            // Which known terms the line holds (bit `i`: known term `i`), summed afterwards in
            // the question's order.
            let mut mask = 0u64;
            for chunk in line.chunks_exact(16) {
                let mut t = [0u8; 16];
                t.copy_from_slice(chunk);
                let t = u128::from_le_bytes(t);
                if self.filter & filter_bit(t) == 0 {
                    continue;
                }
                if let Some(i) = self.known.iter().position(|&(k, _)| k == t) {
                    mask |= 1 << i;
                }
            }
            if mask == 0 {
                continue;
            }
            let held = mask.count_ones() as f32;
            let held_weight: f32 = self
                .known
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, &(_, w))| w)
                .sum();
            let recall = held_weight / self.total;
            let precision = held / len as f32;
            best = best.max(2.0 * recall * precision / (recall + precision));
        }
        best
    }
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

    /// The match of `q` against questions written one a line, stored as the index stores them.
    fn question_match(q: &[QTerm], lines: &str) -> f32 {
        Asked::new(q).question_match(&asked_lines(lines.split('\n')))
    }

    #[test]
    fn stored_questions_hold_each_question_and_each_term_once() {
        let stored = asked_lines(["il_2 given il_2", "", "common way", "il_2 given"]);
        assert_eq!(stored, asked_lines(["il_2 given", "common way"]));
        assert_eq!(stored.len(), 2 * (2 + 2 * 16));
    }

    #[test]
    fn a_repeated_term_counts_once_in_a_stored_question() {
        let q = [term("common", 2.0, true), term("way", 1.0, true)];
        assert!((question_match(&q, "common way way common") - 1.0).abs() < 1e-6);
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
