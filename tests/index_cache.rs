//! The index is a cache: reused while the FAQ is unchanged, rebuilt when it changes or is damaged.

mod common;
use common::*;
use faqbot::faq::FaqSource;
use faqbot::search::engine::{AnswerSettings, Engine, IndexLocation};

fn open(dir: &std::path::Path, index: &std::path::Path) -> Engine {
    Engine::open(
        &FaqSource::Dir(dir.to_path_buf()),
        &IndexLocation::Dir(index.to_path_buf()),
        AnswerSettings::default(),
    )
    .expect("opens")
}

fn answer_passage(e: &Engine, q: &str) -> Option<String> {
    e.answer(q).best.map(|b| b.passage)
}

#[test]
fn reused_when_unchanged_rebuilt_when_changed() {
    let (tmp, dir) = copy_of_shipped_faq();
    let index = tmp.path().join("index");
    let first = open(&dir, &index);
    assert!(first.rebuilt);
    let q = "can they inject it straight into the tumour?";
    let expected = answer_passage(&first, q);
    assert!(expected.is_some());
    drop(first);
    let second = open(&dir, &index);
    assert!(!second.rebuilt, "fresh index reused");
    assert_eq!(answer_passage(&second, q), expected);

    std::fs::write(
        dir.join("10-parking.md"),
        "+++\nid = \"parking\"\nquestion = \"Where can visitors park at the hospital?\"\n+++\n\nVisitors park in the multi-storey car park on level two.\n",
    )
    .expect("write");
    let third = open(&dir, &index);
    assert!(third.rebuilt, "changed FAQ rebuilds");
    let p = answer_passage(&third, "where do visitors park the car").expect("new entry found");
    assert!(p.contains("multi-storey"));
    let folders = std::fs::read_dir(&index).expect("index").count();
    assert_eq!(folders, 1, "old index folders are pruned");
}

#[test]
fn deleted_or_garbled_index_is_rebuilt() {
    let (tmp, dir) = copy_of_shipped_faq();
    let index = tmp.path().join("index");
    let q = "what percent of patients respond to interleukin-2?";
    let expected = answer_passage(&open(&dir, &index), q);

    std::fs::remove_dir_all(&index).expect("delete");
    let e = open(&dir, &index);
    assert!(e.rebuilt);
    assert_eq!(answer_passage(&e, q), expected);
    drop(e);

    for item in std::fs::read_dir(&index).expect("index") {
        let folder = item.expect("item").path();
        for f in std::fs::read_dir(&folder).expect("folder") {
            let f = f.expect("f").path();
            let name = f
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            if name.ends_with(".idx") || name.ends_with(".term") || name == "meta.json" {
                std::fs::write(&f, b"garbage").expect("garble");
            }
        }
    }
    let e = open(&dir, &index);
    assert!(e.rebuilt, "damaged index detected and rebuilt");
    assert_eq!(answer_passage(&e, q), expected);
}

#[test]
fn index_command_reports_counts() {
    let (tmp, dir) = copy_of_shipped_faq();
    let mut c = faqbot(tmp.path());
    c.arg("--faq-dir")
        .arg(&dir)
        .arg("--index-dir")
        .arg(tmp.path().join("ix"))
        .arg("index");
    let out = run(c, None);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("6 entries, 16 passages"),
        "{}",
        stdout(&out)
    );
}
