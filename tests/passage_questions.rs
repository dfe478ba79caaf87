//! A passage's own alternate questions (`<!-- questions: -->` after the paragraph): searched with
//! that passage alone, never quoted, and kept by every write (the edit form, an added alias, a
//! re-import).

use faqbot::answer::{AnswerSettings, Engine, IndexLocation};
use faqbot::faq::store::{add_alias, content_hash, edit_entry, EntryDraft};
use faqbot::faq::{load_faq, Faq, FaqSource};
use std::path::Path;

const ENTRY: &str = "\
+++
id = \"how-is-it-given\"
question = \"How is the drug given?\"
+++

It is given as an intravenous infusion in hospital over several hours.

<!-- questions:
- Will I have to stay overnight?
- Is it a drip on the ward?
-->

### At home

A nurse can also give it as an injection under the skin at home.

<!-- questions:
- Can a community nurse come round to do it?
-->
";

const OTHER: &str = "\
+++
id = \"fatigue\"
question = \"Will I feel tired?\"
+++

Fatigue is common during treatment and usually improves within weeks.
";

fn write_faq(dir: &Path, entry: &str) {
    std::fs::write(dir.join("01-given.md"), entry).expect("write");
    std::fs::write(dir.join("02-fatigue.md"), OTHER).expect("write");
}

fn engine(dir: &Path) -> Engine {
    Engine::open(
        &FaqSource::Dir(dir.to_path_buf()),
        &IndexLocation::Memory,
        AnswerSettings::default(),
    )
    .expect("engine")
}

fn faq(dir: &Path) -> Faq {
    load_faq(&FaqSource::Dir(dir.to_path_buf()))
        .expect("valid")
        .faq
}

fn questions(faq: &Faq) -> Vec<Vec<String>> {
    faq.entry("how-is-it-given")
        .expect("entry")
        .passages
        .iter()
        .map(|p| p.questions.clone())
        .collect()
}

#[test]
fn a_question_only_an_alternate_matches_finds_that_passage() {
    let tmp = tempfile::tempdir().expect("tmp");
    write_faq(tmp.path(), ENTRY);
    let e = engine(tmp.path());
    let best = e
        .answer("do I need to stay overnight?")
        .best
        .expect("answered");
    assert_eq!(best.entry_id, "how-is-it-given");
    assert_eq!(best.passage_no, Some(0), "the passage that asks it");
    assert!(
        !best.passage.contains("overnight"),
        "the question is not quoted"
    );
    let best = e
        .answer("can a community nurse come round?")
        .best
        .expect("answered");
    assert_eq!(best.passage_no, Some(1));

    // Without the questions blocks, nothing in the FAQ says "overnight".
    let bare = tempfile::tempdir().expect("tmp");
    let plain: String = ENTRY
        .split("<!-- questions:")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                part.split_once("-->\n").map_or("", |(_, rest)| rest)
            }
        })
        .collect();
    write_faq(bare.path(), &plain);
    let e = engine(bare.path());
    assert!(faq(bare.path())
        .entries
        .iter()
        .all(|e| e.passages.iter().all(|p| p.questions.is_empty())));
    assert!(e.answer("do I need to stay overnight?").best.is_none());
}

#[test]
fn moderator_edit_keeps_passage_questions() {
    let tmp = tempfile::tempdir().expect("tmp");
    write_faq(tmp.path(), ENTRY);
    let path = tmp.path().join("01-given.md");
    let before = faq(tmp.path());
    let entry = before.entry("how-is-it-given").expect("entry").clone();

    // The form shows the answer without its questions blocks.
    let mut draft = EntryDraft::from_entry(&entry);
    assert!(!draft.body.contains("<!--"), "{}", draft.body);
    assert!(draft.body.contains("### At home"));

    // A new question and alias, the answer text as it was: every question stays.
    draft.question = "How is the drug given to me?".into();
    draft.aliases = vec!["How do they give it?".into()];
    let hash = content_hash(&std::fs::read(&path).expect("read"));
    edit_entry(&path, &hash, &before, &entry, &draft).expect("saved");
    let after = faq(tmp.path());
    assert_eq!(questions(&after), questions(&before));
    assert_eq!(
        after.entry("how-is-it-given").expect("entry").meta.question,
        "How is the drug given to me?"
    );

    // A typo fixed in one paragraph, the other rewritten under the same sub-heading, a new
    // paragraph with a questions block typed into the form: all kept, each where it belongs.
    let entry = after.entry("how-is-it-given").expect("entry").clone();
    let mut draft = EntryDraft::from_entry(&entry);
    draft.body = draft
        .body
        .replace("over several hours", "over several hourss")
        .replace(
            "A nurse can also give it as an injection under the skin at home.",
            "Some people have it at home instead.",
        );
    draft
        .body
        .push_str("\n\nAsk the ward about parking.\n\n<!-- questions:\n- Where do I park?\n-->");
    let hash = content_hash(&std::fs::read(&path).expect("read"));
    edit_entry(&path, &hash, &after, &entry, &draft).expect("saved");
    let again = faq(tmp.path());
    let mut want = questions(&before);
    want.push(vec!["Where do I park?".to_string()]);
    assert_eq!(questions(&again), want);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(
        text.contains("hourss.\n\n<!-- questions:\n- Will I have to stay overnight?"),
        "{text}"
    );

    // A paragraph removed: its questions go with it, the others stay.
    let entry = again.entry("how-is-it-given").expect("entry").clone();
    let mut draft = EntryDraft::from_entry(&entry);
    draft.body = draft.body.replace(
        "### At home\n\nSome people have it at home instead.\n\n",
        "",
    );
    let hash = content_hash(&std::fs::read(&path).expect("read"));
    edit_entry(&path, &hash, &again, &entry, &draft).expect("saved");
    let last = faq(tmp.path());
    assert_eq!(
        questions(&last),
        [want[0].clone(), want[2].clone()],
        "{}",
        std::fs::read_to_string(&path).expect("read")
    );
}

#[test]
fn adding_an_alias_keeps_passage_questions() {
    let tmp = tempfile::tempdir().expect("tmp");
    write_faq(tmp.path(), ENTRY);
    let path = tmp.path().join("01-given.md");
    let before = faq(tmp.path());
    let entry = before.entry("how-is-it-given").expect("entry").clone();
    let hash = content_hash(&std::fs::read(&path).expect("read"));
    add_alias(&path, &hash, &before, &entry, "is it through a vein").expect("saved");
    let after = faq(tmp.path());
    assert_eq!(questions(&after), questions(&before));
    assert_eq!(
        after.entry("how-is-it-given").expect("entry").meta.aliases,
        ["is it through a vein"]
    );
}

#[test]
fn reimport_keeps_passage_questions() {
    let tmp = tempfile::tempdir().expect("tmp");
    let article = tmp.path().join("article.txt");
    std::fs::write(
        &article,
        "How is the drug given?\n\nIt is given as an intravenous infusion in hospital over several hours.\n\nAt home\n\nA nurse can also give it as an injection under the skin at home.\n",
    )
    .expect("article");
    let out = tmp.path().join("faq");
    std::fs::create_dir_all(&out).expect("mkdir");
    let text = std::fs::read_to_string(&article).expect("read");
    let files =
        faqbot::faq::import::import_article_keeping(&article, &text, Some(&out)).expect("imports");
    assert_eq!(files.len(), 1);
    let name = &files[0].name;
    // A moderator adds questions to the imported file; the next import keeps them.
    let with_questions = files[0].text.replacen(
        "several hours.\n",
        "several hours.\n\n<!-- questions:\n- Will I have to stay overnight?\n-->\n",
        1,
    );
    std::fs::write(out.join(name), &with_questions).expect("write");
    let again =
        faqbot::faq::import::import_article_keeping(&article, &text, Some(&out)).expect("imports");
    assert_eq!(again[0].text, with_questions, "unchanged: nothing to write");
}
