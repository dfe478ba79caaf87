//! `Triage::parse` on any text, and the shipped rules on any question: never panics; a file it
//! accepts checks any question.
#![no_main]

use faqbot::triage::Triage;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static BUILTIN: OnceLock<Triage> = OnceLock::new();
    let builtin = BUILTIN.get_or_init(Triage::builtin);
    let text = String::from_utf8_lossy(data);
    let _ = builtin.check_all(&text);
    if let Ok(t) = Triage::parse("faq/urgent.toml", &text) {
        let _ = t.check_all(&text);
        let _ = t.check_all("I have a fever of 40 and I can't breathe");
    }
});
