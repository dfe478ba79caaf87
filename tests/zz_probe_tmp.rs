#[test]
#[ignore]
fn probe() {
    use faqbot::faq::file::*;
    for body in [
        "a\r\rb\n",
        "* x\r\ry\n",
        "a\r\n\r\nb\r\n",
        "x\n\n* a\r\r\rt\n",
        "\0*\r\r\rt\n",
        "*\r\rt\n",
        "- a\r\rb\n",
        "1. a\r\rb\n",
        "> a\r\rb\n",
    ] {
        let text = format!("+++\nid = \"x\"\nquestion = \"Q?\"\n+++\n\n{body}");
        let Ok((e, _)) = parse_entry("faq/01-fuzz.md", &text) else {
            println!("{body:?}: invalid");
            continue;
        };
        let w = render_entry(&e.meta, &e.passages);
        let a = parse_entry("faq/01-fuzz.md", &w).map(|(a, _)| a.passages);
        let same = a.as_ref().ok() == Some(&e.passages);
        println!(
            "{body:?}: {} -> {:?} {}",
            e.passages.len(),
            a.map(|p| p.iter().map(|p| p.text.clone()).collect::<Vec<_>>()),
            if same { "same" } else { "CHANGED" }
        );
        println!(
            "    first: {:?}",
            e.passages
                .iter()
                .map(|p| p.text.clone())
                .collect::<Vec<_>>()
        );
    }
}
