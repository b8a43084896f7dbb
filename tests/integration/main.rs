//! Integration tests: the real `scaffold` binary on real temporary folders.

mod check;
mod cli;
mod config;
mod docs;
mod git;
mod golden;
mod harness;
mod hooks;
mod hostile;
mod lint;
mod list;
mod new;
mod tty;
mod update;
