//! The reports moderators read: **gaps** (the most frequent unanswered and "Not helpful"
//! questions, near-duplicates grouped) and **stats** (questions per day, answer rate, helpful
//! rate, top entries). Shared by `/faq-admin gaps|stats` and `faqbot gaps|stats`.

use crate::insight::store::{Store, DAY};
use crate::insight::{date_of_day, store::GapRow};
use crate::search::analyze::Analyzer;
use anyhow::Result;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Entry ids to entry questions, for display.
pub type Titles = HashMap<String, String>;

/// Least Jaccard similarity of two questions' content words to group them.
pub const SIMILARITY: f64 = 0.6;
/// Most distinct phrasings grouped (the most frequent ones), to bound the work.
const MAX_PHRASINGS: usize = 2_000;
/// Other phrasings shown per group.
const EXAMPLES: usize = 3;

/// An alias the moderators could add to close a gap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AliasSuggestion {
    /// The entry most of the group's unanswered questions landed closest to.
    pub entry_id: String,
    /// The group's most common phrasing that landed there (the alias to add).
    pub phrasing: String,
    /// A stored question with that phrasing and entry (what the Discord button refers to).
    pub question_id: i64,
}

/// Near-duplicate questions, counted together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapGroup {
    /// The most common phrasing (normalised).
    pub phrasing: String,
    /// Questions in the group.
    pub count: u64,
    /// Of which the FAQ did not answer.
    pub unanswered: u64,
    /// Of which were answered but voted "Not helpful" at least once.
    pub not_helpful: u64,
    /// Distinct phrasings in the group.
    pub phrasings: usize,
    /// A few other phrasings, most common first.
    pub other_phrasings: Vec<String>,
    /// The entry most of the group landed on (answered, or closest for unanswered questions).
    pub entry_id: Option<String>,
    /// That entry's question, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry_question: Option<String>,
    /// Share (0-1) of the group's questions that landed on that entry.
    pub entry_share: f64,
    /// When the group is mostly unanswered and mostly closest to one entry: the alias to add.
    pub alias: Option<AliasSuggestion>,
    /// When the latest question of the group was asked (Unix seconds).
    pub last_asked: i64,
    /// Filled by callers that hold an engine: the entry that answers the phrasing now (after
    /// an edit or a new alias).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub now_answered_by: Option<String>,
}

/// The gap report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapReport {
    /// The period, in days back from now.
    pub days: u32,
    /// Unanswered or "Not helpful" questions in the period.
    pub questions: u64,
    /// Groups found (before the limit).
    pub groups_total: usize,
    /// The largest groups, largest first.
    pub groups: Vec<GapGroup>,
}

#[derive(Default)]
struct Phrasing {
    text: String,
    count: u64,
    unanswered: u64,
    not_helpful: u64,
    last: i64,
    /// entry id -> (questions, unanswered questions, newest unanswered row id)
    landings: HashMap<String, (u64, u64, i64)>,
}

/// Jaccard similarity of two term sets; 0 when either is empty.
pub fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    inter as f64 / union as f64
}

/// Builds the gap report over the `days` before `now`, keeping the `limit` largest groups.
/// Questions with the same normalised text are one phrasing; phrasings whose content words
/// (`analyzer` terms) overlap with Jaccard ≥ [`SIMILARITY`] join the group of the most
/// frequent one.
pub fn gaps(
    store: &Store,
    analyzer: &Analyzer,
    titles: &Titles,
    now: i64,
    days: u32,
    limit: usize,
) -> Result<GapReport> {
    let rows = store.gap_rows(now - i64::from(days) * DAY)?;
    Ok(group_gaps(&rows, analyzer, titles, days, limit))
}

fn group_gaps(
    rows: &[GapRow],
    analyzer: &Analyzer,
    titles: &Titles,
    days: u32,
    limit: usize,
) -> GapReport {
    let mut by_text: HashMap<&str, Phrasing> = HashMap::new();
    for row in rows {
        let q = &row.question;
        let p = by_text
            .entry(q.question.as_str())
            .or_insert_with(|| Phrasing {
                text: q.question.clone(),
                ..Phrasing::default()
            });
        let unanswered = !q.outcome.answered;
        p.count += 1;
        p.unanswered += u64::from(unanswered);
        p.not_helpful += u64::from(!unanswered);
        p.last = p.last.max(q.asked_at);
        if let Some(entry) = &q.outcome.entry_id {
            let l = p.landings.entry(entry.clone()).or_insert((0, 0, 0));
            l.0 += 1;
            if unanswered {
                l.1 += 1;
                l.2 = l.2.max(q.id);
            }
        }
    }
    let mut phrasings: Vec<Phrasing> = by_text.into_values().collect();
    phrasings.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.last.cmp(&a.last))
            .then(a.text.cmp(&b.text))
    });
    phrasings.truncate(MAX_PHRASINGS);

    // Greedy grouping against each group's first (most frequent) phrasing.
    let mut groups: Vec<(HashSet<String>, Vec<Phrasing>)> = Vec::new();
    for p in phrasings {
        let terms: HashSet<String> = analyzer.terms(&p.text).into_iter().collect();
        match groups
            .iter_mut()
            .find(|(rep, _)| jaccard(rep, &terms) >= SIMILARITY)
        {
            Some((_, members)) => members.push(p),
            None => groups.push((terms, vec![p])),
        }
    }

    let questions = rows.len() as u64;
    let mut out: Vec<GapGroup> = groups
        .into_iter()
        .map(|(_, members)| summarise(members, titles))
        .collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.last_asked.cmp(&a.last_asked))
            .then(a.phrasing.cmp(&b.phrasing))
    });
    let groups_total = out.len();
    out.truncate(limit);
    GapReport {
        days,
        questions,
        groups_total,
        groups: out,
    }
}

fn summarise(members: Vec<Phrasing>, titles: &Titles) -> GapGroup {
    let count: u64 = members.iter().map(|p| p.count).sum();
    let unanswered: u64 = members.iter().map(|p| p.unanswered).sum();
    let not_helpful: u64 = members.iter().map(|p| p.not_helpful).sum();
    let mut landed: HashMap<&str, (u64, u64)> = HashMap::new();
    for p in &members {
        for (entry, (all, unans, _)) in &p.landings {
            let l = landed.entry(entry.as_str()).or_insert((0, 0));
            l.0 += all;
            l.1 += unans;
        }
    }
    let top = |key: fn(&(u64, u64)) -> u64| {
        landed
            .iter()
            .max_by(|a, b| key(a.1).cmp(&key(b.1)).then(b.0.cmp(a.0)))
            .map(|(e, c)| (e.to_string(), key(c)))
    };
    let (entry_id, entry_share) = match top(|c| c.0) {
        Some((e, n)) if count > 0 => (Some(e), n as f64 / count as f64),
        _ => (None, 0.0),
    };
    let alias = match top(|c| c.1) {
        Some((entry, n)) if unanswered * 2 > count && n * 2 > unanswered => {
            members.iter().find_map(|p| {
                p.landings
                    .get(&entry)
                    .filter(|l| l.1 > 0)
                    .map(|l| AliasSuggestion {
                        entry_id: entry.clone(),
                        phrasing: p.text.clone(),
                        question_id: l.2,
                    })
            })
        }
        _ => None,
    };
    GapGroup {
        phrasing: members.first().map(|p| p.text.clone()).unwrap_or_default(),
        count,
        unanswered,
        not_helpful,
        phrasings: members.len(),
        other_phrasings: members
            .iter()
            .skip(1)
            .take(EXAMPLES)
            .map(|p| p.text.clone())
            .collect(),
        entry_question: entry_id.as_ref().and_then(|e| titles.get(e).cloned()),
        entry_id,
        entry_share,
        alias,
        last_asked: members.iter().map(|p| p.last).max().unwrap_or(0),
        now_answered_by: None,
    }
}

/// Questions on one UTC day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayCount {
    /// `YYYY-MM-DD` (UTC).
    pub date: String,
    /// Questions asked.
    pub questions: u64,
    /// Of which answered.
    pub answered: u64,
}

/// An entry's answers in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryCount {
    /// The entry's id.
    pub entry_id: String,
    /// Its question, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry_question: Option<String>,
    /// Questions it answered.
    pub answers: u64,
    /// "Helpful" votes on those answers.
    pub helpful_votes: u64,
    /// "Not helpful" votes on those answers.
    pub not_helpful_votes: u64,
}

/// Statistics over the last `days` calendar days (UTC, today included).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodStats {
    /// Length of the period in days.
    pub days: u32,
    /// Its first day, `YYYY-MM-DD`.
    pub since: String,
    /// Questions asked.
    pub questions: u64,
    /// Of which answered.
    pub answered: u64,
    /// `answered / questions`, when there were questions.
    pub answer_rate: Option<f64>,
    /// "Helpful" votes (one per member per answer).
    pub helpful_votes: u64,
    /// "Not helpful" votes.
    pub not_helpful_votes: u64,
    /// Helpful share of the votes, when there were votes.
    pub helpful_rate: Option<f64>,
    /// Every day of the period, oldest first.
    pub per_day: Vec<DayCount>,
    /// The entries that answered most.
    pub top_entries: Vec<EntryCount>,
    /// Questions by where they were asked, most first (`"earlier"`: before sources were
    /// recorded).
    pub sources: Vec<SourceCount>,
}

/// Questions asked in one place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceCount {
    /// `command`, `context_menu`, `mention`, `answer_channel`, `dm`, `forum` or `earlier`.
    pub source: String,
    /// How many.
    pub questions: u64,
}

/// How a report names where questions came from.
fn source_label(source: &str) -> &str {
    match source {
        "command" => "/ask",
        "context_menu" => "Answer from FAQ",
        "mention" => "mentions",
        "answer_channel" => "answer channels",
        "dm" => "DMs",
        "forum" => "forum posts",
        other => other,
    }
}

/// The statistics report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// One block per period (7 and 30 days).
    pub periods: Vec<PeriodStats>,
}

/// Periods the stats cover.
pub const STATS_PERIODS: [u32; 2] = [7, 30];
/// Top entries listed per period.
const TOP_ENTRIES: usize = 5;

fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Builds the statistics for each of `periods` (in days) ending today (UTC).
pub fn stats(store: &Store, titles: &Titles, now: i64, periods: &[u32]) -> Result<Stats> {
    let today = now.div_euclid(DAY);
    let mut out = Vec::new();
    for &days in periods {
        let days = days.max(1);
        let first = today - i64::from(days) + 1;
        let since = first * DAY;
        let counts: HashMap<i64, (u64, u64)> = store
            .daily_counts(since)?
            .into_iter()
            .map(|(d, q, a)| (d, (q, a)))
            .collect();
        let per_day: Vec<DayCount> = (first..=today)
            .map(|d| {
                let (q, a) = counts.get(&d).copied().unwrap_or((0, 0));
                DayCount {
                    date: date_of_day(d),
                    questions: q,
                    answered: a,
                }
            })
            .collect();
        let questions: u64 = per_day.iter().map(|d| d.questions).sum();
        let answered: u64 = per_day.iter().map(|d| d.answered).sum();
        let votes = store.vote_totals(since)?;
        let top_entries = store
            .top_entries(since, TOP_ENTRIES)?
            .into_iter()
            .map(|(entry_id, answers, v)| EntryCount {
                entry_question: titles.get(&entry_id).cloned(),
                entry_id,
                answers,
                helpful_votes: v.helpful,
                not_helpful_votes: v.not_helpful,
            })
            .collect();
        let sources = store
            .source_counts(since)?
            .into_iter()
            .map(|(s, n)| SourceCount {
                source: s.map_or("earlier", |s| s.as_str()).to_string(),
                questions: n,
            })
            .collect();
        out.push(PeriodStats {
            sources,
            days,
            since: date_of_day(first),
            questions,
            answered,
            answer_rate: rate(answered, questions),
            helpful_votes: votes.helpful,
            not_helpful_votes: votes.not_helpful,
            helpful_rate: rate(votes.helpful, votes.helpful + votes.not_helpful),
            per_day,
            top_entries,
        });
    }
    Ok(Stats { periods: out })
}

/// Escapes Discord Markdown in member-written text, so a question shows as typed (no links,
/// no formatting, no quotes).
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '[' | ']' | '(' | ')' | '#' | '-' | '<'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn percent(r: Option<f64>) -> String {
    r.map_or("–".to_string(), |r| format!("{:.0}%", r * 100.0))
}

/// How a report is written: plain text for the terminal, or Discord Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plain text.
    Text,
    /// Discord Markdown (member text escaped).
    Markdown,
}

impl Style {
    fn user(self, text: &str) -> String {
        match self {
            Style::Text => text.to_string(),
            Style::Markdown => escape_markdown(text),
        }
    }
    fn bold(self, text: &str) -> String {
        match self {
            Style::Text => text.to_string(),
            Style::Markdown => format!("**{text}**"),
        }
    }
}

impl GapReport {
    /// A one-line summary (the Discord title, the first line of the text).
    pub fn headline(&self) -> String {
        format!(
            "FAQ gaps, last {} day{}",
            self.days,
            if self.days == 1 { "" } else { "s" }
        )
    }

    /// The report body: one numbered block per group.
    pub fn render(&self, style: Style) -> String {
        if self.groups.is_empty() {
            return format!(
                "No unanswered or \"Not helpful\" questions in the last {} days.",
                self.days
            );
        }
        let mut out = format!(
            "{} questions were unanswered or marked \"Not helpful\", in {} groups of \
             similar questions{}.\n",
            self.questions,
            self.groups_total,
            if self.groups_total > self.groups.len() {
                format!(" (the largest {} shown)", self.groups.len())
            } else {
                String::new()
            }
        );
        for (i, g) in self.groups.iter().enumerate() {
            out.push_str(&format!(
                "\n{}. {} {}\n",
                i + 1,
                style.bold(&format!("{}×", g.count)),
                style.user(&g.phrasing)
            ));
            let mut facts = Vec::new();
            if g.unanswered > 0 {
                facts.push(format!("unanswered {}", g.unanswered));
            }
            if g.not_helpful > 0 {
                facts.push(format!("not helpful {}", g.not_helpful));
            }
            if g.phrasings > 1 {
                facts.push(format!("{} phrasings", g.phrasings));
            }
            if let Some(e) = &g.entry_id {
                let name = g.entry_question.as_deref().unwrap_or(e);
                let verb = if g.unanswered >= g.not_helpful {
                    "closest"
                } else {
                    "answered by"
                };
                facts.push(format!(
                    "{verb}: {} ({:.0}%)",
                    style.user(name),
                    g.entry_share * 100.0
                ));
            }
            out.push_str(&format!("   {}\n", facts.join(" · ")));
            if !g.other_phrasings.is_empty() {
                let others: Vec<String> = g
                    .other_phrasings
                    .iter()
                    .map(|p| format!("\"{}\"", style.user(p)))
                    .collect();
                out.push_str(&format!("   also: {}\n", others.join(", ")));
            }
            if let Some(e) = &g.now_answered_by {
                out.push_str(&format!("   now answered by {}\n", style.user(e)));
            } else if let Some(a) = &g.alias {
                let entry = g
                    .entry_question
                    .as_deref()
                    .filter(|_| g.entry_id.as_deref() == Some(a.entry_id.as_str()))
                    .unwrap_or(&a.entry_id);
                out.push_str(&format!(
                    "   suggestion: add \"{}\" as another way to ask {}\n",
                    style.user(&a.phrasing),
                    style.user(entry)
                ));
            }
        }
        out
    }
}

impl Stats {
    /// The report body. `per_day_up_to` limits the per-day lines to periods of at most that
    /// many days (Discord shows them for the week only).
    pub fn render(&self, style: Style, per_day_up_to: u32) -> String {
        let mut out = String::new();
        for p in &self.periods {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&style.bold(&format!("Last {} days (since {})", p.days, p.since)));
            out.push('\n');
            let votes = p.helpful_votes + p.not_helpful_votes;
            out.push_str(&format!(
                "{} questions ({:.1} a day) · answered {} · helpful {} of {} vote{}\n",
                p.questions,
                p.questions as f64 / f64::from(p.days.max(1)),
                percent(p.answer_rate),
                percent(p.helpful_rate),
                votes,
                if votes == 1 { "" } else { "s" }
            ));
            if !p.sources.is_empty() {
                let from: Vec<String> = p
                    .sources
                    .iter()
                    .map(|s| format!("{} {}", source_label(&s.source), s.questions))
                    .collect();
                out.push_str(&format!("Asked by: {}\n", from.join(" · ")));
            }
            if p.days <= per_day_up_to {
                for d in &p.per_day {
                    out.push_str(&format!(
                        "  {}  {:>4} asked, {:>4} answered\n",
                        d.date, d.questions, d.answered
                    ));
                }
            }
            if !p.top_entries.is_empty() {
                out.push_str("Top entries:\n");
                for e in &p.top_entries {
                    out.push_str(&format!(
                        "  {} × {} (helpful {}, not helpful {})\n",
                        e.answers,
                        style.user(e.entry_question.as_deref().unwrap_or(&e.entry_id)),
                        e.helpful_votes,
                        e.not_helpful_votes
                    ));
                }
            }
        }
        out
    }
}
