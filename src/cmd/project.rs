//! Opening a project that scaffold made: its records, its template set and a
//! fresh render of it with the recorded answers. Shared by check and diff.

use crate::answers::prompt::Prompter;
use crate::answers::{self, Answers, Given, Origin, Request};
use crate::cli::TemplateArgs;
use crate::compare::{self, DiskFile, Drift, Pristine};
use crate::disk;
use crate::git::History;
use crate::manifest::TemplateSet;
use crate::record::{ANSWERS_FILE, AnswersRecord, LOCK_FILE, Lock, RecordError, SourceRecord};
use crate::render;
use crate::source::Provenance;
use crate::source::Source;
use crate::source::git::GitSource;
use crate::tree::{Entry, RECORD_DIR, RelPath, Tree};
use crate::ui::Ui;
use crate::value::Value;
use crate::yaml;
use anyhow::{Context as _, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The template set that a project's answers file records cannot be loaded.
#[derive(Debug, thiserror::Error)]
#[error("cannot load the template set recorded in `{}`", answers.display())]
pub struct RecordedSourceError {
    /// `.scaffold/answers.yaml`.
    pub answers: PathBuf,
    /// Whether the recorded source is a git repository (else a folder).
    pub git: bool,
    /// Why.
    #[source]
    pub source: anyhow::Error,
}

impl RecordedSourceError {
    /// Where to point scaffold instead.
    pub fn hint(&self) -> String {
        let what = if self.git {
            "--template URL (or a checkout of it)"
        } else {
            "--template PATH with a checkout of it"
        };
        format!(
            "pass {what}, or correct `source:` in `{}`",
            self.answers.display()
        )
    }
}

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
    /// `.scaffold/answers.yaml`, for messages.
    answers_path: PathBuf,
    /// `set` is the recorded version of the template (see [`open`]).
    recorded: bool,
    /// The answers differ from the recorded ones (`--set`, added layers).
    edited: bool,
}

/// A newer version of a project's git template than the recorded commit.
pub struct Newest {
    /// The set at that commit.
    pub set: TemplateSet,
    /// The commit.
    pub commit: String,
    /// Its render with the project's answers; `None` when it asks questions
    /// the recorded answers do not answer (then only `update` can tell more).
    pub rendered: Option<Tree>,
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
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(RecordError::NotAProject {
                dir: dir.to_path_buf(),
            }
            .into());
        }
        Err(source) => {
            return Err(RecordError::Read {
                path: answers_path,
                source,
            }
            .into());
        }
    };
    let record: AnswersRecord =
        yaml::parse(&answers_path.display().to_string(), &text).map_err(|source| {
            RecordError::Corrupt {
                path: answers_path.clone(),
                source,
            }
        })?;
    let lock_path = records.join(LOCK_FILE);
    let lock_text = std::fs::read_to_string(&lock_path).map_err(|source| RecordError::Read {
        path: lock_path.clone(),
        source,
    })?;
    // The lock (a line per file) is parsed on a thread of its own while the
    // template is loaded and rendered: at 10,000 files each is about a third
    // of `check`. A broken lock is still reported first, and no question is
    // asked about a project whose lock is broken.
    std::thread::scope(|scope| {
        let parsing = scope.spawn(|| parse_lock(&lock_path, &lock_text));
        let parsed = |handle: std::thread::ScopedJoinHandle<'_, Result<Lock, RecordError>>| {
            handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        let (lock, parts) = if edits.prompter.is_some() {
            let lock = parsed(parsing)?;
            (
                lock,
                from_template(template, latest, edits, ui, &record, &answers_path),
            )
        } else {
            let parts = from_template(template, latest, edits, ui, &record, &answers_path);
            (parsed(parsing)?, parts)
        };
        let parts = parts?;
        Ok(Project {
            dir: dir.to_path_buf(),
            record,
            lock,
            source: parts.source,
            set: parts.set,
            answers: parts.answers,
            rendered: parts.rendered,
            ignore: parts.ignore,
            answers_path,
            recorded: parts.recorded,
            edited: parts.edited,
        })
    })
}

fn parse_lock(lock_path: &Path, lock_text: &str) -> Result<Lock, RecordError> {
    let lock: Lock =
        yaml::parse(&lock_path.display().to_string(), lock_text).map_err(|source| {
            RecordError::Corrupt {
                path: lock_path.to_path_buf(),
                source,
            }
        })?;
    lock.validate().map_err(|why| RecordError::Invalid {
        path: lock_path.to_path_buf(),
        why,
    })?;
    Ok(lock)
}

/// What of a [`Project`] comes from its template.
struct FromTemplate {
    source: SourceRecord,
    set: TemplateSet,
    answers: Answers,
    rendered: Tree,
    ignore: globset::GlobSet,
    recorded: bool,
    edited: bool,
}

/// The recorded (or overriding) template of `record`, loaded, checked
/// against the record, and rendered with its answers and `edits`.
fn from_template(
    template: &TemplateArgs,
    latest: bool,
    edits: Edits<'_>,
    ui: &Ui,
    record: &AnswersRecord,
    answers_path: &Path,
) -> anyhow::Result<FromTemplate> {
    let overridden = template.template.is_some();
    let source = match &record.source {
        _ if overridden => super::source_of(&with_recorded_subdir(template, &record.source))?,
        recorded => recorded_source(recorded, latest),
    };
    let (set, provenance) = super::load_set(&source, template.refresh || latest, ui).map_err(
        |source_error| match (&source, overridden) {
            (Source::Dir(_) | Source::Git(_), false) => RecordedSourceError {
                answers: answers_path.to_path_buf(),
                git: matches!(source, Source::Git(_)),
                source: source_error,
            }
            .into(),
            _ => source_error.context("cannot load the template"),
        },
    )?;
    // The set is the version the project recorded: not an override and, for
    // git, the recorded commit (a folder or the built-in set has only one).
    let recorded = !overridden
        && match (&record.source, &provenance) {
            (SourceRecord::Git { commit: old, .. }, Provenance::Git { commit: new, .. }) => {
                old == new
            }
            _ => true,
        };
    // An override is a one-off comparison, and the same commit keeps the
    // ref it was recorded under: the project keeps its recorded source.
    let source = if overridden || recorded {
        record.source.clone()
    } else {
        crate::record::source_record(&provenance)
    };
    if set.name != record.template.name {
        return Err(super::refuse(
            format!(
                "{} records the template set `{}`, but `{}` was found",
                answers_path.display(),
                record.template.name,
                set.name
            ),
            format!(
                "pass --template with a checkout of `{}`",
                record.template.name
            ),
        ));
    }

    let environment = super::environment();
    if let Some(gone) = record.layers.iter().find(|l| set.layer(l).is_none()) {
        return Err(super::refuse(
            format!(
                "{} records the layer `{gone}`, which the template set `{}` no longer has",
                answers_path.display(),
                set.name
            ),
            format!("remove it from `layers:` in {}", answers_path.display()),
        ));
    }
    let edited = !edits.set.is_empty() || !edits.add_layers.is_empty();
    let (answers, rendered) = render_with(
        &set,
        record,
        answers_path,
        (edits.set, &edits.add_layers),
        edits.prompter,
        &environment,
    )?;
    let ignore = ignore_globs(&record.ignore)
        .with_context(|| format!("in `ignore` of {}", answers_path.display()))?;
    Ok(FromTemplate {
        source,
        set,
        answers,
        rendered,
        ignore,
        recorded,
        edited,
    })
}

/// The recorded source: exactly the recorded commit, or with `latest` the
/// recorded ref's newest (the highest version tag, for a tag).
fn recorded_source(record: &SourceRecord, latest: bool) -> Source {
    match record {
        SourceRecord::Builtin => Source::Builtin,
        SourceRecord::Dir { path } => Source::Dir(path.clone()),
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
    }
}

/// `template` with the recorded subdir of a git source when it gives none,
/// so `--template` can name a checkout of the recorded repository. A folder
/// that is itself a set (it has `scaffold.yaml`) is taken as it is.
fn with_recorded_subdir(template: &TemplateArgs, record: &SourceRecord) -> TemplateArgs {
    let mut args = template.clone();
    if let (
        None,
        SourceRecord::Git {
            subdir: Some(subdir),
            ..
        },
    ) = (&args.subdir, record)
        && !args
            .template
            .as_ref()
            .is_some_and(|t| t.join("scaffold.yaml").is_file())
    {
        args.subdir = Some(subdir.clone());
    }
    args
}

/// Resolves the answers of `record` (its layers plus the added ones, its
/// answers under the `--set` ones) against `set`, and renders it.
fn render_with(
    set: &TemplateSet,
    record: &AnswersRecord,
    answers_path: &Path,
    (set_values, add_layers): (BTreeMap<String, Value>, &[String]),
    prompter: Option<&mut dyn Prompter>,
    environment: &crate::answers::Environment,
) -> anyhow::Result<(Answers, Tree)> {
    let layers = record.layers.iter().chain(add_layers).cloned().collect();
    let request = Request {
        layers: Some((layers, true)),
        given: vec![
            Given {
                origin: Origin::Recorded(answers_path.display().to_string()),
                values: record.answers.clone().flatten(),
            },
            Given {
                origin: Origin::Set,
                values: set_values,
            },
        ],
        environment,
    };
    let answers = answers::resolve(set, &request, prompter)?;
    let rendered = render::render(set, &answers)?;
    Ok((answers, rendered))
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

    /// Every drifted file; the base comes from `pristine` (see
    /// [`Project::pristine`]), the fresh render, or the project's history.
    pub fn compare<D: compare::Disk>(
        &self,
        disk: &mut D,
        pristine: &[Tree],
    ) -> Result<Vec<Drift>, D::Error> {
        self.with_base(pristine, |base| {
            compare::compare(&self.rendered, disk, &self.lock, &self.ignore, base)
        })
    }

    /// Every drifted file, as [`Project::compare`] finds them, the project's
    /// files read one at a time on each core (memory holds one file, not the
    /// project).
    pub fn drifts(&self, pristine: &[Tree]) -> anyhow::Result<Vec<Drift>> {
        let paths = compare::paths_to_read(&self.rendered, &self.lock, &self.ignore);
        let mut disk = disk::read::scan(&self.dir, &paths, &self.rendered)?;
        Ok(self.compare(&mut disk, pristine)?)
    }

    /// Runs `f` with where the bases of 3-way comparisons come from: the
    /// renders that may hold them (`pristine`, then the fresh render, where
    /// the template left a file as the lock records it), then the project's
    /// git history.
    pub fn with_base<R>(&self, pristine: &[Tree], f: impl FnOnce(&Pristine<'_>) -> R) -> R {
        let history = History::open(&self.dir);
        let renders: Vec<&Tree> = pristine.iter().chain([&self.rendered]).collect();
        f(&Pristine {
            renders: &renders,
            history: &|id| history.blob(id),
        })
    }

    /// Renders of what scaffold last wrote, as far as they can be had: the
    /// recorded version of the template (the recorded git commit, the
    /// built-in set, the folder) rendered with the recorded answers, as
    /// committed at git HEAD and as on disk before `--set`. Only candidates:
    /// a file of one is the base only where it matches the lock. Fails when
    /// the recorded version cannot be loaded.
    pub fn pristine(&self, ui: &Ui) -> anyhow::Result<Vec<Tree>> {
        let history = History::open(&self.dir);
        let committed = history
            .committed(&self.dir, &format!("{RECORD_DIR}/{ANSWERS_FILE}"))
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| yaml::parse::<AnswersRecord>("", &text).ok())
            .filter(|c| c.answers != self.record.answers || c.layers != self.record.layers);
        // Unedited, the recorded version's render is the fresh one.
        let on_disk = (!self.recorded || self.edited).then(|| self.record.clone());
        let records: Vec<AnswersRecord> = committed.into_iter().chain(on_disk).collect();
        if records.is_empty() {
            return Ok(Vec::new());
        }
        let loaded;
        let set = if self.recorded {
            &self.set
        } else {
            let source = recorded_source(&self.record.source, false);
            loaded = super::load_set(&source, false, ui)?.0;
            if loaded.name != self.record.template.name {
                bail!("the recorded source now holds the set `{}`", loaded.name);
            }
            &loaded
        };
        // Answers the recorded version cannot render (a layer or variable
        // renamed by hand) give no candidate.
        let environment = super::environment();
        Ok(records
            .iter()
            .filter_map(|r| {
                let none = (BTreeMap::new(), &[][..]);
                render_with(set, r, &self.answers_path, none, None, &environment).ok()
            })
            .map(|(_, tree)| tree)
            .collect())
    }

    /// For a git source at its recorded commit, the newest commit of the
    /// recorded branch (or the highest version tag), rendered with the
    /// project's answers, when that is another commit.
    pub fn newest(&self, ui: &Ui) -> anyhow::Result<Option<Newest>> {
        if !self.recorded || !matches!(self.record.source, SourceRecord::Git { .. }) {
            return Ok(None);
        }
        let source = recorded_source(&self.record.source, true);
        let (set, provenance) = super::load_set(&source, true, ui).with_context(|| {
            format!(
                "cannot load the newest version of the template recorded in {}, to tell whether an update is waiting; pass --template with a checkout of it",
                self.answers_path.display()
            )
        })?;
        let (Provenance::Git { commit, .. }, SourceRecord::Git { commit: old, .. }) =
            (provenance, &self.record.source)
        else {
            return Ok(None);
        };
        if &commit == old {
            return Ok(None);
        }
        if set.name != self.record.template.name {
            bail!(
                "the newest version of the recorded template is the set `{}`, not `{}`; pass --template with a checkout of `{}`",
                set.name,
                self.record.template.name,
                self.record.template.name
            );
        }
        let rendered = render_with(
            &set,
            &self.record,
            &self.answers_path,
            (BTreeMap::new(), &[]),
            None,
            &super::environment(),
        )
        .map(|(_, tree)| tree);
        let rendered = match rendered {
            Ok(tree) => Some(tree),
            Err(e) if e.chain().any(|c| c.is::<crate::answers::AnswerError>()) => None,
            Err(e) => {
                return Err(e.context(format!(
                    "cannot render the newest version of the template ({}) with the recorded answers",
                    set.version
                )));
            }
        };
        Ok(Some(Newest {
            set,
            commit,
            rendered,
        }))
    }
}
