//! `parse_synonyms` on any text: never panics; accepted groups build an analyser that handles
//! any question.
#![no_main]

use faqbot::faq::synonyms::parse_synonyms;
use faqbot::search::analyze::Analyzer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(s) = parse_synonyms("faq/synonyms.toml", text) {
        let a = Analyzer::new(&s);
        let _ = a.terms(text);
        let _ = a.terms("how is recombinant human interleukin-2 given, IL2 shots?");
    }
});
