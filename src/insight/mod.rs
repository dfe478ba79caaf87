//! Moderator insight: a small SQLite store of the questions the bot was asked, what it answered
//! and the members' Helpful / Not helpful votes, and the reports built from it (`gaps`, `stats`).
//!
//! Privacy: a question is stored as normalised text (lowercased, whitespace collapsed, Discord
//! mentions replaced, cut to [`QUESTION_MAX`] characters) with the time and what was answered.
//! Who asked is never stored. A vote is stored under a salted hash of (question row, member), so
//! a member's repeated votes on one answer count once, and one member's votes on different
//! answers cannot be linked. Rows older than the retention period are deleted.
//!
//! [`store::Store`] is the synchronous database; [`recorder::Recorder`] is what the bot holds:
//! it allocates row ids in memory and writes on a dedicated thread, so recording costs the
//! answer path a channel send. [`report`] builds the gap and statistics reports.

pub mod recorder;
pub mod report;
pub mod store;

use crate::text::{replace_mentions, Mention};
pub use recorder::Recorder;
pub use store::{Outcome, Store};

/// Longest stored question, in characters.
pub const QUESTION_MAX: usize = 500;

/// Normalises a question for storage and grouping: Discord mentions (`<@id>`, `<@!id>`,
/// `<@&id>`, `<#id>`) replaced by `@user`, `@role` and `#channel` so no id is stored, lowercased,
/// whitespace collapsed to single spaces, cut to [`QUESTION_MAX`] characters.
pub fn stored_question(text: &str) -> String {
    let lowered = replace_mentions(text, |m| match m {
        Mention::User(_) => Some(" @user "),
        Mention::Role(_) => Some(" @role "),
        Mention::Channel(_) => Some(" #channel "),
        Mention::Everyone | Mention::Other => None,
    })
    .to_lowercase();
    let mut out = String::with_capacity(lowered.len().min(QUESTION_MAX * 4));
    let mut count = 0;
    for word in lowered.split_whitespace() {
        let needed = word.chars().count() + usize::from(count > 0);
        if count + needed > QUESTION_MAX {
            let room = QUESTION_MAX.saturating_sub(count + usize::from(count > 0));
            if room > 0 {
                if count > 0 {
                    out.push(' ');
                }
                out.extend(word.chars().take(room));
            }
            break;
        }
        if count > 0 {
            out.push(' ');
        }
        out.push_str(word);
        count += needed;
    }
    out
}

/// Seconds since the Unix epoch, now.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The UTC calendar date (`YYYY-MM-DD`) of a day number (days since 1970-01-01).
pub fn date_of_day(day: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_questions() {
        assert_eq!(
            stored_question("  How   is\nIL-2\tGIVEN? "),
            "how is il-2 given?"
        );
        assert_eq!(
            stored_question("<@123> said <@!45> and <@&6> in <#7>: <b> <@x>"),
            "@user said @user and @role in #channel : <b> <@x>"
        );
        let long = "word ".repeat(400);
        let n = stored_question(&long);
        assert!(n.chars().count() <= QUESTION_MAX, "{}", n.len());
        assert!(n.starts_with("word word"));
        assert_eq!(stored_question(&"x".repeat(900)).chars().count(), 500);
        assert_eq!(stored_question("ÉCOLE"), "école");
    }

    #[test]
    fn dates() {
        assert_eq!(date_of_day(0), "1970-01-01");
        assert_eq!(date_of_day(19_723), "2024-01-01");
        assert_eq!(date_of_day(19_782), "2024-02-29");
        assert_eq!(date_of_day(-1), "1969-12-31");
    }
}
