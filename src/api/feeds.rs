//! Atom 1.0 feeds of measures (RFC 4287), for portals and feed readers that follow "all
//! measures led by this agency" or "everything on online healthcare".
//!
//! A feed is a measure list in another format: `/v1/measures.atom`, or `format=atom` (or
//! `Accept: application/atom+xml`) on `/v1/measures`, `/v1/documents/{id}/measures` and
//! `/v1/agencies/{id}/measures`, with the same filters. Without `sort`, a feed lists the
//! newest documents first (`-date,document,ordinal`) so that the first page holds what is
//! new. A feed is paged like the list (`limit`, default 50; `rel="next"` links, RFC 5005).
//!
//! Entry ids are the URLs of the API records, so they never change for a measure; `updated`
//! is the document's date (midnight, China Standard Time), or the load time when the
//! document has no date. Authors are the lead agencies (or, without one, the other agencies
//! named), categories the themes; each entry links to the API record, the explorer page and
//! the document.

use std::collections::BTreeSet;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::error::ApiError;
use super::formats::ATOM_TYPE;
use super::listing::{encode_cursor, link, ListOptions};
use super::params::{percent_encode, Params};
use super::state::AppState;
use crate::db::queries::feeds::{self, FeedDocument};
use crate::db::queries::measures::{self, MeasureRecord, SPEC};
use crate::db::queries::{Filters, Scope, SortKey};

/// The lists (by `ListSpec` name) that also come as Atom feeds.
pub const FEEDS: [&str; 1] = ["measures"];

/// The order of a feed without `sort`: newest documents first, each in reading order.
pub const FEED_SORT: &str = "-date,document,ordinal";

/// Characters of a measure's text that stand in for a missing title.
const TITLE_CHARS: usize = 40;

/// Answers a measure list as an Atom feed.
pub async fn measures(
    request: &HttpRequest,
    state: &web::Data<AppState>,
    params: &Params,
    mut options: ListOptions,
    scope: Option<Scope>,
    filter: Filters,
) -> Result<HttpResponse, ApiError> {
    let has = |name: &str| params.pairs().iter().any(|(key, _)| key == name);
    let default_order = !has("sort") && !has("cursor");
    if default_order {
        options.sort = feed_sort();
        options.sort_text = FEED_SORT.to_owned();
    }
    let mut list_request = options.request(filter);
    list_request.facets.clear();
    let (page, documents, loaded_at) = state
        .run(move |conn| {
            let page = measures::list(conn, scope.as_ref(), &list_request)?;
            let ids: BTreeSet<&str> = page.items.iter().map(|m| m.document.as_str()).collect();
            let ids: Vec<&str> = ids.into_iter().collect();
            let documents = feeds::documents(conn, &ids)?;
            let loaded_at = feeds::loaded_at(conn)?;
            Ok((page, documents, loaded_at))
        })
        .await?;
    let base = base_url(request, state.delivery.options.trust_proxy);
    let path = request.path();
    let pairs = params.pairs();
    let without = |names: &[&str]| -> Vec<(String, String)> {
        pairs
            .iter()
            .filter(|(name, _)| !names.contains(&name.as_str()))
            .cloned()
            .collect()
    };
    let next = page.next.as_ref().map(|key| {
        let mut next = without(&["cursor"]);
        if default_order {
            next.push(("sort".to_owned(), FEED_SORT.to_owned()));
        }
        next.push((
            "cursor".to_owned(),
            encode_cursor(options.list, &options.sort_text, key),
        ));
        link(path, &next)
    });
    let json_path = path.strip_suffix(".atom").unwrap_or(path);
    let loaded_at = loaded_at.unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned());
    let feed = Feed {
        base: &base,
        id: format!("{base}{}", link(path, &feed_identity(pairs))),
        title: feed_title(request, params),
        updated: &loaded_at,
        self_link: format!("{base}{}", link(path, pairs)),
        alternate: format!("{base}{}", link(json_path, &without(&["format", "bom"]))),
        first: has("cursor").then(|| format!("{base}{}", link(path, &without(&["cursor"])))),
        next: next.as_ref().map(|next| format!("{base}{next}")),
        total: page.total,
    };
    let body = feed.render(&page.items, &documents);
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, ATOM_TYPE))
        .insert_header((header::VARY, "Accept"));
    if let Some(next) = &next {
        response.insert_header((header::LINK, format!("<{next}>; rel=\"next\"")));
    }
    Ok(response.body(body))
}

/// The parameters that make a feed what it is (its filters and order), for its id: the same
/// on every page and for every page size.
fn feed_identity(pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .filter(|(name, value)| {
            let paging = ["cursor", "limit", "facet", "bom"].contains(&name.as_str());
            let default_order = name == "sort" && value == FEED_SORT;
            !paging && !default_order
        })
        .cloned()
        .collect()
}

fn feed_sort() -> Vec<SortKey> {
    FEED_SORT
        .split(',')
        .filter_map(|name| {
            let (descending, name) = match name.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, name),
            };
            SPEC.sort_field(name)
                .map(|field| SortKey { field, descending })
        })
        .collect()
}

/// `Measures · role=lead · theme=online-healthcare — zhengce`, or the scope of a
/// sub-resource list.
fn feed_title(request: &HttpRequest, params: &Params) -> String {
    let mut parts: Vec<String> = Vec::new();
    let segments: Vec<&str> = request
        .path()
        .split('/')
        .filter(|s| !s.is_empty() && *s != "v1")
        .collect();
    if let [resource, id, "measures"] = segments.as_slice() {
        let resource = resource.strip_suffix('s').unwrap_or(resource);
        let resource = resource
            .strip_suffix("ie")
            .map_or(resource.to_owned(), |r| format!("{r}y"));
        parts.push(format!("{resource}={id}"));
    }
    for (name, value) in params.pairs() {
        if !["format", "bom", "limit", "cursor", "facet", "sort"].contains(&name.as_str()) {
            parts.push(format!("{name}={value}"));
        }
    }
    if parts.is_empty() {
        "Measures — zhengce".to_owned()
    } else {
        format!("Measures · {} — zhengce", parts.join(" · "))
    }
}

/// The absolute origin links are made with: the `Host` the client used, or, with
/// `--trust-proxy`, what the proxy says in `Forwarded` / `X-Forwarded-*`.
pub fn base_url(request: &HttpRequest, trust_proxy: bool) -> String {
    if trust_proxy {
        let info = request.connection_info();
        if valid_host(info.host()) {
            let scheme = if info.scheme() == "https" {
                "https"
            } else {
                "http"
            };
            return format!("{scheme}://{}", info.host());
        }
    }
    let scheme = if request.app_config().secure() {
        "https"
    } else {
        "http"
    };
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .filter(|host| valid_host(host))
        .map(str::to_owned)
        .unwrap_or_else(|| request.app_config().local_addr().to_string());
    format!("{scheme}://{host}")
}

/// Whether `host` is a plausible `host[:port]` (letters, digits, `.`, `-`, `:`, brackets).
fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
}

/// Escapes text for XML content and attribute values, dropping characters XML 1.0 forbids.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    escape_markup(text, &mut out);
    out
}

/// Appends `text` to `out` escaped for XML or HTML element content and attribute values
/// (`&`, `<`, `>`, both quotes), dropping the control characters neither allows.
pub(crate) fn escape_markup(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// Percent-encodes an id for use as a path segment.
fn segment(id: &str) -> String {
    percent_encode(id, b"-._~")
}

/// A feed document's head.
struct Feed<'a> {
    base: &'a str,
    id: String,
    title: String,
    updated: &'a str,
    self_link: String,
    alternate: String,
    first: Option<String>,
    next: Option<String>,
    total: i64,
}

impl Feed<'_> {
    fn render(&self, measures: &[MeasureRecord], documents: &[FeedDocument]) -> String {
        let base = self.base;
        let mut xml = String::with_capacity(2048 + measures.len() * 2048);
        xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
        element(&mut xml, "id", &self.id);
        element(&mut xml, "title", &self.title);
        element(
            &mut xml,
            "subtitle",
            &format!(
                "{} measures of Chinese government policy documents, from the zhengce open-data API.",
                self.total
            ),
        );
        element(&mut xml, "updated", self.updated);
        link_element(
            &mut xml,
            "self",
            "application/atom+xml",
            &self.self_link,
            None,
        );
        link_element(
            &mut xml,
            "alternate",
            "application/json",
            &self.alternate,
            None,
        );
        if let Some(first) = &self.first {
            link_element(&mut xml, "first", "application/atom+xml", first, None);
        }
        if let Some(next) = &self.next {
            link_element(&mut xml, "next", "application/atom+xml", next, None);
        }
        xml.push_str(&format!(
            "<author><name>zhengce</name><uri>{}</uri></author>\n",
            escape(&format!("{base}/v1"))
        ));
        xml.push_str(&format!(
            "<generator uri=\"{}\" version=\"{}\">zhengce</generator>\n",
            escape(&format!("{base}/v1")),
            env!("CARGO_PKG_VERSION")
        ));
        element(
            &mut xml,
            "rights",
            "Source documents: Chinese government normative documents, not protected by \
             copyright (Copyright Law of the PRC, Article 5). Derived data: CC BY 4.0; \
             attribute it to the issuing bodies and to zhengce.",
        );
        for measure in measures {
            let document = documents.iter().find(|d| d.id == measure.document);
            self.entry(&mut xml, measure, document);
        }
        xml.push_str("</feed>\n");
        xml
    }

    fn entry(&self, xml: &mut String, measure: &MeasureRecord, document: Option<&FeedDocument>) {
        let base = self.base;
        let record = format!("{base}/v1/measures/{}", segment(&measure.id));
        let headline = match &measure.title {
            Some(title) if !title.is_empty() => title.clone(),
            _ => {
                let mut excerpt: String = measure.text.chars().take(TITLE_CHARS).collect();
                if measure.text.chars().count() > TITLE_CHARS {
                    excerpt.push('…');
                }
                excerpt
            }
        };
        let title = match document {
            Some(document) => format!("{} {headline} — {}", measure.label, document.title),
            None => format!("{} {headline}", measure.label),
        };
        let date = document
            .and_then(|d| d.date.as_deref())
            .filter(|date| super::params::is_iso_date(date))
            .map(|date| format!("{date}T00:00:00+08:00"));
        xml.push_str("<entry>\n");
        element(xml, "id", &record);
        element(xml, "title", &title);
        element(xml, "updated", date.as_deref().unwrap_or(self.updated));
        if let Some(date) = &date {
            element(xml, "published", date);
        }
        link_element(
            xml,
            "alternate",
            "text/html",
            &format!("{base}/measures/{}", segment(&measure.id)),
            None,
        );
        link_element(xml, "alternate", "application/json", &record, None);
        link_element(
            xml,
            "related",
            "application/json",
            &format!("{base}/v1/documents/{}", segment(&measure.document)),
            Some(document.map_or(measure.document.as_str(), |d| d.title.as_str())),
        );
        let leads: Vec<_> = measure
            .agencies
            .iter()
            .filter(|agency| agency.role == "lead")
            .collect();
        let (authors, contributors): (Vec<_>, Vec<_>) = if leads.is_empty() {
            (measure.agencies.iter().collect(), Vec::new())
        } else {
            measure
                .agencies
                .iter()
                .partition(|agency| agency.role == "lead")
        };
        let mut seen = BTreeSet::new();
        for (tag, agencies) in [("author", authors), ("contributor", contributors)] {
            for agency in agencies {
                if !seen.insert(agency.id.as_str()) {
                    continue;
                }
                xml.push_str(&format!(
                    "<{tag}><name>{}</name><uri>{}</uri></{tag}>\n",
                    escape(&agency.name),
                    escape(&format!("{base}/v1/agencies/{}", segment(&agency.id)))
                ));
            }
        }
        for theme in &measure.themes {
            xml.push_str(&format!(
                "<category term=\"{}\" scheme=\"{}\" label=\"{}\"/>\n",
                escape(&theme.id),
                escape(&format!("{base}/v1/themes")),
                escape(&theme.name)
            ));
        }
        let mut summary = Vec::new();
        if let Some(document) = document {
            summary.push(document.title.clone());
            if let Some(number) = &document.doc_number {
                summary.push(number.clone());
            }
            if let Some(issuer) = &document.issuer {
                summary.push(issuer.clone());
            }
        }
        if !measure.path.is_empty() {
            summary.push(measure.path.join(" › "));
        }
        if !summary.is_empty() {
            element(xml, "summary", &summary.join(" · "));
        }
        let mut content = format!("{} {}", measure.label, measure.text);
        if let Some(annotation) = &measure.annotation {
            content.push_str(&format!("\n\n{annotation}"));
        }
        if !measure.deadlines.is_empty() {
            let deadlines: Vec<String> = measure
                .deadlines
                .iter()
                .map(|deadline| match &deadline.date {
                    Some(date) => format!("{} ({date})", deadline.text),
                    None => deadline.text.clone(),
                })
                .collect();
            content.push_str(&format!("\n\nDeadlines: {}", deadlines.join("; ")));
        }
        element(xml, "content", &content);
        xml.push_str("</entry>\n");
    }
}

fn element(xml: &mut String, name: &str, text: &str) {
    let kind = if matches!(
        name,
        "title" | "subtitle" | "rights" | "summary" | "content"
    ) {
        " type=\"text\""
    } else {
        ""
    };
    xml.push_str(&format!("<{name}{kind}>{}</{name}>\n", escape(text)));
}

fn link_element(xml: &mut String, rel: &str, kind: &str, href: &str, title: Option<&str>) {
    xml.push_str(&format!(
        "<link rel=\"{rel}\" type=\"{kind}\" href=\"{}\"",
        escape(href)
    ));
    if let Some(title) = title {
        xml.push_str(&format!(" title=\"{}\"", escape(title)));
    }
    xml.push_str("/>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_cleaned() {
        assert_eq!(escape("a<b>&\"c\u{1}\u{FFFF}"), "a&lt;b&gt;&amp;&quot;c");
        assert_eq!(escape("互联网+\n"), "互联网+\n");
        assert_eq!(escape("l'essai"), "l&#39;essai");
    }

    #[test]
    fn ids_are_safe_path_segments() {
        assert_eq!(segment("doc--p1.s2.i3"), "doc--p1.s2.i3");
        assert_eq!(segment("a b/机"), "a%20b%2F%E6%9C%BA");
    }

    #[test]
    fn hosts_are_checked() {
        assert!(valid_host("127.0.0.1:8080"));
        assert!(valid_host("[::1]:80"));
        assert!(!valid_host("evil\"><x"));
        assert!(!valid_host(""));
    }

    #[test]
    fn the_feed_order_is_known() {
        let sort = feed_sort();
        assert_eq!(sort.len(), 3);
        assert!(sort[0].descending);
    }
}
