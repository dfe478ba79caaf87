//! The insight store and its reports, without Discord: migrations, one vote per member per
//! answer, the salt, retention, the recorder's ids and lock, gap grouping and statistics.

use faqbot::faq::synonyms::Synonyms;
use faqbot::insight::recorder::StoreSettings;
use faqbot::insight::report::{self, jaccard, Titles};
use faqbot::insight::store::{Outcome, Store, DAY, SCHEMA_VERSION};
use faqbot::insight::Recorder;
use faqbot::search::analyze::Analyzer;
use std::collections::HashSet;
use std::path::Path;

/// 2026-03-10 12:00 UTC.
const NOW: i64 = 1_773_144_000;

fn unanswered(closest: &str) -> Outcome {
    Outcome {
        answered: false,
        entry_id: Some(closest.to_string()),
        passage: Some(0),
        confidence: Some(0.3),
        source: None,
    }
}

fn answered(entry: &str) -> Outcome {
    Outcome {
        answered: true,
        entry_id: Some(entry.to_string()),
        passage: Some(1),
        confidence: Some(0.9),
        source: None,
    }
}

fn raw(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).expect("raw connection")
}

fn file_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap_or_default();
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    bytes.extend(std::fs::read(&wal).unwrap_or_default());
    bytes
}

fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    contains_bytes(haystack, needle.as_bytes())
}

#[test]
fn migrations_are_versioned_and_reopening_keeps_data() {
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("nested/state.sqlite3");
    let store = Store::open(&path, None).expect("created with its folder");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    store
        .record_question(NOW, "What is IL-2?", &answered("a"))
        .expect("stored");
    drop(store);
    let store = Store::open(&path, None).expect("reopened");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    assert_eq!(store.question_count().expect("count"), 1);
    drop(store);

    raw(&path)
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .expect("bump");
    let err = Store::open(&path, None).expect_err("newer schema refused");
    assert!(format!("{err:#}").contains("newer"), "{err:#}");

    let missing = tmp.path().join("missing.sqlite3");
    let err = Store::open_existing(&missing, None).expect_err("missing");
    assert!(format!("{err:#}").contains("no insight store"), "{err:#}");
    assert!(!missing.exists(), "opening for a report creates nothing");
}

#[test]
fn one_vote_per_member_per_answer_and_no_raw_ids() {
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("state.sqlite3");
    let store = Store::open(&path, None).expect("open");
    let q = store
        .record_question(NOW, "Is IL-2 given in hospital?", &answered("a"))
        .expect("q");
    let other = store
        .record_question(NOW, "Something else", &answered("b"))
        .expect("q2");
    let (alice, bob) = (731_950_118_263_001_u64, 731_950_118_263_002_u64);

    store.vote(q, alice, true, NOW).expect("vote");
    store.vote(q, alice, true, NOW + 1).expect("again");
    assert_eq!(
        store.votes(q).expect("votes").helpful,
        1,
        "a repeat counts once"
    );
    store.vote(q, bob, true, NOW + 2).expect("bob");
    assert_eq!(
        store.votes(q).expect("votes").helpful,
        2,
        "another member counts"
    );
    store.vote(q, alice, false, NOW + 3).expect("changed mind");
    let v = store.votes(q).expect("votes");
    assert_eq!((v.helpful, v.not_helpful), (1, 1), "the latest vote stands");
    store.vote(other, alice, true, NOW).expect("other answer");
    assert_eq!(store.vote_count().expect("count"), 3);

    assert_ne!(
        store.voter_hash(q, alice),
        store.voter_hash(other, alice),
        "one member's votes on different answers are not linkable"
    );
    assert!(
        store.vote(q + 100, alice, true, NOW).is_err(),
        "no such question"
    );
    drop(store);
    let bytes = file_bytes(&path);
    for id in [alice, bob] {
        assert!(!contains(&bytes, &id.to_string()), "raw id in the file");
        assert!(
            !contains_bytes(&bytes, &id.to_le_bytes()),
            "raw id bytes in the file"
        );
    }
}

#[test]
fn the_salt_is_generated_once_and_the_config_salt_wins() {
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("state.sqlite3");
    let first = Store::open(&path, None).expect("open").voter_hash(1, 42);
    let again = Store::open(&path, None).expect("open").voter_hash(1, 42);
    assert_eq!(first, again, "the generated salt is kept");
    let other_db = Store::open(&tmp.path().join("b.sqlite3"), None)
        .expect("open")
        .voter_hash(1, 42);
    assert_ne!(first, other_db, "each store generates its own salt");
    let configured = Store::open(&path, Some("pepper")).expect("open");
    assert_ne!(configured.voter_hash(1, 42), first);
    assert_eq!(
        configured.voter_hash(1, 42),
        Store::open(&tmp.path().join("c.sqlite3"), Some("pepper"))
            .expect("open")
            .voter_hash(1, 42),
        "a configured salt does not depend on the file"
    );
}

#[test]
fn retention_deletes_old_rows_and_their_votes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("state.sqlite3");
    let store = Store::open(&path, None).expect("open");
    let recent = store
        .record_question(NOW - 89 * DAY, "recent question", &answered("a"))
        .expect("recent");
    store.vote(recent, 7, true, NOW).expect("vote");
    drop(store);

    // Old rows written directly, as an older run of the bot would have left them.
    let conn = raw(&path);
    for (i, age) in [91, 120, 400].into_iter().enumerate() {
        conn.execute(
            "INSERT INTO questions (asked_at, question, answered, entry_id) VALUES (?1, ?2, 0, 'a')",
            rusqlite::params![NOW - age * DAY, format!("zebra-old-question-{i}")],
        )
        .expect("old row");
        let id = conn.last_insert_rowid();
        conn.execute(
            "INSERT INTO votes (question_id, voter, helpful, voted_at) VALUES (?1, x'0102', 0, ?2)",
            rusqlite::params![id, NOW - age * DAY],
        )
        .expect("old vote");
    }
    drop(conn);

    let store = Store::open(&path, None).expect("open");
    assert_eq!(store.question_count().expect("n"), 4);
    assert_eq!(store.purge(NOW, 90).expect("purge"), 3);
    assert_eq!(store.question_count().expect("n"), 1);
    assert_eq!(store.vote_count().expect("votes"), 1, "old votes went too");
    assert!(store.question(recent).expect("read").is_some());
    assert_eq!(store.purge(NOW, 90).expect("again"), 0);
    drop(store);
    assert!(
        !contains(&file_bytes(&path), "zebra-old-question"),
        "deleted text is overwritten, not left in free pages"
    );
}

#[test]
fn recorder_purges_on_start_allocates_ids_and_holds_the_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("state.sqlite3");
    let store = Store::open(&path, None).expect("open");
    let old = store
        .record_question(
            faqbot::insight::unix_now() - 100 * DAY,
            "ancient",
            &answered("a"),
        )
        .expect("old");
    drop(store);

    let settings = StoreSettings {
        path: path.clone(),
        retention_days: 90,
        salt: None,
    };
    let recorder = Recorder::open(&settings).expect("recorder");
    assert_eq!(
        recorder.with_store(|s| s.question_count()).expect("count"),
        0,
        "retention ran at start"
    );
    let a = recorder.record("How is IL-2 given?", answered("x"));
    let b = recorder.record("how is il2 given", unanswered("x"));
    assert!(
        a > old && b == a + 1,
        "ids never reuse a deleted row's: {old} {a} {b}"
    );
    recorder.vote(a, 99, true);
    recorder.vote(a, 99, true);
    recorder.vote(a, 100, false);
    let (q, votes) = recorder
        .with_store(|s| Ok((s.question(a)?, s.votes(a)?)))
        .expect("read");
    let q = q.expect("written");
    assert_eq!(q.question, "how is il-2 given?", "normalised");
    assert_eq!((votes.helpful, votes.not_helpful), (1, 1));

    let err = Recorder::open(&settings).expect_err("a second bot on the same file");
    assert!(
        format!("{err:#}").contains("another faqbot process"),
        "{err:#}"
    );
    drop(recorder);
    let again = Recorder::open(&settings).expect("free again after the first stops");
    assert_eq!(again.record("next", Outcome::unanswered()), b + 1);
}

fn analyzer() -> Analyzer {
    Analyzer::new(&Synonyms {
        groups: vec![vec!["IL-2".into(), "IL2".into(), "aldesleukin".into()]],
    })
}

#[test]
fn jaccard_of_content_words() {
    let set = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<HashSet<_>>();
    assert_eq!(jaccard(&set(&["a", "b"]), &set(&["a", "b"])), 1.0);
    assert!((jaccard(&set(&["a", "b"]), &set(&["a", "b", "c"])) - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(jaccard(&set(&[]), &set(&[])), 0.0, "empty never groups");
}

#[test]
fn gap_report_groups_near_duplicates_with_counts() {
    let store = Store::open_in_memory(None).expect("store");
    let cost = "how-is-it-given";
    let mut ids = Vec::new();
    for (age, q) in [
        (1, "how much does il2 cost"),
        (2, "How much does IL2  cost"),
        (3, "how much does il2 cost"),
        (4, "How much does IL-2 cost?"),
        (5, "what does aldesleukin cost"),
        (6, "how much does il2 cost per dose"),
    ] {
        ids.push(
            store
                .record_question(NOW - age * 3600, q, &unanswered(cost))
                .expect("q"),
        );
    }
    // Overlap 2/4 with the cost group: its own group.
    store
        .record_question(
            NOW - 3600,
            "il2 cost insurance coverage",
            &unanswered("other"),
        )
        .expect("q");
    for _ in 0..2 {
        store
            .record_question(NOW - 7200, "who invented il2", &unanswered("history"))
            .expect("q");
    }
    let painful = store
        .record_question(NOW - 600, "is il2 painful", &answered("side-effects"))
        .expect("q");
    store.vote(painful, 1, false, NOW).expect("not helpful");
    let liked = store
        .record_question(NOW - 600, "is il2 painful", &answered("side-effects"))
        .expect("q");
    store.vote(liked, 1, true, NOW).expect("helpful only");
    store
        .record_question(NOW - 600, "what is il2", &answered("what"))
        .expect("answered, no votes");
    store
        .record_question(NOW - 40 * DAY, "how much does il2 cost", &unanswered(cost))
        .expect("too old");

    let mut titles = Titles::new();
    titles.insert(cost.to_string(), "How is it given?".to_string());
    let report = report::gaps(&store, &analyzer(), &titles, NOW, 30, 10).expect("report");
    assert_eq!(report.questions, 10, "unanswered or not helpful in 30 days");
    assert_eq!(report.groups_total, 4);
    let g = &report.groups[0];
    assert_eq!(
        g.phrasing, "how much does il2 cost",
        "most common phrasing first"
    );
    assert_eq!((g.count, g.unanswered, g.not_helpful), (6, 6, 0));
    assert_eq!(g.phrasings, 4, "{:?}", g.other_phrasings);
    assert_eq!(g.entry_id.as_deref(), Some(cost));
    assert_eq!(g.entry_question.as_deref(), Some("How is it given?"));
    assert_eq!(g.entry_share, 1.0);
    let alias = g
        .alias
        .as_ref()
        .expect("mostly one entry: an alias is offered");
    assert_eq!(alias.entry_id, cost);
    assert_eq!(alias.phrasing, "how much does il2 cost");
    assert!(
        ids[..3].contains(&alias.question_id),
        "a row with that phrasing: {}",
        alias.question_id
    );

    let who = &report.groups[1];
    assert_eq!((who.phrasing.as_str(), who.count), ("who invented il2", 2));
    let rest: Vec<(&str, u64, u64)> = report.groups[2..]
        .iter()
        .map(|g| (g.phrasing.as_str(), g.count, g.not_helpful))
        .collect();
    assert!(rest.contains(&("is il2 painful", 1, 1)), "{rest:?}");
    assert!(
        rest.contains(&("il2 cost insurance coverage", 1, 0)),
        "{rest:?}"
    );
    let painful_group = report
        .groups
        .iter()
        .find(|g| g.phrasing == "is il2 painful");
    assert!(
        painful_group.is_some_and(|g| g.alias.is_none()),
        "no alias for an entry members found unhelpful"
    );

    let text = report.render(report::Style::Text);
    assert!(text.contains("6× how much does il2 cost"), "{text}");
    let top = report::gaps(&store, &analyzer(), &titles, NOW, 30, 1).expect("limited");
    assert_eq!((top.groups.len(), top.groups_total), (1, 4));
    let md = report.render(report::Style::Markdown);
    assert!(md.contains("**6×** how much does il2 cost"), "{md}");
}

#[test]
fn stats_count_days_rates_and_top_entries() {
    let store = Store::open_in_memory(None).expect("store");
    let today = NOW - NOW % DAY;
    let add = |at: i64, o: Outcome| store.record_question(at, "q", &o).expect("q");
    let a1 = add(today + 60, answered("a"));
    add(today + 120, answered("a"));
    add(today + 180, Outcome::unanswered());
    let b1 = add(today - 2 * DAY, answered("b"));
    add(today - 10 * DAY, answered("b"));
    add(today - 10 * DAY, answered("b"));
    add(today - 40 * DAY, answered("c"));
    store.vote(a1, 1, true, NOW).expect("v");
    store.vote(a1, 2, true, NOW).expect("v");
    store.vote(b1, 1, false, NOW).expect("v");

    let mut titles = Titles::new();
    titles.insert("a".into(), "Entry A?".into());
    let stats = report::stats(&store, &titles, NOW, &report::STATS_PERIODS).expect("stats");
    let week = &stats.periods[0];
    assert_eq!((week.days, week.per_day.len()), (7, 7));
    assert_eq!(week.since, "2026-03-04");
    assert_eq!(week.per_day[6].date, "2026-03-10");
    assert_eq!(
        (week.per_day[6].questions, week.per_day[6].answered),
        (3, 2)
    );
    assert_eq!(week.per_day[4].questions, 1);
    assert_eq!((week.questions, week.answered), (4, 3));
    assert_eq!(week.answer_rate, Some(0.75));
    assert_eq!((week.helpful_votes, week.not_helpful_votes), (2, 1));
    assert!((week.helpful_rate.expect("rate") - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(week.top_entries[0].entry_id, "a");
    assert_eq!(
        week.top_entries[0].entry_question.as_deref(),
        Some("Entry A?")
    );
    assert_eq!(week.top_entries[0].answers, 2);
    assert_eq!(week.top_entries[0].helpful_votes, 2);

    let month = &stats.periods[1];
    assert_eq!((month.days, month.per_day.len()), (30, 30));
    assert_eq!((month.questions, month.answered), (6, 5));
    let top: Vec<(&str, u64)> = month
        .top_entries
        .iter()
        .map(|e| (e.entry_id.as_str(), e.answers))
        .collect();
    assert_eq!(
        top,
        [("b", 3), ("a", 2)],
        "the 40-day-old answer is outside"
    );

    let empty = Store::open_in_memory(None).expect("store");
    let none = report::stats(&empty, &titles, NOW, &[7]).expect("stats");
    assert_eq!(none.periods[0].answer_rate, None, "no division by zero");
    assert!(none.render(report::Style::Text, 7).contains("0 questions"));
}

#[test]
fn the_example_config_documents_every_new_key() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let text = std::fs::read_to_string(&path).expect("config.example.toml");
    let cfg = faqbot::Config::from_toml(&text, "config.example.toml").expect("valid");
    assert_eq!(cfg.state.retention_days, 90);
    assert_eq!(cfg.quiet_minutes(), 30);
    assert!(cfg.discord.helper_role_id.is_none(), "off by default");
    for key in [
        "[state]",
        "path =",
        "retention_days =",
        "salt =",
        "helper_role_id =",
        "quiet_minutes =",
    ] {
        assert!(text.contains(key), "{key} is documented");
    }
}

/// The recorded passage is the answer's position in its entry, read from the index, for the
/// built-in FAQ on disk and in memory alike.
#[test]
fn outcome_records_the_passage_position_from_the_index() {
    use faqbot::answer::{AnswerSettings, Engine, IndexLocation};
    use faqbot::faq::FaqSource;
    let tmp = tempfile::tempdir().expect("tempdir");
    for location in [
        IndexLocation::Memory,
        IndexLocation::Dir(tmp.path().join("index")),
    ] {
        let engine = Engine::open(&FaqSource::Embedded, &location, AnswerSettings::default())
            .expect("opens");
        let mut seen_later_passage = false;
        for q in [
            "what is rhIL-2?",
            "How is IL-2 given?",
            "what percent of patients respond to interleukin-2?",
            "can they inject it straight into the tumour?",
            "what are the side effects of IL-2?",
        ] {
            let answer = engine.answer(q);
            let best = answer.best.as_ref().expect("answered");
            let entry = engine.faq().entry(&best.entry_id).expect("entry");
            let position = entry
                .passages
                .iter()
                .position(|p| p.text == best.passage)
                .map(|p| p as u32);
            assert_eq!(Outcome::from_answer(&answer).passage, position, "{q}");
            seen_later_passage |= position.is_some_and(|p| p > 0);
        }
        assert!(
            seen_later_passage,
            "some answer is not its entry's first passage"
        );
    }
}

#[test]
fn where_a_question_was_asked_is_stored_and_counted() {
    use faqbot::insight::store::Source;
    let store = Store::open_in_memory(None).expect("store");
    for (q, source) in [
        ("a", Some(Source::Forum)),
        ("b", Some(Source::DirectMessage)),
        ("c", Some(Source::DirectMessage)),
        ("d", None),
    ] {
        let outcome = match source {
            Some(s) => answered("x").via(s),
            None => answered("x"),
        };
        store.record_question(NOW, q, &outcome).expect("q");
    }
    let first = store.question(1).expect("read").expect("stored");
    assert_eq!(first.outcome.source, Some(Source::Forum));
    let counts = store.source_counts(NOW - DAY).expect("counts");
    assert_eq!(counts[0], (Some(Source::DirectMessage), 2));
    assert!(counts.contains(&(Some(Source::Forum), 1)));
    assert!(
        counts.contains(&(None, 1)),
        "a question from before sources"
    );
    for s in Source::ALL {
        assert_eq!(Source::parse(s.as_str()), Some(s));
    }
}
