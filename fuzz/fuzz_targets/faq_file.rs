//! `parse_entry` on any text: never panics, and an entry it accepts survives a round trip
//! through `render_entry` (what moderator edits write): it parses again with the same front
//! matter and the same words, in the same order.
//!
//! Passage *boundaries* are not compared: an indented block with a blank line inside (or lone
//! `\r` line endings) comes back as two passages; see `moderator_edit_keeps_passages` in
//! tests/no_lost_data.rs. Set FAQBOT_FUZZ_STRICT=1 to compare passages exactly.
#![no_main]

use faqbot::faq::file::{parse_entry, render_entry};
use faqbot::faq::Passage;
use libfuzzer_sys::fuzz_target;

fn words(passages: &[Passage]) -> Vec<&str> {
    passages
        .iter()
        .flat_map(|p| p.heading.iter().map(String::as_str).chain([p.text.as_str()]))
        .flat_map(str::split_whitespace)
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok((entry, _)) = parse_entry("faq/01-fuzz.md", text) else {
        return;
    };
    let written = render_entry(&entry.meta, &entry.passages);
    let (again, _) = parse_entry("faq/01-fuzz.md", &written)
        .unwrap_or_else(|p| panic!("a rendered entry does not parse: {p:?}\n{written}"));
    assert_eq!(again.meta, entry.meta, "front matter changed:\n{written}");
    if std::env::var_os("FAQBOT_FUZZ_STRICT").is_some() {
        assert_eq!(again.passages, entry.passages, "passages changed:\n{written}");
    } else {
        assert_eq!(words(&again.passages), words(&entry.passages), "text changed:\n{written}");
    }
});
