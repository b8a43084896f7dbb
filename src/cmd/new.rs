//! `scaffold new NAME`: source → set → answers → render → records → write → git.

use crate::answers::prompt::Prompter;
use crate::answers::{self, Given, Origin, Request};
use crate::cli::NewArgs;
use crate::git::{self, Identity, IdentitySource};
use crate::render::{self, context, engine::Engine};
use crate::ui::Ui;
use crate::value::Value;
use crate::{config, disk, record, yaml};
use anyhow::{Context as _, bail};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Runs `scaffold new`.
pub fn run(args: &NewArgs, ui: &Ui) -> anyhow::Result<()> {
    check_name(&args.name)?;
    let author = args
        .author
        .as_deref()
        .map(|a| {
            Identity::parse(a).with_context(|| format!("--author `{a}` is not `Name <email>`"))
        })
        .transpose()?;
    // `demo`, not `./demo`, in messages when the project goes in the current folder.
    let target = if args.output == Path::new(".") {
        PathBuf::from(&args.name)
    } else {
        args.output.join(&args.name)
    };
    // Fail before any question is asked (and a dry run shows what would happen).
    disk::write::check_target(&target)?;
    let (user_config, config_path) = config::load()?;
    let (set, provenance) = super::load_set(
        &super::source_of(&args.template)?,
        args.template.refresh,
        ui,
    )?;

    let mut given = Vec::new();
    if set.variables.iter().any(|v| v.name == "project_name") {
        given.push(Given {
            origin: Origin::ProjectName,
            values: BTreeMap::from([("project_name".to_owned(), Value::Str(args.name.clone()))]),
        });
    }
    if let Some(path) = config_path {
        given.push(Given {
            origin: Origin::Config(path.display().to_string()),
            values: user_config.defaults.flatten(),
        });
    }
    let mut file_layers = None;
    if let Some(path) = &args.answers {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read answers file `{}`", path.display()))?;
        let shown = path.display().to_string();
        // Another project's `.scaffold/answers.yaml` works too: its `answers:` are taken.
        let mut map = match yaml::parse::<record::AnswersRecord>(&shown, &text) {
            Ok(recorded) => recorded.answers,
            Err(_) => yaml::parse::<answers::AnswerMap>(&shown, &text)
                .map_err(answers::AnswerError::File)?,
        };
        // `layers:` selects layers (no variable may be called that), as --layers does.
        file_layers = match map.take("layers") {
            None => None,
            Some(answers::AnswerEntry::Value(Value::List(names))) => Some(names),
            Some(_) => bail!(
                "`layers` in the answers file `{shown}` is not a list of layer names; write it as `layers: [backend, docs]`"
            ),
        };
        given.push(Given {
            origin: Origin::AnswersFile(path.display().to_string()),
            values: map.flatten(),
        });
    }
    given.push(Given {
        origin: Origin::Set,
        values: super::set_values(&args.set),
    });
    let layers = match (&args.layers, file_layers, user_config.layers) {
        (Some(names), _, _) => Some((names.clone(), true)),
        (None, Some(names), _) => Some((names, true)),
        (None, None, Some(names)) => Some((names, false)),
        (None, None, None) => None,
    };
    let environment = super::environment();
    let request = Request {
        layers,
        given,
        environment: &environment,
    };
    let mut terminal = super::terminal(args.defaults);
    let prompter = terminal.as_mut().map(|t| t as &mut dyn Prompter);
    let answers = answers::resolve(&set, &request, prompter)?;

    let done = ui.stage("render");
    let mut tree = render::render(&set, &answers)?;
    done();
    for (path, entry) in tree.iter() {
        ui.detail(format!(
            "  {path}  ({}, {}: {})",
            entry.ownership.name(),
            entry.layer,
            entry.origin
        ));
    }
    let rendered_files = tree.len();
    let hooks = if args.no_hooks {
        Vec::new()
    } else {
        render::hooks(&set, &answers)?
    };
    // Hooks run code on this machine: only for the built-in set and folders
    // on disk, unless the user trusts the source.
    if let (crate::source::Provenance::Git { url, .. }, false, false) =
        (&provenance, hooks.is_empty(), args.trust)
    {
        let listed: Vec<String> = hooks
            .iter()
            .map(|h| format!("  {}: {}", h.layer, h.command))
            .collect();
        return Err(super::refuse(
            format!(
                "the template set from `{url}` has post_generate hooks, which would run on this machine:\n{}",
                listed.join("\n")
            ),
            "pass --trust to run them, or --no-hooks to skip them",
        ));
    }
    let record = record::answers_record(&set, &answers, &provenance);
    record::add_records(&mut tree, &record).map_err(anyhow::Error::msg)?;

    if args.dry_run {
        let mut plan = format!(
            "{} files for {} (dry run: nothing written)\n",
            tree.len(),
            target.display()
        );
        for (path, entry) in tree.iter() {
            plan.push_str(&format!(
                "{:04o} {:<8} {path}\n",
                entry.mode,
                entry.ownership.name()
            ));
        }
        for hook in &hooks {
            plan.push_str(&format!("hook {}: {}\n", hook.layer, hook.command));
        }
        std::io::stdout().lock().write_all(plan.as_bytes())?;
        return Ok(());
    }

    let enclosing = if args.no_git {
        None
    } else {
        git::enclosing_work_tree(&args.output)
    };
    let commit = !args.no_git && enclosing.is_none();
    let message = format!(
        "Initial commit from {} {}\n\nCreated by scaffold {} with layers: {}.\n",
        set.name,
        set.version,
        env!("CARGO_PKG_VERSION"),
        answers.layers.join(", ")
    );
    let mut identity = None;
    let progress = ui.progress(tree.len(), "writing");
    let tick = || {
        if let Some(bar) = &progress {
            bar.inc(1);
        }
    };
    let done = ui.stage("write and commit");
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let leftovers = disk::write::remove_leftovers(parent);
    disk::write::write_atomic(&tree, &target, &tick, |staging| -> anyhow::Result<()> {
        crate::hooks::run(&hooks, staging, &target, ui)?;
        if commit {
            let done = ui.stage("git");
            let extra = if hooks.is_empty() {
                Vec::new()
            } else {
                files_not_in(staging, &tree)
            };
            identity = Some(
                git::init_and_commit(staging, &tree, &extra, &message, author.as_ref())
                    .with_context(|| {
                        format!(
                            "cannot make the first git commit of `{}`; nothing was written",
                            target.display()
                        )
                    })?,
            );
            done();
        }
        Ok(())
    })?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    done();

    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    ui.status(format!(
        "Created {} from {} {}: {} ({}), {}.",
        ui.strong(&target.display().to_string()),
        set.name,
        set.version,
        count(answers.layers.len(), "layer"),
        answers.layers.join(", "),
        count(rendered_files, "file"),
    ));
    let shown = |path: &PathBuf| path.strip_prefix(".").unwrap_or(path).display().to_string();
    for leftover in &leftovers.removed {
        ui.status(format!(
            "Removed {}, left by an earlier run that was killed.",
            shown(leftover)
        ));
    }
    for leftover in &leftovers.unknown {
        ui.status(format!(
            "Note: {} looks like the leftover of an interrupted run; remove it if no scaffold is running.",
            shown(leftover)
        ));
    }
    match (identity, enclosing) {
        (Some(IdentitySource::Fallback), _) => ui.status(format!(
            "Committed on branch main as `{}` (no git identity is configured; set one with `git config --global user.name` and `user.email`, or pass --author).",
            fallback_text()
        )),
        (Some(_), _) => ui.status("Committed on branch main."),
        (None, Some(repo)) => ui.status(format!(
            "Not initialising git: {} is inside the git work tree at {}.",
            target.display(),
            repo.display()
        )),
        (None, None) => {}
    }
    if let Some(steps) = &set.next_steps {
        let mut context = context::build(&answers, false);
        context.insert("project_dir", &target.display().to_string());
        match Engine::pure().render_str(steps, &context) {
            Ok(text) => ui.status(format!(
                "{}\n  {}",
                ui.strong("Next steps:"),
                text.trim().replace('\n', "\n  ")
            )),
            Err(e) => ui.status(format!("warning: cannot render the set's next_steps: {e}")),
        }
    }
    Ok(())
}

/// The files under `dir` (outside `.git/`) that `tree` does not hold: what
/// the hooks made.
fn files_not_in(dir: &Path, tree: &crate::tree::Tree) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !(e.depth() == 1 && e.file_name() == ".git"))
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| e.path().strip_prefix(dir).ok()?.to_str().map(str::to_owned))
        .filter(|path| tree.get(path).is_none())
        .collect()
}

fn fallback_text() -> String {
    let f = Identity::fallback();
    format!("{} <{}>", f.name, f.email)
}

/// NAME is one folder name: no separators, not `.` or `..`.
fn check_name(name: &str) -> anyhow::Result<()> {
    let plain = Path::new(name).file_name().is_some_and(|f| f == name);
    if name.is_empty() || !plain || name.contains(['/', '\\', '\0']) || name == "." || name == ".."
    {
        return Err(super::refuse(
            format!("`{name}` is not a plain folder name"),
            "give a name like `demo`, and the parent folder with --output",
        ));
    }
    Ok(())
}
