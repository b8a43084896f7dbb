//! The golden skeletons: the built-in set rendered from fixed answers and
//! committed. `scaffold check` on each must pass; when a template change
//! alters them on purpose, `scripts/golden` regenerates them.

use crate::harness::{Sandbox, stdout};
use std::path::Path;

#[test]
fn every_golden_skeleton_is_in_sync_with_the_built_in_set() {
    let sandbox = Sandbox::new();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut cases = 0;
    for case in std::fs::read_dir(&golden).unwrap() {
        let out = case.unwrap().path().join("out");
        let check = sandbox.run(&["check", out.to_str().unwrap()]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "{} drifted from the built-in set; if the template change is intended, run scripts/golden and review the diff:\n{}",
            out.display(),
            stdout(&check)
        );
        cases += 1;
    }
    assert_eq!(cases, 3);
}
