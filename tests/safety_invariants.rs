//! The referral invariant, proven over hostile text: for every reply kind (answer, no answer,
//! urgent, list, help, error, notice) the Discord message that `render` produces carries the
//! referral uncut, stays within Discord's limits, keeps an urgent notice whole and first, and
//! the message builders ping nobody.

use faqbot::answer::URGENT_TITLE;
use faqbot::answer::{Answer, Hit, Referral, Reply, ReplyKind};
use faqbot::answer::{AnswerSettings, Engine, IndexLocation};
use faqbot::discord::render::{
    self, CONTENT_MAX, DESCRIPTION_MAX, EMBEDS_TOTAL_MAX, FIELD_MAX, FOOTER_MAX, TITLE_MAX,
};
use faqbot::faq::entry::{Entry, Faq, FrontMatter, Passage};
use faqbot::faq::FaqSource;
use proptest::prelude::*;
use serde_json::Value;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("faq");
        Engine::open(
            &FaqSource::Dir(dir),
            &IndexLocation::Memory,
            AnswerSettings::default(),
        )
        .expect("shipped FAQ opens")
    })
}

/// A real answer to mutate (so new fields of `Answer` and `Hit` need no change here).
fn template() -> (Answer, Hit) {
    let a = engine().answer("How is IL-2 given?");
    let hit = a.best.clone().expect("the shipped FAQ answers this");
    (a, hit)
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Text members or moderators might write, at its worst.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        2 => r"(@everyone|@here|<@!?[0-9]{1,20}>|<@&[0-9]{1,20}>|<#[0-9]{1,20}>|<:a:[0-9]{1,5}>|```|\*\*|__|~~|\|\||> |# |\[x\]\(https://e\.x\)|[a-zA-Z ]{1,12}|\n|\r\n|\t){0,80}",
        1 => r"[\x00-\x1f\x7f\u{200b}\u{202e}\u{feff}]{0,60}",
        1 => proptest::collection::vec(any::<char>(), 2_000..9_000)
            .prop_map(|v| v.into_iter().collect::<String>()),
        1 => (1usize..9_000).prop_map(|n| "🎗️".repeat(n / 2 + 1)),
    ]
}

/// A referral as the config allows it: not blank, at most 1,000 characters.
fn referral() -> impl Strategy<Value = Referral> {
    prop_oneof![
        Just(String::new()),
        proptest::collection::vec(any::<char>(), 1..1_000)
            .prop_map(|v| v.into_iter().collect::<String>()),
        r"(@everyone |<@1001> |\*\*|[a-z ]{1,20}){1,40}".prop_map(|s: String| s),
    ]
    .prop_map(|r| {
        let text: String = r.trim().chars().take(1_000).collect();
        Referral::new(&text).unwrap_or_default()
    })
}

/// One reply of each kind, built from hostile text.
#[derive(Debug, Clone)]
enum Case {
    Answer {
        question: String,
        heading: Option<String>,
        passage: String,
        source: String,
        did_you_mean: Vec<String>,
    },
    NoAnswer {
        topics: Vec<String>,
        nothing_matched: bool,
    },
    Urgent {
        notice: String,
        answered: bool,
        passage: String,
    },
    List(Vec<String>),
    Help,
    Error(String),
    Notice(String),
    Asked(String),
}

fn case() -> impl Strategy<Value = Case> {
    prop_oneof![
        (
            text(),
            proptest::option::of(text()),
            text(),
            text(),
            proptest::collection::vec(text(), 0..4)
        )
            .prop_map(|(question, heading, passage, source, did_you_mean)| {
                Case::Answer {
                    question,
                    heading,
                    passage,
                    source,
                    did_you_mean,
                }
            }),
        (proptest::collection::vec(text(), 0..6), any::<bool>()).prop_map(
            |(topics, nothing_matched)| Case::NoAnswer {
                topics,
                nothing_matched
            }
        ),
        // Notices as urgent.toml allows them: two of at most 600 characters plus crisis lines.
        (
            proptest::collection::vec(any::<char>(), 1..1_800)
                .prop_map(|n| n.into_iter().collect::<String>())
                .prop_filter("a notice has words", |n| !n.trim().is_empty()),
            any::<bool>(),
            text()
        )
            .prop_map(|(notice, answered, passage)| Case::Urgent {
                notice,
                answered,
                passage,
            }),
        proptest::collection::vec(text(), 0..40).prop_map(Case::List),
        Just(Case::Help),
        text().prop_map(Case::Error),
        text().prop_map(Case::Notice),
        text().prop_map(Case::Asked),
    ]
}

fn reply_for(case: &Case, referral: &Referral) -> Reply {
    let (mut a, mut hit) = template();
    match case {
        Case::Answer {
            question,
            heading,
            passage,
            source,
            did_you_mean,
        } => {
            hit.entry_question = question.clone();
            hit.heading = heading.clone();
            hit.passage = passage.clone();
            hit.source = source.clone();
            a.best = Some(hit);
            a.did_you_mean = did_you_mean.clone();
            a.urgent = false;
            a.urgent_notice = None;
            Reply::for_answer(&a, referral)
        }
        Case::NoAnswer {
            topics,
            nothing_matched,
        } => {
            a.best = None;
            a.closest_topics = topics.clone();
            a.nothing_matched = *nothing_matched;
            Reply::for_answer(&a, referral)
        }
        Case::Urgent {
            notice,
            answered,
            passage,
        } => {
            hit.passage = passage.clone();
            a.best = answered.then_some(hit);
            a.urgent = true;
            a.urgent_notice = Some(notice.clone());
            Reply::for_answer(&a, referral)
        }
        Case::List(questions) => {
            let faq = Faq {
                entries: questions
                    .iter()
                    .enumerate()
                    .map(|(i, q)| Entry {
                        meta: FrontMatter {
                            id: format!("e{i}"),
                            question: q.clone(),
                            aliases: vec![],
                            tags: vec![],
                            source: String::new(),
                        },
                        passages: vec![Passage {
                            heading: None,
                            text: "x".to_string(),
                            questions: vec![],
                        }],
                        file: format!("{i}.md"),
                    })
                    .collect(),
                ..Faq::default()
            };
            Reply::topic_list(&faq, referral)
        }
        Case::Help => Reply::help(referral),
        Case::Error(m) => Reply::error(m, referral),
        Case::Notice(m) => Reply::notice(m, referral),
        Case::Asked(q) => Reply::for_answer(&engine().answer(q), referral),
    }
}

fn assert_pings_nobody(json: &Value, what: &str) {
    let am = &json["allowed_mentions"];
    assert!(am.is_object(), "{what}: no allowed_mentions in {json}");
    assert_eq!(am["parse"], serde_json::json!([]), "{what}: parse {am}");
    for k in ["users", "roles"] {
        assert!(
            am.get(k)
                .is_none_or(|v| v.is_null() || v.as_array().is_some_and(|a| a.is_empty())),
            "{what}: {k} in {am}"
        );
    }
    assert_eq!(am["replied_user"], Value::Bool(false), "{what}: {am}");
}

/// Every message limit Discord enforces, on the JSON a builder produces.
fn assert_within_limits(json: &Value, what: &str) {
    let len = |v: &Value| v.as_str().map_or(0, chars);
    assert!(len(&json["content"]) <= CONTENT_MAX, "{what}: content");
    let embeds = json["embeds"].as_array().cloned().unwrap_or_default();
    assert!(embeds.len() <= 10);
    let mut total = 0;
    for e in &embeds {
        assert!(len(&e["title"]) <= TITLE_MAX, "{what}: title");
        assert!(
            len(&e["description"]) <= DESCRIPTION_MAX,
            "{what}: description"
        );
        assert!(len(&e["footer"]["text"]) <= FOOTER_MAX, "{what}: footer");
        total += len(&e["title"]) + len(&e["description"]) + len(&e["footer"]["text"]);
        for f in e["fields"].as_array().into_iter().flatten() {
            assert!((1..=256).contains(&len(&f["name"])), "{what}: field name");
            assert!(
                (1..=FIELD_MAX).contains(&len(&f["value"])),
                "{what}: field value"
            );
            total += len(&f["name"]) + len(&f["value"]);
        }
    }
    assert!(total <= EMBEDS_TOTAL_MAX, "{what}: embeds total {total}");
    assert!(
        len(&json["content"]) > 0 || !embeds.is_empty(),
        "{what}: an empty message"
    );
}

/// The referral, uncut, is the last thing shown: the last field of the embed, or the end of the
/// content.
fn assert_referral_last(json: &Value, referral: &Referral, what: &str) {
    let embeds = json["embeds"].as_array().cloned().unwrap_or_default();
    match embeds.last() {
        Some(e) => {
            let fields = e["fields"].as_array().cloned().unwrap_or_default();
            let last = fields.last().expect("the referral field");
            assert_eq!(last["value"].as_str(), Some(referral.text()), "{what}");
        }
        None => {
            let content = json["content"].as_str().unwrap_or("");
            assert!(content.ends_with(referral.text()), "{what}: {content:?}");
        }
    }
}

fn check(case: &Case, referral: &Referral) {
    let reply = reply_for(case, referral);
    assert_eq!(reply.referral(), referral.text());
    assert!(reply.to_text().ends_with(referral.text()));

    let r = render::render(&reply);
    assert!(chars(&r.content) <= CONTENT_MAX);
    match &r.embed {
        Some(e) => {
            assert!(chars(&e.title) <= TITLE_MAX);
            assert!(chars(&e.description) <= DESCRIPTION_MAX);
            assert!(e.footer.as_deref().is_none_or(|f| chars(f) <= FOOTER_MAX));
            assert!(chars(&e.referral.1) <= FIELD_MAX);
            assert!(e.total_chars() <= EMBEDS_TOTAL_MAX);
            assert_eq!(e.referral.1, referral.text(), "referral uncut");
        }
        None => assert!(r.content.ends_with(referral.text()), "referral uncut"),
    }

    if let Case::Urgent { notice, .. } = case {
        assert!(reply.urgent);
        let e = r.embed.as_ref().expect("urgent replies are embeds");
        assert_eq!(e.title, URGENT_TITLE);
        assert!(
            e.description.starts_with(notice.trim()),
            "the notice comes first and whole"
        );
        assert!(matches!(
            reply.kind,
            ReplyKind::Answer | ReplyKind::NoAnswer
        ));
    }

    for ephemeral in [false, true] {
        let json = serde_json::to_value(render::interaction_message(&reply, vec![], ephemeral))
            .expect("serialises");
        assert_pings_nobody(&json, "interaction message");
        assert_within_limits(&json, "interaction message");
        assert_referral_last(&json, referral, "interaction message");
    }
    let json = serde_json::to_value(render::channel_message(&reply, vec![])).expect("serialises");
    assert_pings_nobody(&json, "channel message");
    assert_within_limits(&json, "channel message");
    assert_referral_last(&json, referral, "channel message");
    let json = serde_json::to_value(render::interaction_edit(&reply, vec![])).expect("serialises");
    assert_pings_nobody(&json, "interaction edit");
    assert_within_limits(&json, "interaction edit");
    assert_referral_last(&json, referral, "interaction edit");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_reply_kind_keeps_the_referral_within_discord_limits_and_pings_nobody(
        case in case(),
        referral in referral(),
    ) {
        check(&case, &referral);
    }
}

#[test]
fn every_kind_at_its_extremes() {
    let huge = "x".repeat(50_000);
    let mentions = "@everyone <@1001> <@&3001> ".repeat(500);
    let referrals = [
        Referral::default(),
        Referral::new(&"r".repeat(1_000)).expect("referral"),
        Referral::new("@everyone <@1001> see your oncologist").expect("referral"),
    ];
    let cases = [
        Case::Answer {
            question: huge.clone(),
            heading: Some(huge.clone()),
            passage: huge.clone(),
            source: huge.clone(),
            did_you_mean: vec![huge.clone(); 3],
        },
        Case::Answer {
            question: " ".into(),
            heading: None,
            passage: "\n".into(),
            source: "\t".into(),
            did_you_mean: vec![],
        },
        Case::NoAnswer {
            topics: vec![mentions.clone(); 5],
            nothing_matched: true,
        },
        Case::Urgent {
            notice: "n".repeat(1_800),
            answered: true,
            passage: huge.clone(),
        },
        Case::Urgent {
            notice: "Call now.".into(),
            answered: false,
            passage: String::new(),
        },
        Case::List(vec![huge.clone(); 300]),
        Case::Help,
        Case::Error(mentions.clone()),
        Case::Notice(String::new()),
        Case::Asked(huge),
        Case::Asked("I can't breathe @everyone".into()),
        Case::Asked(mentions),
    ];
    for referral in &referrals {
        for c in &cases {
            check(c, referral);
        }
    }
}

#[test]
fn a_real_urgent_question_renders_the_notice_first() {
    let referral = Referral::default();
    let answer = engine().answer("I have a fever of 40 and shaking chills after my IL-2 infusion");
    let notice = answer.urgent_notice.clone().expect("urgent");
    let reply = Reply::for_answer(&answer, &referral);
    let json = serde_json::to_value(render::interaction_message(&reply, vec![], false))
        .expect("serialises");
    let embed = &json["embeds"][0];
    assert_eq!(embed["title"], URGENT_TITLE);
    let description = embed["description"].as_str().expect("description");
    assert!(description.starts_with(&notice), "{description}");
    assert_referral_last(&json, &referral, "urgent");
}
