//! Asking questions. [`Prompter`] is what `resolve` needs; [`Terminal`] asks
//! with dialoguer on a TTY. The logic (order, `when`, re-asking after a failed
//! check) lives in `resolve` and is tested with a scripted prompter.

use super::VarKey;
use crate::manifest::{Kind, Layer, Variable};
use crate::value::Value;
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, MultiSelect, Password, Select};
use std::io;

/// One question for the user.
pub struct Question<'a> {
    /// The variable's key.
    pub key: &'a VarKey,
    /// The variable asked about.
    pub variable: &'a Variable,
    /// The answer taken when the user just presses Enter.
    pub default: Option<&'a Value>,
    /// Why the previous answer was refused, when asking again.
    pub problem: Option<&'a str>,
}

/// Something that can ask the user.
pub trait Prompter {
    /// Which of `layers` to include; `preselected` gives the initial ticks.
    fn select_layers(&mut self, layers: &[&Layer], preselected: &[bool]) -> io::Result<Vec<bool>>;
    /// The user's answer to `question`, not yet checked.
    fn ask(&mut self, question: &Question<'_>) -> io::Result<Value>;
}

/// Asks on the terminal (stderr) with dialoguer.
pub struct Terminal {
    theme: ColorfulTheme,
}

impl Terminal {
    /// A prompter for an interactive terminal.
    pub fn new() -> Terminal {
        Terminal {
            theme: ColorfulTheme::default(),
        }
    }
}

impl Default for Terminal {
    fn default() -> Self {
        Terminal::new()
    }
}

fn io_error(error: dialoguer::Error) -> io::Error {
    match error {
        dialoguer::Error::IO(e) => e,
    }
}

impl Prompter for Terminal {
    fn select_layers(&mut self, layers: &[&Layer], preselected: &[bool]) -> io::Result<Vec<bool>> {
        let items: Vec<String> = layers
            .iter()
            .map(|l| format!("{:<10} {}", l.name, l.description))
            .collect();
        let picked = MultiSelect::with_theme(&self.theme)
            .with_prompt("Layers (space toggles, enter accepts; root is always included)")
            .items(&items)
            .defaults(preselected)
            .interact()
            .map_err(io_error)?;
        Ok((0..layers.len()).map(|i| picked.contains(&i)).collect())
    }

    fn ask(&mut self, q: &Question<'_>) -> io::Result<Value> {
        let v = q.variable;
        let prompt = v.prompt.clone().unwrap_or_else(|| q.key.to_string());
        match q.problem {
            Some(problem) => eprintln!("{}", console::style(format!("  {problem}")).red()),
            None => {
                if let Some(help) = &v.help {
                    eprintln!("{}", console::style(format!("  {help}")).dim());
                }
            }
        }
        let theme = &self.theme;
        let answer = match v.kind {
            Kind::Bool => {
                let default = matches!(q.default, Some(Value::Bool(true)));
                Value::Bool(
                    Confirm::with_theme(theme)
                        .with_prompt(prompt)
                        .default(default)
                        .interact()
                        .map_err(io_error)?,
                )
            }
            Kind::Choice => {
                let default = q
                    .default
                    .and_then(|d| v.choices.iter().position(|c| d == &Value::Str(c.clone())))
                    .unwrap_or(0);
                let picked = Select::with_theme(theme)
                    .with_prompt(prompt)
                    .items(&v.choices)
                    .default(default)
                    .interact()
                    .map_err(io_error)?;
                Value::Str(v.choices[picked].clone())
            }
            Kind::MultiChoice => {
                let on: Vec<bool> = v
                    .choices
                    .iter()
                    .map(|c| matches!(q.default, Some(Value::List(d)) if d.contains(c)))
                    .collect();
                let picked = MultiSelect::with_theme(theme)
                    .with_prompt(prompt)
                    .items(&v.choices)
                    .defaults(&on)
                    .interact()
                    .map_err(io_error)?;
                Value::List(picked.into_iter().map(|i| v.choices[i].clone()).collect())
            }
            Kind::String if v.secret => Value::Str(
                Password::with_theme(theme)
                    .with_prompt(prompt)
                    .interact()
                    .map_err(io_error)?,
            ),
            Kind::String | Kind::Integer => {
                let mut input = Input::<String>::with_theme(theme).with_prompt(prompt);
                if let Some(default) = q.default {
                    input = input.default(default.to_string()).allow_empty(true);
                }
                Value::Str(input.interact_text().map_err(io_error)?)
            }
        };
        Ok(answer)
    }
}

/// A prompter that replays answers, for tests; records what was asked.
#[cfg(test)]
pub struct Scripted {
    /// Answers still to give, in order.
    pub answers: std::collections::VecDeque<Value>,
    /// Layers to pick (`None`: keep the preselection).
    pub layers: Option<Vec<String>>,
    /// `(key, problem shown)` for every question asked.
    pub asked: Vec<(String, Option<String>)>,
}

#[cfg(test)]
impl Scripted {
    pub fn new(answers: impl IntoIterator<Item = Value>) -> Scripted {
        Scripted {
            answers: answers.into_iter().collect(),
            layers: None,
            asked: Vec::new(),
        }
    }
}

#[cfg(test)]
impl Prompter for Scripted {
    fn select_layers(&mut self, layers: &[&Layer], preselected: &[bool]) -> io::Result<Vec<bool>> {
        Ok(match &self.layers {
            Some(names) => layers.iter().map(|l| names.contains(&l.name)).collect(),
            None => preselected.to_vec(),
        })
    }

    fn ask(&mut self, q: &Question<'_>) -> io::Result<Value> {
        self.asked
            .push((q.key.to_string(), q.problem.map(str::to_owned)));
        match self.answers.pop_front() {
            Some(answer) => Ok(answer),
            // Like pressing Enter: the default, or an empty answer.
            None => Ok(q.default.cloned().unwrap_or(Value::Str(String::new()))),
        }
    }
}
