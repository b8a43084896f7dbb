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
    /// A project's `.scaffold/answers.yaml`, when re-rendering it.
    Recorded(String),
}

impl Origin {
    fn label(&self) -> String {
        match self {
            Origin::ProjectName => "the project name".into(),
            Origin::Config(path) => format!("`defaults` in {path}"),
            Origin::AnswersFile(path) => format!("answers file {path}"),
            Origin::Set => "--set".into(),
            Origin::Recorded(path) => format!("the recorded answers in {path}"),
        }
    }

    /// Fixed answers are never asked again, and naming an unknown variable in
    /// them is an error; the others are suggestions (a prompt's default).
    fn is_fixed(&self) -> bool {
        matches!(
            self,
            Origin::AnswersFile(_) | Origin::Set | Origin::Recorded(_)
        )
    }

    /// Whether naming an unknown variable is an error. Recorded answers may
    /// name variables a newer template no longer has.
    fn is_strict(&self) -> bool {
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
    #[error("{file}: cannot compute {what} of `{key}`: {detail}")]
    Template {
        /// The manifest that declares the variable.
        file: String,
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
    /// Ctrl-C at a prompt (in raw mode it arrives as a key, not a signal).
    #[error("interrupted; nothing was written")]
    Interrupted,
    /// The `--answers` file is not a mapping of answers.
    #[error("invalid answers file `{}`", .0.file)]
    File(#[source] crate::yaml::YamlError),
}

impl AnswerError {
    fn from_prompt(error: std::io::Error) -> AnswerError {
        if error.kind() == std::io::ErrorKind::Interrupted {
            AnswerError::Interrupted
        } else {
            AnswerError::Prompt(error)
        }
    }

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
            AnswerError::Invalid { key, .. } => {
                Some(format!("pass a valid value with --set {key}=VALUE"))
            }
            AnswerError::File(_) => Some(
                "an answers file maps variables to answers (`owner: Ada`, `backend: {api: rest}`); another project's .scaffold/answers.yaml works too".into(),
            ),
            AnswerError::Prompt(_) => Some(
                "answer with --set key=VALUE (or --answers FILE) and pass --defaults, so nothing is asked".into(),
            ),
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
                // Secrets reach only other secrets' defaults, so no recorded
                // answer can copy one.
                let context = context::build(&answers, variable.secret);
                let template_error = |what, detail| AnswerError::Template {
                    file: manifest_of(set, &key),
                    key: name.clone(),
                    what,
                    detail,
                };
                let applies = match variable
                    .when
                    .as_deref()
                    .map(|w| engine.is_true(w, &context))
                {
                    None => true,
                    Some(Ok(holds)) => holds,
                    // An earlier required answer is missing; its error says what to do.
                    Some(Err(_)) if !missing.is_empty() => continue,
                    Some(Err(detail)) => return Err(template_error("the condition", detail)),
                };
                let suggested = match given {
                    Some((value, origin)) => {
                        Some(coerce(variable, value).map_err(invalid(origin.label()))?)
                    }
                    None => match default_of(variable, &engine, &context) {
                        Ok(None) => None,
                        Ok(Some(default)) => match coerce(variable, &default) {
                            Ok(value) => Some(value),
                            // On a terminal the user is asked, without the default.
                            Err(_) if prompter.is_some() && applies => None,
                            Err(message) => {
                                return Err(invalid("the template's default".into())(message));
                            }
                        },
                        Err(_) if !missing.is_empty() => continue,
                        Err(detail) => return Err(template_error("the default", detail)),
                    },
                };
                // A secret with a default (a generated key) is not asked.
                let ask = applies && !(variable.secret && suggested.is_some());
                let asked = match reborrow(&mut prompter) {
                    Some(p) if ask => Some(ask_until_valid(p, &key, variable, suggested.as_ref())?),
                    _ => None,
                };
                match asked.or(suggested) {
                    Some(value) => value,
                    // A question that does not apply and has no default is left out.
                    None if !applies => continue,
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

/// The manifest that declares `key`.
fn manifest_of(set: &TemplateSet, key: &VarKey) -> String {
    match key.layer.as_deref().and_then(|l| set.layer(l)) {
        Some(layer) => layer.manifest.clone(),
        None => set.manifest.clone(),
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
        let answer = prompter.ask(&question).map_err(AnswerError::from_prompt)?;
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
        Some(Value::Str(text)) if crate::manifest::holds_tera(text) => engine
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
    // A suggestion (the user config's `layers`) may name layers of other sets:
    // those are left out rather than refused.
    let suggested = requested.filter(|(_, fixed)| !fixed).map(|(names, _)| {
        names
            .iter()
            .filter(|n| set.layer(n).is_some())
            .cloned()
            .collect::<BTreeSet<_>>()
    });
    let optional: Vec<&Layer> = set.layers.iter().filter(|l| l.name != ROOT_LAYER).collect();
    let mut chosen = match (requested, prompter) {
        (Some((names, true)), _) => check(names)?,
        (_, Some(prompter)) if !optional.is_empty() => {
            let preselected: Vec<bool> = optional
                .iter()
                .map(|l| suggested.as_ref().is_none_or(|s| s.contains(&l.name)))
                .collect();
            let picked = prompter
                .select_layers(&optional, &preselected)
                .map_err(AnswerError::from_prompt)?;
            optional
                .iter()
                .zip(picked)
                .filter(|(_, on)| *on)
                .map(|(l, _)| l.name.clone())
                .collect()
        }
        _ => suggested.unwrap_or_else(|| set.layers.iter().map(|l| l.name.clone()).collect()),
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
    for g in given.iter().filter(|g| g.origin.is_strict()) {
        for key in g.values.keys() {
            let layer = key.split_once('.').map(|(layer, _)| layer);
            if !known.contains(key) {
                return Err(AnswerError::UnknownVariable {
                    key: key.clone(),
                    origin: g.origin.label(),
                    // `license` for `root.license`: the same name in a layer is what was meant.
                    suggestion: known
                        .iter()
                        .find(|k| k.split_once('.').is_some_and(|(_, name)| name == key))
                        .cloned()
                        .or_else(|| crate::suggest::closest(key, known.iter().map(String::as_str))),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::prompt::Scripted;
    use crate::testing::{environment, set};

    fn sample() -> TemplateSet {
        set(&[
            (
                "scaffold.yaml",
                "name: s\nversion: 1.0.0\nlayers: [root, backend, frontend, e2e]\nvariables:\n  \
                 project_name: {default: My Project}\n  \
                 project_slug: {default: '{{ project_name | slug }}', validate: {regex: '[a-z-]+', message: lowercase and - only}}\n  \
                 author: {}\n",
            ),
            (
                "root/layer.yaml",
                "name: root\nvariables:\n  year: {type: integer, default: \"{{ now() | date(format='%Y') }}\"}\n",
            ),
            (
                "backend/layer.yaml",
                "name: backend\nvariables:\n  celery: {type: bool, default: true}\n  \
                 broker: {type: choice, choices: [redis, rabbitmq], default: redis, when: backend.celery}\n  \
                 key: {secret: true, default: '{{ random_token(length=4) }}'}\n",
            ),
            (
                "frontend/layer.yaml",
                "name: frontend\nvariables:\n  features: {type: multi-choice, choices: [a, b, c], default: [a]}\n",
            ),
            (
                "e2e/layer.yaml",
                "name: e2e\nrequires: [backend, frontend]\n",
            ),
        ])
    }

    fn given(origin: Origin, pairs: &[(&str, Value)]) -> Given {
        Given {
            origin,
            values: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
    }

    fn s(text: &str) -> Value {
        Value::Str(text.into())
    }

    fn run(
        layers: Option<(Vec<String>, bool)>,
        given: Vec<Given>,
        prompter: Option<&mut dyn Prompter>,
    ) -> Result<Answers, AnswerError> {
        let environment = environment();
        resolve(
            &sample(),
            &Request {
                layers,
                given,
                environment: &environment,
            },
            prompter,
        )
    }

    fn get<'a>(answers: &'a Answers, key: &str) -> Option<&'a Value> {
        answers
            .values
            .iter()
            .find(|(k, _)| k.to_string() == key)
            .map(|(_, v)| v)
    }

    #[test]
    fn defaults_use_earlier_answers_and_the_given_clock() {
        let answers = run(
            None,
            vec![given(Origin::Set, &[("author", s("Ada"))])],
            None,
        )
        .unwrap();
        assert_eq!(get(&answers, "project_slug"), Some(&s("my-project")));
        assert_eq!(get(&answers, "root.year"), Some(&Value::Int(2026)));
        assert_eq!(answers.layers, ["root", "backend", "frontend", "e2e"]);
    }

    #[test]
    fn precedence_is_default_then_name_then_config_then_file_then_set() {
        let layers = [
            given(Origin::ProjectName, &[("project_name", s("from-name"))]),
            given(
                Origin::Config("c".into()),
                &[("project_name", s("from-config")), ("author", s("config"))],
            ),
            given(
                Origin::AnswersFile("f".into()),
                &[("project_name", s("from-file")), ("author", s("file"))],
            ),
            given(Origin::Set, &[("author", s("set"))]),
        ];
        for top in 1..=layers.len() {
            let answers = run(None, layers[..top].to_vec(), None);
            let expected = ["from-name", "from-config", "from-file", "from-file"][top - 1];
            match answers {
                Ok(a) => assert_eq!(
                    get(&a, "project_name"),
                    Some(&s(expected)),
                    "with {top} sources"
                ),
                // `author` is required: only the config and later sources give it.
                Err(e) => assert!(top == 1 && matches!(e, AnswerError::Missing(_)), "{e}"),
            }
        }
        let answers = run(None, layers.to_vec(), None).unwrap();
        assert_eq!(get(&answers, "author"), Some(&s("set")));
    }

    #[test]
    fn a_prompt_starts_from_suggestions_and_skips_fixed_answers() {
        let mut prompter = Scripted::new([]);
        let g = vec![
            given(Origin::Config("c".into()), &[("project_name", s("cfg"))]),
            given(Origin::Set, &[("author", s("Ada"))]),
        ];
        let answers = run(None, g, Some(&mut prompter)).unwrap();
        let asked: Vec<_> = prompter.asked.iter().map(|(k, _)| k.as_str()).collect();
        // author (fixed by --set) and the secret with a default are not asked.
        assert_eq!(
            asked,
            [
                "project_name",
                "project_slug",
                "root.year",
                "backend.celery",
                "backend.broker",
                "frontend.features"
            ]
        );
        assert_eq!(get(&answers, "project_name"), Some(&s("cfg")));
        assert_eq!(get(&answers, "project_slug"), Some(&s("cfg")));
    }

    #[test]
    fn a_false_when_skips_the_question_and_takes_the_default() {
        let mut prompter = Scripted::new([s("P"), s("p"), Value::Int(2000), Value::Bool(false)]);
        let answers = run(
            None,
            vec![given(Origin::Set, &[("author", s("Ada"))])],
            Some(&mut prompter),
        )
        .unwrap();
        assert!(!prompter.asked.iter().any(|(k, _)| k == "backend.broker"));
        assert_eq!(get(&answers, "backend.broker"), Some(&s("redis")));
        assert_eq!(get(&answers, "backend.celery"), Some(&Value::Bool(false)));
    }

    #[test]
    fn an_invalid_answer_is_asked_again_with_the_message() {
        let mut prompter = Scripted::new([s("P"), s("Not A Slug"), s("a-slug"), s("not a year")]);
        let answers = run(
            None,
            vec![given(Origin::Set, &[("author", s("Ada"))])],
            Some(&mut prompter),
        )
        .unwrap();
        assert_eq!(
            prompter.asked[..5],
            [
                ("project_name".into(), None),
                ("project_slug".into(), None),
                ("project_slug".into(), Some("lowercase and - only".into())),
                ("root.year".into(), None),
                (
                    "root.year".into(),
                    Some("`not a year` is not a whole number".into())
                ),
            ]
        );
        assert_eq!(get(&answers, "project_slug"), Some(&s("a-slug")));
    }

    #[test]
    fn without_a_prompter_every_missing_answer_is_named_with_its_flag() {
        let error = run(None, vec![], None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "no answer for `author`: it has no default, and nothing was asked (no terminal, or --defaults)"
        );
        assert_eq!(error.hint().unwrap(), "pass --set author=VALUE");
    }

    #[test]
    fn set_values_are_typed_and_checked() {
        let ok = run(
            None,
            vec![given(
                Origin::Set,
                &[
                    ("author", s("A")),
                    ("backend.celery", s("no")),
                    ("frontend.features", s("b, c")),
                    ("root.year", s("1999")),
                ],
            )],
            None,
        )
        .unwrap();
        assert_eq!(get(&ok, "backend.celery"), Some(&Value::Bool(false)));
        assert_eq!(
            get(&ok, "frontend.features"),
            Some(&Value::List(vec!["b".into(), "c".into()]))
        );
        assert_eq!(get(&ok, "root.year"), Some(&Value::Int(1999)));
        for (key, value, message) in [
            (
                "backend.celery",
                "maybe",
                "--set gives `backend.celery` an invalid value: `maybe` is not yes/no (true, false, yes, no)",
            ),
            (
                "backend.broker",
                "kafka",
                "--set gives `backend.broker` an invalid value: `kafka` is not one of: redis, rabbitmq",
            ),
            (
                "project_slug",
                "No Way",
                "--set gives `project_slug` an invalid value: lowercase and - only",
            ),
        ] {
            let error = run(
                None,
                vec![given(Origin::Set, &[("author", s("A")), (key, s(value))])],
                None,
            )
            .unwrap_err();
            assert_eq!(error.to_string(), message);
        }
    }

    #[test]
    fn unknown_and_unselected_keys_are_refused() {
        let error = run(
            None,
            vec![given(Origin::Set, &[("backend.celeri", s("x"))])],
            None,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "--set sets `backend.celeri`, which is not a variable of this template set"
        );
        assert!(
            error
                .hint()
                .unwrap()
                .starts_with("did you mean `backend.celery`?")
        );
        let error = run(
            Some((vec!["frontend".into()], true)),
            vec![given(Origin::Set, &[("backend.celery", s("no"))])],
            None,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "--set sets `backend.celery`, but layer `backend` is not selected"
        );
        // A user config may hold answers for other sets: they are ignored.
        let g = vec![
            given(Origin::Config("c".into()), &[("nope", s("x"))]),
            given(Origin::Set, &[("author", s("A"))]),
        ];
        assert!(run(None, g, None).is_ok());
    }

    #[test]
    fn a_layer_variable_given_without_its_layer_suggests_it() {
        let error = run(None, vec![given(Origin::Set, &[("celery", s("no"))])], None).unwrap_err();
        assert!(
            error
                .hint()
                .unwrap()
                .starts_with("did you mean `backend.celery`?"),
            "{:?}",
            error.hint()
        );
    }

    #[test]
    fn layers_pull_in_what_they_require_and_root() {
        let answers = run(
            Some((vec!["e2e".into()], true)),
            vec![given(Origin::Set, &[("author", s("A"))])],
            None,
        )
        .unwrap();
        assert_eq!(answers.layers, ["root", "backend", "frontend", "e2e"]);
        let answers = run(
            Some((vec!["frontend".into()], true)),
            vec![given(Origin::Set, &[("author", s("A"))])],
            None,
        )
        .unwrap();
        assert_eq!(answers.layers, ["root", "frontend"]);
        assert!(get(&answers, "backend.celery").is_none());
        let error = run(Some((vec!["fronted".into()], true)), vec![], None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`fronted` is not a layer of this template set"
        );
        assert!(
            error
                .hint()
                .unwrap()
                .starts_with("did you mean `frontend`?")
        );
    }

    #[test]
    fn the_layer_prompt_starts_from_the_config_and_can_be_changed() {
        let mut prompter = Scripted::new([]);
        prompter.layers = Some(vec!["frontend".into()]);
        let g = vec![given(Origin::Set, &[("author", s("A"))])];
        let answers = run(
            Some((vec!["backend".into()], false)),
            g,
            Some(&mut prompter),
        )
        .unwrap();
        assert_eq!(answers.layers, ["root", "frontend"]);
    }

    #[test]
    fn the_built_in_set_resolves_on_a_terminal_with_every_default() {
        let built_in =
            crate::manifest::parse(crate::source::builtin::files(), "<built-in>").unwrap();
        let mut prompter = Scripted::new([]);
        let environment = environment();
        let request = Request {
            layers: None,
            given: vec![],
            environment: &environment,
        };
        let answers = resolve(&built_in, &request, Some(&mut prompter)).unwrap();
        assert_eq!(answers.layers.len(), built_in.layers.len());
        // Every `when` evaluated: e2e.headless is asked because the base URL is local.
        assert!(prompter.asked.iter().any(|(k, _)| k == "e2e.headless"));
        assert!(
            prompter.asked.iter().all(|(_, problem)| problem.is_none()),
            "{:?}",
            prompter.asked
        );
    }

    #[test]
    fn a_broken_default_or_condition_names_its_manifest() {
        let broken = set(&[
            (
                "scaffold.yaml",
                "name: s\nversion: 1.0.0\nlayers: [root]\nvariables:\n  a: {default: '{{ nope }}'}\n",
            ),
            (
                "root/layer.yaml",
                "name: root\nvariables:\n  b: {when: 'x is starting_with(1)'}\n",
            ),
        ]);
        let environment = environment();
        let request = Request {
            layers: None,
            given: vec![],
            environment: &environment,
        };
        let error = resolve(&broken, &request, None).unwrap_err().to_string();
        assert!(error.starts_with("set/scaffold.yaml: cannot compute the default of `a`: Variable `nope` is not defined"), "{error}");
        assert!(error.contains("--> (expression):1:4"), "{error}");
        let given = vec![given(Origin::Set, &[("a", s("x"))])];
        let request = Request {
            layers: None,
            given,
            environment: &environment,
        };
        let error = resolve(&broken, &request, Some(&mut Scripted::new([])))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("set/root/layer.yaml: cannot compute the condition of `root.b`: "),
            "{error}"
        );
    }

    fn tiny(variables: &str) -> TemplateSet {
        set(&[
            (
                "scaffold.yaml",
                &format!("name: s\nversion: 1.0.0\nlayers: [root]\nvariables:\n{variables}"),
            ),
            ("root/layer.yaml", "name: root\n"),
        ])
    }

    fn resolve_tiny(
        set: &TemplateSet,
        prompter: Option<&mut dyn Prompter>,
    ) -> Result<Answers, AnswerError> {
        let environment = environment();
        resolve(
            set,
            &Request {
                layers: None,
                given: vec![],
                environment: &environment,
            },
            prompter,
        )
    }

    #[test]
    fn a_default_cannot_copy_a_secret_into_the_records() {
        let leaky = tiny(
            "  key: {secret: true, default: '{{ random_token(length=4) }}'}\n  copy: {default: '{{ key }}'}\n",
        );
        let error = resolve_tiny(&leaky, None).unwrap_err().to_string();
        assert!(
            error.contains("cannot compute the default of `copy`: Variable `key` is not defined"),
            "{error}"
        );
        // Another secret may derive from it.
        let fine = tiny(
            "  key: {secret: true, default: '{{ random_token(length=4) }}'}\n  other: {secret: true, default: 'x{{ key }}'}\n",
        );
        assert_eq!(
            resolve_tiny(&fine, None).unwrap().values[&VarKey::shared("other")],
            s("xrrrr")
        );
    }

    #[test]
    fn a_question_whose_when_is_false_and_has_no_default_is_left_out() {
        let conditional = tiny("  db: {type: bool, default: false}\n  url: {when: db}\n");
        let answers = resolve_tiny(&conditional, None).unwrap();
        assert!(!answers.values.contains_key(&VarKey::shared("url")));
        let mut prompter = Scripted::new([Value::Bool(false)]);
        let answers = resolve_tiny(&conditional, Some(&mut prompter)).unwrap();
        assert!(!answers.values.contains_key(&VarKey::shared("url")));
        assert_eq!(prompter.asked.len(), 1);
        let mut prompter = Scripted::new([Value::Bool(true), s("postgres://")]);
        let answers = resolve_tiny(&conditional, Some(&mut prompter)).unwrap();
        assert_eq!(answers.values[&VarKey::shared("url")], s("postgres://"));
    }

    #[test]
    fn a_computed_default_that_fails_its_check_is_asked_for_on_a_terminal() {
        let slug = tiny(
            "  name: {default: '2024 site'}\n  slug: {default: '{{ name | slug }}', validate: {regex: '[a-z][a-z0-9-]*', message: start with a letter}}\n",
        );
        let mut prompter = Scripted::new([s("2024 site"), s("site-2024")]);
        let answers = resolve_tiny(&slug, Some(&mut prompter)).unwrap();
        assert_eq!(answers.values[&VarKey::shared("slug")], s("site-2024"));
        let error = resolve_tiny(&slug, None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the template's default gives `slug` an invalid value: start with a letter"
        );
        assert_eq!(
            error.hint().unwrap(),
            "pass a valid value with --set slug=VALUE"
        );
    }

    #[test]
    fn a_set_with_only_root_asks_no_layer_question() {
        struct NoLayers;
        impl Prompter for NoLayers {
            fn select_layers(&mut self, _: &[&Layer], _: &[bool]) -> std::io::Result<Vec<bool>> {
                panic!("nothing to choose")
            }
            fn ask(&mut self, q: &Question<'_>) -> std::io::Result<Value> {
                Ok(q.default.cloned().unwrap_or(Value::Str(String::new())))
            }
        }
        let answers = resolve_tiny(&tiny("  a: {default: x}\n"), Some(&mut NoLayers)).unwrap();
        assert_eq!(answers.layers, ["root"]);
    }

    #[test]
    fn config_layers_of_other_sets_are_ignored() {
        let g = vec![given(Origin::Set, &[("author", s("A"))])];
        let answers = run(
            Some((vec!["frontend".into(), "mobile".into()], false)),
            g,
            None,
        )
        .unwrap();
        assert_eq!(answers.layers, ["root", "frontend"]);
    }

    #[test]
    fn secrets_are_kept_apart() {
        let answers = run(None, vec![given(Origin::Set, &[("author", s("A"))])], None).unwrap();
        assert_eq!(get(&answers, "backend.key"), Some(&s("rrrr")));
        assert_eq!(
            answers
                .secrets
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["backend.key"]
        );
    }
}
