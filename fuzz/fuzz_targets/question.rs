//! The whole question path: `Engine::answer` + `Reply::for_answer` + `render` on any text.
//! Never panics, always ends with the referral uncut, always within Discord's limits.
#![no_main]

use faqbot::answer::{Referral, Reply};
use faqbot::discord::render::{self, CONTENT_MAX, DESCRIPTION_MAX, EMBEDS_TOTAL_MAX, TITLE_MAX};
use faqbot::faq::FaqSource;
use faqbot::answer::{AnswerSettings, Engine, IndexLocation};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    let engine = ENGINE.get_or_init(|| {
        Engine::open(&FaqSource::Embedded, &IndexLocation::Memory, AnswerSettings::default())
            .expect("the built-in FAQ opens")
    });
    let question = String::from_utf8_lossy(data);
    let referral = Referral::default();
    let answer = engine.answer(&question);
    let reply = Reply::for_answer(&answer, &referral);
    assert!(reply.to_text().ends_with(referral.text()));
    let r = render::render(&reply);
    assert!(r.content.chars().count() <= CONTENT_MAX);
    match &r.embed {
        Some(e) => {
            assert_eq!(e.referral.1, referral.text());
            assert!(e.title.chars().count() <= TITLE_MAX);
            assert!(e.description.chars().count() <= DESCRIPTION_MAX);
            assert!(e.total_chars() <= EMBEDS_TOTAL_MAX);
        }
        None => assert!(r.content.ends_with(referral.text())),
    }
    if let Some(notice) = &answer.urgent_notice {
        let e = r.embed.as_ref().expect("urgent replies are embeds");
        assert!(e.description.starts_with(notice.as_str()));
    }
});
