//! `scaffold list`.

use crate::harness::{SMALL_SET, Sandbox, stdout};

#[test]
fn lists_layers_in_order_with_their_variables() {
    let sandbox = Sandbox::new();
    let tpl = sandbox.template(SMALL_SET);
    let out = sandbox.run_ok(&["list", "-t", tpl.to_str().unwrap()]);
    assert_eq!(
        stdout(&out),
        "small 2.1.0\n\
         \n\
         shared variables:\n  \
           project_name       string       default: Demo  \"Project name\"\n  \
           owner              string       (required)  \"Owner\"\n\
         \n\
         root (always included): the top\n  \
           license            choice       [MIT, none] default: MIT\n\
         \n\
         api: the API\n  \
           requires: root\n  \
           port               integer      default: 8000\n  \
           debug              bool         default: false\n  \
           extras             multi-choice [x, y] default: x\n  \
           token              string       default: fixed-secret (secret)\n"
    );
}

#[test]
fn lists_as_json() {
    let sandbox = Sandbox::new();
    let out = sandbox.run_ok(&["list", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["name"], "seed-stack");
    let layers: Vec<&str> = json["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        layers,
        ["root", "backend", "frontend", "infra", "e2e", "docs"]
    );
    let api = &json["layers"][1]["variables"][0];
    assert_eq!(api["name"], "api");
    assert_eq!(api["type"], "choice");
    assert_eq!(
        api["choices"],
        serde_json::json!(["graphql", "rest", "both"])
    );
    assert_eq!(api["default"], "graphql");
    assert_eq!(
        json["layers"][4]["requires"],
        serde_json::json!(["backend", "frontend"])
    );
}
