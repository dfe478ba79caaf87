//! The dev evaluation set: a floor under the measured quality, so a regression fails.

use faqbot::answer::{AnswerSettings, Engine, IndexLocation};
use faqbot::faq::FaqSource;

/// Dev top-1 reached when this floor was set (see README); lower means a regression.
const TOP1_FLOOR: f64 = 0.93;
/// Dev overall accuracy (right passage, or abstained when it should) floor.
const OVERALL_FLOOR: f64 = 0.95;

#[test]
fn dev_set_quality_does_not_regress() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let engine = Engine::open(
        &FaqSource::Dir(root.join("faq")),
        &IndexLocation::Memory,
        AnswerSettings::default(),
    )
    .expect("opens");
    let text = std::fs::read_to_string(root.join("tests/fixtures/dev.jsonl")).expect("dev set");
    let cases = faqbot::cli::eval::read_cases(&text, "dev.jsonl").expect("cases");
    assert_eq!(cases.len(), 61);
    let m = faqbot::cli::eval::evaluate(&engine, &cases);
    assert!(
        m.top1 >= TOP1_FLOOR,
        "top-1 {:.3} < {TOP1_FLOOR}\n{}",
        m.top1,
        m.to_text()
    );
    assert!(
        m.overall >= OVERALL_FLOOR,
        "overall {:.3} < {OVERALL_FLOOR}\n{}",
        m.overall,
        m.to_text()
    );
}

#[test]
fn eval_command_prints_the_metrics() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tmp");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .current_dir(tmp.path())
        .arg("--faq-dir")
        .arg(root.join("faq"))
        .arg("--index-dir")
        .arg(tmp.path().join("ix"))
        .args(["eval", "--json"])
        .arg(root.join("tests/fixtures/dev.jsonl"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for k in [
        "top1",
        "top3",
        "mrr",
        "answered_when_should_not",
        "abstained_when_should_not",
    ] {
        assert!(v[k].is_number(), "{k} in {v}");
    }
}
