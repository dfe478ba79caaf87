//! The index is a cache: reused while the FAQ is unchanged, rebuilt when it changes or is damaged.

mod common;
use common::*;
use faqbot::answer::{AnswerSettings, Engine, IndexLocation};
use faqbot::faq::FaqSource;

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
    assert!(first.rebuilt());
    let q = "can they inject it straight into the tumour?";
    let expected = answer_passage(&first, q);
    assert!(expected.is_some());
    drop(first);
    let second = open(&dir, &index);
    assert!(!second.rebuilt(), "fresh index reused");
    assert_eq!(answer_passage(&second, q), expected);

    std::fs::write(
        dir.join("10-parking.md"),
        "+++\nid = \"parking\"\nquestion = \"Where can visitors park at the hospital?\"\n+++\n\nVisitors park in the multi-storey car park on level two.\n",
    )
    .expect("write");
    let third = open(&dir, &index);
    assert!(third.rebuilt(), "changed FAQ rebuilds");
    let p = answer_passage(&third, "where do visitors park the car").expect("new entry found");
    assert!(p.contains("multi-storey"));
    let folders = std::fs::read_dir(&index)
        .expect("index")
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().is_dir()))
        .count();
    assert_eq!(folders, 1, "old index folders are pruned");
    assert!(
        index.join("CURRENT.json").is_file(),
        "freshness manifest written"
    );
}

#[test]
fn deleted_or_garbled_index_is_rebuilt() {
    let (tmp, dir) = copy_of_shipped_faq();
    let index = tmp.path().join("index");
    let q = "what percent of patients respond to interleukin-2?";
    let expected = answer_passage(&open(&dir, &index), q);

    std::fs::remove_dir_all(&index).expect("delete");
    let e = open(&dir, &index);
    assert!(e.rebuilt());
    assert_eq!(answer_passage(&e, q), expected);
    drop(e);

    for item in std::fs::read_dir(&index).expect("index") {
        let folder = item.expect("item").path();
        if !folder.is_dir() {
            continue;
        }
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
    assert!(e.rebuilt(), "damaged index detected and rebuilt");
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

#[test]
fn fresh_index_is_opened_without_reading_entry_files() {
    let (tmp, dir) = copy_of_shipped_faq();
    let index = tmp.path().join("index");
    let q = "what is rhIL-2?";
    let expected = answer_passage(&open(&dir, &index), q);
    // Make an entry file unreadable as UTF-8 without changing its size or modification time:
    // the fast path must not read it (the manifest's stamps still match).
    let file = dir.join("02-what-are-the-benefits-of-recombinant-human-interleukin-2.md");
    let meta = std::fs::metadata(&file).expect("meta");
    let mtime = meta.modified().expect("mtime");
    let mut bytes = std::fs::read(&file).expect("read");
    let last = bytes.len() - 2;
    bytes[last] = 0xff;
    std::fs::write(&file, &bytes).expect("write");
    std::fs::File::options()
        .write(true)
        .open(&file)
        .and_then(|f| f.set_modified(mtime))
        .expect("restore mtime");
    let e = open(&dir, &index);
    assert!(!e.rebuilt());
    assert_eq!(answer_passage(&e, q), expected);

    // A real edit (new size) is noticed.
    std::fs::write(
        &file,
        b"+++\nid = \"x\"\nquestion = \"Totally new?\"\n+++\n\nNew text about parking.\n",
    )
    .expect("edit");
    let e = open(&dir, &index);
    assert!(e.rebuilt(), "changed stamps lead to a rebuild");
    assert!(answer_passage(&e, "parking").is_some_and(|p| p.contains("parking")));
}

#[test]
fn an_edit_in_place_is_noticed() {
    let (tmp, dir) = copy_of_shipped_faq();
    let index = tmp.path().join("index");
    let q = "what is rhIL-2?";
    let e = open(&dir, &index);
    assert!(e.rebuilt());
    let expected = answer_passage(&e, q);
    drop(e);
    assert!(
        !open(&dir, &index).rebuilt(),
        "unchanged files reuse the index"
    );

    let file = dir.join("01-what-is-recombinant-human-interleukin-2.md");
    let text = std::fs::read_to_string(&file).expect("read");
    assert!(text.contains("Escherichia coli."));
    std::fs::write(
        &file,
        text.replace("Escherichia coli.", "Escherichia coli bacteria."),
    )
    .expect("edit");
    let e = open(&dir, &index);
    assert!(e.rebuilt(), "an edit in place is noticed");
    assert_ne!(answer_passage(&e, q), expected);
    assert!(answer_passage(&e, q).is_some_and(|p| p.contains("coli bacteria")));
}

#[test]
fn a_removed_file_is_noticed() {
    let (tmp, dir) = copy_of_shipped_faq();
    let index = tmp.path().join("index");
    assert!(open(&dir, &index).rebuilt());
    std::fs::remove_file(
        dir.join("05-are-there-any-other-uses-for-recombinant-human-interleukin-2.md"),
    )
    .expect("delete");
    let e = open(&dir, &index);
    assert!(e.rebuilt(), "a file that is gone makes the index stale");
    assert_eq!(e.entry_count(), 5);
}

#[test]
fn an_added_file_is_found() {
    let (tmp, dir) = copy_of_shipped_faq();
    let index = tmp.path().join("index");
    assert!(open(&dir, &index).rebuilt());
    std::fs::write(
        dir.join("10-parking.md"),
        "+++\nid = \"parking\"\nquestion = \"Where can visitors park at the hospital?\"\n+++\n\nVisitors park in the multi-storey car park on level two.\n",
    )
    .expect("write");
    let e = open(&dir, &index);
    assert!(e.rebuilt(), "a new file makes the index stale");
    assert!(answer_passage(&e, "where do visitors park the car")
        .is_some_and(|p| p.contains("multi-storey")));
}

#[test]
fn stamps_of_a_large_folder_cover_every_faq_file_once_in_name_order() {
    use faqbot::faq::load::faq_stamps;
    use faqbot::faq::stamp::digest;
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("faq");
    std::fs::create_dir_all(&dir).expect("mkdir");
    // Enough files to be stat'ed on two threads, and some that are not FAQ files.
    for i in 0..1_500 {
        std::fs::write(dir.join(format!("{i:04}-entry.md")), "x".repeat(i % 13)).expect("write");
    }
    std::fs::write(dir.join("notes.txt"), "not a FAQ file").expect("write");
    std::fs::create_dir(dir.join("drafts.md")).expect("mkdir");
    let stamps = faq_stamps(&dir).expect("stamps");
    assert_eq!(stamps.len(), 1_500);
    assert!(stamps.windows(2).all(|w| w[0].name < w[1].name));
    assert_eq!(stamps[13].size, 0);
    assert_eq!(stamps[12].size, 12);
    let before = digest(&stamps);
    assert_eq!(digest(&faq_stamps(&dir).expect("stamps")), before);

    std::fs::write(dir.join("0500-entry.md"), "changed").expect("edit");
    assert_ne!(digest(&faq_stamps(&dir).expect("stamps")), before);
}
