//! A fixed table of results recently looked up in an index that never changes once open: one
//! result per slot, a new one replacing the one in its slot. It never grows past its slots,
//! needs no eviction policy, and a result in it is never stale.

use std::sync::Mutex;

/// Most results a table holds.
pub const MAX_SLOTS: usize = 4_096;

/// The table: each slot holds one key and its value, or nothing.
#[derive(Debug)]
pub struct Slots<K, V> {
    slots: Vec<Mutex<Option<(K, V)>>>,
}

impl<K, V: Clone> Slots<K, V> {
    /// A table of `wanted` slots, at least one and at most [`MAX_SLOTS`].
    pub fn new(wanted: u64) -> Self {
        let n = usize::try_from(wanted)
            .unwrap_or(MAX_SLOTS)
            .clamp(1, MAX_SLOTS);
        Slots {
            slots: (0..n).map(|_| Mutex::new(None)).collect(),
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots.len()
    }

    /// The value for `key`, kept in slot `slot` (taken modulo the table's size): from the slot
    /// when it holds `key`, else made by `make` (which returns the key to keep with it) and kept
    /// there. `None`, and nothing kept, when `make` has nothing.
    pub fn get<Q: ?Sized>(
        &self,
        slot: usize,
        key: &Q,
        make: impl FnOnce() -> Option<(K, V)>,
    ) -> Option<V>
    where
        K: PartialEq<Q>,
    {
        let slot = &self.slots[slot % self.slots.len()];
        // A poisoned slot (a thread panicked holding it) is only a miss.
        if let Ok(held) = slot.lock() {
            if let Some((k, v)) = held.as_ref() {
                if k == key {
                    return Some(v.clone());
                }
            }
        }
        let (k, v) = make()?;
        if let Ok(mut held) = slot.lock() {
            *held = Some((k, v.clone()));
        }
        Some(v)
    }
}

/// A text's slot number: its 64-bit FNV-1a hash.
pub fn text_slot(text: &str) -> usize {
    let h = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    // The high bits, which FNV mixes best; the table takes the slot modulo its size.
    (h >> 32) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_value_is_made_once_while_its_key_holds_the_slot() {
        let table: Slots<String, u32> = Slots::new(8);
        let made = Cell::new(0);
        let make = |v: u32| {
            made.set(made.get() + 1);
            Some(("a".to_string(), v))
        };
        assert_eq!(table.get(3, "a", || make(1)), Some(1));
        assert_eq!(table.get(3, "a", || make(2)), Some(1));
        assert_eq!(made.get(), 1);
    }

    #[test]
    fn keys_sharing_a_slot_each_get_their_own_value() {
        let table: Slots<String, u32> = Slots::new(1);
        for (key, value) in [("a", 1), ("b", 2), ("a", 1), ("a", 1), ("b", 2)] {
            let got = table.get(text_slot(key), key, || Some((key.to_string(), value)));
            assert_eq!(got, Some(value), "{key}");
        }
    }

    #[test]
    fn nothing_is_kept_when_there_is_nothing_to_keep() {
        let table: Slots<String, u32> = Slots::new(4);
        assert_eq!(table.get(0, "a", || None), None);
        assert_eq!(table.get(0, "a", || Some(("a".to_string(), 5))), Some(5));
    }

    #[test]
    fn a_table_has_between_one_and_the_most_slots() {
        assert_eq!(Slots::<String, u32>::new(0).len(), 1);
        assert_eq!(Slots::<String, u32>::new(16).len(), 16);
        assert_eq!(Slots::<String, u32>::new(1 << 40).len(), MAX_SLOTS);
    }
}
