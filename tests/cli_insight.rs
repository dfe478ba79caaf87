//! `faqbot stats` and `faqbot gaps`: text and JSON from a store, the default path beside the
//! config file, and a clear message when there is no store.

mod common;
use common::*;
use faqbot::insight::store::{Outcome, Store};
use faqbot::insight::unix_now;
use serde_json::Value;

const GIVEN: &str = "how-best-can-recombinant-human-interleukin-2-be-used-to-treat-cancer";

fn fill(path: &std::path::Path) {
    let store = Store::open(path, None).expect("store");
    let now = unix_now();
    let answered = Outcome {
        answered: true,
        entry_id: Some(GIVEN.into()),
        passage: Some(0),
        confidence: Some(0.9),
        source: None,
    };
    let missed = Outcome {
        answered: false,
        ..answered.clone()
    };
    let q = store
        .record_question(now - 60, "How is IL-2 given?", &answered)
        .expect("q");
    store.vote(q, 1, true, now).expect("vote");
    store.vote(q, 2, false, now).expect("vote");
    for text in [
        "how much does il2 cost",
        "How much does IL2 cost?",
        "how much does il2 cost",
    ] {
        store.record_question(now - 30, text, &missed).expect("q");
    }
}

fn json_of(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout(out).trim()).expect("one JSON object")
}

#[test]
fn stats_and_gaps_as_text_and_json() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("elsewhere.sqlite3");
    fill(&db);
    let cmd = |args: &[&str]| {
        let mut c = faqbot(tmp.path());
        c.arg("--faq-dir")
            .arg(shipped_faq())
            .args(args)
            .arg("--state")
            .arg(&db);
        run(c, None)
    };

    let stats = json_of(&cmd(&["stats", "--json"]));
    let week = &stats["periods"][0];
    assert_eq!(week["days"], 7);
    assert_eq!(week["questions"], 4);
    assert_eq!(week["answered"], 1);
    assert_eq!(week["answer_rate"], 0.25);
    assert_eq!(week["helpful_rate"], 0.5);
    assert_eq!(week["per_day"].as_array().map(Vec::len), Some(7));
    assert_eq!(week["top_entries"][0]["entry_id"], GIVEN);
    assert_eq!(stats["periods"][1]["days"], 30);

    let text = cmd(&["stats"]);
    assert!(text.status.success());
    let text = stdout(&text);
    assert!(
        text.contains("Last 7 days") && text.contains("Last 30 days"),
        "{text}"
    );
    assert!(
        text.contains("4 questions") && text.contains("answered 25%"),
        "{text}"
    );
    assert!(
        text.contains("How Best Can Recombinant Human Interleukin-2"),
        "entry titles from the FAQ: {text}"
    );

    let gaps = json_of(&cmd(&["gaps", "--json", "--days", "7"]));
    assert_eq!(gaps["days"], 7);
    let g = &gaps["groups"][0];
    assert_eq!(g["phrasing"], "how much does il2 cost");
    assert_eq!(g["count"], 3);
    assert_eq!(g["phrasings"], 2);
    assert_eq!(g["alias"]["entry_id"], GIVEN);

    let text = cmd(&["gaps"]);
    assert!(text.status.success());
    let text = stdout(&text);
    assert!(text.starts_with("FAQ gaps, last 30 days"), "{text}");
    assert!(text.contains("3× how much does il2 cost"), "{text}");
}

#[test]
fn the_store_is_found_beside_the_config_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let conf = tmp.path().join("conf");
    std::fs::create_dir_all(&conf).expect("mkdir");
    std::fs::write(conf.join("bot.toml"), "[state]\nretention_days = 30\n").expect("config");
    fill(&conf.join("faqbot-state.sqlite3"));
    let mut c = faqbot(tmp.path());
    c.args(["--config", "conf/bot.toml", "stats", "--json"]);
    let stats = json_of(&run(c, None));
    assert_eq!(stats["periods"][0]["questions"], 4);
}

#[test]
fn a_missing_store_is_a_clear_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    for sub in ["stats", "gaps"] {
        let mut c = faqbot(tmp.path());
        c.arg(sub);
        let out = run(c, None);
        assert_eq!(out.status.code(), Some(1), "{sub}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("no insight store at faqbot-state.sqlite3"),
            "{sub}: {err}"
        );
        assert!(err.contains("the bot creates it when it runs"), "{err}");
        assert!(err.contains(referral()), "errors keep the referral: {err}");
    }
    assert!(
        !tmp.path().join("faqbot-state.sqlite3").exists(),
        "a report creates no store"
    );
}
