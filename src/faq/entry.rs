//! The FAQ data model, independent of files and of Discord.

use serde::{Deserialize, Serialize};

/// One paragraph of an entry's answer, optionally headed by a short sub-heading
/// (`### Intravenous infusion` in the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// The sub-heading this paragraph sits under, if any.
    pub heading: Option<String>,
    /// The paragraph, verbatim (Markdown source as written in the file).
    pub text: String,
    /// Other ways members ask what this paragraph answers (the `<!-- questions: -->` block
    /// after it in the file); searched like the entry's aliases, never quoted.
    pub questions: Vec<String>,
}

impl Passage {
    /// The passage as it is quoted: sub-heading (bold) on its own line, then the paragraph.
    pub fn display(&self) -> String {
        match &self.heading {
            Some(h) => format!("**{h}**\n{}", self.text),
            None => self.text.clone(),
        }
    }
}

/// The TOML front matter of an FAQ file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Stable identifier: lowercase letters, digits and dashes.
    pub id: String,
    /// The question, as shown as the answer's title.
    pub question: String,
    /// Other ways a reader might ask the same question.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Free-form labels for moderators.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Where the answer comes from (article, author).
    #[serde(default)]
    pub source: String,
}

/// One FAQ entry: a question and the passages that answer it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Front matter fields.
    pub meta: FrontMatter,
    /// The answer's paragraphs, in file order.
    pub passages: Vec<Passage>,
    /// The file the entry was read from, relative to the FAQ folder (for messages).
    pub file: String,
}

impl Entry {
    /// The entry's id.
    pub fn id(&self) -> &str {
        &self.meta.id
    }

    /// The entry's question (its title).
    pub fn question(&self) -> &str {
        &self.meta.question
    }
}

/// A whole FAQ: entries in display order (sorted by file name) and the synonym groups.
#[derive(Debug, Clone, Default)]
pub struct Faq {
    /// Entries, sorted by file name.
    pub entries: Vec<Entry>,
    /// Moderator-owned groups of equivalent words and phrases.
    pub synonyms: crate::faq::synonyms::Synonyms,
}

impl Faq {
    /// Looks an entry up by id.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.meta.id == id)
    }

    /// Number of passages over all entries.
    pub fn passage_count(&self) -> usize {
        self.entries.iter().map(|e| e.passages.len()).sum()
    }
}

/// The entry questions offered when a question matches nothing: the first few in FAQ order,
/// leaving out the overview (it introduces the FAQ rather than answering a question).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TopicSample(pub Vec<String>);

impl TopicSample {
    /// How many questions a sample holds.
    pub const SIZE: usize = 5;

    /// Takes the entry's question if the sample still has room for it.
    pub fn offer(&mut self, entry: &Entry) {
        if self.0.len() < Self::SIZE && entry.meta.id != "overview" {
            self.0.push(entry.meta.question.clone());
        }
    }

    /// The sample of entries in FAQ order.
    pub fn of<'e>(entries: impl IntoIterator<Item = &'e Entry>) -> Vec<String> {
        let mut sample = TopicSample::default();
        entries.into_iter().for_each(|e| sample.offer(e));
        sample.0
    }
}

/// Turns a question into an id: lowercase ASCII words joined by dashes.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            continue;
        } else {
            dash = true;
        }
    }
    if out.len() > 80 {
        let cut = out[..80].rfind('-').unwrap_or(80);
        out.truncate(cut);
    }
    if out.is_empty() {
        out.push_str("entry");
    }
    out
}

/// Whether `id` is a valid entry id.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_valid_ids() {
        for q in [
            "What Is Recombinant Human Interleukin-2?",
            "It’s fine?",
            "???",
            "Ünïcödé only",
        ] {
            assert!(is_valid_id(&slugify(q)), "{q}");
        }
        assert_eq!(
            slugify("What Is Recombinant Human Interleukin-2?"),
            "what-is-recombinant-human-interleukin-2"
        );
    }
}
