//! Opening a project that scaffold made: its records, its template set and a
//! fresh render of it with the recorded answers. Shared by check and diff.

use crate::answers::prompt::Prompter;
use crate::answers::{self, Answers, Given, Origin, Request};
use crate::cli::TemplateArgs;
use crate::compare::{self, DiskFile, Drift};
use crate::disk;
use crate::git::History;
use crate::manifest::TemplateSet;
use crate::record::{ANSWERS_FILE, AnswersRecord, LOCK_FILE, Lock, SourceRecord};
use crate::render;
use crate::source::Provenance;
use crate::source::Source;
use crate::source::git::GitSource;
use crate::tree::{Entry, RECORD_DIR, RelPath, Tree};
use crate::ui::Ui;
use crate::value::Value;
use crate::yaml;
use anyhow::{Context as _, anyhow, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Changes to a project's answers, for `update` and `add`.
#[derive(Default)]
pub struct Edits<'a> {
    /// `--set` answers, over the recorded ones.
    pub set: BTreeMap<String, Value>,
    /// Layers to add to the recorded ones.
    pub add_layers: Vec<String>,
    /// Asks for answers that neither the record nor `set` gives (new variables).
    pub prompter: Option<&'a mut dyn Prompter>,
}

/// A generated project, re-rendered.
pub struct Project {
    /// Its top folder.
    pub dir: PathBuf,
    /// `.scaffold/answers.yaml`.
    pub record: AnswersRecord,
    /// `.scaffold/lock.yaml`.
    pub lock: Lock,
    /// The source to record after a change: the commit read, for git.
    pub source: SourceRecord,
    /// The template set it is compared with.
    pub set: TemplateSet,
    /// The answers it was rendered with (the recorded ones, plus any edits).
    pub answers: Answers,
    /// A fresh render.
    pub rendered: Tree,
    /// The project's `ignore:` globs.
    pub ignore: globset::GlobSet,
}

/// Opens the project at `dir`; `template` overrides the recorded source.
pub fn open(
    dir: &Path,
    template: &TemplateArgs,
    latest: bool,
    edits: Edits<'_>,
    ui: &Ui,
) -> anyhow::Result<Project> {
    let records = dir.join(RECORD_DIR);
    let answers_path = records.join(ANSWERS_FILE);
    let text = match std::fs::read_to_string(&answers_path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "`{}` has no {RECORD_DIR}/{ANSWERS_FILE}: run this in the top folder of a project made by scaffold, or pass that folder",
            dir.display()
        ),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read `{}`", answers_path.display()));
        }
    };
    let record: AnswersRecord = yaml::parse(&answers_path.display().to_string(), &text)?;
    let lock_path = records.join(LOCK_FILE);
    let lock_text = std::fs::read_to_string(&lock_path).with_context(|| {
        format!(
            "cannot read `{}`; restore it with `git checkout -- {RECORD_DIR}/{LOCK_FILE}`",
            lock_path.display()
        )
    })?;
    let parse_lock = || -> anyhow::Result<Lock> {
        let lock: Lock =
            yaml::parse(&lock_path.display().to_string(), &lock_text).map_err(|e| {
                anyhow!(
                    "corrupt lock: {e}; restore it with `git checkout -- {RECORD_DIR}/{LOCK_FILE}`"
                )
            })?;
        lock.validate().map_err(|m| {
            anyhow!(
                "corrupt lock `{}`: {m}; restore it with `git checkout -- {RECORD_DIR}/{LOCK_FILE}`",
                lock_path.display()
            )
        })?;
        Ok(lock)
    };
    // The lock (a line per file) is parsed on a thread of its own while the
    // template is loaded and rendered: at 10,000 files each takes about a
    // third of `check`. A broken lock is still reported first.
    std::thread::scope(|scope| {
        let parsing = scope.spawn(parse_lock);
        let parsed = |handle: std::thread::ScopedJoinHandle<'_, anyhow::Result<Lock>>| {
            handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        let (lock, rest) = if edits.prompter.is_some() {
            // No one is asked a question about a project whose lock is broken.
            let lock = parsed(parsing)?;
            (
                lock,
                rendered(template, latest, edits, ui, record, &answers_path),
            )
        } else {
            let rest = rendered(template, latest, edits, ui, record, &answers_path);
            (parsed(parsing)?, rest)
        };
        let (record, source, set, answers, rendered, ignore) = rest?;
        Ok(Project {
            dir: dir.to_path_buf(),
            record,
            lock,
            source,
            set,
            answers,
            rendered,
            ignore,
        })
    })
}

/// The parts of [`Project`] that come from the template: the record, the
/// source to record, the set, the answers, the render and the ignore globs.
type Rendered = (
    AnswersRecord,
    SourceRecord,
    TemplateSet,
    Answers,
    Tree,
    globset::GlobSet,
);

fn rendered(
    template: &TemplateArgs,
    latest: bool,
    edits: Edits<'_>,
    ui: &Ui,
    record: AnswersRecord,
    answers_path: &Path,
) -> anyhow::Result<Rendered> {
    let overridden = template.template.is_some();
    let source = match &record.source {
        _ if overridden => super::source_of(template)?,
        SourceRecord::Builtin => Source::Builtin,
        SourceRecord::Dir { path } => Source::Dir(path.clone()),
        // Exactly the recorded commit, or with --latest the recorded ref's newest.
        SourceRecord::Git {
            url,
            reference,
            commit,
            subdir,
        } => Source::Git(GitSource {
            url: url.clone(),
            reference: Some(if latest {
                reference.clone()
            } else {
                commit.clone()
            }),
            subdir: subdir.clone(),
            latest,
        }),
    };
    let (set, provenance) = super::load_set(&source, template.refresh || latest, ui).with_context(|| match (&source, overridden) {
        (Source::Dir(path), false) => format!(
            "cannot load the template recorded in {}, `{}`; pass --template PATH to use a checkout of it",
            answers_path.display(),
            path.display()
        ),
        (Source::Git(repo), false) => format!(
            "cannot load the template recorded in {}, `{}`; pass --template with a checkout of it",
            answers_path.display(),
            repo.url
        ),
        _ => "cannot load the template".to_owned(),
    })?;
    // An override is a one-off comparison, and the same commit keeps the
    // ref it was recorded under: the project keeps its recorded source.
    let source = match (&record.source, &provenance) {
        _ if overridden => record.source.clone(),
        (SourceRecord::Git { commit: old, .. }, Provenance::Git { commit: new, .. })
            if old == new =>
        {
            record.source.clone()
        }
        _ => crate::record::source_record(&provenance),
    };
    if set.name != record.template.name {
        bail!(
            "{} records the template set `{}`, but `{}` was found; pass --template with a checkout of `{}`",
            answers_path.display(),
            record.template.name,
            set.name,
            record.template.name
        );
    }

    let environment = super::environment();
    if let Some(gone) = record.layers.iter().find(|l| set.layer(l).is_none()) {
        bail!(
            "{} records the layer `{gone}`, which the template set `{}` no longer has; remove it from `layers:` there",
            answers_path.display(),
            set.name
        );
    }
    let layers = record
        .layers
        .iter()
        .chain(&edits.add_layers)
        .cloned()
        .collect();
    let request = Request {
        layers: Some((layers, true)),
        given: vec![
            Given {
                origin: Origin::Recorded(answers_path.display().to_string()),
                values: record.answers.clone().flatten(),
            },
            Given {
                origin: Origin::Set,
                values: edits.set,
            },
        ],
        environment: &environment,
    };
    let answers = answers::resolve(&set, &request, edits.prompter)?;
    let rendered = render::render(&set, &answers)?;
    let ignore = ignore_globs(&record.ignore)
        .with_context(|| format!("in `ignore` of {}", answers_path.display()))?;
    Ok((record, source, set, answers, rendered, ignore))
}

fn ignore_globs(globs: &[String]) -> anyhow::Result<globset::GlobSet> {
    let mut set = globset::GlobSetBuilder::new();
    for glob in globs {
        let glob = globset::GlobBuilder::new(glob)
            .literal_separator(true)
            .build()
            .with_context(|| format!("`{glob}` is not a valid glob"))?;
        set.add(glob);
    }
    Ok(set.build()?)
}

impl Project {
    /// `.scaffold/answers.yaml` and `.scaffold/lock.yaml` after a change:
    /// the answers and layers resolved now, the source and `ignore` as
    /// recorded, and `lock`.
    pub fn records(&self, lock: &Lock) -> anyhow::Result<Vec<(RelPath, Entry)>> {
        let mut record =
            crate::record::answers_record(&self.set, &self.answers, &Provenance::Builtin);
        record.source = self.source.clone();
        record.ignore = self.record.ignore.clone();
        crate::record::files(&record, lock).map_err(anyhow::Error::msg)
    }

    /// The files on disk that the comparison needs.
    pub fn disk_files(&self) -> anyhow::Result<BTreeMap<String, DiskFile>> {
        let paths = compare::paths_to_read(&self.rendered, &self.lock, &self.ignore);
        Ok(disk::read::files(&self.dir, &paths)?)
    }

    /// Every drifted file, with the pristine base read from the project's history.
    pub fn compare<D: compare::Disk>(&self, disk: &mut D) -> Result<Vec<Drift>, D::Error> {
        let history = History::open(&self.dir);
        compare::compare(&self.rendered, disk, &self.lock, &self.ignore, &|id| {
            history.blob(id)
        })
    }

    /// Every drifted file, the project's files read one at a time on each core.
    pub fn drifts(&self) -> anyhow::Result<Vec<Drift>> {
        let paths = compare::paths_to_read(&self.rendered, &self.lock, &self.ignore);
        let mut disk = disk::read::scan(&self.dir, &paths, &self.rendered)?;
        Ok(self.compare(&mut disk)?)
    }
}
