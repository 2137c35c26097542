//! The explorer and the widget as the server delivers them: HTML for every client-side
//! route, embedded assets with their types and cache headers, the pages' security headers
//! (the widget may be framed by any site, the explorer only by itself) and compression.
//! What the pages do in a browser is tested by `e2e/run.mjs` in headless Chromium.

use crate::common::{base, get, header, request, send_unread};
use zhengce::api::explorer::VERSION;

fn get_with(path: &str, headers: &[(&str, &str)]) -> reqwest::blocking::Response {
    send_unread(base(), "GET", path, headers)
}

/// The asset URLs a page names.
fn assets(page: &str) -> Vec<String> {
    page.match_indices("/static/")
        .map(|(index, _)| {
            page[index..]
                .chars()
                .take_while(|c| *c != '"')
                .collect::<String>()
        })
        .collect()
}

#[test]
fn every_client_side_route_answers_the_explorer_page() {
    let home = get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    let body = home.text();
    assert!(body.contains(&format!("/static/{}/app.js", *VERSION)));
    for path in [
        "/search",
        "/search?q=%E5%8C%BB%E7%96%97&agency=x",
        "/compare?by=document",
        "/measures/yubei-2020-online-economy-plan--p3.s4.i1",
        "/agencies/yubei-health-commission",
        "/documents/yubei-2020-online-economy-plan",
        "/documents/yubei-2020-online-economy-plan/source?start=1&end=2",
    ] {
        let page = get(path);
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(page.text(), body, "{path} answers the same page");
    }
    let head = request("HEAD", "/search");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn other_paths_and_methods_keep_their_problem_answers() {
    for path in ["/nope", "/measures", "/measures/a/b", "/embed", "/static/x"] {
        let response = get(path);
        assert_eq!(response.status, 404, "{path}");
        assert_eq!(response.content_type, "application/problem+json", "{path}");
    }
    for path in ["/", "/search", "/embed/measures", "/static/v/app.js"] {
        let response = request("POST", path);
        assert_eq!(response.status, 405, "{path}");
        assert_eq!(header(&response, "allow"), "GET, HEAD", "{path}");
    }
}

#[test]
fn the_explorer_allows_only_its_own_scripts_and_no_framing_by_others() {
    let page = get("/");
    let policy = header(&page, "content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'self'",
        "object-src 'none'",
    ] {
        assert!(policy.contains(directive), "{directive} in {policy}");
    }
    assert!(!policy.contains("unsafe-inline"));
    assert_eq!(header(&page, "x-frame-options"), "SAMEORIGIN");
    assert_eq!(header(&page, "x-content-type-options"), "nosniff");
    assert_eq!(header(&page, "cache-control"), "no-cache");
    assert!(
        !page.text().contains("<script>") && !page.text().contains(" style="),
        "no inline script or style"
    );
}

#[test]
fn the_widget_may_be_framed_by_any_site() {
    let widget = get("/embed/measures?theme=online-healthcare&theme=dark&lang=en&limit=3");
    assert_eq!(widget.status, 200);
    assert_eq!(widget.content_type, "text/html; charset=utf-8");
    let policy = header(&widget, "content-security-policy");
    assert!(policy.contains("frame-ancestors *"), "{policy}");
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(widget.headers.get("x-frame-options").is_none());
    assert!(widget
        .text()
        .contains(&format!("/static/{}/embed.js", *VERSION)));
}

#[test]
fn assets_are_served_with_their_types_and_cached_by_version() {
    let mut pages = get("/").text();
    pages.push_str(&get("/embed/measures").text());
    let urls = assets(&pages);
    assert!(urls.len() >= 5, "{urls:?}");
    for url in urls {
        let asset = get(&url);
        assert_eq!(asset.status, 200, "{url}");
        let expected = if url.ends_with(".js") {
            "text/javascript; charset=utf-8"
        } else if url.ends_with(".css") {
            "text/css; charset=utf-8"
        } else {
            "image/svg+xml"
        };
        assert_eq!(asset.content_type, expected, "{url}");
        assert_eq!(
            header(&asset, "cache-control"),
            "public, max-age=31536000, immutable",
            "{url}"
        );
    }
    // Modules imported by other modules are served too.
    for module in [
        "measure.js",
        "agency.js",
        "document.js",
        "source.js",
        "compare.js",
    ] {
        assert_eq!(get(&format!("/static/{}/{module}", *VERSION)).status, 200);
    }
    // An old version still answers the current file, but uncached.
    let stale = get("/static/0123456789ab/app.js");
    assert_eq!(stale.status, 200);
    assert_eq!(header(&stale, "cache-control"), "no-cache");
    assert_eq!(
        get(&format!("/static/{}/nope.js", *VERSION)).status,
        404,
        "unknown files are 404"
    );
}

#[test]
fn unchanged_pages_and_assets_answer_304() {
    for path in ["/".to_owned(), format!("/static/{}/app.css", *VERSION)] {
        let first = get_with(&path, &[]);
        let etag = first
            .headers()
            .get("etag")
            .and_then(|value| value.to_str().ok())
            .expect("an ETag")
            .to_owned();
        let again = get_with(&path, &[("If-None-Match", &etag)]);
        assert_eq!(again.status().as_u16(), 304, "{path}");
        let other = get_with(&path, &[("If-None-Match", "\"something-else\"")]);
        assert_eq!(other.status().as_u16(), 200, "{path}");
    }
}

#[test]
fn pages_and_assets_are_compressed_for_clients_that_accept_it() {
    for path in ["/".to_owned(), format!("/static/{}/i18n.js", *VERSION)] {
        let plain = get_with(&path, &[]).bytes().expect("body").len();
        let gzip = get_with(&path, &[("Accept-Encoding", "gzip")]);
        assert_eq!(
            gzip.headers()
                .get("content-encoding")
                .and_then(|v| v.to_str().ok()),
            Some("gzip"),
            "{path}"
        );
        let compressed = gzip.bytes().expect("body").len();
        assert!(compressed < plain, "{path}: {compressed} < {plain}");
    }
}
