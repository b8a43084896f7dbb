//! The golden skeletons: the built-in set rendered from fixture answers
//! (`tests/golden/<case>/answers.yaml`) and committed as `<case>/out`. Each
//! is rendered again from its answers and must equal `out`, and `scaffold
//! check` on each must pass; when a template change alters them on purpose,
//! `scripts/golden` regenerates them.

use crate::harness::{Sandbox, read_tree, stdout};
use std::path::Path;

const REGENERATE: &str =
    "if the template change is intended, run scripts/golden and review the diff";

#[test]
fn every_golden_skeleton_is_in_sync_with_the_built_in_set() {
    let sandbox = Sandbox::new();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut cases = Vec::new();
    for case in std::fs::read_dir(&golden).unwrap() {
        let case = case.unwrap().path();
        let name = case.file_name().unwrap().to_str().unwrap().to_owned();
        let out = case.join("out");
        let check = sandbox.run(&["check", out.to_str().unwrap()]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "{} drifted from the built-in set; {REGENERATE}:\n{}",
            out.display(),
            stdout(&check)
        );
        // The fixture answers make exactly that tree.
        let fresh = sandbox.root().join(&name);
        std::fs::create_dir(&fresh).unwrap();
        sandbox.run_ok(&[
            "new",
            "out",
            "--defaults",
            "--no-git",
            "--no-hooks",
            "-o",
            fresh.to_str().unwrap(),
            "--answers",
            case.join("answers.yaml").to_str().unwrap(),
        ]);
        let (made, kept) = (read_tree(&fresh.join("out")), read_tree(&out));
        assert!(
            made == kept,
            "{}/answers.yaml no longer renders {}; {REGENERATE}",
            case.display(),
            out.display()
        );
        cases.push(name);
    }
    cases.sort();
    assert_eq!(cases, ["backend-rest", "default", "root-only"]);
}
