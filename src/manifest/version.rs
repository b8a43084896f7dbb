//! `major.minor.patch` versions, for `min_scaffold_version`, and the version
//! tags of template repositories (`v2`, `v2.1`, `v2.1.3-rc.1`).

use std::fmt;

/// A `major.minor.patch` version; a pre-release suffix (`-rc.1`) is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u64, pub u64, pub u64);

impl Version {
    /// Parses `1.2.3` (or `1.2.3-rc.1`); `None` for anything else.
    pub fn parse(text: &str) -> Option<Version> {
        let core = text.split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
        let version = Version(parts.next()??, parts.next()??, parts.next()??);
        parts.next().is_none().then_some(version)
    }

    /// The version of this scaffold binary.
    pub fn current() -> Version {
        Version::parse(env!("CARGO_PKG_VERSION")).unwrap_or(Version(0, 0, 0))
    }
}

/// The version a repository tag names: `v2`, `v2.1`, `v2.1.3`, with or
/// without the `v`, and with an optional pre-release (`-rc.1`) or build
/// (`+x`) suffix; missing parts are 0, so `v2` is `2.0.0`. Ordered by semver
/// precedence: `2.0.0-rc.1` < `2.0.0`. `None` for any other tag.
pub fn tag_version(tag: &str) -> Option<semver::Version> {
    let text = tag.strip_prefix('v').unwrap_or(tag);
    let end = text.find(['-', '+']).unwrap_or(text.len());
    let (core, suffix) = text.split_at(end);
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut full = parts.join(".");
    for _ in parts.len()..3 {
        full.push_str(".0");
    }
    semver::Version::parse(&format!("{full}{suffix}")).ok()
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

#[cfg(test)]
mod tests {
    use super::{Version, tag_version};

    #[test]
    fn parses_and_orders() {
        assert_eq!(Version::parse("1.2.3"), Some(Version(1, 2, 3)));
        assert_eq!(Version::parse("0.10.0-rc.1"), Some(Version(0, 10, 0)));
        assert_eq!(Version::parse("1.2"), None);
        assert_eq!(Version::parse("1.2.3.4"), None);
        assert!(Version(0, 10, 0) > Version(0, 9, 9));
    }

    #[test]
    fn tags_may_leave_out_parts_and_the_v() {
        let v = |t| tag_version(t).map(|v| v.to_string());
        assert_eq!(v("v1").as_deref(), Some("1.0.0"));
        assert_eq!(v("2").as_deref(), Some("2.0.0"));
        assert_eq!(v("v1.2").as_deref(), Some("1.2.0"));
        assert_eq!(v("1.2.3").as_deref(), Some("1.2.3"));
        assert_eq!(v("v2-rc.1").as_deref(), Some("2.0.0-rc.1"));
        assert_eq!(v("v2.0.0-rc.1").as_deref(), Some("2.0.0-rc.1"));
        for other in [
            "", "v", "stable", "v1.2.3.4", "v1..2", "v-1", "vv1", "v1.x", "v01a",
        ] {
            assert_eq!(v(other), None, "{other}");
        }
    }

    #[test]
    fn pre_releases_come_before_their_release() {
        let v = |t| tag_version(t).unwrap();
        assert!(v("v2.0.0-rc.1") < v("v2.0.0"));
        assert!(v("v2.0.0-rc.1") > v("v1.9"));
        assert!(v("v2.0.0-rc.2") < v("v2.0.0-rc.10"));
        assert!(v("v2.0.0-alpha") < v("v2.0.0-beta"));
        assert!(v("v1.10") > v("v1.9"));
    }
}
