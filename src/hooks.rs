//! Running `post_generate` hooks: `sh -c COMMAND` in the layer's folder of
//! the staging project, before it is moved into place, so a failing hook
//! leaves nothing behind. Their output goes to stderr (stdout is for data).

use crate::render::Hook;
use crate::ui::Ui;
use std::os::fd::AsFd;
use std::path::Path;
use std::process::{Command, Stdio};

/// A hook that could not run or did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    /// The shell could not be started.
    #[error("cannot run the post_generate hook `{command}` of layer `{layer}`")]
    Spawn {
        /// The layer.
        layer: String,
        /// The command.
        command: String,
        /// Why.
        source: std::io::Error,
    },
    /// The hook failed.
    #[error(
        "the post_generate hook `{command}` of layer `{layer}` failed ({status}); nothing was written"
    )]
    Failed {
        /// The layer.
        layer: String,
        /// The command.
        command: String,
        /// How it ended.
        status: std::process::ExitStatus,
    },
}

impl HookError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        Some("fix the hook (its output is above), or pass --no-hooks to skip hooks".into())
    }
}

/// Runs `hooks` in order in `project` (the staging folder); `target` is where
/// the project will be, given to hooks as `SCAFFOLD_PROJECT_DIR`.
pub fn run(hooks: &[Hook], project: &Path, target: &Path, ui: &Ui) -> Result<(), HookError> {
    for hook in hooks {
        ui.status(format!("Running the {} hook: {}", hook.layer, hook.command));
        let spawn = |source| HookError::Spawn {
            layer: hook.layer.clone(),
            command: hook.command.clone(),
            source,
        };
        let output = std::io::stderr()
            .as_fd()
            .try_clone_to_owned()
            .map_err(spawn)?;
        let status = Command::new("sh")
            .arg("-c")
            .arg(&hook.command)
            .current_dir(project.join(&hook.dir))
            .env("SCAFFOLD_PROJECT_DIR", target)
            .stdin(Stdio::null())
            .stdout(Stdio::from(output))
            .status()
            .map_err(spawn)?;
        if !status.success() {
            return Err(HookError::Failed {
                layer: hook.layer.clone(),
                command: hook.command.clone(),
                status,
            });
        }
    }
    Ok(())
}
