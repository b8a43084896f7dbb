//! `scaffold lint [TEMPLATE]`, for template authors: the manifests checked,
//! then every layer rendered with the defaults and once more for every value
//! of every choice and yes/no variable, collecting each problem once.

use crate::answers::prompt::{Prompter, Question};
use crate::answers::{self, Answers, Given, Origin, Request};
use crate::cli::{Format, LintArgs};
use crate::exit;
use crate::manifest::{Kind, Layer, TemplateFile, TemplateSet, Variable, holds_tera};
use crate::render::engine::Engine;
use crate::render::{self, RenderErrors, TEMPLATE_SUFFIX};
use crate::tree::Tree;
use crate::ui::Ui;
use crate::value::Value;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// A finding: an error fails the lint, a warning does not.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    error: bool,
    message: String,
}

/// Runs `scaffold lint`; exits 1 when there is an error.
pub fn run(args: &LintArgs, ui: &Ui) -> anyhow::Result<i32> {
    let mut template = args.template.clone();
    template.template = args.set.clone().or(template.template);
    let source = super::source_of(&template)?;
    let mut findings = BTreeSet::new();
    match super::load_set(&source, args.template.refresh, ui) {
        Ok((set, _)) => lint(&set, &mut findings),
        // A set that does not parse: its problems are the findings.
        Err(error) => match error.downcast_ref::<crate::manifest::ManifestError>() {
            Some(manifest) => {
                for problem in &manifest.problems {
                    findings.insert(Finding {
                        error: true,
                        message: problem.to_string(),
                    });
                }
            }
            None => return Err(error),
        },
    }
    let errors = findings.iter().filter(|f| f.error).count();
    let warnings = findings.len() - errors;
    let text = match args.format {
        Format::Text => {
            let mut out = String::new();
            for f in findings.iter().rev() {
                out.push_str(&format!(
                    "{}: {}\n",
                    if f.error { "error" } else { "warning" },
                    f.message
                ));
            }
            out
        }
        Format::Json => {
            let list = |error: bool| -> Vec<&str> {
                findings
                    .iter()
                    .filter(|f| f.error == error)
                    .map(|f| f.message.as_str())
                    .collect()
            };
            format!(
                "{:#}\n",
                json!({ "schema": 1, "errors": list(true), "warnings": list(false) })
            )
        }
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    ui.status(format!("{errors} error(s), {warnings} warning(s)"));
    Ok(if errors > 0 { exit::DRIFT } else { exit::OK })
}

fn lint(set: &TemplateSet, findings: &mut BTreeSet<Finding>) {
    let error = |message: String| Finding {
        error: true,
        message,
    };
    let warning = |message: String| Finding {
        error: false,
        message,
    };
    for layer in &set.layers {
        for file in &layer.files {
            let is_template = file.path.ends_with(TEMPLATE_SUFFIX);
            if !is_template && std::str::from_utf8(&file.bytes).is_ok_and(holds_tera) {
                findings.insert(warning(format!(
                    "{}: holds `{{{{` or `{{%` but is copied as it is; add `.tera` to the name to render it (fine for Helm, GitHub Actions and other templates)",
                    file.origin
                )));
            }
        }
    }

    for (origin, message) in undeclared(set) {
        findings.insert(error(format!("{origin}: {message}")));
    }

    let all: Vec<String> = set.layers.iter().map(|l| l.name.clone()).collect();
    let mut variants: Vec<BTreeMap<String, Value>> = vec![BTreeMap::new()];
    let keyed =
        set.variables
            .iter()
            .map(|v| (v.name.clone(), v))
            .chain(set.layers.iter().flat_map(|l| {
                l.variables
                    .iter()
                    .map(move |v| (format!("{}.{}", l.name, v.name), v))
            }));
    for (key, variable) in keyed {
        for value in values_to_try(variable) {
            variants.push(BTreeMap::from([(key.clone(), value)]));
        }
    }
    let environment = super::environment();
    let mut first = true;
    for values in variants {
        let request = Request {
            layers: Some((all.clone(), true)),
            given: vec![Given {
                origin: Origin::Set,
                values,
            }],
            environment: &environment,
        };
        let mut prompter = Examples::default();
        let resolved = answers::resolve(set, &request, Some(&mut prompter));
        for (key, message) in prompter.bad_defaults {
            findings.insert(error(format!(
                "the default of `{key}` fails its own check: {message}"
            )));
        }
        let answers = match resolved {
            Ok(answers) => answers,
            Err(e) => {
                findings.insert(error(e.to_string()));
                continue;
            }
        };
        let rendered = render::render(set, &answers);
        if first {
            for (origin, path) in empty_renders(set, &answers, rendered.as_ref().err()) {
                findings.insert(warning(format!(
                    "{origin}: renders to an empty `{path}` with the defaults; drop it with a rule `when`, or an empty path segment"
                )));
            }
        }
        match rendered {
            Ok(_) => {}
            Err(errors) => {
                for e in errors.0 {
                    findings.insert(error(format!("{}: {}", e.origin, e.message)));
                }
            }
        }
        if let Err(errors) = render::hooks(set, &answers) {
            for e in errors.0 {
                findings.insert(error(format!("{}: {}", e.origin, e.message)));
            }
        }
        first = false;
    }
}

/// The `.tera` files that render empty with `answers`, as (template, path
/// written). A render that `failed` is repeated without the files at fault,
/// so every other file is still judged on its own.
fn empty_renders(
    set: &TemplateSet,
    answers: &Answers,
    failed: Option<&RenderErrors>,
) -> Vec<(String, String)> {
    let empty = |tree: &Tree| -> Vec<(String, String)> {
        tree.iter()
            .filter(|(_, e)| e.bytes.is_empty() && e.origin.ends_with(TEMPLATE_SUFFIX))
            .map(|(path, e)| (e.origin.clone(), path.to_string()))
            .collect()
    };
    let Some(failed) = failed else {
        return render::render(set, answers).map_or_else(|_| Vec::new(), |t| empty(&t));
    };
    let mut at_fault: BTreeSet<String> = failed.0.iter().map(|e| e.origin.clone()).collect();
    let mut pruned = set.clone();
    loop {
        for layer in &mut pruned.layers {
            layer.files.retain(|f| !at_fault.contains(&f.origin));
        }
        match render::render(&pruned, answers) {
            Ok(tree) => return empty(&tree),
            Err(errors) => {
                let before = at_fault.len();
                at_fault.extend(errors.0.into_iter().map(|e| e.origin));
                // Only manifests are at fault now (a rule, a destination): give up.
                if at_fault.len() == before {
                    return Vec::new();
                }
            }
        }
    }
}

/// Variables that `.tera` files and templated paths read but that no
/// manifest declares, found from the parsed templates rather than by
/// rendering, so a use behind a condition no variation reaches is found too.
/// Each as (where: file and line, message).
fn undeclared(set: &TemplateSet) -> Vec<(String, String)> {
    // The template context (src/render/context.rs): shared variables
    // top-level, each layer's under its name, and `layers`; `loop` is Tera's.
    let layers: BTreeMap<&str, (&Layer, BTreeSet<&str>)> = set
        .layers
        .iter()
        .map(|l| {
            let names = l.variables.iter().map(|v| v.name.as_str()).collect();
            (l.name.as_str(), (l, names))
        })
        .collect();
    let known = |name: &str| {
        ["layers", "loop"].contains(&name)
            || set.variables.iter().any(|v| v.name == name)
            || layers.contains_key(name)
    };
    let mut engine = Engine::pure();
    let templates: Vec<(&TemplateFile, &str)> = set
        .layers
        .iter()
        .flat_map(|l| &l.files)
        .filter(|f| f.path.ends_with(TEMPLATE_SUFFIX))
        .filter_map(|f| Some((f, std::str::from_utf8(&f.bytes).ok()?)))
        .collect();
    // All at once, so includes resolve; one by one when some do not parse
    // (those are reported by the render).
    if engine
        .tera
        .add_raw_templates(templates.iter().map(|(f, text)| (f.name.as_str(), *text)))
        .is_err()
    {
        for (file, text) in &templates {
            let _ = engine.tera.add_raw_template(&file.name, text);
        }
    }
    // Paths: a file's path under files/, as one template.
    let paths: Vec<(&TemplateFile, String)> = set
        .layers
        .iter()
        .flat_map(|l| &l.files)
        .filter(|f| holds_tera(&f.path))
        .map(|f| (f, format!("{}#path", f.name)))
        .collect();
    for (file, name) in &paths {
        let _ = engine.tera.add_raw_template(name, &file.path);
    }
    let mut found = Vec::new();
    let uses = templates
        .iter()
        .map(|(f, text)| (*f, f.name.as_str(), *text, false))
        .chain(
            paths
                .iter()
                .map(|(f, name)| (*f, name.as_str(), f.path.as_str(), true)),
        );
    for (file, name, text, is_path) in uses {
        let Ok(variables) = engine.tera.get_template_variables(name) else {
            continue;
        };
        let mut variables: Vec<&str> = variables.into_iter().collect();
        variables.sort_unstable();
        // Where: the file and line, or for a path the file itself.
        let at = |line: Option<usize>| match line.filter(|_| !is_path) {
            Some(line) => format!("{}:{line}", file.origin),
            None => file.origin.clone(),
        };
        let what = if is_path { "its path reads" } else { "reads" };
        for variable in variables {
            if !known(variable) {
                found.push((
                    at(first_use(text, variable)),
                    format!(
                        "{what} `{variable}`, which no manifest declares; declare it under `variables:` in scaffold.yaml or a layer.yaml, or fix the name"
                    ),
                ));
                continue;
            }
            let Some((layer, declared)) = layers.get(variable) else {
                continue;
            };
            for (field, line) in fields(text, variable) {
                if !declared.contains(field.as_str()) {
                    found.push((
                        at(Some(line)),
                        format!(
                            "{what} `{variable}.{field}`, but the layer `{variable}` has no variable `{field}`; declare it in {}, or fix the name",
                            layer.manifest
                        ),
                    ));
                }
            }
        }
    }
    found
}

/// The Tera tags (`{{ }}`, `{% %}`) of `text`, each with the line it starts
/// on, and string literals blanked out (so `"a.b"` is not read as a field).
fn tags(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(start) = rest.find("{{").into_iter().chain(rest.find("{%")).min() {
        let close = if rest[start..].starts_with("{{") {
            "}}"
        } else {
            "%}"
        };
        let end = rest[start..]
            .find(close)
            .map_or(rest.len(), |e| start + e + 2);
        let line = 1 + text[..offset + start].matches('\n').count();
        let mut tag = String::new();
        let mut quote = None;
        for c in rest[start..end].chars() {
            match quote {
                Some(q) if c == q => {
                    quote = None;
                    tag.push(c);
                }
                Some(_) => tag.push(if c == '\n' { c } else { ' ' }),
                None => {
                    if matches!(c, '"' | '\'' | '`') {
                        quote = Some(c);
                    }
                    tag.push(c);
                }
            }
        }
        out.push((line, tag));
        offset += end;
        rest = &text[offset..];
    }
    out
}

/// Whether `c` may be part of a Tera identifier.
fn ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The positions in `tag` where the identifier `name` stands on its own
/// (not a field of something else, not part of a longer name).
fn occurrences<'a>(tag: &'a str, name: &'a str) -> impl Iterator<Item = usize> + 'a {
    tag.match_indices(name).map(|(i, _)| i).filter(move |&i| {
        let before = tag[..i].chars().next_back();
        let after = tag[i + name.len()..].chars().next();
        !before.is_some_and(|c| ident(c) || c == '.') && !after.is_some_and(ident)
    })
}

/// The line of the first tag of `text` that reads `name`.
fn first_use(text: &str, name: &str) -> Option<usize> {
    tags(text)
        .into_iter()
        .find(|(_, tag)| occurrences(tag, name).next().is_some())
        .map(|(line, _)| line)
}

/// The fields read from `name` (`name.field`), each with the line of its
/// first use.
fn fields(text: &str, name: &str) -> Vec<(String, usize)> {
    let mut found: Vec<(String, usize)> = Vec::new();
    for (line, tag) in tags(text) {
        for i in occurrences(&tag, name) {
            let after = &tag[i + name.len()..];
            let Some(field) = after.strip_prefix('.') else {
                continue;
            };
            let field: String = field.chars().take_while(|c| ident(*c)).collect();
            if !field.is_empty() && !found.iter().any(|(f, _)| *f == field) {
                found.push((field, line));
            }
        }
    }
    found
}

/// The values worth rendering with besides the default: every choice, both
/// answers of a yes/no question, every single choice of a multi-choice.
fn values_to_try(variable: &Variable) -> Vec<Value> {
    match variable.kind {
        Kind::Bool => vec![Value::Bool(true), Value::Bool(false)],
        Kind::Choice => variable
            .choices
            .iter()
            .map(|c| Value::Str(c.clone()))
            .collect(),
        Kind::MultiChoice => std::iter::once(Value::List(Vec::new()))
            .chain(
                variable
                    .choices
                    .iter()
                    .map(|c| Value::List(vec![c.clone()])),
            )
            .chain(std::iter::once(Value::List(variable.choices.clone())))
            .collect(),
        Kind::String | Kind::Integer => Vec::new(),
    }
}

/// Answers every question: the default, or (for a required variable, or one
/// whose default fails its own check, which it notes) an example value.
#[derive(Default)]
struct Examples {
    bad_defaults: Vec<(String, String)>,
}

impl Prompter for Examples {
    fn select_layers(&mut self, layers: &[&Layer], _: &[bool]) -> std::io::Result<Vec<bool>> {
        Ok(vec![true; layers.len()])
    }

    fn ask(&mut self, question: &Question<'_>) -> std::io::Result<Value> {
        let variable = question.variable;
        if question.problem.is_some() {
            let message = format!("no example value passes the check of `{}`", question.key);
            return Err(std::io::Error::other(message));
        }
        match question.default {
            Some(default) => Ok(default.clone()),
            None => {
                if variable.default.is_some() {
                    let message = variable
                        .validate
                        .as_ref()
                        .map_or_else(String::new, |v| v.message.clone());
                    self.bad_defaults.push((question.key.to_string(), message));
                }
                Ok(example(variable))
            }
        }
    }
}

/// An answer for a required variable, so the set can be rendered.
fn example(variable: &Variable) -> Value {
    match variable.kind {
        Kind::Bool => Value::Bool(true),
        Kind::Integer => Value::Int(1),
        Kind::Choice => Value::Str(variable.choices.first().cloned().unwrap_or_default()),
        Kind::MultiChoice => Value::List(variable.choices.iter().take(1).cloned().collect()),
        Kind::String => Value::Str("example".into()),
    }
}
