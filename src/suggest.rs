//! "Did you mean" suggestions for misspelt keys, variables and layers.

/// The candidate closest to `given`, if it is close enough to be what was meant.
pub fn closest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(given, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_owned())
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_a_near_miss_and_ignores_strangers() {
        assert_eq!(
            closest("destinaton", ["name", "destination"]),
            Some("destination".into())
        );
        assert_eq!(closest("qqq", ["name", "destination"]), None);
    }
}
