//! scaffold: new projects from layered templates, kept true to them.
//!
//! The pipeline (DESIGN.md): [`source`] → [`manifest`] → [`answers`] →
//! [`render`] → [`tree`] → [`record`] → [`disk`] → [`git`]. `manifest`,
//! `answers::resolve`, `render`, `tree` and `record` are pure: no file system,
//! environment, clock, randomness or printing. Effects sit in `source`,
//! `config`, `disk`, `git` and the `cmd` modules that call them.

#![deny(clippy::unwrap_used, clippy::expect_used)]

pub mod answers;
pub mod cli;
pub mod cmd;
pub mod compare;
pub mod config;
pub mod disk;
pub mod exit;
pub mod git;
pub mod hooks;
pub mod interrupt;
pub mod manifest;
pub mod merge;
pub mod record;
pub mod render;
pub mod report;
mod run;
pub mod source;
mod suggest;
#[cfg(test)]
mod testing;
pub mod tree;
pub mod ui;
pub mod value;
pub mod yaml;

pub use run::run;
