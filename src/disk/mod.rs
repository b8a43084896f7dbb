//! The file system edge: turning a [`crate::tree::Tree`] into files.

pub mod read;
pub mod write;
