//! `scaffold list`: the set's layers, in order, with their variables.

use crate::cli::{Format, ListArgs};
use crate::manifest::{ROOT_LAYER, TemplateSet, Variable};
use serde_json::json;
use std::io::Write;

/// Runs `scaffold list`.
pub fn run(args: &ListArgs, ui: &crate::ui::Ui) -> anyhow::Result<()> {
    let (set, _) = super::load_set(
        &super::source_of(&args.template)?,
        args.template.refresh,
        ui,
    )?;
    let text = match args.format {
        Format::Text => text(&set),
        Format::Json => serde_json::to_string_pretty(&json(&set))? + "\n",
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}

fn text(set: &TemplateSet) -> String {
    let mut out = format!("{} {}", set.name, set.version);
    if !set.description.is_empty() {
        out.push_str(&format!(": {}", set.description));
    }
    out.push('\n');
    if !set.variables.is_empty() {
        out.push_str("\nshared variables:\n");
        set.variables
            .iter()
            .for_each(|v| out.push_str(&variable_line(v)));
    }
    for layer in &set.layers {
        out.push_str(&format!("\n{}", layer.name));
        if layer.name == ROOT_LAYER {
            out.push_str(" (always included)");
        }
        if !layer.description.is_empty() {
            out.push_str(&format!(": {}", layer.description));
        }
        out.push('\n');
        if !layer.requires.is_empty() {
            out.push_str(&format!("  requires: {}\n", layer.requires.join(", ")));
        }
        layer
            .variables
            .iter()
            .for_each(|v| out.push_str(&variable_line(v)));
    }
    out
}

fn variable_line(v: &Variable) -> String {
    let mut line = format!("  {:<18} {:<12}", v.name, v.kind.name());
    if !v.choices.is_empty() {
        line.push_str(&format!(" [{}]", v.choices.join(", ")));
    }
    match &v.default {
        Some(d) => line.push_str(&format!(" default: {d}")),
        None => line.push_str(" (required)"),
    }
    if v.secret {
        line.push_str(" (secret)");
    }
    if let Some(prompt) = &v.prompt {
        line.push_str(&format!("  \"{prompt}\""));
    }
    line.trim_end().to_owned() + "\n"
}

fn json(set: &TemplateSet) -> serde_json::Value {
    let variables = |vars: &[Variable]| -> Vec<serde_json::Value> {
        vars.iter()
            .map(|v| {
                json!({
                    "name": v.name,
                    "type": v.kind.name(),
                    "prompt": v.prompt,
                    "help": v.help,
                    "default": v.default,
                    "choices": v.choices,
                    "required": v.default.is_none(),
                    "secret": v.secret,
                    "when": v.when,
                })
            })
            .collect()
    };
    json!({
        "name": set.name,
        "version": set.version,
        "description": set.description,
        "variables": variables(&set.variables),
        "layers": set.layers.iter().map(|l| json!({
            "name": l.name,
            "description": l.description,
            "destination": l.destination,
            "requires": l.requires,
            "always": l.name == ROOT_LAYER,
            "variables": variables(&l.variables),
        })).collect::<Vec<_>>(),
    })
}
