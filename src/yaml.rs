//! The one place that knows about the YAML library (serde_yaml is archived, so a
//! later swap touches only this file). Parse errors carry the file, line and
//! column, and unknown keys get a "did you mean" suggestion.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;

/// A YAML file that could not be read as the expected type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// The file, as the user should see it (e.g. `templates/backend/layer.yaml`).
    pub file: String,
    /// 1-based line and column, where the parser knows them.
    pub location: Option<(usize, usize)>,
    /// What was wrong, in the parser's words.
    pub message: String,
    /// The key that was probably meant, for an unknown key or variant.
    pub suggestion: Option<String>,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.full_message();
        match self.location {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {message}", self.file),
            None => write!(f, "{}: {message}", self.file),
        }
    }
}

impl YamlError {
    /// The message with the suggestion, if there is one.
    pub fn full_message(&self) -> String {
        match &self.suggestion {
            Some(meant) => format!("{} (did you mean `{meant}`?)", self.message),
            None => self.message.clone(),
        }
    }
}

impl std::error::Error for YamlError {}

/// Parses `text` (the contents of `file`) as a `T`.
pub fn parse<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|error| {
        let location = error.location().map(|l| (l.line(), l.column()));
        let mut message = error.to_string();
        // serde_yaml appends " at line L column C"; we print the location up front.
        if let Some(at) = message.find(" at line ") {
            message.truncate(at);
        }
        let suggestion = suggest_key(&message);
        YamlError {
            file: file.to_owned(),
            location,
            message,
            suggestion,
        }
    })
}

/// Serialises `value` as YAML. Struct fields keep their declared order and maps
/// their iteration order, so the output is stable byte for byte. Fails only on
/// data YAML cannot hold, such as a path that is not UTF-8.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

/// A mapping kept in the order written: variables are asked in that order,
/// and recorded answers read in the set's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InOrder<V>(pub Vec<(String, V)>);

impl<V> Default for InOrder<V> {
    fn default() -> Self {
        InOrder(Vec::new())
    }
}

impl<V: Serialize> Serialize for InOrder<V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de, V: serde::Deserialize<'de>> serde::Deserialize<'de> for InOrder<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<V>(std::marker::PhantomData<V>);
        impl<'de, V: serde::Deserialize<'de>> serde::de::Visitor<'de> for Entries<V> {
            type Value = InOrder<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            // An empty value (`variables:` with nothing after it) is an empty mapping.
            fn visit_unit<E>(self) -> Result<InOrder<V>, E> {
                Ok(InOrder::default())
            }
            fn visit_none<E>(self) -> Result<InOrder<V>, E> {
                Ok(InOrder::default())
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<InOrder<V>, A::Error> {
                let mut entries: Vec<(String, V)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if entries.iter().any(|(k, _)| *k == key) {
                        let message = format!("`{key}` is given twice");
                        return Err(serde::de::Error::custom(message));
                    }
                    let value = map.next_value()?;
                    entries.push((key, value));
                }
                Ok(InOrder(entries))
            }
        }
        deserializer.deserialize_any(Entries(std::marker::PhantomData))
    }
}

/// Where, in the YAML `text`, the top-level `key` is written, or with `item`
/// the first word `item` in its value (`key: [a, item]`, or a `- item` line
/// below it): 1-based line and column. A search of the text, for messages
/// about values the parser has already accepted.
pub fn locate(text: &str, key: &str, item: Option<&str>) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|line| {
        line.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })?;
    let Some(item) = item else {
        return Some((start + 1, 1));
    };
    let word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.');
    // The key's line after the colon, then the indented lines that follow.
    let value = lines[start + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || l.starts_with([' ', '\t', '-']))
        .enumerate()
        .map(|(i, l)| (start + 1 + i, *l, 0));
    let first = lines[start].find(':').map_or(0, |c| c + 1);
    std::iter::once((start, lines[start], first))
        .chain(value)
        .find_map(|(n, line, from)| {
            let code = line.split(" #").next().unwrap_or(line);
            code.match_indices(item)
                .map(|(i, _)| i)
                .find(|&i| {
                    i >= from
                        && !code[..i].chars().next_back().is_some_and(word)
                        && !code[i + item.len()..].chars().next().is_some_and(word)
                })
                .map(|i| (n + 1, code[..i].chars().count() + 1))
        })
        .or(Some((start + 1, 1)))
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (and the same for
/// variants), the expected name closest to `x`, if one is close.
fn suggest_key(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))
        .or_else(|| message.split(": unknown field `").nth(1))
        .or_else(|| message.split(": unknown variant `").nth(1))?;
    let (given, expected) = rest.split_once('`')?;
    let candidates = expected.split('`').skip(1).step_by(2);
    crate::suggest::closest(given, candidates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Layer {
        name: String,
        destination: Option<String>,
    }

    #[test]
    fn unknown_key_names_file_line_and_the_key_meant() {
        let error = parse::<Layer>("backend/layer.yaml", "name: x\ndestinaton: y\n").unwrap_err();
        assert_eq!(error.file, "backend/layer.yaml");
        assert_eq!(error.location, Some((2, 1)));
        assert!(
            error.message.contains("unknown field `destinaton`"),
            "{}",
            error.message
        );
        assert_eq!(error.suggestion.as_deref(), Some("destination"));
    }

    #[test]
    fn a_key_given_twice_is_an_error() {
        let error = parse::<InOrder<String>>("a.yaml", "x: 1\ny: 2\nx: 3\n").unwrap_err();
        assert!(error.message.contains("`x` is given twice"), "{error}");
    }

    #[test]
    fn values_are_located_by_key_and_item() {
        let text = "name: api\nrequires: [root, api]\nrules:\n  - {glob: x}\n";
        assert_eq!(locate(text, "requires", None), Some((2, 1)));
        assert_eq!(locate(text, "requires", Some("api")), Some((2, 18)));
        assert_eq!(locate(text, "requires", Some("nope")), Some((2, 1)));
        let block = "name: root-x\nrequires:\n  # needs root-x\n  - root\n  - web\nrules: []\n";
        assert_eq!(locate(block, "requires", Some("root")), Some((4, 5)));
        assert_eq!(locate(block, "requires", Some("web")), Some((5, 5)));
        assert_eq!(locate(block, "rules", Some("web")), Some((6, 1)));
        assert_eq!(locate(block, "hooks", None), None);
    }

    #[test]
    fn unknown_key_far_from_any_gets_no_suggestion() {
        let error = parse::<Layer>("l.yaml", "name: x\nzzzzzz: y\n").unwrap_err();
        assert_eq!(error.suggestion, None);
    }
}
