//! The exit codes of DESIGN.md, in one place.

/// In sync / success.
pub const OK: i32 = 0;
/// Content drift: a managed file differs from the render.
pub const DRIFT: i32 = 1;
/// Any usage or input error (clap uses the same code for bad flags).
pub const ERROR: i32 = 2;
/// A newer template version exists and `update` would apply cleanly.
pub const NEWER: i32 = 3;
/// A newer template version exists and `update` would conflict.
pub const NEWER_CONFLICTS: i32 = 4;

/// How serious a code is: 2 > 4 > 1 > 3 > 0 (DESIGN.md, "Drift in CI").
pub fn severity(code: i32) -> u8 {
    match code {
        ERROR => 4,
        NEWER_CONFLICTS => 3,
        DRIFT => 2,
        NEWER => 1,
        _ => 0,
    }
}

/// The more serious of two codes.
pub fn worst(a: i32, b: i32) -> i32 {
    if severity(b) > severity(a) { b } else { a }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_serious_finding_decides() {
        let all = [OK, NEWER, DRIFT, NEWER_CONFLICTS, ERROR];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i..] {
                assert_eq!(worst(*a, *b), *b);
                assert_eq!(worst(*b, *a), *b);
            }
        }
    }
}
