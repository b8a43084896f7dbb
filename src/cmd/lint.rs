//! `scaffold lint [TEMPLATE]`, for template authors: the manifests checked,
//! then every layer rendered with the defaults and once more for every value
//! of every choice and yes/no variable, collecting each problem once.

use crate::answers::prompt::{Prompter, Question};
use crate::answers::{self, Given, Origin, Request};
use crate::cli::{Format, LintArgs};
use crate::exit;
use crate::manifest::{Kind, Layer, TemplateSet, Variable, holds_tera};
use crate::render::{self, TEMPLATE_SUFFIX};
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
        match render::render(set, &answers) {
            Ok(tree) if first => {
                for (path, entry) in tree.iter() {
                    if entry.bytes.is_empty() && entry.origin.ends_with(TEMPLATE_SUFFIX) {
                        findings.insert(warning(format!(
                            "{}: renders to an empty `{path}` with the defaults; drop it with a rule `when`, or an empty path segment",
                            entry.origin
                        )));
                    }
                }
            }
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
