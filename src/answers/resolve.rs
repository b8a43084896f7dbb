//! Resolving answers, lowest precedence first: template default < NAME (for
//! `project_name`) < user config < `--answers FILE` < `--set` < prompt.
//!
//! Pure given a [`Prompter`]: the clock and entropy that defaults may read come
//! in as an [`Environment`]. Values from `--answers` and `--set` are fixed and
//! not asked again; the rest become the prompt's default on a terminal.

use super::prompt::{Prompter, Question};
use super::{Answers, VarKey};
use crate::manifest::{Kind, Layer, ROOT_LAYER, TemplateSet, Variable};
use crate::render::context;
use crate::render::engine::Engine;
pub use crate::render::engine::Environment;
use crate::value::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Where a set of given answers came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// NAME of `scaffold new NAME`, the default for `project_name`.
    ProjectName,
    /// `defaults:` of the user config file at this path.
    Config(String),
    /// `--answers FILE`.
    AnswersFile(String),
    /// `--set key=value`.
    Set,
}

impl Origin {
    fn label(&self) -> String {
        match self {
            Origin::ProjectName => "the project name".into(),
            Origin::Config(path) => format!("`defaults` in {path}"),
            Origin::AnswersFile(path) => format!("answers file {path}"),
            Origin::Set => "--set".into(),
        }
    }

    /// Fixed answers are never asked again, and naming an unknown variable in
    /// them is an error; the others are suggestions (a prompt's default).
    fn is_fixed(&self) -> bool {
        matches!(self, Origin::AnswersFile(_) | Origin::Set)
    }
}

/// Answers given before any prompt, from one origin, keyed `name` or `layer.name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    /// Where they came from.
    pub origin: Origin,
    /// The answers.
    pub values: BTreeMap<String, Value>,
}

/// What `resolve` starts from.
pub struct Request<'a> {
    /// `--layers` (fixed, `true`) or the user config's `layers` (a suggestion);
    /// `None` suggests every layer.
    pub layers: Option<(Vec<String>, bool)>,
    /// Given answers, lowest precedence first.
    pub given: Vec<Given>,
    /// The clock and entropy that defaults may use.
    pub environment: &'a Environment,
}

/// Answers that cannot be resolved.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    /// A given answer names no variable of the set.
    #[error("{origin} sets `{key}`, which is not a variable of this template set")]
    UnknownVariable {
        /// The key as given.
        key: String,
        /// Where it was given.
        origin: String,
        /// The variable probably meant.
        suggestion: Option<String>,
    },
    /// A given answer belongs to a layer that is not selected.
    #[error("{origin} sets `{key}`, but layer `{layer}` is not selected")]
    UnselectedLayer {
        /// The key as given.
        key: String,
        /// Where it was given.
        origin: String,
        /// The layer.
        layer: String,
    },
    /// A layer name that the set does not have.
    #[error("`{name}` is not a layer of this template set")]
    UnknownLayer {
        /// The name as given.
        name: String,
        /// The layer probably meant.
        suggestion: Option<String>,
    },
    /// A value that does not fit its variable.
    #[error("{origin} gives `{key}` an invalid value: {message}")]
    Invalid {
        /// The variable.
        key: String,
        /// Where the value came from.
        origin: String,
        /// What is wrong with it.
        message: String,
    },
    /// A default (or `when`) that could not be rendered.
    #[error("cannot compute {what} of `{key}`: {detail}")]
    Template {
        /// The variable.
        key: String,
        /// `the default` or `the condition`.
        what: &'static str,
        /// Tera's message, with file, line and excerpt.
        detail: String,
    },
    /// Required variables (no default) that nothing answered.
    #[error("no answer for {}: {} no default, and nothing was asked (no terminal, or --defaults)",
        .0.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
        if .0.len() == 1 { "it has" } else { "they have" })]
    Missing(Vec<String>),
    /// The terminal failed while asking.
    #[error("cannot ask on the terminal")]
    Prompt(#[source] std::io::Error),
}

impl AnswerError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            AnswerError::UnknownVariable { suggestion, .. } => Some(match suggestion {
                Some(s) => format!("did you mean `{s}`? `scaffold list` shows every variable"),
                None => "`scaffold list` shows every variable".into(),
            }),
            AnswerError::UnselectedLayer { layer, .. } => {
                Some(format!("add `{layer}` to --layers, or drop the answer"))
            }
            AnswerError::UnknownLayer { suggestion, .. } => Some(match suggestion {
                Some(s) => format!("did you mean `{s}`? `scaffold list` shows the layers"),
                None => "`scaffold list` shows the layers".into(),
            }),
            AnswerError::Missing(keys) => Some(format!(
                "pass {}",
                keys.iter()
                    .map(|k| format!("--set {k}=VALUE"))
                    .collect::<Vec<_>>()
                    .join(" ")
            )),
            _ => None,
        }
    }
}

/// Resolves the layers and every variable's answer. With no `prompter` nothing
/// is asked: defaults are taken, and required variables must be given.
pub fn resolve(
    set: &TemplateSet,
    request: &Request<'_>,
    mut prompter: Option<&mut dyn Prompter>,
) -> Result<Answers, AnswerError> {
    let layers = select_layers(set, request.layers.as_ref(), reborrow(&mut prompter))?;
    check_given_keys(set, &layers, &request.given)?;
    let engine = Engine::with_environment(request.environment);
    let mut answers = Answers {
        layers,
        ..Answers::default()
    };
    let mut missing = Vec::new();
    let variables: Vec<(VarKey, &Variable)> = set
        .variables
        .iter()
        .map(|v| (VarKey::shared(&v.name), v))
        .chain(
            answers
                .layers
                .iter()
                .filter_map(|l| set.layer(l))
                .flat_map(|layer| {
                    layer
                        .variables
                        .iter()
                        .map(|v| (VarKey::of_layer(&layer.name, &v.name), v))
                }),
        )
        .collect();

    for (key, variable) in variables {
        let name = key.to_string();
        let given = request
            .given
            .iter()
            .rev()
            .find_map(|g| g.values.get(&name).map(|v| (v, &g.origin)));
        let invalid = |origin: String| {
            let key = name.clone();
            move |message| AnswerError::Invalid {
                key,
                origin,
                message,
            }
        };
        let value = match given {
            Some((value, origin)) if origin.is_fixed() => {
                coerce(variable, value).map_err(invalid(origin.label()))?
            }
            _ => {
                let context = context::build(&answers, true);
                let suggested = match given {
                    Some((value, origin)) => {
                        Some(coerce(variable, value).map_err(invalid(origin.label()))?)
                    }
                    None => match default_of(variable, &engine, &context) {
                        Ok(default) => default,
                        // An earlier required answer is missing; its error says what to do.
                        Err(_) if !missing.is_empty() => continue,
                        Err(detail) => {
                            return Err(AnswerError::Template {
                                key: name,
                                what: "the default",
                                detail,
                            });
                        }
                    },
                };
                let suggested = suggested
                    .map(|v| coerce(variable, &v).map_err(invalid("the template's default".into())))
                    .transpose()?;
                let ask = match (&mut prompter, &variable.when) {
                    // A secret with a default (a generated key) is not asked.
                    (Some(_), _) if variable.secret && suggested.is_some() => false,
                    (Some(_), None) => true,
                    (Some(_), Some(when)) => {
                        engine
                            .is_true(when, &context)
                            .map_err(|detail| AnswerError::Template {
                                key: name.clone(),
                                what: "the condition",
                                detail,
                            })?
                    }
                    (None, _) => false,
                };
                let asked = match reborrow(&mut prompter) {
                    Some(p) if ask => Some(ask_until_valid(p, &key, variable, suggested.as_ref())?),
                    _ => None,
                };
                match asked.or(suggested) {
                    Some(value) => value,
                    None => {
                        missing.push(name);
                        continue;
                    }
                }
            }
        };
        if variable.secret {
            answers.secrets.insert(key.clone());
        }
        answers.values.insert(key, value);
    }
    if missing.is_empty() {
        Ok(answers)
    } else {
        Err(AnswerError::Missing(missing))
    }
}

/// Lends the prompter out without giving it up (`as_deref_mut` would tie the
/// trait object's lifetime to the borrow).
fn reborrow<'a>(prompter: &'a mut Option<&mut dyn Prompter>) -> Option<&'a mut dyn Prompter> {
    match prompter {
        Some(p) => Some(&mut **p),
        None => None,
    }
}

fn ask_until_valid(
    prompter: &mut dyn Prompter,
    key: &VarKey,
    variable: &Variable,
    default: Option<&Value>,
) -> Result<Value, AnswerError> {
    let mut problem = None;
    loop {
        let question = Question {
            key,
            variable,
            default,
            problem: problem.as_deref(),
        };
        let answer = prompter.ask(&question).map_err(AnswerError::Prompt)?;
        match coerce(variable, &answer) {
            Ok(value) => return Ok(value),
            Err(message) => problem = Some(message),
        }
    }
}

/// The variable's default, rendered if it is a template; `None` if it has none.
fn default_of(
    variable: &Variable,
    engine: &Engine,
    context: &tera::Context,
) -> Result<Option<Value>, String> {
    match &variable.default {
        Some(Value::Str(text)) if text.contains("{{") || text.contains("{%") => engine
            .render_str(text, context)
            .map(|s| Some(Value::Str(s))),
        other => Ok(other.clone()),
    }
}

/// Converts `value` to the variable's type and checks it against `choices` and `validate`.
pub(crate) fn coerce(variable: &Variable, value: &Value) -> Result<Value, String> {
    let text = |v: &Value| match v {
        Value::List(_) => Err(format!(
            "expected a single {}, got a list",
            variable.kind.name()
        )),
        other => Ok(other.to_string()),
    };
    let value = match variable.kind {
        Kind::String => Value::Str(text(value)?),
        Kind::Bool => match value {
            Value::Bool(b) => Value::Bool(*b),
            other => match text(other)?.to_ascii_lowercase().as_str() {
                "true" | "yes" | "y" | "on" | "1" => Value::Bool(true),
                "false" | "no" | "n" | "off" | "0" => Value::Bool(false),
                t => return Err(format!("`{t}` is not yes/no (true, false, yes, no)")),
            },
        },
        Kind::Integer => match value {
            Value::Int(i) => Value::Int(*i),
            other => {
                let t = text(other)?;
                Value::Int(
                    t.trim()
                        .parse()
                        .map_err(|_| format!("`{t}` is not a whole number"))?,
                )
            }
        },
        Kind::Choice => Value::Str(text(value)?),
        Kind::MultiChoice => Value::List(match value {
            Value::List(items) => items.clone(),
            Value::Str(s) if s.trim().is_empty() => Vec::new(),
            other => text(other)?
                .split(',')
                .map(|s| s.trim().to_owned())
                .collect(),
        }),
    };
    let allowed = |item: &String| variable.choices.contains(item);
    match &value {
        Value::Str(s) if variable.kind == Kind::Choice && !allowed(s) => {
            return Err(format!(
                "`{s}` is not one of: {}",
                variable.choices.join(", ")
            ));
        }
        Value::List(items) => {
            if let Some(bad) = items.iter().find(|i| !allowed(i)) {
                return Err(format!(
                    "`{bad}` is not one of: {}",
                    variable.choices.join(", ")
                ));
            }
        }
        Value::Str(s) => {
            if let Some(validation) = variable.validate.as_ref().filter(|v| !v.regex.is_match(s)) {
                return Err(validation.message.clone());
            }
        }
        _ => {}
    }
    Ok(value)
}

/// The selected layers in the set's order: the choice, what it `requires`, and root.
fn select_layers(
    set: &TemplateSet,
    requested: Option<&(Vec<String>, bool)>,
    prompter: Option<&mut dyn Prompter>,
) -> Result<Vec<String>, AnswerError> {
    let check = |names: &[String]| -> Result<BTreeSet<String>, AnswerError> {
        names
            .iter()
            .map(|name| match set.layer(name) {
                Some(_) => Ok(name.clone()),
                None => Err(AnswerError::UnknownLayer {
                    name: name.clone(),
                    suggestion: crate::suggest::closest(
                        name,
                        set.layers.iter().map(|l| l.name.as_str()),
                    ),
                }),
            })
            .collect()
    };
    let mut chosen = match (requested, prompter) {
        (Some((names, true)), _) => check(names)?,
        (requested, Some(prompter)) => {
            let suggested = requested.map(|(names, _)| check(names)).transpose()?;
            let optional: Vec<&Layer> =
                set.layers.iter().filter(|l| l.name != ROOT_LAYER).collect();
            let preselected: Vec<bool> = optional
                .iter()
                .map(|l| suggested.as_ref().is_none_or(|s| s.contains(&l.name)))
                .collect();
            let picked = prompter
                .select_layers(&optional, &preselected)
                .map_err(AnswerError::Prompt)?;
            optional
                .iter()
                .zip(picked)
                .filter(|(_, on)| *on)
                .map(|(l, _)| l.name.clone())
                .collect()
        }
        (Some((names, false)), None) => check(names)?,
        (None, None) => set.layers.iter().map(|l| l.name.clone()).collect(),
    };
    if set.layer(ROOT_LAYER).is_some() {
        chosen.insert(ROOT_LAYER.to_owned());
    }
    // Close over `requires` (the manifest check guarantees every name exists).
    let mut todo: Vec<String> = chosen.iter().cloned().collect();
    while let Some(name) = todo.pop() {
        for needed in set
            .layer(&name)
            .map(|l| l.requires.as_slice())
            .unwrap_or_default()
        {
            if chosen.insert(needed.clone()) {
                todo.push(needed.clone());
            }
        }
    }
    Ok(set
        .layers
        .iter()
        .filter(|l| chosen.contains(&l.name))
        .map(|l| l.name.clone())
        .collect())
}

/// Fixed answers may name only variables of the set, and of selected layers.
fn check_given_keys(
    set: &TemplateSet,
    layers: &[String],
    given: &[Given],
) -> Result<(), AnswerError> {
    let known: Vec<String> = set
        .variables
        .iter()
        .map(|v| v.name.clone())
        .chain(
            set.layers
                .iter()
                .flat_map(|l| l.variables.iter().map(|v| format!("{}.{}", l.name, v.name))),
        )
        .collect();
    for g in given.iter().filter(|g| g.origin.is_fixed()) {
        for key in g.values.keys() {
            let layer = key.split_once('.').map(|(layer, _)| layer);
            if !known.contains(key) {
                return Err(AnswerError::UnknownVariable {
                    key: key.clone(),
                    origin: g.origin.label(),
                    suggestion: crate::suggest::closest(key, known.iter().map(String::as_str)),
                });
            }
            if let Some(layer) = layer.filter(|l| !layers.iter().any(|s| s == l)) {
                // An answers file may come from a project with more layers; --set may not.
                if g.origin == Origin::Set {
                    return Err(AnswerError::UnselectedLayer {
                        key: key.clone(),
                        origin: g.origin.label(),
                        layer: layer.to_owned(),
                    });
                }
            }
        }
    }
    Ok(())
}
