//! The HTTP layer: actix-web handlers, views, errors and the OpenAPI document.

use std::path::PathBuf;

/// How `zhengce serve` runs.
pub struct ServeConfig {
    /// Database file.
    pub db: PathBuf,
    /// Data folder to build the database from when it is missing.
    pub data: PathBuf,
    /// Listen address.
    pub bind: String,
}

/// Runs the server until SIGTERM/SIGINT.
pub fn serve(config: ServeConfig) -> std::io::Result<()> {
    let _ = config;
    Ok(())
}

/// The OpenAPI document as pretty JSON.
pub fn openapi_json() -> String {
    String::new()
}
