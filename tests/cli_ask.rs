//! `faqbot ask`: text, JSON and batch answers from the shipped FAQ.

mod common;
use common::*;
use serde_json::Value;

fn ask_args(tmp: &std::path::Path) -> std::process::Command {
    let mut c = faqbot(tmp);
    c.arg("--faq-dir")
        .arg(shipped_faq())
        .arg("--index-dir")
        .arg(tmp.join("index"));
    c
}

/// `faqbot ask --json --explain QUESTION` on the shipped FAQ, parsed.
fn explain_json(question: &str) -> Value {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut c = ask_args(tmp.path());
    c.args(["ask", "--json", "--explain", question]);
    let out = run(c, None);
    assert!(out.status.success(), "{out:?}");
    serde_json::from_str(stdout(&out).trim()).expect("one JSON object")
}

/// The analysed term of an explanation that stands for `word`.
fn term_for<'a>(v: &'a Value, word: &str) -> &'a Value {
    v["explain"]["terms"]
        .as_array()
        .expect("terms")
        .iter()
        .find(|t| t["word"] == word)
        .unwrap_or_else(|| panic!("{word:?} is a term: {v}"))
}

#[test]
fn answers_how_il2_is_given_with_the_referral() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut c = ask_args(tmp.path());
    c.args(["ask", "How is IL-2 given?"]);
    let out = run(c, None);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    assert!(
        text.contains("most common way to administer RHIL-2"),
        "{text}"
    );
    assert!(
        text.starts_with("How Best Can Recombinant Human Interleukin-2"),
        "{text}"
    );
    assert!(text.contains("Source: Article by Manali"), "{text}");
    assert!(text.trim_end().ends_with(referral()), "{text}");
    assert!(
        out.stderr.is_empty(),
        "ask keeps quiet: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn off_topic_question_says_the_faq_has_no_answer() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut c = ask_args(tmp.path());
    c.args(["ask", "what's the weather in Boston tomorrow"]);
    let text = stdout(&run(c, None));
    assert!(text.contains("does not cover this question"), "{text}");
    assert!(
        text.contains("Recombinant Human Interleukin-2"),
        "offers topics: {text}"
    );
    assert!(text.trim_end().ends_with(referral()), "{text}");
}

#[test]
fn json_object_follows_the_contract() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut c = ask_args(tmp.path());
    c.args([
        "ask",
        "--json",
        "can they inject it straight into the tumour?",
    ]);
    let out = run(c, None);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "one line: {text}");
    let v: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["answered"], true);
    assert_eq!(
        v["question"],
        "can they inject it straight into the tumour?"
    );
    assert!(v["passage"]
        .as_str()
        .unwrap_or("")
        .contains("directly into the tumor tissue"));
    assert!(v["entry_id"].is_string() && v["entry_question"].is_string());
    assert!(v["score"].as_f64().unwrap_or(0.0) > 0.0);
    assert!(v["alternatives"].is_array());
    assert_eq!(v["urgent"], false);
    assert!(v["reply"].as_str().unwrap_or("").ends_with(referral()));
}

#[test]
fn batch_mode_keeps_order_and_answers_blank_lines() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut c = ask_args(tmp.path());
    c.args(["ask", "--json"]);
    let input = "what is rhIL-2?\n\ntell me a joke\ntitle:(a AND \"b\n@everyone check this out\n";
    let out = run(c, Some(input));
    assert!(out.status.success());
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let asked: Vec<&str> = input.lines().collect();
    assert_eq!(lines.len(), asked.len());
    for (v, q) in lines.iter().zip(&asked) {
        assert_eq!(v["question"], *q);
        assert!(v["reply"].as_str().unwrap_or("").contains(referral()));
        if v["answered"] == false {
            assert!(
                v["entry_id"].is_null() && v["passage"].is_null() && v["entry_question"].is_null()
            );
        }
    }
    assert_eq!(lines[0]["answered"], true);
    assert_eq!(lines[1]["answered"], false, "blank line is unanswered");
    assert_eq!(lines[2]["answered"], false);
}

#[test]
fn builtin_faq_answers_when_there_is_no_faq_folder() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut c = faqbot(tmp.path());
    c.args(["ask", "--json", "How is IL-2 given?"]);
    let v: Value = serde_json::from_str(&stdout(&run(c, None))).expect("json");
    let tmp2 = tempfile::tempdir().expect("tmp");
    let mut c = ask_args(tmp2.path());
    c.args(["ask", "--json", "How is IL-2 given?"]);
    let w: Value = serde_json::from_str(&stdout(&run(c, None))).expect("json");
    assert_eq!(v["passage"], w["passage"], "embedded FAQ = shipped faq/");
    assert_eq!(v["reply"], w["reply"]);
    assert!(
        !tmp.path().join("index").exists(),
        "no index written for the built-in FAQ"
    );
}

#[test]
fn hostile_questions_get_a_normal_reply() {
    let tmp = tempfile::tempdir().expect("tmp");
    let long = "why ".repeat(1500);
    for q in [
        "",
        "?",
        "@everyone",
        "title:(a AND \"b",
        "🎗️💊🙏",
        "\u{7}\u{202e}\u{1b}[31m",
        long.as_str(),
    ] {
        let mut c = ask_args(tmp.path());
        c.args(["ask", "--json", "--", q]);
        let out = run(c, None);
        assert!(out.status.success(), "{q:?}: {out:?}");
        let v: Value = serde_json::from_str(&stdout(&out)).expect("json");
        assert!(
            v["reply"].as_str().unwrap_or("").ends_with(referral()),
            "{q:?}"
        );
    }
}

#[test]
fn empty_referral_in_config_is_an_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(
        tmp.path().join("config.toml"),
        "[answer]\nreferral = \"\"\n",
    )
    .expect("write");
    let mut c = ask_args(tmp.path());
    c.args(["ask", "hello"]);
    let out = run(c, None);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("config.toml") && err.contains("referral"),
        "{err}"
    );
}

#[test]
fn configured_referral_is_used() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(
        tmp.path().join("config.toml"),
        "[answer]\nreferral = \"Ask your oncologist, please.\"\n",
    )
    .expect("write");
    let mut c = ask_args(tmp.path());
    c.args(["ask", "what is rhIL-2?"]);
    let text = stdout(&run(c, None));
    assert!(
        text.trim_end().ends_with("Ask your oncologist, please."),
        "{text}"
    );
}

#[test]
fn explain_says_why_an_answer_was_given() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut c = ask_args(tmp.path());
    c.args([
        "ask",
        "--explain",
        "My wife starts soon. Can IL-2 be given as an injection under the skin?",
    ]);
    let out = run(c, None);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    let (reply, why) = text
        .split_once("\nWhy:\n")
        .expect("an explanation after the reply");
    assert!(reply.contains("Subcutaneous"), "{reply}");
    assert!(reply.trim_end().ends_with(referral()), "{reply}");
    assert!(why.contains("question terms"), "{why}");
    assert!(why.contains("matched:"), "{why}");
    assert!(
        why.contains("decision: confidence") && why.contains("answered with"),
        "{why}"
    );
    // The story sentence is outside the focus; the asking one is in it.
    assert!(
        why.lines()
            .any(|l| l.trim_start().starts_with("subcutan") && l.contains('*')),
        "{why}"
    );
}

#[test]
fn explain_says_a_post_of_everyday_words_only_is_not_answered_whatever_its_confidence() {
    let v = explain_json("is this normal?");
    assert_eq!(v["answered"], false, "{v}");
    let why = v["explain"]["why"].as_str().expect("why");
    assert!(
        why.contains("only everyday English words of its alternate questions"),
        "{why}"
    );
}

#[test]
fn a_question_asking_for_a_measure_the_faq_never_states_is_not_answered_and_explain_says_so() {
    for (q, kind) in [
        (
            "how many units are in a subcutaneous IL-2 shot?",
            "an amount",
        ),
        (
            "How many days does an IL-2 infusion in hospital take?",
            "a duration",
        ),
        (
            "what is the ten year survival rate of kidney cancer patients on IL-2?",
            "a percentage",
        ),
    ] {
        let v = explain_json(q);
        assert_eq!(v["answered"], false, "{v}");
        let why = v["explain"]["why"].as_str().expect("why");
        assert!(
            why.contains(kind) && why.contains("states none"),
            "{q}: {why}"
        );
    }
    // Counting people or ways is not asking for a measure the passages lack; a share the FAQ
    // states as a figure is answered with it.
    for q in [
        "How many people respond to IL-2?",
        "How many ways are there to have IL-2?",
        "What percentage of patients respond to IL-2?",
    ] {
        assert_eq!(explain_json(q)["answered"], true, "{q}");
    }
}

#[test]
fn a_question_about_a_place_or_organisation_the_faq_never_names_is_not_answered_and_explain_says_so(
) {
    for (q, name) in [
        (
            "Does Kaiser pay for subcutaneous IL-2 injections at home?",
            "kaiser",
        ),
        ("Which clinics in Florida give IL-2 infusions?", "florida"),
    ] {
        let v = explain_json(q);
        assert_eq!(v["answered"], false, "{v}");
        let why = v["explain"]["why"].as_str().expect("why");
        assert!(
            why.contains(&format!("\"{name}\"")) && why.contains("never mentions"),
            "{q}: {why}"
        );
    }
    // A place in the story around the question is not what it asks about.
    let v = explain_json("We drove up from Florida for my dad's treatment. How is IL-2 given?");
    assert_eq!(v["answered"], true, "{v}");
}

#[test]
fn explain_json_says_why_a_question_was_not_answered() {
    let v = explain_json("does my insurance with Aetna pay for IL-2?");
    assert_eq!(v["answered"], false, "{v}");
    let why = &v["explain"];
    assert_eq!(why["answered"], false, "{why}");
    assert!(
        why["confidence"].as_f64().expect("confidence")
            < why["threshold"].as_f64().expect("threshold")
    );
    let aetna = term_for(&v, "aetna");
    assert_eq!(aetna["known"], false);
    assert!(
        aetna["specificity"].as_f64().expect("specificity") > 0.5,
        "{aetna}"
    );
    assert!(why["why"].as_str().expect("why").contains("below"), "{why}");
    assert!(!why["candidates"].as_array().expect("candidates").is_empty());
    // The contract's keys are all still there.
    for k in [
        "question",
        "answered",
        "entry_id",
        "passage",
        "score",
        "confidence",
        "alternatives",
        "urgent",
        "reply",
    ] {
        assert!(v.get(k).is_some(), "{k} in {v}");
    }
}

#[test]
fn a_place_the_faq_never_names_counts_fully_against_the_answer() {
    // "Ohio" is a frequent English word: only as a name does it weigh against the answer.
    let v = explain_json("Can I get IL-2 at a hospital in Ohio?");
    let ohio = term_for(&v, "ohio");
    assert_eq!(ohio["known"], false, "{ohio}");
    assert!(
        ohio["specificity"].as_f64().expect("specificity") > 0.99,
        "{ohio}"
    );
    assert_eq!(v["answered"], false, "{v}");
    // Each candidate says which passage it is.
    for cand in v["explain"]["candidates"].as_array().expect("candidates") {
        assert!(
            !cand["passage"].as_str().expect("passage text").is_empty(),
            "{cand}"
        );
    }
}

#[test]
fn a_misspelt_drug_name_with_its_number_reads_as_the_drug() {
    // "interlukin 2": the misspelt word is read as the synonym word "interleukin", and the "2"
    // after it completes the phrase "interleukin 2" instead of counting as a word of its own.
    let v = explain_json("wat is interlukin 2");
    let terms = v["explain"]["terms"].as_array().expect("terms");
    let words: Vec<&str> = terms.iter().filter_map(|t| t["term"].as_str()).collect();
    assert_eq!(words, ["il_2"], "{terms:?}");
    let respelt = &v["explain"]["respelt"];
    assert_eq!(respelt[0]["from"], "interlukin", "{respelt}");
    assert_eq!(respelt[0]["to"], "interleukin", "{respelt}");
    assert_eq!(v["answered"], true, "{v}");
    assert_eq!(v["entry_id"], "what-is-recombinant-human-interleukin-2");
}

#[test]
fn a_misspelt_word_is_read_as_the_english_word_before_the_question_is_analysed() {
    // Misspelt inside a synonym phrase, "cacner" would leave "breast" on its own (the FAQ
    // indexes "breast cancer" as one term); a misspelt everyday word ("usaully") would count as
    // a rare word against the answer.
    for (q, from, to) in [
        ("is IL-2 any good for breast cacner", "cacner", "cancer"),
        ("How is IL-2 usaully given?", "usaully", "usually"),
        // A word of the FAQ's synonyms that a general English list lacks.
        (
            "is premeidcation just for the IV or for the shots too",
            "premeidcation",
            "premedication",
        ),
    ] {
        let v = explain_json(q);
        assert_eq!(v["answered"], true, "{q}: {v}");
        let respelt = v["explain"]["respelt"].as_array().expect("respelt");
        assert!(
            respelt.iter().any(|r| r["from"] == from && r["to"] == to),
            "{q}: {respelt:?}"
        );
        let terms = v["explain"]["terms"].as_array().expect("terms");
        assert!(terms.iter().all(|t| t["known"] == true), "{q}: {terms:?}");
    }
    // "breast cancer" is one term again.
    let v = explain_json("is IL-2 any good for breast cacner");
    let terms = v["explain"]["terms"].as_array().expect("terms");
    assert!(
        terms.iter().any(|t| t["term"] == "breast_cancer"),
        "{terms:?}"
    );
    // Words that are not misspellings are left as they are: an unknown drug's name, the FAQ's
    // own words, a name.
    for q in [
        "is keytruda better than IL-2 for melanoma",
        "is aldesleukin given as a drip?",
        "which hospitals in Texas give IL-2?",
    ] {
        let v = explain_json(q);
        assert_eq!(v["explain"]["respelt"], serde_json::json!([]), "{q}: {v}");
    }
}

#[test]
fn explain_text_says_which_misspelt_words_were_read_as_what() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut c = ask_args(tmp.path());
    c.args(["ask", "--explain", "what is an infsuion reaction?"]);
    let text = stdout(&run(c, None));
    assert!(
        text.contains("read \"infsuion\" as \"infusion\" (a misspelling)"),
        "{text}"
    );
}

#[test]
fn a_real_word_derived_from_an_faq_word_reads_as_it() {
    // The stemmer leaves "infectious" as "infecti" and the FAQ's "infections" as "infect": a
    // real word is never a typo, but it is read as the FAQ word it is derived from.
    let v = explain_json("is il-2 used against infectious illnesses?");
    let infectious = term_for(&v, "infectious");
    assert_eq!(infectious["term"], "infect", "{infectious}");
    assert_eq!(infectious["known"], true, "{infectious}");
}

#[test]
fn a_word_of_another_meaning_is_not_read_as_the_faq_word_it_shares_letters_with() {
    // The FAQ says "over several hours"; "severe" is not derived from "several".
    let v = explain_json("how severe are the side effects of il-2?");
    let severe = term_for(&v, "severe");
    assert_eq!(severe["term"], "severe", "{severe}");
    assert_eq!(severe["known"], false, "{severe}");
}

#[test]
fn an_adjective_reads_as_the_adverb_or_comparative_the_faq_uses() {
    // The FAQ says "slowly pumped in" and "lower doses"; a member writes "slow" and "low".
    for (question, word, faq_term) in [
        ("does the il-2 drip go in slow?", "slow", "slowli"),
        ("is the response to il-2 low for melanoma?", "low", "lower"),
    ] {
        let v = explain_json(question);
        let t = term_for(&v, word);
        assert_eq!(t["term"], faq_term, "{t}");
        assert_eq!(t["known"], true, "{t}");
    }
}

#[test]
fn a_person_named_in_the_question_does_not_count_against_the_answer() {
    let v = explain_json("My wife Sarah has melanoma, could IL-2 help her?");
    let sarah = term_for(&v, "sarah");
    assert!(
        sarah["specificity"].as_f64().expect("specificity") < 0.5,
        "{sarah}"
    );
    assert_eq!(v["answered"], true, "{v}");
}

#[test]
fn a_word_the_faq_says_only_inside_a_phrase_is_left_out_and_explained() {
    // The FAQ says "recombinant" only in "recombinant human interleukin 2" (the drug's term):
    // the word alone is not one the FAQ lacks.
    let question = "is the recombinant kind a protein?";
    let v = explain_json(question);
    assert_eq!(
        v["explain"]["in_phrases"],
        serde_json::json!(["recombinant"]),
        "{v}"
    );
    let terms = v["explain"]["terms"].as_array().expect("terms");
    assert!(terms.iter().all(|t| t["known"] == true), "{terms:?}");
    let tmp = tempfile::tempdir().expect("tmp");
    let mut c = ask_args(tmp.path());
    c.args(["ask", "--explain", question]);
    let out = run(c, None);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout(&out).contains("left out \"recombinant\""),
        "{}",
        stdout(&out)
    );
}
