//! `scaffold.yaml` and `layer.yaml` → [`TemplateSet`]. Every problem found is
//! reported, each naming its file (and line where the YAML parser knows it).

use super::{
    Kind, Layer, Ownership, Rule, TemplateFile, TemplateSet, Validation, Variable, Version,
};
use crate::source::SetFiles;
use crate::value::Value;
use crate::yaml::{self, InOrder, YamlError};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// One thing wrong with a template set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The manifest (or template file) at fault, as the user should see it.
    pub file: String,
    /// 1-based line and column, where known.
    pub location: Option<(usize, usize)>,
    /// What is wrong and, where it helps, what to do.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl From<YamlError> for Problem {
    fn from(error: YamlError) -> Self {
        Problem {
            message: error.full_message(),
            file: error.file,
            location: error.location,
        }
    }
}

/// A template set that cannot be used, with every problem found in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ManifestError {
    /// The problems, in the order found.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "invalid template set: {one}"),
            many => {
                write!(f, "invalid template set, {} problems:", many.len())?;
                many.iter().try_for_each(|p| write!(f, "\n  - {p}"))
            }
        }
    }
}

/// Parses and checks the template set in `files`. `label` is how the set's top
/// folder is shown in messages (a path, or `<built-in>`). The layers' files
/// move into the result, so a set read from disk is held in memory once.
pub fn parse(mut files: SetFiles, label: &str) -> Result<TemplateSet, ManifestError> {
    let mut problems = Vec::new();
    let shown = |rel: &str| format!("{label}/{rel}");
    let problem = |rel: &str, message: String| Problem {
        file: shown(rel),
        location: None,
        message,
    };
    let fail = |p: Problem| ManifestError { problems: vec![p] };

    let raw: RawSet = read_yaml(&files, "scaffold.yaml", &shown)
        .ok_or_else(|| {
            fail(problem(
                "scaffold.yaml",
                "not found: a template set is a folder with scaffold.yaml and one folder per layer"
                    .into(),
            ))
        })?
        .map_err(|e| fail(e.into()))?;

    let min_scaffold_version = match raw
        .min_scaffold_version
        .as_deref()
        .map(|v| (v, Version::parse(v)))
    {
        None => None,
        Some((text, None)) => {
            problems.push(problem(
                "scaffold.yaml",
                format!("min_scaffold_version `{text}` is not a version like 1.2.3"),
            ));
            None
        }
        Some((_, Some(needed))) => {
            if needed > Version::current() {
                // Nothing else is worth reporting if this scaffold is too old for the set.
                return Err(fail(problem(
                    "scaffold.yaml",
                    format!(
                        "this template set needs scaffold {needed} or newer, but this is scaffold {}; upgrade scaffold",
                        Version::current()
                    ),
                )));
            }
            Some(needed)
        }
    };

    let variables = check_variables(raw.variables, "scaffold.yaml", &problem, &mut problems);
    for v in &variables {
        if v.name == "layers" || raw.layers.contains(&v.name) {
            problems.push(problem(
                "scaffold.yaml",
                format!("shared variable `{}` has the name of a layer (or `layers`), which the template context already uses; rename it", v.name),
            ));
        }
    }

    let mut layers: Vec<Layer> = Vec::new();
    let mut seen = BTreeSet::new();
    for name in &raw.layers {
        if !seen.insert(name.as_str()) {
            problems.push(problem(
                "scaffold.yaml",
                format!("layer `{name}` is listed twice in `layers`"),
            ));
            continue;
        }
        let manifest = format!("{name}/layer.yaml");
        match read_yaml::<RawLayer>(&files, &manifest, &shown) {
            None => problems.push(problem(
                "scaffold.yaml",
                format!(
                    "layer `{name}` is listed in `layers` but {} does not exist",
                    shown(&manifest)
                ),
            )),
            Some(Err(e)) => problems.push(e.into()),
            Some(Ok(raw_layer)) => {
                if let Some(layer) = check_layer(
                    name,
                    raw_layer,
                    &mut files,
                    &manifest,
                    &shown,
                    &mut problems,
                ) {
                    layers.push(layer);
                }
            }
        }
    }
    for path in files.keys() {
        let unlisted = path
            .strip_suffix("/layer.yaml")
            .filter(|n| !n.contains('/') && !seen.contains(n));
        if let Some(name) = unlisted {
            problems.push(problem(
                path,
                format!("layer `{name}` is not listed in scaffold.yaml `layers`; add it there or remove the folder"),
            ));
        }
    }
    check_requires(&layers, &files, &problem, &mut problems);

    if problems.is_empty() {
        Ok(TemplateSet {
            name: raw.name,
            manifest: shown("scaffold.yaml"),
            version: raw.version,
            description: raw.description,
            min_scaffold_version,
            variables,
            layers,
            next_steps: raw.next_steps,
        })
    } else {
        Err(ManifestError { problems })
    }
}

/// The 1-based line where the top-level `key:` of the file `rel` is written.
fn key_line(files: &SetFiles, rel: &str, key: &str) -> Option<usize> {
    let text = std::str::from_utf8(&files.get(rel)?.bytes).ok()?;
    let prefix = format!("{key}:");
    text.lines()
        .position(|l| l.starts_with(&prefix))
        .map(|i| i + 1)
}

/// Parses one YAML file of the set; `None` when the set has no such file.
fn read_yaml<T: for<'de> Deserialize<'de>>(
    files: &SetFiles,
    rel: &str,
    shown: &impl Fn(&str) -> String,
) -> Option<Result<T, YamlError>> {
    let file = files.get(rel)?;
    Some(match std::str::from_utf8(&file.bytes) {
        Ok(text) => yaml::parse(&shown(rel), text),
        Err(e) => Err(YamlError {
            file: shown(rel),
            location: None,
            message: format!("not UTF-8 text ({e})"),
            suggestion: None,
        }),
    })
}

fn check_layer(
    name: &str,
    raw: RawLayer,
    files: &mut SetFiles,
    manifest: &str,
    shown: &impl Fn(&str) -> String,
    problems: &mut Vec<Problem>,
) -> Option<Layer> {
    let problem = |rel: &str, message: String| Problem {
        file: shown(rel),
        location: None,
        message,
    };
    let before = problems.len();
    if raw.name != name {
        problems.push(problem(
            manifest,
            format!(
                "`name: {}` differs from the layer's folder `{name}`; make them the same",
                raw.name
            ),
        ));
    }
    if raw.hooks.post_generate.iter().any(|h| h.trim().is_empty()) {
        problems.push(problem(
            manifest,
            "`hooks.post_generate` has an empty command".into(),
        ));
    }
    let destination = raw.destination.trim_end_matches('/').to_owned();
    if destination.starts_with('/')
        || destination.split('/').any(|s| s == ".." || s == ".")
        || destination.contains(['\\', '\0'])
    {
        problems.push(problem(
            manifest,
            format!(
                "destination `{}` must be a plain relative folder such as `backend/`",
                raw.destination
            ),
        ));
    }
    let variables = check_variables(raw.variables, manifest, &problem, problems);
    let rules = raw
        .rules
        .into_iter()
        .filter_map(|r| check_rule(r, manifest, &problem, problems))
        .collect();
    // The keys `{name}/files/...` are one sorted run, which ends before
    // `{name}/files0` ('0' follows '/'): cut it out of the map.
    let prefix = format!("{name}/files/");
    let mut layer_files = files.split_off(prefix.as_str());
    files.append(&mut layer_files.split_off(format!("{name}/files0").as_str()));
    let files = layer_files
        .into_iter()
        .map(|(path, file)| TemplateFile {
            path: path[prefix.len()..].to_owned(),
            origin: shown(&path),
            name: path,
            bytes: file.bytes,
            mode: file.mode,
        })
        .collect();
    (problems.len() == before).then(|| Layer {
        name: raw.name,
        manifest: shown(manifest),
        description: raw.description,
        destination,
        requires: raw.requires,
        variables,
        rules,
        files,
        post_generate: raw.hooks.post_generate,
    })
}

fn check_rule(
    raw: RawRule,
    manifest: &str,
    problem: &impl Fn(&str, String) -> Problem,
    problems: &mut Vec<Problem>,
) -> Option<Rule> {
    let mut bad = |message: String| {
        problems.push(problem(manifest, format!("rule `{}`: {message}", raw.glob)));
    };
    let matcher = globset::GlobBuilder::new(&raw.glob)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| bad(format!("not a valid glob ({})", e.kind())))
        .ok();
    if raw.when.is_none() && raw.ownership.is_none() && raw.mode.is_none() {
        bad("says nothing: give it `when`, `ownership` or `mode`".into());
        return None;
    }
    let mode = match raw.mode {
        None => Some(None),
        Some(mode) => match parse_mode(&mode) {
            Some(m) => Some(Some(m)),
            None => {
                bad(format!(
                    "mode `{mode}` is not an octal mode such as \"0755\""
                ));
                None
            }
        },
    };
    Some(Rule {
        glob: raw.glob,
        matcher: matcher?,
        when: raw.when,
        ownership: raw.ownership,
        mode: mode?,
    })
}

/// `"0755"`, `"755"` or an unquoted `0755`/`755` (which YAML reads as the number 755).
fn parse_mode(mode: &RawMode) -> Option<u32> {
    let digits = match mode {
        RawMode::Int(n) => n.to_string(),
        RawMode::Str(s) => s.trim_start_matches("0o").to_owned(),
    };
    u32::from_str_radix(&digits, 8).ok().filter(|m| *m <= 0o777)
}

fn check_variables(
    raw: RawVariables,
    manifest: &str,
    problem: &impl Fn(&str, String) -> Problem,
    problems: &mut Vec<Problem>,
) -> Vec<Variable> {
    raw.0
        .into_iter()
        .filter_map(|(name, raw)| {
            let before = problems.len();
            let mut bad = |message: String| {
                problems.push(problem(manifest, format!("variable `{name}`: {message}")));
            };
            if !is_identifier(&name) {
                bad("names must be letters, digits and `_`, not starting with a digit".into());
            }
            let has_choices = matches!(raw.kind, Kind::Choice | Kind::MultiChoice);
            if has_choices && raw.choices.is_empty() {
                bad(format!("a `{}` variable needs `choices`", raw.kind.name()));
            }
            if !has_choices && !raw.choices.is_empty() {
                bad(format!(
                    "`choices` needs `type: choice` or `type: multi-choice`, not `{}`",
                    raw.kind.name()
                ));
            }
            let default = raw
                .default
                .map(|d| check_default(raw.kind, d, &raw.choices).map_err(&mut bad));
            let validate = raw.validate.map(|v| {
                if raw.kind != Kind::String {
                    bad("`validate` applies to `string` variables only".into());
                }
                // Anchor the regex: `validate` checks the whole answer, not a part of it.
                regex::Regex::new(&format!("^(?:{})$", v.regex))
                    .map(|regex| Validation {
                        regex,
                        message: v
                            .message
                            .unwrap_or_else(|| format!("must match `{}`", v.regex)),
                    })
                    .map_err(|e| bad(format!("`validate.regex` is not a valid regex: {e}")))
            });
            (problems.len() == before).then(|| Variable {
                name: name.clone(),
                kind: raw.kind,
                prompt: raw.prompt,
                help: raw.help,
                default: default.and_then(Result::ok),
                choices: raw.choices,
                validate: validate.and_then(Result::ok),
                when: raw.when,
                secret: raw.secret,
            })
        })
        .collect()
}

/// A default must fit its variable's type; text holding Tera is checked when rendered.
fn check_default(kind: Kind, default: Value, choices: &[String]) -> Result<Value, String> {
    match (kind, default) {
        (_, Value::Str(s)) if super::holds_tera(&s) => Ok(Value::Str(s)),
        (Kind::String, Value::Str(s)) => Ok(Value::Str(s)),
        (Kind::String, other @ (Value::Bool(_) | Value::Int(_))) => {
            Ok(Value::Str(other.to_string()))
        }
        (Kind::Bool, Value::Bool(b)) => Ok(Value::Bool(b)),
        (Kind::Integer, Value::Int(i)) => Ok(Value::Int(i)),
        (Kind::Choice, Value::Str(s)) if choices.contains(&s) => Ok(Value::Str(s)),
        (Kind::MultiChoice, Value::List(items)) if items.iter().all(|i| choices.contains(i)) => {
            Ok(Value::List(items))
        }
        (Kind::Choice | Kind::MultiChoice, value) => Err(format!(
            "default `{value}` is not among the choices: {}",
            choices.join(", ")
        )),
        (kind, value) => Err(format!(
            "default `{value}` is not of type `{}`",
            kind.name()
        )),
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Every `requires` names a listed layer, and they form no cycle.
fn check_requires(
    layers: &[Layer],
    files: &SetFiles,
    problem: &impl Fn(&str, String) -> Problem,
    problems: &mut Vec<Problem>,
) {
    let names: BTreeMap<&str, &Layer> = layers.iter().map(|l| (l.name.as_str(), l)).collect();
    for layer in layers {
        for needed in &layer.requires {
            if !names.contains_key(needed.as_str()) {
                let meant = crate::suggest::closest(needed, names.keys().copied())
                    .map(|m| format!(" (did you mean `{m}`?)"))
                    .unwrap_or_default();
                problems.push(problem(
                    &format!("{}/layer.yaml", layer.name),
                    format!("requires `{needed}`, which is not a layer of this set{meant}"),
                ));
            }
        }
    }
    // Depth-first search for a cycle, reported once with its path.
    fn visit<'a>(
        name: &'a str,
        names: &BTreeMap<&'a str, &'a Layer>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(start) = path.iter().position(|n| *n == name) {
            let mut cycle = path[start..].to_vec();
            cycle.push(name);
            return Some(cycle);
        }
        if !done.insert(name) {
            return None;
        }
        path.push(name);
        let layer = names.get(name)?;
        for needed in &layer.requires {
            if let Some(cycle) = visit(needed, names, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for layer in layers {
        if let Some(cycle) = visit(&layer.name, &names, &mut Vec::new(), &mut done) {
            let manifest = format!("{}/layer.yaml", cycle[0]);
            let mut found = problem(
                &manifest,
                format!(
                    "`requires` forms a cycle: {}; remove one of these `requires`",
                    cycle.join(" → ")
                ),
            );
            found.location = key_line(files, &manifest, "requires").map(|line| (line, 1));
            problems.push(found);
            return;
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSet {
    name: String,
    version: String,
    #[serde(default)]
    description: String,
    min_scaffold_version: Option<String>,
    layers: Vec<String>,
    #[serde(default)]
    variables: RawVariables,
    next_steps: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayer {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    destination: String,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    variables: RawVariables,
    #[serde(default)]
    rules: Vec<RawRule>,
    #[serde(default)]
    hooks: RawHooks,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHooks {
    #[serde(default)]
    post_generate: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariable {
    #[serde(rename = "type", default)]
    kind: Kind,
    prompt: Option<String>,
    help: Option<String>,
    default: Option<Value>,
    #[serde(default)]
    choices: Vec<String>,
    validate: Option<RawValidation>,
    when: Option<String>,
    #[serde(default)]
    secret: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValidation {
    regex: String,
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    glob: String,
    when: Option<String>,
    ownership: Option<Ownership>,
    mode: Option<RawMode>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawMode {
    Int(u64),
    Str(String),
}

impl fmt::Display for RawMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawMode::Int(n) => write!(f, "{n}"),
            RawMode::Str(s) => f.write_str(s),
        }
    }
}

/// Variables in the order written: the order of prompting.
type RawVariables = InOrder<RawVariable>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::files;

    const SET: &str = "name: s\nversion: 1.0.0\nlayers: [root, backend]\n";

    fn problems(extra: &[(&str, &str)]) -> Vec<String> {
        let mut all = vec![
            ("scaffold.yaml", SET),
            ("root/layer.yaml", "name: root\n"),
            ("backend/layer.yaml", "name: backend\n"),
        ];
        for (path, text) in extra {
            all.retain(|(p, _)| p != path);
            all.push((path, text));
        }
        match parse(files(&all), "set") {
            Ok(_) => Vec::new(),
            Err(e) => e.problems.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn a_valid_set_parses_with_everything_in_order() {
        let set = crate::testing::set(&[
            (
                "scaffold.yaml",
                "name: s\nversion: 1.0.0\nlayers: [root, backend]\nvariables:\n  zeta: {}\n  alpha: {default: x}\n",
            ),
            ("root/layer.yaml", "name: root\n"),
            ("root/files/README.md.tera", "{{ zeta }}"),
            (
                "backend/layer.yaml",
                "name: backend\ndestination: backend/\nrequires: [root]\nvariables:\n  api: {type: choice, choices: [a, b], default: b}\n  \
                 n: {type: integer, default: 3}\n  on: {type: bool, default: true}\n  tags: {type: multi-choice, choices: [x, y], default: [y]}\n\
                 rules:\n  - {glob: 'bin/*', mode: '0755'}\n  - {glob: 'x/**', ownership: seed, when: backend.on}\nhooks:\n  post_generate: []\n",
            ),
            ("backend/files/bin/run", "#!/bin/sh\n"),
        ]);
        assert_eq!(
            set.variables
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>(),
            ["zeta", "alpha"]
        );
        let backend = set.layer("backend").unwrap();
        assert_eq!(backend.destination, "backend");
        assert_eq!(
            backend.variables.iter().map(|v| v.kind).collect::<Vec<_>>(),
            [Kind::Choice, Kind::Integer, Kind::Bool, Kind::MultiChoice]
        );
        assert_eq!(backend.rules[0].mode, Some(0o755));
        assert_eq!(backend.rules[1].ownership, Some(Ownership::Seed));
        assert_eq!(backend.files[0].origin, "set/backend/files/bin/run");
        assert_eq!(backend.files[0].path, "bin/run");
    }

    #[test]
    fn unknown_keys_name_file_line_and_the_key_meant() {
        assert_eq!(
            problems(&[("backend/layer.yaml", "name: backend\ndestinaton: x/\n")]),
            [
                "set/backend/layer.yaml:2:1: unknown field `destinaton`, expected one of `name`, `description`, `destination`, \
              `requires`, `variables`, `rules`, `hooks` (did you mean `destination`?)"
            ]
        );
        let p = problems(&[(
            "backend/layer.yaml",
            "name: backend\nvariables:\n  api: {tpye: bool}\n",
        )]);
        assert!(p[0].starts_with("set/backend/layer.yaml:3:"), "{p:?}");
        assert!(p[0].ends_with("(did you mean `type`?)"), "{p:?}");
        let p = problems(&[(
            "backend/layer.yaml",
            "name: backend\nrules:\n  - {glob: x, ownership: owned}\n",
        )]);
        assert!(p[0].contains("unknown variant `owned`"), "{p:?}");
    }

    #[test]
    fn every_semantic_problem_is_reported_at_once() {
        let p = problems(&[(
            "backend/layer.yaml",
            "name: backend\nrequires: [rooot]\nvariables:\n  api: {type: choice}\n  n: {type: integer, default: abc}\n  \
             c: {type: choice, choices: [a], default: b}\n  s: {validate: {regex: '('}}\n  1x: {}\n\
             rules:\n  - {glob: 'a/[', mode: '0755'}\n  - {glob: b, mode: '9'}\n  - {glob: c}\n",
        )]);
        let expected = [
            "variable `api`: a `choice` variable needs `choices`",
            "variable `n`: default `abc` is not of type `integer`",
            "variable `c`: default `b` is not among the choices: a",
            "variable `s`: `validate.regex` is not a valid regex",
            "variable `1x`: names must be letters",
            "rule `a/[`: not a valid glob",
            "rule `b`: mode `9` is not an octal mode",
            "rule `c`: says nothing",
        ];
        for e in expected {
            assert!(p.iter().any(|p| p.contains(e)), "missing {e:?} in {p:#?}");
        }
        assert_eq!(p.len(), expected.len(), "{p:#?}");
        assert!(
            problems(&[("backend/layer.yaml", "name: backend\nrequires: [rooot]\n")])[0]
                .contains("(did you mean `root`?)")
        );
    }

    #[test]
    fn layers_must_match_their_folders_and_not_cycle() {
        assert_eq!(
            problems(&[("backend/layer.yaml", "name: api\n")]),
            [
                "set/backend/layer.yaml: `name: api` differs from the layer's folder `backend`; make them the same"
            ]
        );
        assert_eq!(
            problems(&[("extra/layer.yaml", "name: extra\n")]),
            [
                "set/extra/layer.yaml: layer `extra` is not listed in scaffold.yaml `layers`; add it there or remove the folder"
            ]
        );
        assert_eq!(
            problems(&[(
                "scaffold.yaml",
                "name: s\nversion: 1.0.0\nlayers: [root, backend, web]\n"
            )]),
            [
                "set/scaffold.yaml: layer `web` is listed in `layers` but set/web/layer.yaml does not exist"
            ]
        );
        let p = problems(&[
            ("root/layer.yaml", "name: root\nrequires: [backend]\n"),
            ("backend/layer.yaml", "name: backend\nrequires: [root]\n"),
        ]);
        assert_eq!(
            p,
            [
                "set/root/layer.yaml:2:1: `requires` forms a cycle: root → backend → root; remove one of these `requires`"
            ]
        );
    }

    #[test]
    fn a_set_for_a_newer_scaffold_names_both_versions() {
        let p = problems(&[(
            "scaffold.yaml",
            "name: s\nversion: 1.0.0\nmin_scaffold_version: 99.0.0\nlayers: [root, backend]\n",
        )]);
        assert_eq!(
            p,
            [format!(
                "set/scaffold.yaml: this template set needs scaffold 99.0.0 or newer, but this is scaffold {}; upgrade scaffold",
                env!("CARGO_PKG_VERSION")
            )]
        );
    }

    #[test]
    fn a_folder_without_scaffold_yaml_says_what_a_set_is() {
        let error = parse(files(&[("README.md", "hi")]), "here").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid template set: here/scaffold.yaml: not found: a template set is a folder with scaffold.yaml and one folder per layer"
        );
    }

    #[test]
    fn hooks_are_read_in_order_and_an_empty_one_is_refused() {
        let set = crate::testing::set(&[
            ("scaffold.yaml", SET),
            ("root/layer.yaml", "name: root\n"),
            (
                "backend/layer.yaml",
                "name: backend\nhooks:\n  post_generate: [make setup, 'echo {{ name }}']\n",
            ),
        ]);
        assert_eq!(
            set.layer("backend").unwrap().post_generate,
            ["make setup", "echo {{ name }}"]
        );
        let p = problems(&[(
            "backend/layer.yaml",
            "name: backend\nhooks:\n  post_generate: ['  ']\n",
        )]);
        assert_eq!(
            p,
            ["set/backend/layer.yaml: `hooks.post_generate` has an empty command"]
        );
    }

    #[test]
    fn the_built_in_set_is_valid() {
        let set = parse(crate::source::builtin::files(), "<built-in>").unwrap();
        let names: Vec<_> = set.layers.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(
            names,
            ["root", "backend", "frontend", "infra", "e2e", "docs"]
        );
        let kinds: BTreeSet<_> = set
            .variables
            .iter()
            .chain(set.layers.iter().flat_map(|l| &l.variables))
            .map(|v| v.kind.name())
            .collect();
        assert_eq!(kinds.len(), 5, "every variable type is used: {kinds:?}");
    }
}
