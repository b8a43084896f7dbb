//! Ctrl-C. Before anything is written, it ends the process at once (there is
//! nothing to undo). While writing, it only raises a flag: the writer checks
//! it between files, removes its temporary folder and reports [`Interrupted`].

use std::sync::atomic::{AtomicBool, Ordering};

static WRITING: AtomicBool = AtomicBool::new(false);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The exit code for a run stopped by Ctrl-C (128 + SIGINT), as shells use.
pub const EXIT_CODE: i32 = 130;

/// The user pressed Ctrl-C; nothing was left behind.
#[derive(Debug, thiserror::Error)]
#[error("interrupted; nothing was written")]
pub struct Interrupted;

/// Installs the handler, once per process.
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if WRITING.load(Ordering::SeqCst) {
            INTERRUPTED.store(true, Ordering::SeqCst);
        } else {
            // A prompt may have hidden the cursor.
            if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                let _ = console::Term::stderr().show_cursor();
            }
            eprintln!("\ninterrupted; nothing was written");
            std::process::exit(EXIT_CODE);
        }
    });
}

/// While alive, Ctrl-C is deferred to [`check`] calls.
pub struct Deferred(());

impl Deferred {
    /// Starts deferring Ctrl-C.
    pub fn start() -> Deferred {
        WRITING.store(true, Ordering::SeqCst);
        Deferred(())
    }

    /// `Err` once Ctrl-C was pressed.
    pub fn check(&self) -> Result<(), Interrupted> {
        if INTERRUPTED.load(Ordering::SeqCst) {
            Err(Interrupted)
        } else {
            Ok(())
        }
    }
}

impl Drop for Deferred {
    fn drop(&mut self) {
        WRITING.store(false, Ordering::SeqCst);
    }
}
