//! laylint checks the layout and wiring of Python AWS serverless repositories.
//!
//! Data flows one way: [`walk`] builds the file index, [`model::Repo`] models the
//! repository lazily, [`checks`] turn rules into findings, [`engine`] turns findings
//! into a [`sink::Sink`] (sorted, filtered [`diagnostic::Diagnostic`]s with the lines
//! each report shows, the last file reads done), and [`report`] prints it without
//! reading anything.

// Configuration errors carry their source text for miette; they are the cold path of a
// run that is about to exit 2, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod cache;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod directives;
pub mod docs;
pub mod engine;
pub mod exit;
pub mod fix;
pub mod glob;
pub mod model;
pub mod par;
pub mod paths;
pub mod python;
pub mod report;
pub mod rules;
pub mod safefs;
pub mod server;
pub mod sink;
pub mod suppress;
pub mod walk;
