//! A passage's stored fields, read from tantivy's document store, and a small cache of them.
//!
//! Every question reads the stored fields of its leading candidates (their questions for the
//! question match, the text of those returned). The same passages lead question after question,
//! and decoding a stored document costs more than cloning it, so the passages last read are kept
//! in a fixed table ([`Slots`]), whatever the FAQ's size.

use crate::search::index::Fields;
use crate::search::slots::Slots;
use std::sync::Arc;
use tantivy::schema::document::{
    DeserializeError, DocumentDeserialize, DocumentDeserializer, ValueDeserialize,
    ValueDeserializer, ValueVisitor,
};
use tantivy::schema::Field;
use tantivy::{DocAddress, Searcher};

/// One passage's stored fields.
#[derive(Debug)]
pub struct StoredPassage {
    /// The entry's id.
    pub entry_id: String,
    /// The entry's question as written.
    pub entry_question: String,
    /// The passage's sub-heading, if any.
    pub heading: Option<String>,
    /// The passage as written.
    pub passage: String,
    /// The entry's source.
    pub source: String,
    /// The passage's position in its entry, when the index recorded it.
    pub passage_no: Option<u32>,
    /// The questions the passage answers, pre-digested (see `rank::asked`).
    pub asked_terms: String,
}

/// Recently read passages, by document address (see [`Slots`]).
#[derive(Debug)]
pub struct StoredCache {
    slots: Slots<DocAddress, Arc<StoredPassage>>,
}

impl StoredCache {
    /// A cache for an index of `docs` passages: no more slots than passages.
    pub fn new(docs: u64) -> Self {
        StoredCache {
            slots: Slots::new(docs),
        }
    }

    /// The passage at `addr`, from the cache or else read from the store (and kept). `None`
    /// when the store cannot be read or the document lacks a field every passage has; logged.
    pub fn get(
        &self,
        searcher: &Searcher,
        fields: &Fields,
        addr: DocAddress,
    ) -> Option<Arc<StoredPassage>> {
        // A document's slot is its number, so that an index of one segment with no more
        // passages than slots never has two share one; later segments are offset by a prime.
        let slot = addr.doc_id as usize + addr.segment_ord as usize * 7_919;
        self.slots.get(slot, &addr, || {
            Some((addr, Arc::new(read(searcher, fields, addr)?)))
        })
    }
}

fn read(searcher: &Searcher, fields: &Fields, addr: DocAddress) -> Option<StoredPassage> {
    let mut doc: StoredDoc = match searcher.doc(addr) {
        Ok(d) => d,
        Err(e) => {
            tracing::error!("cannot read a stored passage: {e}");
            return None;
        }
    };
    let mut text = |f: Field| doc.take_text(f);
    let passage = StoredPassage {
        entry_id: text(fields.entry_id)?,
        entry_question: text(fields.question_text)?,
        heading: text(fields.heading_text),
        passage: text(fields.text)?,
        source: text(fields.source).unwrap_or_default(),
        passage_no: doc
            .number(fields.passage_no)
            .and_then(|n| u32::try_from(n).ok()),
        asked_terms: doc.take_text(fields.asked_terms).unwrap_or_default(),
    };
    Some(passage)
}

/// A passage's stored fields, each value read straight into its own string: tantivy's default
/// document copies every value into an arena first, and the passage would copy them out again.
struct StoredDoc(Vec<(Field, StoredValue)>);

enum StoredValue {
    Text(String),
    Number(u64),
}

impl StoredDoc {
    /// The first text value of `field`, moved out.
    fn take_text(&mut self, field: Field) -> Option<String> {
        self.0.iter_mut().find_map(|(f, v)| match v {
            StoredValue::Text(t) if *f == field => Some(std::mem::take(t)),
            _ => None,
        })
    }

    fn number(&self, field: Field) -> Option<u64> {
        self.0.iter().find_map(|(f, v)| match v {
            StoredValue::Number(n) if *f == field => Some(*n),
            _ => None,
        })
    }
}

impl DocumentDeserialize for StoredDoc {
    fn deserialize<'de, D>(mut deserializer: D) -> Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut values = Vec::with_capacity(deserializer.size_hint());
        while let Some(pair) = deserializer.next_field::<StoredValue>()? {
            values.push(pair);
        }
        Ok(StoredDoc(values))
    }
}

impl ValueDeserialize for StoredValue {
    fn deserialize<'de, D>(deserializer: D) -> Result<Self, DeserializeError>
    where
        D: ValueDeserializer<'de>,
    {
        deserializer.deserialize_any(StoredVisitor)
    }
}

/// Reads the two kinds of value the schema stores; any other is an error.
struct StoredVisitor;

impl ValueVisitor for StoredVisitor {
    type Value = StoredValue;

    fn visit_string(&self, val: String) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Text(val))
    }

    fn visit_u64(&self, val: u64) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Number(val))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::{register_tokenizer, schema};
    use tantivy::{doc, Index};

    /// An index of `n` passages, entry `e{i}` holding passage `text {i}`; the last lacks its
    /// entry's question, as no passage written by faqbot does.
    fn index_of(n: u64) -> (Searcher, Fields) {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        register_tokenizer(&index);
        let mut writer = index.writer(15_000_000).expect("writer");
        for i in 0..n {
            let mut d = doc!(
                fields.entry_id => format!("e{i}"),
                fields.text => format!("text {i}"),
                fields.passage_no => i,
                fields.asked_terms => format!("asked {i}"),
            );
            if i + 1 < n {
                d.add_text(fields.question_text, format!("question {i}?"));
            }
            writer.add_document(d).expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        (searcher, fields)
    }

    fn addr(doc_id: u32) -> DocAddress {
        DocAddress::new(0, doc_id)
    }

    #[test]
    fn passages_sharing_a_slot_each_come_back_as_stored() {
        let (searcher, fields) = index_of(4);
        let cache = StoredCache::new(1);
        for doc_id in [0, 1, 0, 2, 2, 1] {
            let p = cache.get(&searcher, &fields, addr(doc_id)).expect("stored");
            assert_eq!(p.entry_id, format!("e{doc_id}"));
            assert_eq!(p.entry_question, format!("question {doc_id}?"));
            assert_eq!(p.passage, format!("text {doc_id}"));
            assert_eq!(p.passage_no, Some(doc_id));
            assert_eq!(p.asked_terms, format!("asked {doc_id}"));
            assert_eq!(p.heading, None);
        }
    }

    #[test]
    fn a_passage_read_again_is_not_decoded_again() {
        let (searcher, fields) = index_of(4);
        let cache = StoredCache::new(4);
        let first = cache.get(&searcher, &fields, addr(1)).expect("stored");
        let other = cache.get(&searcher, &fields, addr(2)).expect("stored");
        let again = cache.get(&searcher, &fields, addr(1)).expect("stored");
        assert!(Arc::ptr_eq(&first, &again));
        assert!(!Arc::ptr_eq(&first, &other));
    }

    #[test]
    fn a_document_without_its_entrys_question_is_no_passage() {
        let (searcher, fields) = index_of(4);
        let cache = StoredCache::new(4);
        assert!(cache.get(&searcher, &fields, addr(3)).is_none());
        assert!(cache.get(&searcher, &fields, addr(0)).is_some());
    }
}
