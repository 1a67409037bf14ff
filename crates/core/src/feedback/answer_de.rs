//! Reading an [`AnswerValue`] from JSON (or any self-describing format) in one pass: the
//! value's own shape picks the variant — a whole number is a score, a string an option code
//! (or text), a list option codes, an object a SERVQUAL pair.
use super::answer::AnswerValue;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

const EXPECTED: &str = "a whole number, a string, a list of option codes, or \
    {\"expectation\": e, \"perception\": p}";

impl<'de> Deserialize<'de> for AnswerValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnswerVisitor)
    }
}

struct AnswerVisitor;

impl AnswerVisitor {
    fn score<E: de::Error>(
        v: impl TryInto<i32>,
        shown: impl fmt::Display,
    ) -> Result<AnswerValue, E> {
        v.try_into().map(AnswerValue::Score).map_err(|_| {
            E::invalid_value(
                de::Unexpected::Other(&format!("the number {shown}")),
                &"a score that fits in 32 bits",
            )
        })
    }
}

impl<'de> Visitor<'de> for AnswerVisitor {
    type Value = AnswerValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<AnswerValue, E> {
        Self::score(v, v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<AnswerValue, E> {
        Self::score(v, v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<AnswerValue, E> {
        Ok(AnswerValue::Choice(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<AnswerValue, E> {
        Ok(AnswerValue::Choice(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnswerValue, A::Error> {
        let mut codes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(code) = seq.next_element::<String>()? {
            codes.push(code);
        }
        Ok(AnswerValue::Choices(codes))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnswerValue, A::Error> {
        let (mut expectation, mut perception) = (None, None);
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Expectation => expectation = Some(map.next_value::<i32>()?),
                Key::Perception => perception = Some(map.next_value::<i32>()?),
                // Other keys were ignored before this visitor existed; still are.
                Key::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(AnswerValue::Servqual {
            expectation: expectation.ok_or_else(|| de::Error::missing_field("expectation"))?,
            perception: perception.ok_or_else(|| de::Error::missing_field("perception"))?,
        })
    }
}

/// A key of a SERVQUAL pair.
enum Key {
    Expectation,
    Perception,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`expectation` or `perception`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "expectation" => Key::Expectation,
                    "perception" => Key::Perception,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::AnswerValue;

    fn read(json: &str) -> Result<AnswerValue, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn each_json_shape_reads_as_its_variant() {
        assert_eq!(read("4"), Ok(AnswerValue::Score(4)));
        assert_eq!(read("-1"), Ok(AnswerValue::Score(-1)));
        assert_eq!(read("\"yes\""), Ok(AnswerValue::Choice("yes".into())));
        assert_eq!(
            read("[\"a\", \"b\"]"),
            Ok(AnswerValue::Choices(vec!["a".into(), "b".into()]))
        );
        assert_eq!(read("[]"), Ok(AnswerValue::Choices(vec![])));
        assert_eq!(
            read("{\"perception\": 5, \"expectation\": 6, \"note\": [1]}"),
            Ok(AnswerValue::Servqual {
                expectation: 6,
                perception: 5
            })
        );
    }

    #[test]
    fn other_shapes_are_refused_with_what_is_expected() {
        for bad in ["4.5", "true", "null"] {
            let e = read(bad).expect_err(bad);
            assert!(e.contains("a whole number, a string"), "{bad}: {e}");
        }
        assert!(read("3000000000").expect_err("too big").contains("32 bits"));
        assert!(
            read("{\"expectation\": 5}")
                .expect_err("half")
                .contains("perception")
        );
        assert!(read("[1, 2]").is_err());
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        for v in [
            AnswerValue::Score(7),
            AnswerValue::Choice("x".into()),
            AnswerValue::Choices(vec!["x".into()]),
            AnswerValue::Servqual {
                expectation: 3,
                perception: 4,
            },
        ] {
            let json = serde_json::to_string(&v).expect("written");
            assert_eq!(read(&json), Ok(v));
        }
    }
}
