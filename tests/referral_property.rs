//! For any question at all, the reply carries the referral and answering never fails.

use faqbot::answer::{AnswerSettings, Engine, IndexLocation};
use faqbot::answer::{Referral, Reply};
use faqbot::faq::FaqSource;
use proptest::prelude::*;
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

fn check(q: &str) {
    let referral = Referral::default();
    let answer = engine().answer(q);
    let reply = Reply::for_answer(&answer, &referral);
    assert!(reply.to_text().ends_with(referral.text()));
    let json = faqbot::cli::AskJson::new(&answer, &referral);
    let line = serde_json::to_string(&json).expect("serialises");
    assert!(!line.contains('\n'));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn any_unicode(q in any::<String>()) { check(&q); }

    #[test]
    fn query_syntax_and_markup(q in r#"[a-zA-Z0-9 :()\[\]"'*~^+\-!{}<>@#&|/\\`_]{0,200}"#) { check(&q); }

    #[test]
    fn huge(q in proptest::collection::vec(any::<char>(), 5_000..7_000)) {
        check(&q.into_iter().collect::<String>());
    }
}

#[test]
fn control_characters_and_nul() {
    check("\u{0}\u{1}\u{7f}IL-2\u{0}?");
    check(&"@everyone ".repeat(700));
}
