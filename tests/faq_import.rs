//! `faqbot import`: the article becomes the shipped FAQ, byte for byte.

mod common;
use common::*;

fn article() -> std::path::PathBuf {
    root().join("tests/fixtures/rhil2-article.txt")
}

fn import(cwd: &std::path::Path, out: &std::path::Path, force: bool) -> std::process::Output {
    let mut c = faqbot(cwd);
    c.arg("import").arg(article()).arg("--out").arg(out);
    if force {
        c.arg("--force");
    }
    run(c, None)
}

#[test]
fn import_reproduces_the_shipped_faq() {
    // Into a copy of the shipped FAQ: every file is already what the import writes.
    let (tmp, dir) = copy_of_shipped_faq();
    let out = import(tmp.path(), &dir, false);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout(&out).contains("0 written, 6 unchanged"),
        "{}",
        stdout(&out)
    );

    // Into an empty folder: the same files, but for the aliases and the paragraphs' questions
    // moderators added since.
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("faq");
    assert!(import(tmp.path(), &out, false).status.success());
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 6, "overview + five questions: {names:?}");
    let without_aliases = |t: &str| {
        let (entry, _) = faqbot::faq::file::parse_entry("x.md", t).expect("valid");
        let mut passages = entry.passages;
        passages.iter_mut().for_each(|p| p.questions.clear());
        faqbot::faq::file::render_entry(&entry.meta, &passages)
            .lines()
            .filter(|l| !l.starts_with("aliases = "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for name in &names {
        let ours = std::fs::read_to_string(out.join(name)).expect("read");
        let shipped =
            std::fs::read_to_string(shipped_faq().join(name)).expect("shipped file of that name");
        assert_eq!(without_aliases(&ours), without_aliases(&shipped), "{name}");
    }
    let shipped_entries = std::fs::read_dir(shipped_faq())
        .expect("faq")
        .filter(|e| {
            let n = e
                .as_ref()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .unwrap_or_default();
            faqbot::faq::load::is_entry_file(&n)
        })
        .count();
    assert_eq!(
        shipped_entries,
        names.len(),
        "no shipped entry the import does not make"
    );
}

#[test]
fn entries_keep_questions_overview_subheadings_and_byline() {
    let text = std::fs::read_to_string(article()).expect("article");
    let files = faqbot::faq::import::import_article(&article(), &text).expect("imports");
    let entries: Vec<_> = files
        .iter()
        .map(|f| {
            faqbot::faq::file::parse_entry(&f.name, &f.text)
                .expect("valid")
                .0
        })
        .collect();
    let questions: Vec<&str> = entries.iter().map(|e| e.meta.question.as_str()).collect();
    let headings: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_end().ends_with('?') && l.split_whitespace().count() < 25)
        .collect();
    assert_eq!(headings.len(), 5);
    assert_eq!(&questions[1..], &headings[..]);
    assert_eq!(entries[0].meta.id, "overview");
    assert!(entries[0].passages[0]
        .text
        .starts_with("When it comes to fighting cancer"));
    let all: Vec<&faqbot::faq::Passage> = entries.iter().flat_map(|e| &e.passages).collect();
    assert_eq!(all.len(), 16);
    assert!(
        all.iter().all(|p| !p.text.contains("By Manali")),
        "byline is not a passage"
    );
    assert!(entries.iter().all(|e| e.meta.source.contains("Manali")));
    let iv = all
        .iter()
        .find(|p| p.heading.as_deref() == Some("Intravenous infusion"))
        .expect("sub-heading kept with its paragraph");
    assert!(iv.text.starts_with("This is the most common way"));
    assert!(
        all.iter().any(|p| p.text.contains("doctor’s office")),
        "curly apostrophe verbatim"
    );
}

#[test]
fn reimport_is_idempotent_and_refuses_to_overwrite_edits() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("faq");
    assert!(import(tmp.path(), &out, false).status.success());
    let again = import(tmp.path(), &out, false);
    assert!(again.status.success());
    assert!(
        stdout(&again).contains("0 written, 6 unchanged"),
        "{}",
        stdout(&again)
    );

    let edited = out.join("01-what-is-recombinant-human-interleukin-2.md");
    let mut text = std::fs::read_to_string(&edited).expect("read");
    text.push_str("\nA moderator's extra paragraph.\n");
    std::fs::write(&edited, &text).expect("write");
    let refused = import(tmp.path(), &out, false);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(&edited).expect("read"),
        text,
        "edit kept"
    );

    assert!(import(tmp.path(), &out, true).status.success());
    assert_ne!(
        std::fs::read_to_string(&edited).expect("read"),
        text,
        "forced overwrite"
    );
}

#[test]
fn markdown_articles_import_too() {
    let md = "# Living with IL-2\n\nSome intro text.\n\nBy Dr. Example\n\n## What is it?\n\nIt is a drug.\n\n### At home\n\nSome *can* be given at home.\n\n## Is it safe?\n\nAsk your team.\n";
    let files = faqbot::faq::import::import_article(std::path::Path::new("a.md"), md).expect("ok");
    assert_eq!(files.len(), 3);
    let (e, _) = faqbot::faq::file::parse_entry(&files[1].name, &files[1].text).expect("valid");
    assert_eq!(e.meta.question, "What is it?");
    assert_eq!(e.passages[1].heading.as_deref(), Some("At home"));
    assert_eq!(e.passages[1].text, "Some *can* be given at home.");
    assert!(e.meta.source.contains("Dr. Example") && e.meta.source.contains("Living with IL-2"));
}
