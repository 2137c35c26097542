//! The explorer and the embeddable widget: static HTML, CSS and JavaScript modules from
//! `static/`, compiled into the binary, that talk to the public `/v1` API like any other
//! client.
//!
//! - `/` and the explorer's client-side routes (`/search`, `/measures/{id}`,
//!   `/agencies/{id}`, `/documents/{id}`, `/documents/{id}/source`, `/compare`) all answer
//!   `index.html`; the script reads the URL and draws the view.
//! - `/embed/measures` answers the widget page, which other sites may put in an `<iframe>`.
//! - `/static/{version}/{file}` answers the assets. `version` is a hash of every embedded
//!   file, so asset URLs change whenever an asset does and can be cached for a year; a URL
//!   with another version still answers the current file, uncached.
//!
//! Pages carry their own `Content-Security-Policy` (scripts, styles and API calls from this
//! origin only; no inline script). Only these routes are compressed: the JSON API's headers
//! stay as they are.

use std::sync::LazyLock;

use actix_web::dev::HttpServiceFactory;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Compress;
use actix_web::{guard, web, FromRequest, Handler, HttpRequest, HttpResponse, Responder};
use sha2::{Digest, Sha256};

use super::error::{self, ApiError};

/// One embedded file under `/static/{version}/`.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

macro_rules! asset {
    ($name:literal, $type:expr) => {
        Asset {
            name: $name,
            content_type: $type,
            body: include_bytes!(concat!("../../static/", $name)),
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// Every asset, by file name.
const ASSETS: &[Asset] = &[
    asset!("app.css", CSS),
    asset!("embed.css", CSS),
    asset!("app.js", JS),
    asset!("api.js", JS),
    asset!("dom.js", JS),
    asset!("i18n.js", JS),
    asset!("search.js", JS),
    asset!("measure.js", JS),
    asset!("agency.js", JS),
    asset!("document.js", JS),
    asset!("source.js", JS),
    asset!("compare.js", JS),
    asset!("embed.js", JS),
    asset!("icon.svg", "image/svg+xml"),
];

/// The explorer's page, with `__VERSION__` standing for [`VERSION`].
const INDEX_HTML: &str = include_str!("../../static/index.html");
/// The widget's page, with `__VERSION__` standing for [`VERSION`].
const EMBED_HTML: &str = include_str!("../../static/embed.html");

/// The explorer's client-side routes; each answers `index.html`.
pub const PAGES: [&str; 7] = [
    "/",
    "/search",
    "/compare",
    "/measures/{id}",
    "/agencies/{id}",
    "/documents/{id}",
    "/documents/{id}/source",
];

/// Path of the widget.
pub const EMBED: &str = "/embed/measures";

/// Policy of the explorer's pages: everything from this origin, no inline script, no
/// framing by other sites.
const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'self'";

/// Policy of the widget: the same, but any site may frame it.
const EMBED_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors *";

/// A short hash of every embedded file: changes whenever one of them does.
pub static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut hasher = Sha256::new();
    for text in [INDEX_HTML, EMBED_HTML] {
        hasher.update(text.as_bytes());
        hasher.update([0]);
    }
    for asset in ASSETS {
        hasher.update(asset.name.as_bytes());
        hasher.update([0]);
        hasher.update(asset.body);
        hasher.update([0]);
    }
    hex::encode(hasher.finalize())[..12].to_owned()
});

static INDEX: LazyLock<String> = LazyLock::new(|| INDEX_HTML.replace("__VERSION__", &VERSION));
static EMBED_PAGE: LazyLock<String> = LazyLock::new(|| EMBED_HTML.replace("__VERSION__", &VERSION));

/// Registers the explorer's pages, the widget and the assets.
pub fn routes(config: &mut web::ServiceConfig) {
    for path in PAGES {
        config.service(page(path, explorer_page));
    }
    config.service(page(EMBED, embed_page));
    config.service(page("/static/{version}/{file}", asset));
}

/// A compressed resource answering GET and HEAD with `handler`, other methods with 405.
fn page<F, Args>(path: &str, handler: F) -> impl HttpServiceFactory
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    web::resource(path)
        .wrap(Compress::default())
        .route(
            web::route()
                .guard(guard::Any(guard::Get()).or(guard::Head()))
                .to(handler),
        )
        .default_service(web::to(error::method_not_allowed))
}

/// Whether the request's `If-None-Match` names `etag`.
fn fresh(request: &HttpRequest, etag: &str) -> bool {
    request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == etag
        })
}

/// An HTML page with its security headers, revalidated on every use.
fn html(request: &HttpRequest, body: &'static str, policy: &'static str) -> HttpResponse {
    let etag = format!("\"page-{}\"", *VERSION);
    let unchanged = fresh(request, &etag);
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::ETAG, etag.clone()))
        .insert_header((header::CONTENT_SECURITY_POLICY, policy))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "strict-origin-when-cross-origin"));
    if policy == PAGE_POLICY {
        response.insert_header((header::X_FRAME_OPTIONS, "SAMEORIGIN"));
    }
    if unchanged {
        response.finish()
    } else {
        response.body(body)
    }
}

async fn explorer_page(request: HttpRequest) -> HttpResponse {
    html(&request, INDEX.as_str(), PAGE_POLICY)
}

async fn embed_page(request: HttpRequest) -> HttpResponse {
    html(&request, EMBED_PAGE.as_str(), EMBED_POLICY)
}

async fn asset(
    request: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (version, file) = path.into_inner();
    let Some(asset) = ASSETS.iter().find(|asset| asset.name == file) else {
        return Err(ApiError::NotFound(format!(
            "no file {file} in the explorer's assets"
        )));
    };
    let current = version == *VERSION;
    let cache = if current {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let etag = format!("\"{}-{}\"", *VERSION, asset.name);
    let unchanged = fresh(&request, &etag);
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        ))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::ETAG, etag.clone()))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if unchanged {
        Ok(response.finish())
    } else {
        Ok(response.body(asset.body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_name_only_embedded_assets() {
        for page in [INDEX.as_str(), EMBED_PAGE.as_str()] {
            assert!(!page.contains("__VERSION__"));
            for (index, _) in page.match_indices("/static/") {
                let rest = &page[index + "/static/".len()..];
                let rest = rest
                    .strip_prefix(VERSION.as_str())
                    .expect("asset URLs carry the version");
                let name: String = rest[1..]
                    .chars()
                    .take_while(|c| !matches!(c, '"' | '\'' | '?' | '#'))
                    .collect();
                assert!(
                    ASSETS.iter().any(|asset| asset.name == name),
                    "{name} is embedded"
                );
            }
        }
    }

    #[test]
    fn modules_import_only_embedded_modules() {
        for asset in ASSETS.iter().filter(|asset| asset.content_type == JS) {
            let text = std::str::from_utf8(asset.body).expect("UTF-8");
            for (index, _) in text.match_indices("'./") {
                let name: String = text[index + 3..]
                    .chars()
                    .take_while(|c| *c != '\'')
                    .collect();
                assert!(
                    ASSETS.iter().any(|asset| asset.name == name),
                    "{} imports {name}, which is embedded",
                    asset.name
                );
            }
        }
        assert!(ASSETS.iter().any(|asset| asset.content_type == CSS));
    }
}
