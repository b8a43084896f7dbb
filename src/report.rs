//! Drift reports as text, JSON or GitHub annotations, and as unified diffs.
//! Pure: returns the text; the caller prints it.

use crate::compare::{DiskFile, Drift, Status};
use crate::exit;
use crate::manifest::Ownership;
use crate::tree::Tree;
use serde_json::json;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What the comparison was of, for the report's header.
pub struct Subject<'a> {
    /// The project's folder, as given.
    pub dir: &'a str,
    /// The template set's name.
    pub template: &'a str,
    /// The version recorded in the project.
    pub recorded_version: &'a str,
    /// The version it was compared with.
    pub version: &'a str,
    /// The command that brings the template's changes in (`--latest` for git).
    pub update: &'a str,
    /// A newer version than the one compared with (git, without `--latest`).
    pub newer: Option<Newer<'a>>,
}

/// A newer template version, as `update --latest` would bring it in.
pub struct Newer<'a> {
    /// Its version.
    pub version: &'a str,
    /// Its commit.
    pub commit: &'a str,
    /// How many files it would change.
    pub changes: usize,
    /// How many of them would conflict.
    pub conflicts: usize,
    /// It asks questions the recorded answers do not answer, so what it
    /// would change is not known until `update` asks them.
    pub asks: bool,
}

impl Newer<'_> {
    /// 3, or 4 when the update would conflict or needs answers first.
    pub fn exit_code(&self) -> i32 {
        if self.conflicts > 0 || self.asks {
            exit::NEWER_CONFLICTS
        } else {
            exit::NEWER
        }
    }
}

impl Subject<'_> {
    /// The exit code of the whole check: the most serious finding decides.
    pub fn exit_code(&self, drifts: &[Drift]) -> i32 {
        let newer = self.newer.as_ref().map_or(exit::OK, Newer::exit_code);
        exit::worst(crate::compare::exit_code(drifts), newer)
    }
}

/// What a newer version would do, in a sentence (no exit code).
pub fn newer_line(subject: &Subject<'_>) -> Option<String> {
    let newer = subject.newer.as_ref()?;
    let short = newer.commit.get(..12).unwrap_or(newer.commit);
    let what = match newer.conflicts {
        _ if newer.asks => "would first ask what the recorded answers do not say".to_owned(),
        0 => format!("would apply it cleanly ({} file(s))", newer.changes),
        n => format!("would conflict in {n} of {} file(s)", newer.changes),
    };
    Some(format!(
        "a newer template version exists, {} {} (commit {short}): `scaffold update --latest` {what}",
        subject.template, newer.version
    ))
}

/// The one-word summary of an exit code, as JSON gives it.
pub fn summary(code: i32) -> &'static str {
    match code {
        exit::OK => "in-sync",
        exit::DRIFT => "drift",
        exit::NEWER => "update-available",
        _ => "update-conflicts",
    }
}

fn explain(drift: &Drift) -> String {
    let who = match (drift.status, drift.by_project, drift.by_template) {
        (Status::Missing, true, true) => {
            "deleted in the project, changed in the template; update would not restore it"
        }
        (Status::RemovedByTemplate, true, true) => {
            "changed in the project, dropped by the template; update would keep it"
        }
        (_, true, true) if drift.conflict => {
            "changed in the project and the template; update would conflict"
        }
        (_, true, true) => "changed in the project and the template; update would merge them",
        (_, true, false) => "changed in the project",
        _ => "changed in the template",
    };
    let counts = match (drift.exit_code(), drift.ownership) {
        (exit::OK, Ownership::Merged) => " (a merged file: reported only)",
        _ => "",
    };
    format!("{}, {who}{counts}", drift.ownership.name())
}

/// The text report of `check`.
pub fn text(subject: &Subject<'_>, drifts: &[Drift], checked: usize) -> String {
    let code = subject.exit_code(drifts);
    let mut out = String::new();
    let version = if subject.recorded_version == subject.version {
        subject.version.to_owned()
    } else {
        format!(
            "{} (recorded: {})",
            subject.version, subject.recorded_version
        )
    };
    let newer = newer_line(subject);
    if drifts.is_empty() {
        let _ = writeln!(
            out,
            "{}: in sync with {} {version} ({checked} files checked)",
            subject.dir, subject.template
        );
        if let Some(newer) = newer {
            let _ = writeln!(
                out,
                "{newer}; `scaffold check --latest` lists them (exit {code})"
            );
        }
        return out;
    }
    let _ = writeln!(
        out,
        "{}: {} of {checked} files differ from {} {version}",
        subject.dir,
        drifts.len(),
        subject.template
    );
    let width = drifts.iter().map(|d| d.path.len()).max().unwrap_or(0);
    for drift in drifts {
        let _ = writeln!(
            out,
            "  {:<19} {:<width$}  {}",
            drift.status.name(),
            drift.path,
            explain(drift)
        );
    }
    let conflicts = drifts.iter().filter(|d| d.conflict).count();
    let verdict = match crate::compare::exit_code(drifts) {
        exit::OK => "in sync: only merged files differ".to_owned(),
        exit::DRIFT => {
            "drift: template-owned files were changed in the project; `scaffold diff` shows how"
                .to_owned()
        }
        exit::NEWER => {
            format!(
                "the template has changed; `{}` would apply it cleanly",
                subject.update
            )
        }
        _ => format!(
            "the template has changed; `{}` would conflict in {conflicts} file(s)",
            subject.update
        ),
    };
    match newer {
        Some(newer) => {
            let _ = writeln!(out, "{verdict}");
            let _ = writeln!(
                out,
                "{newer}; `scaffold check --latest` lists them (exit {code})"
            );
        }
        None => {
            let _ = writeln!(out, "{verdict} (exit {code})");
        }
    }
    out
}

/// The JSON report of `check` (schema in docs/drift.md).
pub fn json(subject: &Subject<'_>, drifts: &[Drift], checked: usize) -> String {
    let code = subject.exit_code(drifts);
    let files: Vec<_> = drifts
        .iter()
        .map(|d| {
            json!({
                "path": d.path,
                "status": d.status.name(),
                "ownership": d.ownership.name(),
                "changed_by": d.changed_by(),
                "conflict": d.conflict,
                "exit_code": d.exit_code(),
            })
        })
        .collect();
    let report = json!({
        "schema": 1,
        "exit_code": code,
        "summary": summary(code),
        "template": {
            "name": subject.template,
            "recorded_version": subject.recorded_version,
            "version": subject.version,
        },
        "newer": subject.newer.as_ref().map(|n| json!({
            "version": n.version,
            "commit": n.commit,
            "changes": n.changes,
            "conflicts": n.conflicts,
            "needs_answers": n.asks,
            "exit_code": n.exit_code(),
        })),
        "checked": checked,
        "files": files,
    });
    format!("{report:#}\n")
}

/// GitHub Actions workflow annotations, one per drifted file.
pub fn github(subject: &Subject<'_>, drifts: &[Drift]) -> String {
    let mut out = String::new();
    for drift in drifts {
        let level = match drift.exit_code() {
            exit::DRIFT | exit::NEWER_CONFLICTS => "error",
            exit::NEWER => "warning",
            _ => "notice",
        };
        let path = if subject.dir == "." {
            drift.path.clone()
        } else {
            format!("{}/{}", subject.dir.trim_end_matches('/'), drift.path)
        };
        // Workflow commands need `%`, `\r`, `\n` (and `,`/`:` in properties) escaped.
        let escape = |s: &str| {
            s.replace('%', "%25")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        };
        let property = |s: &str| escape(s).replace(',', "%2C").replace(':', "%3A");
        let _ = writeln!(
            out,
            "::{level} file={},title={}::{}",
            property(&path),
            property(&format!("scaffold: {}", drift.status.name())),
            escape(&format!("{} ({})", drift.path, explain(drift)))
        );
    }
    if let (Some(newer), Some(line)) = (&subject.newer, newer_line(subject)) {
        let (level, title) = match newer.exit_code() {
            exit::NEWER => ("warning", "scaffold: update-available"),
            _ => ("error", "scaffold: update-conflicts"),
        };
        let _ = writeln!(
            out,
            "::{level} title={}::{}",
            title.replace(':', "%3A"),
            line.replace('%', "%25")
        );
    }
    out
}

/// Unified diffs, project → template, for every drifted file.
pub fn diff(
    drifts: &[Drift],
    disk: &BTreeMap<String, DiskFile>,
    rendered: &Tree,
    color: bool,
) -> String {
    let mut out = String::new();
    let formatter = if color {
        diffy::PatchFormatter::new().with_color()
    } else {
        diffy::PatchFormatter::new()
    };
    for drift in drifts {
        let project = disk.get(&drift.path);
        let template = rendered.get(&drift.path);
        if drift.status == Status::Mode {
            let mode = |m: Option<u32>| m.map_or("-".to_owned(), |m| format!("{m:04o}"));
            let _ = writeln!(
                out,
                "mode {}: {} (project) → {} (template)",
                drift.path,
                mode(project.map(|f| f.mode)),
                mode(template.map(|e| e.mode))
            );
            continue;
        }
        let before = project.map_or(&[][..], |f| &f.bytes);
        let after = template.map_or(&[][..], |e| &e.bytes);
        match (std::str::from_utf8(before), std::str::from_utf8(after)) {
            (Ok(before), Ok(after)) => {
                let mut options = diffy::DiffOptions::new();
                options
                    .set_original_filename(format!("a/{} (project)", drift.path))
                    .set_modified_filename(format!("b/{} (template)", drift.path));
                let patch = options.create_patch(before, after);
                let _ = write!(out, "{}", formatter.fmt_patch(&patch));
            }
            _ => {
                let _ = writeln!(
                    out,
                    "Binary files a/{0} (project) and b/{0} (template) differ",
                    drift.path
                );
            }
        }
    }
    out
}

/// The update plan as text, one path a line; `all` includes unchanged files.
pub fn plan_text(steps: &[crate::merge::Step], all: bool) -> String {
    let mut out = String::new();
    for step in steps
        .iter()
        .filter(|s| all || s.action != crate::merge::Action::Unchanged || s.note.is_some())
    {
        let _ = write!(out, "{:<13} {}", step.action.name(), step.path);
        if let Some(note) = step.note {
            let _ = write!(out, "  ({note})");
        }
        out.push('\n');
    }
    out
}

/// The update plan as JSON (schema in docs/drift.md).
pub fn plan_json(steps: &[crate::merge::Step], from: &str, to: &str) -> String {
    let files: Vec<_> = steps
        .iter()
        .map(|s| json!({ "path": s.path, "action": s.action.name(), "note": s.note }))
        .collect();
    let conflicts = steps
        .iter()
        .filter(|s| s.action == crate::merge::Action::Conflict)
        .count();
    let report =
        json!({ "schema": 1, "from": from, "to": to, "conflicts": conflicts, "files": files });
    format!("{report:#}\n")
}

/// "2 clean updates, 1 conflict": the counts of every action but unchanged.
pub fn plan_summary(steps: &[crate::merge::Step]) -> String {
    use crate::merge::Action;
    let counts: Vec<String> = [
        Action::New,
        Action::CleanUpdate,
        Action::CleanMerge,
        Action::Conflict,
        Action::Deleted,
    ]
    .into_iter()
    .filter_map(|action| {
        let n = steps.iter().filter(|s| s.action == action).count();
        // "new" and "deleted" read the same for many files.
        let plural = if n == 1 || matches!(action, Action::New | Action::Deleted) {
            ""
        } else {
            "s"
        };
        (n > 0).then(|| format!("{n} {}{plural}", action.name()))
    })
    .collect();
    if counts.is_empty() {
        "nothing to change".to_owned()
    } else {
        counts.join(", ")
    }
}
