//! The database layer: diesel schema, the atomic loader and the read queries. No HTTP.

pub mod load;
