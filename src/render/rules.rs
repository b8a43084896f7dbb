//! A layer's glob rules applied to one template file.

use crate::manifest::{Ownership, Rule};

/// What a layer's rules say about one file.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied<'a> {
    /// Every matching rule's condition; the file is kept only if all hold.
    pub when: Vec<&'a str>,
    /// The last matching rule's ownership, if any sets one.
    pub ownership: Option<Ownership>,
    /// The last matching rule's mode, if any sets one.
    pub mode: Option<u32>,
}

/// Applies `rules` (in order; later rules override earlier ones) to `path`,
/// the file's path under `files/` as written.
pub fn apply<'a>(rules: &'a [Rule], path: &str) -> Applied<'a> {
    let mut applied = Applied::default();
    for rule in rules.iter().filter(|r| r.matcher.is_match(path)) {
        applied.when.extend(rule.when.as_deref());
        applied.ownership = rule.ownership.or(applied.ownership);
        applied.mode = rule.mode.or(applied.mode);
    }
    applied
}
