//! What a generated project records (DESIGN.md): `.scaffold/answers.yaml`, for
//! people, and `.scaffold/lock.yaml`, for scaffold. Both are built into the
//! [`Tree`] before anything is written, and are stable byte for byte.
//! Pure: no I/O.

use crate::answers::{AnswerMap, Answers, VarKey};
use crate::manifest::{Ownership, TemplateSet};
use crate::source::Provenance;
use crate::tree::{Entry, RECORD_DIR, RelPath, Tree, blob_id};
use crate::yaml;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The answers file's name inside `.scaffold/`.
pub const ANSWERS_FILE: &str = "answers.yaml";
/// The lock file's name inside `.scaffold/`.
pub const LOCK_FILE: &str = "lock.yaml";

/// A record of a project (answers or lock) that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The file could not be read (missing, a folder, not UTF-8).
    #[error("cannot read `{}`", path.display())]
    Read {
        /// The record, as the user should see it.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The folder has no answers file: it is not a project scaffold made.
    #[error("`{}` has no {RECORD_DIR}/{ANSWERS_FILE}", dir.display())]
    NotAProject {
        /// The folder given (or the current one).
        dir: PathBuf,
    },
    /// The file is not YAML of the expected shape.
    #[error("corrupt {} `{}`", kind(path), path.display())]
    Corrupt {
        /// The record.
        path: PathBuf,
        /// The parser's finding, with line and column.
        source: crate::yaml::YamlError,
    },
    /// The file parses, but an entry makes no sense.
    #[error("corrupt lock `{}`: {why}", path.display())]
    Invalid {
        /// The record.
        path: PathBuf,
        /// What is wrong, naming the entry.
        why: String,
    },
}

/// What a record is, in words: `answers file` or `lock`.
fn kind(path: &Path) -> &'static str {
    if path.ends_with(ANSWERS_FILE) {
        "answers file"
    } else {
        "lock"
    }
}

impl RecordError {
    /// What the user can do: restore the file from git, or (answers) edit it.
    pub fn hint(&self) -> Option<String> {
        let (RecordError::Read { path, .. }
        | RecordError::Corrupt { path, .. }
        | RecordError::Invalid { path, .. }) = self
        else {
            return Some(
                "run this in the top folder of a project made by scaffold, or pass that folder"
                    .into(),
            );
        };
        let name = path.file_name()?.to_string_lossy();
        // `git -C demo …` when the project is not the current folder.
        let project = path.parent().and_then(Path::parent);
        let git = match project {
            Some(dir) if !dir.as_os_str().is_empty() && dir != Path::new(".") => {
                format!("git -C {}", dir.display())
            }
            _ => "git".to_owned(),
        };
        let restore = format!("restore it with `{git} checkout -- {RECORD_DIR}/{name}`");
        Some(match self {
            RecordError::Corrupt { .. } if name == ANSWERS_FILE => {
                format!("correct it at the line named above, or {restore}")
            }
            _ => restore,
        })
    }
}

/// `.scaffold/answers.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswersRecord {
    /// The scaffold that made or last updated the project.
    pub scaffold_version: String,
    /// Where the template set came from.
    pub source: SourceRecord,
    /// The set's name and version.
    pub template: TemplateRecord,
    /// The selected layers.
    pub layers: Vec<String>,
    /// Every answer but secrets: shared first, then per layer, in the set's order.
    pub answers: AnswerMap,
    /// Paths the project owns deliberately: check and update leave them alone.
    #[serde(default)]
    pub ignore: Vec<String>,
}

/// A template source as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum SourceRecord {
    /// The set built into scaffold.
    Builtin,
    /// A folder on disk.
    Dir {
        /// Its absolute path.
        path: PathBuf,
    },
    /// A git repository.
    Git {
        /// The repository's URL.
        url: String,
        /// The tag, branch or commit asked for.
        #[serde(rename = "ref")]
        reference: String,
        /// The commit rendered: check and update re-render exactly this one.
        commit: String,
        /// The set's folder inside the repository.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subdir: Option<String>,
    },
}

/// The set's identity as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateRecord {
    /// `scaffold.yaml` `name`.
    pub name: String,
    /// `scaffold.yaml` `version`.
    pub version: String,
}

/// `.scaffold/lock.yaml`: what scaffold last wrote, per managed or merged file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// Path → what was written there, sorted by path.
    pub files: BTreeMap<String, LockEntry>,
}

impl Lock {
    /// Checks every entry (a 40-digit hex blob id, an octal mode), so a corrupt
    /// lock is reported instead of misread.
    pub fn validate(&self) -> Result<(), String> {
        for (path, entry) in &self.files {
            // A hand-edited lock must not make update delete, or diff read, a
            // file outside the project.
            if let Err(why) = RelPath::new(path) {
                return Err(format!("`{path}` is not a path inside the project: {why}"));
            }
            if entry.blob.len() != 40 || !entry.blob.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!(
                    "`{path}` has the blob id `{}`, which is not 40 hex digits",
                    entry.blob
                ));
            }
            if entry.mode_bits().is_none() {
                return Err(format!(
                    "`{path}` has the mode `{}`, which is not an octal mode like 0644",
                    entry.mode
                ));
            }
        }
        Ok(())
    }
}

impl LockEntry {
    /// The mode as bits, e.g. `0o644`, or a link's `0o120000`.
    pub fn mode_bits(&self) -> Option<u32> {
        u32::from_str_radix(&self.mode, 8)
            .ok()
            .filter(|m| *m <= 0o7777 || *m == crate::tree::LINK_MODE)
    }
}

/// One file in the lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockEntry {
    /// The git blob id of the content written.
    pub blob: String,
    /// The mode written, in octal (`"0644"`).
    pub mode: String,
    /// The file's ownership.
    pub ownership: Ownership,
}

const ANSWERS_HEADER: &str = "# How this project was made, recorded by scaffold. Edit an answer and run\n\
# `scaffold update` to re-render with it. Secrets are never recorded.\n";
const LOCK_HEADER: &str = "# Written by scaffold; do not edit. The git blob id and mode of every managed\n\
# and merged file as scaffold last wrote it.\n";

/// The records of a project rendered from `set` with `answers`, as text.
pub fn answers_record(
    set: &TemplateSet,
    answers: &Answers,
    provenance: &Provenance,
) -> AnswersRecord {
    AnswersRecord {
        scaffold_version: env!("CARGO_PKG_VERSION").to_owned(),
        source: source_record(provenance),
        template: TemplateRecord {
            name: set.name.clone(),
            version: set.version.clone(),
        },
        layers: answers.layers.clone(),
        answers: recorded_answers(set, answers),
        ignore: Vec::new(),
    }
}

fn recorded_answers(set: &TemplateSet, answers: &Answers) -> AnswerMap {
    let mut map = AnswerMap::default();
    let layers = answers.layers.iter().filter_map(|name| set.layer(name));
    let variables = set
        .variables
        .iter()
        .map(|v| VarKey::shared(&v.name))
        .chain(layers.flat_map(|l| {
            l.variables
                .iter()
                .map(|v| VarKey::of_layer(&l.name, &v.name))
        }));
    for key in variables {
        if let Some(value) = answers
            .values
            .get(&key)
            .filter(|_| !answers.secrets.contains(&key))
        {
            map.push(key.layer.as_deref(), &key.name, value.clone());
        }
    }
    map
}

/// How `provenance` is recorded.
pub fn source_record(provenance: &Provenance) -> SourceRecord {
    match provenance {
        Provenance::Builtin => SourceRecord::Builtin,
        Provenance::Dir(path) => SourceRecord::Dir { path: path.clone() },
        Provenance::Git {
            url,
            reference,
            commit,
            subdir,
        } => SourceRecord::Git {
            url: url.clone(),
            reference: reference.clone(),
            commit: commit.clone(),
            subdir: subdir.clone(),
        },
    }
}

/// The lock for `tree`: every managed and merged file (seed files are the project's own).
pub fn lock(tree: &Tree) -> Lock {
    // Hashing every file is a quarter of `new`'s work at 10,000 files
    // (BENCHMARKS.md): done in parallel, collected in path order.
    let entries: Vec<_> = tree
        .iter()
        .filter(|(_, e)| e.ownership != Ownership::Seed)
        .collect();
    let files = entries
        .par_iter()
        .map(|(path, e)| {
            let entry = LockEntry {
                blob: blob_id(&e.bytes),
                mode: format!("{:04o}", e.mode),
                ownership: e.ownership,
            };
            (path.to_string(), entry)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    Lock { files }
}

/// `.scaffold/answers.yaml` and `.scaffold/lock.yaml` as files.
pub fn files(record: &AnswersRecord, lock: &Lock) -> Result<Vec<(RelPath, Entry)>, String> {
    let texts = [
        (ANSWERS_FILE, ANSWERS_HEADER, yaml::to_string(record)),
        (LOCK_FILE, LOCK_HEADER, yaml::to_string(lock)),
    ];
    texts
        .into_iter()
        .map(|(name, header, text)| {
            let text = text.map_err(|e| format!("cannot record {RECORD_DIR}/{name}: {e}"))?;
            let entry = Entry {
                bytes: format!("{header}{text}").into(),
                mode: 0o644,
                ownership: Ownership::Managed,
                origin: format!("scaffold's {name}"),
                layer: String::new(),
            };
            Ok((RelPath::record(name).map_err(|e| e.to_string())?, entry))
        })
        .collect()
}

/// Adds `.scaffold/answers.yaml` and `.scaffold/lock.yaml` to `tree`.
pub fn add_records(tree: &mut Tree, record: &AnswersRecord) -> Result<(), String> {
    for (path, entry) in files(record, &lock(tree))? {
        // No rendered path can be under `.scaffold/` (RelPath::new refuses it).
        tree.insert(path, entry)
            .map_err(|(p, _)| format!("{p} is taken"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    #[test]
    fn records_are_stable_and_leave_secrets_out() {
        let mut answers = Answers {
            layers: vec!["root".into(), "backend".into()],
            ..Answers::default()
        };
        answers
            .values
            .insert(VarKey::shared("project_name"), Value::Str("Demo".into()));
        answers.values.insert(
            VarKey::of_layer("backend", "api"),
            Value::Str("rest".into()),
        );
        answers
            .values
            .insert(VarKey::of_layer("backend", "port"), Value::Int(8000));
        answers.values.insert(
            VarKey::of_layer("backend", "key"),
            Value::Str("hunter2".into()),
        );
        answers.secrets.insert(VarKey::of_layer("backend", "key"));
        let set = crate::testing::set(&[
            (
                "scaffold.yaml",
                "name: s\nversion: 1.2.3\nlayers: [root, backend]\nvariables:\n  project_name: {}\n",
            ),
            ("root/layer.yaml", "name: root\n"),
            (
                "backend/layer.yaml",
                "name: backend\nvariables:\n  port: {type: integer}\n  api: {}\n  key: {secret: true}\n",
            ),
        ]);
        let record = answers_record(&set, &answers, &Provenance::Builtin);
        let text = yaml::to_string(&record).unwrap();
        assert_eq!(
            text,
            "scaffold_version: 0.1.0\nsource:\n  kind: builtin\ntemplate:\n  name: s\n  version: 1.2.3\n\
             layers:\n- root\n- backend\nanswers:\n  project_name: Demo\n  backend:\n    port: 8000\n    api: rest\n\
             ignore: []\n"
        );
        let back: AnswersRecord = yaml::parse("answers.yaml", &text).unwrap();
        assert_eq!(back, record);
    }
}
