//! Rendered answers, kept for the second they were rendered in and only while
//! the snapshot and the proofs they show are the same: 200 clients asking for
//! the same page cost one rendering a second, not 200. Bounded: at most
//! [`MAX_ENTRIES`] answers, all dropped when the second or the data changes.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;

/// The most answers kept at once (distinct filters and pages).
pub const MAX_ENTRIES: usize = 256;

/// What an answer depends on: the snapshot's and the proofs' generations, and
/// the second it was rendered in (ages shown are at most a second old).
pub type Stamp = (u64, u64, i64);

#[derive(Debug, Default)]
pub struct Cache {
    inner: Mutex<(Stamp, HashMap<String, Bytes>)>,
}

impl Cache {
    /// The answer for `key` at `stamp`, rendering it with `render` when it is
    /// not kept.
    pub fn get_or_render(
        &self,
        stamp: Stamp,
        key: String,
        render: impl FnOnce() -> Bytes,
    ) -> Bytes {
        {
            let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            if guard.0 == stamp
                && let Some(hit) = guard.1.get(&key)
            {
                return hit.clone();
            }
        }
        let body = render();
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if guard.0 != stamp || guard.1.len() >= MAX_ENTRIES {
            *guard = (stamp, HashMap::new());
        }
        guard.1.insert(key, body.clone());
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_rendered_once_per_stamp_and_the_cache_stays_bounded() {
        let cache = Cache::default();
        let mut renders = 0;
        for _ in 0..3 {
            cache.get_or_render((1, 1, 10), "/".into(), || {
                renders += 1;
                Bytes::from_static(b"a")
            });
        }
        assert_eq!(renders, 1);
        cache.get_or_render((1, 1, 11), "/".into(), || {
            renders += 1;
            Bytes::from_static(b"b")
        });
        assert_eq!(renders, 2);
        for i in 0..(MAX_ENTRIES * 2) {
            cache.get_or_render((1, 1, 11), format!("/?page={i}"), || {
                Bytes::from_static(b"c")
            });
        }
        assert!(cache.inner.lock().unwrap().1.len() <= MAX_ENTRIES);
    }
}
