//! `faqbot check`: every listed problem is reported with its file and line.

mod common;
use common::*;

/// Writes `name` with `bytes` into a copy of the shipped FAQ, runs check, returns (code, stdout).
fn check_with(name: &str, bytes: &[u8]) -> (i32, String, String) {
    let (tmp, dir) = copy_of_shipped_faq();
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    let mut c = faqbot(tmp.path());
    c.arg("--faq-dir").arg(&dir).arg("check");
    let out = run(c, None);
    (
        out.status.code().unwrap_or(-1),
        stdout(&out),
        path.display().to_string(),
    )
}

fn assert_reports(name: &str, bytes: &[u8], line: usize, words: &str) {
    let (code, text, path) = check_with(name, bytes);
    assert_eq!(code, 1, "{text}");
    let want = format!("{path}:{line}: ");
    let hit = text.lines().find(|l| l.starts_with(&want));
    assert!(
        hit.is_some_and(|l| l.contains(words)),
        "expected {want}…{words}… in:\n{text}"
    );
}

#[test]
fn shipped_faq_is_valid() {
    let mut c = faqbot(&root());
    c.arg("check");
    let out = run(c, None);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn bad_toml() {
    assert_reports(
        "x.md",
        b"+++\nid = \"x\"\nquestion = \"Why?\n+++\nBody.\n",
        3,
        "bad TOML",
    );
}

#[test]
fn unknown_key() {
    assert_reports(
        "x.md",
        b"+++\nid = \"x\"\nquestion = \"Why?\"\nanswer = \"no\"\n+++\nBody.\n",
        4,
        "unknown key",
    );
}

#[test]
fn missing_question() {
    assert_reports(
        "x.md",
        b"+++\nid = \"x\"\ntags = []\n+++\n\nBody.\n",
        2,
        "missing question",
    );
}

#[test]
fn empty_body() {
    assert_reports(
        "x.md",
        b"+++\nid = \"x\"\nquestion = \"Why?\"\n+++\n\n\n",
        5,
        "empty body",
    );
}

#[test]
fn duplicate_id() {
    assert_reports(
        "zz-copy.md",
        b"+++\nid = \"overview\"\nquestion = \"A new question?\"\n+++\n\nBody.\n",
        2,
        "duplicate id",
    );
}

#[test]
fn duplicate_question() {
    assert_reports(
        "zz-copy.md",
        b"+++\nid = \"another\"\n\nquestion = \"what is recombinant human interleukin-2\"\n+++\n\nBody.\n",
        4,
        "duplicate question",
    );
}

#[test]
fn not_utf8() {
    assert_reports(
        "x.md",
        b"+++\nid = \"x\"\nquestion = \"Why?\"\n+++\n\nCaf\xe9 au lait.\n",
        6,
        "UTF-8",
    );
}

#[test]
fn missing_front_matter_and_orphan_subheading() {
    assert_reports("x.md", b"Just text.\n", 1, "+++");
    assert_reports(
        "y.md",
        b"+++\nid = \"y\"\nquestion = \"Why?\"\n+++\n\nBody.\n\n### Dangling\n",
        8,
        "sub-heading",
    );
}

#[test]
fn bad_synonyms_file() {
    assert_reports(
        "synonyms.toml",
        b"[[group]]\nterms = [\"shot\", \"jab\"]\n\n[[group]]\nterms = [\"jab\", \"poke\"]\n",
        2,
        "one group only",
    );
}

/// An entry file whose body (after the front matter on lines 1-4) is `body`, starting on line 5.
fn entry_with_body(body: &str) -> Vec<u8> {
    format!("+++\nid = \"x\"\nquestion = \"Why?\"\n+++\n{body}").into_bytes()
}

#[test]
fn questions_block_not_after_a_paragraph() {
    let body = "\n### Shots\n\n<!-- questions:\n- Can I have it at home?\n-->\n\nUnder the skin.\n";
    assert_reports(
        "x.md",
        &entry_with_body(body),
        8,
        "right after the paragraph",
    );
    let body = "\nText.\n\n<!-- questions:\n- One?\n-->\n\n<!-- questions:\n- Two?\n-->\n";
    assert_reports("x.md", &entry_with_body(body), 12, "second questions block");
}

#[test]
fn empty_passage_question() {
    let body = "\nText.\n\n<!-- questions:\n- Fine?\n-\n-->\n";
    assert_reports("x.md", &entry_with_body(body), 10, "empty question");
}

#[test]
fn duplicate_passage_question_within_an_entry() {
    let body = "\nOne.\n\n<!-- questions:\n- Is it a shot?\n-->\n\nTwo.\n\n<!-- questions:\n- is it a SHOT\n-->\n";
    assert_reports("x.md", &entry_with_body(body), 15, "duplicate question");
}

#[test]
fn too_long_passage_question() {
    let long = "very ".repeat(30);
    let body = format!("\nText.\n\n<!-- questions:\n- Is it {long}long?\n-->\n");
    assert_reports("x.md", &entry_with_body(&body), 9, "at most 120");
}

#[test]
fn malformed_questions_block() {
    let no_dash = "\nText.\n\n<!-- questions:\n- Fine?\nNot a list item\n-->\n";
    assert_reports("x.md", &entry_with_body(no_dash), 10, "`- Not a list item`");
    let unclosed = "\nText.\n\n<!-- questions:\n- Fine?\n\nMore text.\n";
    assert_reports("x.md", &entry_with_body(unclosed), 8, "never closed");
    let one_line = "\nText.\n\n<!-- questions: Why? -->\n";
    assert_reports("x.md", &entry_with_body(one_line), 8, "alone on its line");
    let indented = "\n- a list\n\n  <!-- questions:\n  - Why?\n  -->\n";
    assert_reports(
        "x.md",
        &entry_with_body(indented),
        8,
        "inside a paragraph or list",
    );
}
