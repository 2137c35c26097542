//! zhengce (政策): an open-data REST API over Chinese government policy documents.
//!
//! Three layers, each testable alone:
//! - [`corpus`]: text → plain structs (normalizer, outline, measures, agencies, goals,
//!   cross-references, themes). No SQL, no HTTP.
//! - [`db`]: diesel schema, the atomic loader and the read queries. No HTTP.
//! - [`api`]: actix-web handlers, views, errors and the OpenAPI document.
//!
//! Beside them, [`synth`] writes synthetic corpora for scale tests and benchmarks.

#![warn(missing_docs)]

pub mod api;
pub mod corpus;
pub mod db;
pub mod synth;
