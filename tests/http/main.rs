//! The tests that start the real server and speak HTTP to it, in one test binary: the
//! crate is linked once for all of them, and the database of the bundled corpus is built
//! once per run and shared by every test that reads it ([`common::database`]). Tests that
//! need another corpus or other server options build their own.

#[path = "../common/mod.rs"]
mod common;
#[path = "../formats/mod.rs"]
mod formats;

mod api;
mod delivery;
mod explorer;
mod formats_api;
mod limits;
mod process;
mod reload;
mod search;
