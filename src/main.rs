//! The `zhengce` command line: load, check, add, serve, export and print the OpenAPI document.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// zhengce (政策): Chinese government policy documents as open data.
#[derive(Parser)]
#[command(name = "zhengce", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse the data folder and write a new database (atomically replacing the old one).
    Load {
        /// Data folder holding documents/ and the TOML reference files.
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// Database file to write.
        #[arg(long, default_value = "zhengce.db")]
        db: PathBuf,
    },
    /// Parse the data folder without writing anything and list every warning.
    Check {
        /// Data folder holding documents/ and the TOML reference files.
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// Print the whole parsed corpus as JSON instead of the report.
        #[arg(long)]
        json: bool,
    },
    /// Serve the read-only JSON API (building the database from the data folder first
    /// when the database file does not exist).
    Serve {
        /// Database file to serve.
        #[arg(long, default_value = "zhengce.db")]
        db: PathBuf,
        /// Data folder used to build the database when it does not exist.
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Seconds clients and caches may reuse an answer (`Cache-Control: public, max-age`).
        #[arg(long, default_value_t = zhengce::api::delivery::DEFAULT_CACHE_MAX_AGE)]
        cache_max_age: u32,
        /// Requests per minute each client may send (off when not given); a client over
        /// the limit gets 429 with Retry-After.
        #[arg(long, value_name = "N")]
        rate_limit: Option<u32>,
        /// Requests a client may send at once before the per-minute rate applies
        /// (default: the --rate-limit value).
        #[arg(long, value_name = "N", requires = "rate_limit")]
        rate_burst: Option<u32>,
        /// Trust X-Forwarded-For (client address for rate limits) and
        /// X-Forwarded-Proto/-Host (absolute links in feeds), set by a reverse proxy in front.
        #[arg(long)]
        trust_proxy: bool,
        /// The most records one CSV or NDJSON answer holds; larger results are refused.
        #[arg(long, default_value_t = zhengce::api::delivery::DEFAULT_MAX_EXPORT_ROWS)]
        max_export_rows: u64,
        /// Seconds between two looks whether the database file has been replaced (by
        /// `zhengce load`); the new file is then served without a restart. 0: reload on
        /// SIGHUP only.
        #[arg(long, value_name = "SECONDS", default_value_t = zhengce::api::reload::DEFAULT_RELOAD_INTERVAL)]
        reload_interval: u64,
    },
    /// Write one CSV or NDJSON file per table of the database into a folder (the same files
    /// as the bulk download /v1/downloads/zhengce-csv.zip).
    Export {
        /// File format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// Folder to write into (created when missing; files are overwritten).
        #[arg(long)]
        out: PathBuf,
        /// Database file to read.
        #[arg(long, default_value = "zhengce.db")]
        db: PathBuf,
    },
    /// Check document files (.txt, .html, .htm, .docx, .pdf) against the corpus and copy
    /// them into the data folder's documents/ byte for byte; prints what was found and a
    /// gazetteer entry for every unresolved name. Nothing is copied when any file fails.
    Add {
        /// The files to add.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The document id (a slug; one file only). Default: derived from the title.
        #[arg(long, value_name = "SLUG")]
        id: Option<String>,
        /// Data folder holding documents/ and the TOML reference files.
        #[arg(long, default_value = "data")]
        data: PathBuf,
    },
    /// Print the OpenAPI document the server serves at /v1/openapi.json.
    Openapi,
    /// Write a synthetic data folder of N documents recombined from the real corpus (for
    /// scale tests and benchmarks); deterministic for a seed.
    Synth {
        /// Number of documents to generate.
        #[arg(long)]
        documents: usize,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output data folder (created; existing files are overwritten).
        #[arg(long)]
        out: PathBuf,
        /// Real data folder to draw material from.
        #[arg(long, default_value = "data")]
        data: PathBuf,
    },
}

/// File format of `zhengce export`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    /// CSV, UTF-8 with a byte-order mark.
    Csv,
    /// Newline-delimited JSON.
    Ndjson,
}

/// Prints a command's report, or its error on stderr, and the exit code that goes with it.
fn report<R: std::fmt::Display, E: std::fmt::Display>(outcome: Result<R, E>) -> ExitCode {
    match outcome {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let cli = Cli::parse();
    match cli.command {
        Command::Load { data, db } => report(zhengce::db::load::load_data_dir(&data, &db)),
        Command::Check { data, json } => match zhengce::corpus::load_corpus(&data) {
            Ok(corpus) if json => match serde_json::to_string_pretty(&corpus) {
                Ok(text) => {
                    println!("{text}");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            },
            Ok(corpus) => {
                print!("{}", zhengce::corpus::check_report(&corpus));
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        },
        Command::Serve {
            db,
            data,
            bind,
            cache_max_age,
            rate_limit,
            rate_burst,
            trust_proxy,
            max_export_rows,
            reload_interval,
        } => {
            let options = zhengce::api::delivery::ServerOptions {
                cache_max_age,
                rate_limit: rate_limit
                    .map(|limit| zhengce::api::delivery::RateLimitOptions::new(limit, rate_burst)),
                trust_proxy,
                max_export_rows,
            };
            let config = zhengce::api::ServeConfig {
                db,
                data,
                bind,
                options,
                reload_interval: (reload_interval > 0)
                    .then_some(std::time::Duration::from_secs(reload_interval)),
            };
            match zhengce::api::serve(config) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Synth {
            documents,
            seed,
            out,
            data,
        } => {
            let options = zhengce::synth::SynthOptions { documents, seed };
            match zhengce::synth::write_synthetic_corpus(&data, &out, options) {
                Ok(summary) => {
                    println!(
                        "wrote {} documents ({} measures), {} jurisdictions, {} agencies into {}",
                        summary.documents,
                        summary.measures,
                        summary.jurisdictions,
                        summary.agencies,
                        out.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Export { format, out, db } => {
            let format = match format {
                ExportFormat::Csv => zhengce::db::export::ExportFormat::Csv,
                ExportFormat::Ndjson => zhengce::db::export::ExportFormat::Ndjson,
            };
            report(zhengce::db::export::export_dir(&db, format, &out))
        }
        Command::Add { files, id, data } => report(zhengce::corpus::add::add_documents(
            &data,
            &files,
            id.as_deref(),
        )),
        Command::Openapi => {
            println!("{}", zhengce::api::openapi_json());
            ExitCode::SUCCESS
        }
    }
}
