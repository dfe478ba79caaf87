//! `parse_entry` on any text: never panics, and an entry it accepts survives a round trip
//! through `render_entry` (what moderator edits write) unchanged.
#![no_main]

use faqbot::faq::file::{parse_entry, render_entry};
use libfuzzer_sys::fuzz_target;

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
    assert_eq!(again.passages, entry.passages, "passages changed:\n{written}");
});
