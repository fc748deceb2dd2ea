//! Deserializing validated values so that a failed check is reported at the
//! value's own line and column.
//!
//! `#[serde(try_from)]` checks after the value is read, and yaml_serde then
//! blames the enclosing mapping. Checking inside the visitor instead makes the
//! error part of reading the value itself.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};

/// A string value, checked by `T::try_from`.
pub fn string<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<String>,
    T::Error: fmt::Display,
{
    struct V<T>(PhantomData<T>);
    impl<T> Visitor<'_> for V<T>
    where
        T: TryFrom<String>,
        T::Error: fmt::Display,
    {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
            T::try_from(s.to_owned()).map_err(E::custom)
        }
        // YAML's plain `null`, `~`, `true`, `no`… are not names: said so,
        // instead of becoming a version called `null`.
        fn visit_unit<E: de::Error>(self) -> Result<T, E> {
            Err(E::custom(
                "expected a string, found null (quote it if you mean the word)",
            ))
        }
        fn visit_none<E: de::Error>(self) -> Result<T, E> {
            self.visit_unit()
        }
        fn visit_bool<E: de::Error>(self, b: bool) -> Result<T, E> {
            Err(E::custom(format!(
                "expected a string, found the boolean {b} (quote it if you mean the word)"
            )))
        }
        fn visit_u64<E: de::Error>(self, n: u64) -> Result<T, E> {
            self.visit_str(&n.to_string())
        }
        fn visit_i64<E: de::Error>(self, n: i64) -> Result<T, E> {
            self.visit_str(&n.to_string())
        }
    }
    d.deserialize_any(V(PhantomData))
}

/// An unsigned integer value, checked by `T::try_from`.
pub fn unsigned<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64>,
    T::Error: fmt::Display,
{
    struct V<T>(PhantomData<T>);
    impl<T> Visitor<'_> for V<T>
    where
        T: TryFrom<u64>,
        T::Error: fmt::Display,
    {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a positive whole number")
        }
        fn visit_u64<E: de::Error>(self, n: u64) -> Result<T, E> {
            T::try_from(n).map_err(E::custom)
        }
        fn visit_i64<E: de::Error>(self, n: i64) -> Result<T, E> {
            let n = u64::try_from(n).map_err(|_| E::custom(format!("{n} is negative")))?;
            self.visit_u64(n)
        }
    }
    d.deserialize_u64(V(PhantomData))
}

/// A sequence of `T`, checked as a whole by `check`.
pub fn seq<'de, D, T, U>(d: D, check: fn(Vec<T>) -> Result<U, String>) -> Result<U, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    struct V<T, U>(fn(Vec<T>) -> Result<U, String>);
    impl<'de, T: DeserializeOwned, U> Visitor<'de> for V<T, U> {
        type Value = U;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<U, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                items.push(item);
            }
            (self.0)(items).map_err(de::Error::custom)
        }
    }
    d.deserialize_seq(V(check))
}

/// A map of strings, checked as a whole by `check`.
pub fn string_map<'de, D, U>(
    d: D,
    check: fn(std::collections::BTreeMap<String, String>) -> Result<U, String>,
) -> Result<U, D::Error>
where
    D: Deserializer<'de>,
{
    type Check<U> = fn(std::collections::BTreeMap<String, String>) -> Result<U, String>;
    struct V<U>(Check<U>);
    impl<'de, U> Visitor<'de> for V<U> {
        type Value = U;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map of strings")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<U, A::Error> {
            let mut items = std::collections::BTreeMap::new();
            while let Some((k, v)) = map.next_entry()? {
                items.insert(k, v);
            }
            (self.0)(items).map_err(de::Error::custom)
        }
    }
    d.deserialize_map(V(check))
}

/// Rejects any value with `message` (for fields that may not be written).
pub fn reject<'de, D: Deserializer<'de>, T>(d: D, message: &'static str) -> Result<T, D::Error> {
    struct V<T>(&'static str, PhantomData<T>);
    impl<'de, T> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.0)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<T, E> {
            Err(E::custom(self.0))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<T, E> {
            Err(E::custom(self.0))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<T, E> {
            Err(E::custom(self.0))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<T, E> {
            Err(E::custom(self.0))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<T, E> {
            Err(E::custom(self.0))
        }
        fn visit_unit<E: de::Error>(self) -> Result<T, E> {
            Err(E::custom(self.0))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<T, A::Error> {
            Err(de::Error::custom(self.0))
        }
        fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<T, A::Error> {
            Err(de::Error::custom(self.0))
        }
    }
    d.deserialize_any(V(message, PhantomData))
}

/// A string newtype that can only hold values `$check` accepts: `FromStr`,
/// `TryFrom<String>`, `Display`, `as_str`, and `Deserialize` through [`string`]
/// (errors at the value's own position).
macro_rules! validated_string {
    ($(#[$doc:meta])* $name:ident, $err:ty, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(into = "String")]
        pub struct $name(String);

        impl $name {
            /// The validated text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $err;
            fn try_from(s: String) -> Result<Self, $err> {
                let check: fn(&str) -> Result<(), $err> = $check;
                check(&s).map(|()| $name(s))
            }
        }

        impl std::str::FromStr for $name {
            type Err = $err;
            fn from_str(s: &str) -> Result<Self, $err> {
                Self::try_from(s.to_owned())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::naming::checked::string(d)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// Test fixtures write names as literals; an invalid one is a bug in the test.
        #[cfg(test)]
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                s.parse()
                    .unwrap_or_else(|e| panic!("test fixture {s:?}: {e}"))
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

pub(crate) use validated_string;
