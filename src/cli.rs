//! The command line, as clap sees it. Nothing here does work: `run` turns
//! these into calls of `cmd::*`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Scaffold new projects from layered templates, and keep them true to them.
#[derive(Debug, Parser)]
#[command(
    name = "scaffold",
    version = VERSION,
    about,
    long_about = None,
    propagate_version = true,
    after_help = MAIN_EXAMPLES
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,

    /// When to colour the output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Output")]
    pub color: ColorChoice,

    /// Print errors and data only: no status lines, no progress
    #[arg(
        long,
        short = 'q',
        global = true,
        conflicts_with = "verbose",
        help_heading = "Output"
    )]
    pub quiet: bool,

    /// Also print what was rendered, from which layer, and how long each stage took
    #[arg(long, short = 'v', global = true, help_heading = "Output")]
    pub verbose: bool,
}

/// `scaffold --version`: the binary's version and its built-in set's.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (built-in templates: ",
    env!("SCAFFOLD_BUILTIN_SET"),
    ")"
);

const MAIN_EXAMPLES: &str = "\
Examples:
  scaffold new demo --defaults     a new project from the built-in set
  scaffold check                   in CI: fail when the project drifted from its template
  scaffold update --plan           what a template update would change

`scaffold help COMMAND` shows a command's flags and examples.";

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set (CLICOLOR_FORCE forces it).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project from a template set
    #[command(after_help = NEW_EXAMPLES)]
    New(NewArgs),
    /// Show a template set's layers and their variables
    #[command(after_help = LIST_EXAMPLES)]
    List(ListArgs),
    /// Compare a project with a fresh render of its template (for CI)
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Show how a project differs from its template, as unified diffs
    #[command(after_help = DIFF_EXAMPLES)]
    Diff(DiffArgs),
    /// Bring template changes (or changed answers) into a project, merging per file
    #[command(after_help = UPDATE_EXAMPLES)]
    Update(UpdateArgs),
    /// Add a layer (and the layers it requires) to an existing project
    #[command(after_help = ADD_EXAMPLES)]
    Add(AddArgs),
    /// Check a template set: manifests, templates, and every layer rendered with each choice
    #[command(after_help = LINT_EXAMPLES)]
    Lint(LintArgs),
    /// Show the user config (default answers, layers, named templates) and where it is read from
    #[command(after_help = CONFIG_EXAMPLES)]
    Config,
    /// Print a shell completion script
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// Print a manual page (roff), or write them all to a folder
    #[command(after_help = MAN_EXAMPLES)]
    Man(ManArgs),
}

const MAN_EXAMPLES: &str = "\
Examples:
  scaffold man --dir ~/.local/share/man/man1     scaffold.1 and a page per command
  scaffold man new | man -l -                   read scaffold-new(1) now";

/// `scaffold man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (scaffold-COMMAND(1)); scaffold(1) without one
    #[arg(value_name = "COMMAND", conflicts_with = "dir")]
    pub command: Option<String>,
    /// Write scaffold.1 and every command's page into this folder instead
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

const LINT_EXAMPLES: &str = "\
Examples:
  scaffold lint ./templates
  scaffold lint --template https://host/org/templates.git --ref main --format json

Checks the manifests (unknown keys, types, choices, regexes, `requires`
cycles), then renders every layer with the defaults, and again for each value
of every choice, multi-choice and yes/no variable: Tera syntax errors, unknown
filters, undefined variables, defaults that fail their own check, two layers
writing one path, and paths that leave the project are errors (exit 1).
Warnings: `.tera` files that render empty, and files holding `{{` that are
copied as they are.";

/// `scaffold lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// The template set: a folder or a git URL (as --template)
    #[arg(value_name = "TEMPLATE", conflicts_with = "template")]
    pub set: Option<PathBuf>,

    #[command(flatten)]
    pub template: TemplateArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

const CONFIG_EXAMPLES: &str = "\
Example ($XDG_CONFIG_HOME/scaffold/config.yaml, by default ~/.config/scaffold/config.yaml):
  defaults:                 # default answers for every new project
    author: Ada Lovelace
    root: {license: Apache-2.0}
  layers: [backend, docs]   # the layers ticked at first
  templates:                # --template company
    company: {url: https://git.example.com/org/templates.git, ref: main, subdir: web}
    mine: {path: ~/src/templates}";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  scaffold completions bash > ~/.local/share/bash-completion/completions/scaffold
  scaffold completions zsh > ~/.zfunc/_scaffold
  scaffold completions fish > ~/.config/fish/completions/scaffold.fish";

/// `scaffold completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

const NEW_EXAMPLES: &str = "\
Examples:
  scaffold new demo --defaults                  every default, all layers, no questions
  scaffold new shop --layers backend,frontend   root + backend + frontend (asks the rest)
  scaffold new api --set backend.api=rest --set root.license=MIT --defaults
  scaffold new site --template ./my-templates --answers answers.yaml
  scaffold new demo --defaults --dry-run        print the files that would be written

Answers, lowest precedence first: template default < NAME (for project_name)
< ~/.config/scaffold/config.yaml `defaults` < --answers FILE < --set < prompt.
Without a terminal (or with --defaults) nothing is asked; a variable with no
default must then be given with --set.";

const LIST_EXAMPLES: &str = "\
Examples:
  scaffold list
  scaffold list --template ./my-templates --format json";

const CHECK_EXAMPLES: &str = "\
Examples:
  scaffold check                          the project in this folder
  scaffold check services/api --format json
  scaffold check --format github          annotations for a GitHub Actions job
  scaffold check --template ../templates  against a checkout of the template
  scaffold check --latest                 against the newest version of a git template

Compares with the template version the project recorded (for git, its
commit); a newer commit of the recorded branch, or a higher version tag, is
only planned as `scaffold update --latest` would, for exit 3 or 4. With
--latest, the comparison is with that newest version.

Exit codes (the most serious finding decides):
  0  in sync
  1  drift: a template-owned (managed) file was changed in the project
  3  the template has changed and `scaffold update` would apply cleanly
  4  the template has changed and `scaffold update` would conflict,
     or a newer version asks questions the recorded answers do not answer
  2  error (no .scaffold/answers.yaml, template not found, corrupt lock)

Edits to `merged` files are reported but do not fail; `seed` files and the
`ignore:` globs of .scaffold/answers.yaml are never looked at.";

const DIFF_EXAMPLES: &str = "\
Examples:
  scaffold diff
  scaffold diff services/api | less -R
  scaffold diff --latest                  what the newest version of a git template changes

Exit codes as for `scaffold check`.";

const UPDATE_EXAMPLES: &str = "\
Examples:
  scaffold update --plan                  what would change, per file; writes nothing
  scaffold update                         apply the template's changes
  scaffold update --set backend.api=rest  re-render with a changed answer
  scaffold update --template ../templates --plan --format json

Per file, a 3-way merge: base is what scaffold last wrote (the recorded
version re-rendered with the recorded answers, else read back from git by the
blob id in .scaffold/lock.yaml), ours the file on disk, theirs the new render.
Files the project never changed are replaced; changes on both sides are
merged, and overlapping ones get conflict markers (exit 1). Files the
template dropped are removed only if the project never changed them. The work
tree must be clean (so `git` can undo the update) unless --allow-dirty.";

const ADD_EXAMPLES: &str = "\
Examples:
  scaffold add docs
  scaffold add e2e services/shop --set e2e.base_url=http://localhost:8080

Only the new layers' files are written, and an existing file is never
overwritten. Files of other layers that render differently with the new one
(a CI job for it, say) show in `scaffold check` and come in with `scaffold update`.";

/// Where the template set comes from.
#[derive(Debug, Clone, Args)]
pub struct TemplateArgs {
    /// A template set: a folder, or a git URL (https://, ssh://, git@host:path, file://); the built-in set if omitted
    #[arg(long, short = 't', value_name = "PATH|URL", help_heading = "Template")]
    pub template: Option<PathBuf>,

    /// For a git URL: the tag, branch or commit (default: the default branch)
    #[arg(
        long = "ref",
        value_name = "REF",
        requires = "template",
        help_heading = "Template"
    )]
    pub reference: Option<String>,

    /// The set's folder inside the repository (a git URL, or a folder holding a checkout)
    #[arg(
        long,
        value_name = "PATH",
        requires = "template",
        help_heading = "Template"
    )]
    pub subdir: Option<String>,

    /// For a git URL: fetch even if the cached clone has the ref
    #[arg(long, help_heading = "Template")]
    pub refresh: bool,
}

/// `scaffold new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new project's folder name; also the default for `project_name`
    #[arg(value_name = "NAME")]
    pub name: String,

    #[command(flatten)]
    pub template: TemplateArgs,

    /// Layers to include, comma-separated; root and required layers are added
    #[arg(
        long,
        value_name = "LAYERS",
        value_delimiter = ',',
        help_heading = "Answers"
    )]
    pub layers: Option<Vec<String>>,

    /// Answer a variable: `name=value` or `layer.name=value` (repeatable)
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_key_value, help_heading = "Answers")]
    pub set: Vec<(String, String)>,

    /// Take answers from a YAML file (`key: value`, `layer: {key: value}`)
    #[arg(long, value_name = "FILE", help_heading = "Answers")]
    pub answers: Option<PathBuf>,

    /// Take every default; never prompt
    #[arg(long, help_heading = "Answers")]
    pub defaults: bool,

    /// The folder to create the project in
    #[arg(
        long,
        short = 'o',
        value_name = "DIR",
        default_value = ".",
        help_heading = "Writing"
    )]
    pub output: PathBuf,

    /// Do not initialise a git repository
    #[arg(long, help_heading = "Writing")]
    pub no_git: bool,

    /// Do not run the layers' post_generate hooks
    #[arg(long, help_heading = "Writing", conflicts_with = "trust")]
    pub no_hooks: bool,

    /// Run the hooks of a template set from a git repository (those of the
    /// built-in set and of folders on disk always run)
    #[arg(long, help_heading = "Writing")]
    pub trust: bool,

    /// Print the files that would be written, and write nothing
    #[arg(long, help_heading = "Writing")]
    pub dry_run: bool,

    /// The first commit's author, `Name <email>` (default: git config)
    #[arg(long, value_name = "AUTHOR", help_heading = "Writing")]
    pub author: Option<String>,
}

/// `scaffold list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub template: TemplateArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `scaffold check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The project's top folder
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Compare with this template folder instead of the recorded source
    #[command(flatten)]
    pub template: TemplateArgs,

    /// For a git source: compare with the newest commit of the recorded branch, or the highest version tag
    #[arg(long, help_heading = "Template")]
    pub latest: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

/// How `check` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// For people.
    Text,
    /// For programs (schema in docs/drift.md).
    Json,
    /// GitHub Actions workflow annotations.
    Github,
}

/// `scaffold diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The project's top folder
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Compare with this template folder instead of the recorded source
    #[command(flatten)]
    pub template: TemplateArgs,

    /// For a git source: compare with the newest commit of the recorded branch, or the highest version tag
    #[arg(long, help_heading = "Template")]
    pub latest: bool,
}

/// `scaffold update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The project's top folder
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Update from this template folder instead of the recorded source
    #[command(flatten)]
    pub template: TemplateArgs,

    /// For a git source: update to the newest commit of the recorded branch, or the highest version tag
    #[arg(long, help_heading = "Template")]
    pub latest: bool,

    /// Change an answer: `name=value` or `layer.name=value` (repeatable)
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub set: Vec<(String, String)>,

    /// Take the default for every new variable; never prompt
    #[arg(long)]
    pub defaults: bool,

    /// Print what would happen to every file, and write nothing
    #[arg(long)]
    pub plan: bool,

    /// Update even when the git work tree has uncommitted changes
    #[arg(long)]
    pub allow_dirty: bool,

    /// Output format of the plan
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `scaffold add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The layer to add
    #[arg(value_name = "LAYER")]
    pub layer: String,

    /// The project's top folder
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Add from this template folder instead of the recorded source
    #[command(flatten)]
    pub template: TemplateArgs,

    /// Answer a variable of the new layer: `layer.name=value` (repeatable)
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub set: Vec<(String, String)>,

    /// Take every default; never prompt
    #[arg(long)]
    pub defaults: bool,
}

/// How data is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// For programs.
    Json,
}

fn parse_key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!(
            "`{text}` is not KEY=VALUE (e.g. --set backend.api=rest)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn new_takes_every_flag() {
        let cli = Cli::try_parse_from([
            "scaffold",
            "new",
            "demo",
            "--layers",
            "backend,e2e",
            "--set",
            "a=b=c",
            "--set",
            "backend.api=rest",
            "--defaults",
            "--no-git",
            "--dry-run",
            "-o",
            "out",
            "--author",
            "A <a@b>",
            "-t",
            "tpl",
            "--answers",
            "f.yaml",
        ])
        .unwrap();
        let Command::New(args) = cli.command else {
            panic!("not new")
        };
        assert_eq!(args.layers, Some(vec!["backend".into(), "e2e".into()]));
        assert_eq!(
            args.set,
            [
                ("a".into(), "b=c".into()),
                ("backend.api".into(), "rest".into())
            ]
        );
        assert!(args.defaults && args.no_git && args.dry_run);
        assert_eq!(args.output, PathBuf::from("out"));
        assert_eq!(args.template.template, Some(PathBuf::from("tpl")));
    }

    #[test]
    fn set_needs_a_key() {
        assert!(Cli::try_parse_from(["scaffold", "new", "d", "--set", "=x"]).is_err());
        assert!(Cli::try_parse_from(["scaffold", "new", "d", "--set", "novalue"]).is_err());
    }
}
