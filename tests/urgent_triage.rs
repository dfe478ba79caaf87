//! Urgent-symptom triage: red-flag phrasings get the group's notice first, ordinary and general
//! questions (every question of the dev set among them) do not; the notice reaches the reply,
//! `ask --json` and `faqbot check`.

mod common;
use common::*;
use faqbot::answer::URGENT_TITLE;
use faqbot::answer::{AnswerSettings, Engine, IndexLocation};
use faqbot::answer::{Referral, Reply, ReplyKind};
use faqbot::faq::FaqSource;
use faqbot::triage::{Triage, DEFAULT_CRISIS_LINE};
use std::sync::OnceLock;

fn triage() -> &'static Triage {
    static T: OnceLock<Triage> = OnceLock::new();
    T.get_or_init(|| {
        let text = std::fs::read_to_string(shipped_faq().join("urgent.toml")).expect("urgent.toml");
        Triage::parse("faq/urgent.toml", &text).expect("shipped urgent.toml is valid")
    })
}

/// Every phrasing must match `group` first (or at least among the matches).
fn assert_group(group: &str, phrasings: &[&str]) {
    let mut missed = Vec::new();
    for q in phrasings {
        let all = triage().check_all(q);
        if !all.iter().any(|m| m.group == group) {
            missed.push(format!(
                "{q:?} -> {:?}",
                all.iter().map(|m| &m.group).collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        missed.is_empty(),
        "not flagged as {group}:\n{}",
        missed.join("\n")
    );
}

fn assert_not_urgent(questions: &[&str]) {
    let flagged: Vec<String> = questions
        .iter()
        .filter_map(|q| {
            triage()
                .check(q)
                .map(|m| format!("{q:?} -> {} (pattern {:?})", m.group, m.pattern))
        })
        .collect();
    assert!(
        flagged.is_empty(),
        "flagged as urgent:\n{}",
        flagged.join("\n")
    );
}

#[test]
fn trouble_breathing() {
    assert_group(
        "breathing",
        &[
            "I can't breathe",
            "i cant breathe properly since the infusion",
            "My husband cannot breathe, what do we do",
            "my dad is struggling to breathe after his IL-2",
            "she's short of breath and her lips look blue",
            "I’m really short of breath tonight",
            "Shortness of breath since this morning, getting worse",
            "having trouble breathing after the drip",
            "Help! Can barely breathe",
            "my mum is gasping for air",
            "I can't catch my breath even sitting down",
            "I could not breathe last night and still feel awful",
            "SHORT OF BREATH AND DIZZY",
        ],
    );
}

#[test]
fn chest_pain() {
    assert_group(
        "chest-pain",
        &[
            "I have chest pain",
            "chest pain since this morning",
            "My chest hurts when I breathe in",
            "my chest really hurts after the infusion",
            "I've got a crushing pain in my chest",
            "Sharp pain in my chest and left arm",
            "my wife says her chest feels tight",
            "there's pressure on my chest, is this normal?",
            "I think I'm having a heart attack",
            "I'm having some chest discomfort",
            "is my dad having a heart attack? he has chest pains",
            "chest pain after IL-2, should I go to A&E",
        ],
    );
}

#[test]
fn fainting_or_confusion() {
    assert_group(
        "fainting-confusion",
        &[
            "I fainted this morning",
            "my husband passed out in the kitchen",
            "I keep feeling faint",
            "Mum is confused and very drowsy since her infusion",
            "he seems confused and doesn't know where he is",
            "my dad is disoriented and talking nonsense",
            "she collapsed after her treatment",
            "he won't wake up properly",
            "my wife had a seizure an hour ago",
            "I blacked out for a few seconds",
        ],
    );
}

#[test]
fn fever_or_shaking_chills() {
    assert_group(
        "fever",
        &[
            "I have a fever of 40 and shaking chills after my IL-2 infusion",
            "fever of 39.5 since last night",
            "my temperature is 38.6",
            "My temp is 103F",
            "temp 39,2 and shivering",
            "my son has a fever",
            "I've got a high temperature and feel awful",
            "I'm burning up",
            "shaking chills after the infusion, is this common?",
            "I can't stop shaking and my teeth are chattering",
            "he has rigors",
            "she's running a fever",
        ],
    );
}

#[test]
fn severe_bleeding() {
    assert_group(
        "bleeding",
        &[
            "I'm bleeding heavily from the injection site",
            "the bleeding won't stop",
            "my nose is bleeding and it won't stop bleeding",
            "my dad is vomiting blood",
            "I threw up blood",
            "coughing up blood this morning",
            "there is blood in my stool",
            "black tarry stools since yesterday",
            "lots of blood from his IV line",
        ],
    );
}

#[test]
fn low_blood_pressure() {
    assert_group(
        "low-blood-pressure",
        &[
            "I get really dizzy when I stand up",
            "dizzy every time I get up",
            "I feel light-headed when standing",
            "the IL-2 made me really dizzy when I stood up",
            "her blood pressure dropped to 80/50",
            "my BP is 85 over 50",
            "his blood pressure is very low",
            "my pulse is really fast and my skin is cold and clammy",
            "he has barely peed all day, not peeing at all",
            "I'm very dizzy",
        ],
    );
}

#[test]
fn a_racing_or_irregular_heartbeat() {
    assert_group(
        "heart-rhythm",
        &[
            "my heart is racing and I feel weak",
            "My heart has been racing since the infusion",
            "My heart rate is 140",
            "my heart keeps skipping and fluttering",
        ],
    );
}

#[test]
fn hypotheticals_past_events_that_are_over_and_jokes_are_not_emergencies() {
    assert_not_urgent(&[
        "what should I do if my husband can't breathe?",
        "in case of a fever, who do we call?",
        "I had a fever on Monday but it went away",
        "I had a seizure as a kid",
        "I nearly passed out laughing",
    ]);
}

#[test]
fn self_harm_is_always_urgent() {
    assert_group(
        "self-harm",
        &[
            "I want to end it all",
            "I just want to die",
            "sometimes I want to die",
            "i wanna die",
            "sometimes I think about killing myself",
            "I don't want to live anymore",
            "I've been having suicidal thoughts",
            "is suicide common with IL-2?",
            "everyone would be better off without me",
            "what's the point, there's no reason to live",
            "thinking of taking my own life",
            "I want to hurt myself",
            "I'm not suicidal but I think about ending it all",
        ],
    );
    let m = triage().check("I want to end it all").expect("urgent");
    assert!(
        m.notice.contains("{crisis_line}"),
        "uses the configured crisis line"
    );
    assert!(m.notice_with("").contains(DEFAULT_CRISIS_LINE));
    assert!(m.notice_with("call 988").contains("call 988"));
}

#[test]
fn negation_is_not_an_emergency() {
    assert_not_urgent(&[
        "no chest pain, just tired",
        "I don't have a fever",
        "I do not have a high fever but my joints ache",
        "no fever or chills after the first dose",
        "I haven't fainted",
        "I never had trouble breathing on IL-2",
        "she has no shortness of breath",
        "without any chest pain",
        "my dad isn't confused, just tired",
    ]);
    // ... but a negation does not reach past "but" or a comma.
    assert_group("chest-pain", &["No fever, but I have chest pain"]);
    assert_group("breathing", &["I don't have a fever and I can't breathe"]);
    assert_group("fever", &["not sure if it's normal, I have a fever of 39"]);
}

#[test]
fn general_questions_are_not_emergencies() {
    assert_not_urgent(&[
        "can IL-2 cause a fever?",
        "what are the side effects",
        "what are the side effects of IL-2?",
        "does IL-2 cause low blood pressure?",
        "is shortness of breath a common side effect?",
        "will I have trouble breathing on IL-2?",
        "can I get chest pain from IL-2?",
        "will I get a fever after the infusion?",
        "what is capillary leak syndrome",
        "how common are fevers and chills with aldesleukin?",
        "is fainting a side effect of interleukin-2",
        "why does IL-2 cause a fever",
        "what causes the shaking chills with IL-2",
        "I read that IL-2 can cause chest pain",
        "my oncologist said I might get a fever",
        "what are the chances I get a high fever?",
        "can you get a fever from proleukin",
        "do people get dizzy on IL-2",
        "does everyone get rigors with high dose IL-2",
        "how do they treat low blood pressure during IL-2",
        "what does a fever mean during treatment",
        "I had chest pain years ago, can I still have IL-2?",
        "he has a history of heart attack, is IL-2 safe",
        "how long does the IL-2 treatment last",
        "is IL-2 a chemo",
        "my dad has melanoma, is IL-2 an option?",
        "I'm confused about the dosing schedule",
        "I feel a bit tired after my shots",
        "is it normal to feel nauseous after IL-2",
        "what is the dose of IL-2 in units per kg",
        "the 2 doses were 40 minutes apart",
        "Our room temperature is 21 degrees",
        // Fear of dying is not a thought of self-harm.
        "I don't want to die, is IL-2 my best chance?",
    ]);
}

#[test]
fn dev_set_questions_are_not_urgent() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/dev.jsonl")).expect("dev set");
    let questions: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            v["q"].as_str().expect("q").to_string()
        })
        .collect();
    assert!(questions.len() >= 60);
    let refs: Vec<&str> = questions.iter().map(String::as_str).collect();
    assert_not_urgent(&refs);
}

#[test]
fn hostile_and_huge_input_is_fine() {
    let huge = "chest ".repeat(20_000);
    let _ = triage().check_all(&huge);
    let started = std::time::Instant::now();
    let long = "I am ok and nothing hurts. ".repeat(400);
    assert!(triage().check(&long).is_none());
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    for q in [
        "",
        "\u{0}\u{7f}",
        "…",
        "'''",
        "39..40",
        "-- - -",
        "@everyone",
        "ǅ\u{301}",
    ] {
        let _ = triage().check(q);
    }
    assert!(triage()
        .check("<@1001> I can't breathe @everyone")
        .is_some());
}

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        Engine::open(
            &FaqSource::Dir(shipped_faq()),
            &IndexLocation::Memory,
            AnswerSettings::default(),
        )
        .expect("shipped FAQ opens")
    })
}

#[test]
fn urgent_reply_puts_the_notice_first_then_the_answer_then_the_referral() {
    let referral = Referral::default();
    let q = "I have a fever of 40 and shaking chills after my IL-2 infusion";
    let answer = engine().answer(q);
    assert!(answer.urgent);
    let notice = answer.urgent_notice.clone().expect("notice");
    assert!(notice.contains("38 °C"), "{notice}");
    let reply = Reply::for_answer(&answer, &referral);
    assert!(reply.urgent);
    assert_eq!(reply.title.as_deref(), Some(URGENT_TITLE));
    let text = reply.to_text();
    let at_notice = text.find(&notice).expect("notice in reply");
    let at_referral = text.rfind(referral.text()).expect("referral");
    assert!(at_notice < at_referral);
    assert!(text.ends_with(referral.text()));
    if let Some(best) = &answer.best {
        let at_passage = text.find(best.passage.as_str()).expect("passage quoted");
        assert!(at_notice < at_passage && at_passage < at_referral);
        assert_eq!(reply.kind, ReplyKind::Answer);
    }

    let calm = engine().answer("can IL-2 cause a fever?");
    assert!(!calm.urgent && calm.urgent_notice.is_none());
    let reply = Reply::for_answer(&calm, &referral);
    assert!(!reply.urgent);
    assert_ne!(reply.title.as_deref(), Some(URGENT_TITLE));
}

#[test]
fn urgent_without_an_answer_still_gets_the_notice_and_referral() {
    let referral = Referral::default();
    let answer = engine().answer("my husband can't breathe");
    assert!(answer.urgent);
    let reply = Reply::for_answer(&answer, &referral);
    let text = reply.to_text();
    assert!(text.contains("call your local emergency number"), "{text}");
    assert!(text.ends_with(referral.text()));
}

#[test]
fn crisis_line_comes_from_the_config() {
    let cfg = faqbot::Config::from_toml(
        "[answer]\ncrisis_line = \"call or text 988 (US) or Samaritans on 116 123 (UK)\"\n",
        "c.toml",
    )
    .expect("valid");
    let engine = Engine::open(
        &FaqSource::Dir(shipped_faq()),
        &IndexLocation::Memory,
        cfg.answer_settings(),
    )
    .expect("opens");
    let answer = engine.answer("I want to end it all");
    let notice = answer.urgent_notice.expect("urgent");
    assert!(notice.contains("call or text 988"), "{notice}");
    assert!(!notice.contains("{crisis_line}"));
    let e = faqbot::Config::from_toml("[answer]\ncrisis_line = \" \"\n", "c.toml").unwrap_err();
    assert!(e.to_string().contains("crisis_line"), "{e}");
}

#[test]
fn ask_json_marks_urgent_questions() {
    let out = run(
        {
            let mut c = faqbot(&root());
            c.args(["ask", "--json", "I can't breathe and my chest hurts"]);
            c
        },
        None,
    );
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("json");
    assert_eq!(v["urgent"], true);
    let reply = v["reply"].as_str().expect("reply");
    assert!(reply.starts_with(URGENT_TITLE), "{reply}");
    assert!(reply.ends_with(referral()));
    // It names each red flag and the words that raised it.
    let flags = v["red_flags"].as_array().expect("red_flags");
    let raised: Vec<(&str, &str)> = flags
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap_or(""),
                f["words"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        raised,
        [
            ("breathing", "can not breathe"),
            ("chest-pain", "chest hurts")
        ],
        "{v}"
    );
    assert!(flags
        .iter()
        .all(|f| f["pattern"].is_string() && f["name"].is_string()));

    let out = run(
        {
            let mut c = faqbot(&root());
            c.args(["ask", "--json", "can IL-2 cause a fever?"]);
            c
        },
        None,
    );
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("json");
    assert_eq!(v["urgent"], false);
    assert_eq!(v["red_flags"], serde_json::json!([]));
}

#[test]
fn a_folder_without_urgent_toml_uses_the_built_in_rules() {
    let (_tmp, dir) = copy_of_shipped_faq();
    std::fs::remove_file(dir.join("urgent.toml")).expect("remove");
    let e = Engine::open(
        &FaqSource::Dir(dir),
        &IndexLocation::Memory,
        AnswerSettings::default(),
    )
    .expect("opens");
    assert!(e.answer("I can't breathe").urgent);
    assert!(!e.triage().is_empty());
}

#[test]
fn changing_urgent_toml_changes_the_fingerprint_and_the_rules() {
    let (_tmp, dir) = copy_of_shipped_faq();
    let before = faqbot::faq::load_faq(&FaqSource::Dir(dir.clone())).expect("valid");
    std::fs::write(
        dir.join("urgent.toml"),
        "[[group]]\nid = \"test\"\nname = \"Test\"\nnotice = \"Call now.\"\npatterns = [\"purple spots\"]\n",
    )
    .expect("write");
    let after = faqbot::faq::load_faq(&FaqSource::Dir(dir.clone())).expect("valid");
    assert_ne!(before.fingerprint, after.fingerprint, "a change reloads");
    let rules = faqbot::triage::load(&FaqSource::Dir(dir)).expect("valid rules");
    assert!(rules.check("I have purple spots").is_some());
    assert!(rules.check("I can't breathe").is_none());
}

fn check_urgent(text: &str) -> (i32, String, String) {
    let (tmp, dir) = copy_of_shipped_faq();
    let path = dir.join("urgent.toml");
    std::fs::write(&path, text).expect("write");
    let mut c = faqbot(tmp.path());
    c.arg("--faq-dir").arg(&dir).arg("check");
    let out = run(c, None);
    (
        out.status.code().unwrap_or(-1),
        stdout(&out),
        path.display().to_string(),
    )
}

#[test]
fn check_reports_urgent_toml_problems_with_file_and_line() {
    let cases: &[(&str, usize, &str)] = &[
        ("[[group]]\nid = \"a\"\nname = \"A\"\nnotice = \"N\"\npatterns = [\"x\"\n", 6, "bad urgent-symptom file"),
        ("[[group]]\nid = \"a\"\nname = \"A\"\nnotice = \"N\"\npatterns = [\"ok\"]\ncolour = 1\n", 6, "unknown field"),
        ("[[group]]\nid = \"a\"\nname = \"A\"\npatterns = [\"ok\"]\n", 1, "without a notice"),
        ("[[group]]\nid = \"a\"\nname = \"A\"\nnotice = \"N\"\npatterns = [\"ok\", \"... fever\"]\n", 5, "may not start"),
        ("[[group]]\nid = \"a\"\nname = \"A\"\nnotice = \"N\"\npatterns = [\n  \"ok\",\n  \"45..38\",\n]\n", 7, "low to high"),
        ("[[group]]\nid = \"a\"\nname = \"A\"\nnotice = \"Call {crisis}\"\npatterns = [\"ok\"]\n", 4, "unknown placeholder"),
        ("[[group]]\nid = \"a\"\nname = \"A\"\nnotice = \"N\"\npatterns = [\"ok\"]\n\n[[group]]\nid = \"a\"\nname = \"B\"\nnotice = \"N\"\npatterns = [\"OK!\"]\n", 8, "used twice"),
        ("[[group]]\nid = \"a\"\nname = \"A\"\nnotice = \"N\"\npatterns = [\"ok\"]\n\n[[group]]\nid = \"b\"\nname = \"B\"\nnotice = \"N\"\npatterns = [\"OK!\"]\n", 11, "listed twice"),
        ("# nothing here\n", 1, "no [[group]]"),
    ];
    for (text, line, words) in cases {
        let (code, out, path) = check_urgent(text);
        assert_eq!(code, 1, "{text}\n{out}");
        let want = format!("{path}:{line}: ");
        assert!(
            out.lines()
                .any(|l| l.starts_with(&want) && l.contains(words)),
            "expected {want}…{words}… for\n{text}\ngot:\n{out}"
        );
    }
    let (code, out, _) =
        check_urgent(&std::fs::read_to_string(shipped_faq().join("urgent.toml")).expect("read"));
    assert_eq!(code, 0, "{out}");
}

/// One message of `tests/fixtures/urgent_messages.txt`.
struct Labelled {
    kind: String,
    /// The group it must raise; `None` for a message that must raise none.
    group: Option<String>,
    text: String,
}

fn own_message_set() -> Vec<Labelled> {
    let path = root().join("tests/fixtures/urgent_messages.txt");
    let text = std::fs::read_to_string(&path).expect("urgent_messages.txt");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.splitn(3, '|');
            let (kind, group, text) = (
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
            );
            Labelled {
                kind: kind.to_string(),
                group: (group != "-").then(|| group.to_string()),
                text: text.to_string(),
            }
        })
        .collect()
}

#[test]
fn the_own_message_set_covers_every_sign_and_every_hard_kind() {
    let set = own_message_set();
    let urgent = set.iter().filter(|m| m.group.is_some()).count();
    let suicidal = set.iter().filter(|m| m.kind == "suicide-indirect").count();
    assert!(set.len() >= 200 && urgent >= 100 && set.len() - urgent >= 100);
    assert!(suicidal >= 30, "{suicidal} indirect suicidal messages");
    let groups: std::collections::HashSet<&str> =
        set.iter().filter_map(|m| m.group.as_deref()).collect();
    for g in triage().groups() {
        assert!(groups.contains(g.id.as_str()), "no message for {}", g.id);
    }
    for g in &groups {
        assert!(
            triage().groups().iter().any(|t| t.id == *g),
            "{g} is not a group of urgent.toml"
        );
    }
}

#[test]
fn every_suicidal_message_is_caught_and_nearly_every_other_red_flag_with_few_false_alarms() {
    let set = own_message_set();
    let mut missed_suicidal = Vec::new();
    let (mut other_urgent, mut other_caught, mut right_group) = (0, 0, 0);
    let mut missed = Vec::new();
    let (mut calm, mut false_alarms) = (0, Vec::new());
    for m in &set {
        let found = triage().check_all(&m.text);
        let groups: Vec<&str> = found.iter().map(|f| f.group.as_str()).collect();
        match m.group.as_deref() {
            Some("self-harm") => {
                if !groups.contains(&"self-harm") {
                    missed_suicidal.push(format!("{:?} -> {groups:?}", m.text));
                }
            }
            Some(g) => {
                other_urgent += 1;
                if groups.is_empty() {
                    missed.push(format!("{} {:?}", m.kind, m.text));
                } else {
                    other_caught += 1;
                    if groups.contains(&g) {
                        right_group += 1;
                    }
                }
            }
            None => {
                calm += 1;
                if let Some(f) = found.first() {
                    false_alarms.push(format!(
                        "{} {:?} -> {} ({:?})",
                        m.kind, m.text, f.group, f.pattern
                    ));
                }
            }
        }
    }
    let suicidal = set
        .iter()
        .filter(|m| m.group.as_deref() == Some("self-harm"))
        .count();
    eprintln!(
        "own set: suicidal {}/{suicidal} caught; other red flags {other_caught}/{other_urgent} \
         caught, {right_group} in the right group; false alarms {}/{calm}",
        suicidal - missed_suicidal.len(),
        false_alarms.len()
    );
    assert!(
        missed_suicidal.is_empty(),
        "suicidal thinking missed:\n{}",
        missed_suicidal.join("\n")
    );
    let caught = other_caught as f64 / other_urgent as f64;
    assert!(
        caught >= 0.97,
        "{other_caught}/{other_urgent} other red flags caught; missed:\n{}",
        missed.join("\n")
    );
    assert!(
        right_group as f64 / other_urgent as f64 >= 0.90,
        "{right_group}/{other_urgent} in the right group"
    );
    let alarm_rate = false_alarms.len() as f64 / calm as f64;
    assert!(
        alarm_rate <= 0.03,
        "{} false alarms in {calm}:\n{}",
        false_alarms.len(),
        false_alarms.join("\n")
    );
}
