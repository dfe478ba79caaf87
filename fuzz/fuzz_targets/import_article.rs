//! `import_article` on any text, as plain text and as Markdown: never panics, and every file it
//! writes is a valid FAQ entry.
#![no_main]

use faqbot::faq::file::parse_entry;
use faqbot::faq::import::import_article;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in ["article.txt", "article.md"] {
        let Ok(files) = import_article(Path::new(name), text) else {
            continue;
        };
        for f in files {
            if let Err(p) = parse_entry(&f.name, &f.text) {
                panic!("imported file {} is not valid: {p:?}\n{}", f.name, f.text);
            }
        }
    }
});
