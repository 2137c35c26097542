//! A list request and the page it is answered with: the options every list shares
//! ([`ListOptions`]: `limit`, `cursor`, `sort` and `facet`, and the format the answer is
//! delivered in, [`Delivery`]: `format`, `bom` or `Accept`), the cursors of keyset
//! pagination, and the list envelope built from a page.
//!
//! [`super::formats`] (JSON pages, CSV and NDJSON exports) and [`super::feeds`] (Atom)
//! answer a list from these options; this module depends on neither.
//!
//! A cursor is opaque to clients: the base64url encoding of a small JSON object holding the
//! sort order and the sort-key values and id of the last record of the page. The next page
//! starts strictly after that key, so pages never overlap or skip records even when the sort
//! key has ties.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::params::Params;
use super::views::{FacetValue, Links, ListEnvelope, Meta};
use crate::db::queries::{KeyValue, ListRequest, ListSpec, Page, SortKey, RELEVANCE};

/// Page size when the request gives none.
pub const DEFAULT_LIMIT: u32 = 50;
/// Largest page size.
pub const MAX_LIMIT: u32 = 500;
/// Parameters every list accepts.
pub const LIST_PARAMS: [&str; 4] = ["limit", "cursor", "sort", "facet"];
/// Query parameters every exportable list accepts besides its filters and paging.
pub const DELIVERY_PARAMS: [&str; 2] = ["format", "bom"];

/// The parsed `limit`, `cursor`, `sort` and `facet` parameters of a list request, and the
/// format it is answered in.
#[derive(Debug, Clone)]
pub struct ListOptions {
    /// Page size.
    pub limit: u32,
    /// Key to start after, from the cursor.
    pub after: Option<Vec<KeyValue>>,
    /// Sort order.
    pub sort: Vec<SortKey>,
    /// The sort order as text (`document,-ordinal`), stored in cursors.
    pub sort_text: String,
    /// Name of the resource listed, stored in cursors.
    pub list: &'static str,
    /// Facets to compute.
    pub facets: Vec<&'static str>,
    /// Format of the answer (`format`, `bom`, `Accept`), set by the list's handler.
    pub delivery: Delivery,
}

/// The format of a list answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A page of the list as JSON (the default).
    #[default]
    Json,
    /// The whole result as CSV.
    Csv,
    /// The whole result as newline-delimited JSON.
    Ndjson,
    /// A page of the list as an Atom feed (measure lists only).
    Atom,
}

impl Format {
    /// The name used in the `format` parameter.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Ndjson => "ndjson",
            Format::Atom => "atom",
        }
    }

    fn from_name(name: &str) -> Option<Format> {
        [Format::Json, Format::Csv, Format::Ndjson, Format::Atom]
            .into_iter()
            .find(|format| format.name() == name)
    }

    /// The media type an `Accept` header names it by.
    fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv",
            Format::Ndjson => "application/x-ndjson",
            Format::Atom => "application/atom+xml",
        }
    }
}

/// How a list is to be delivered: its format and, for CSV, whether to start with a BOM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    /// The format.
    pub format: Format,
    /// Whether a CSV answer starts with the UTF-8 byte-order mark.
    pub bom: bool,
}

impl Default for Delivery {
    fn default() -> Delivery {
        Delivery {
            format: Format::Json,
            bom: true,
        }
    }
}

impl Delivery {
    /// Reads `format` and `bom` (problems are recorded in `params`); without `format`, the
    /// `Accept` header decides. `feed` tells whether the list also comes as Atom.
    pub fn parse(params: &mut Params, request: &HttpRequest, feed: bool) -> Delivery {
        let bom = params.boolean("bom").unwrap_or(true);
        let allowed: &[Format] = if feed {
            &[Format::Json, Format::Csv, Format::Ndjson, Format::Atom]
        } else {
            &[Format::Json, Format::Csv, Format::Ndjson]
        };
        let format = match params.once("format") {
            None => negotiate(request, allowed),
            Some(name) => match Format::from_name(&name).filter(|f| allowed.contains(f)) {
                Some(format) => format,
                None => {
                    let names: Vec<&str> = allowed.iter().map(|f| f.name()).collect();
                    let mut reason =
                        format!("unknown value {name:?}; allowed: {}", names.join(", "));
                    if name == "atom" {
                        reason.push_str(" (Atom feeds are offered for measure lists)");
                    }
                    params.reject("format", reason);
                    Format::Json
                }
            },
        };
        Delivery { format, bom }
    }
}

/// The format the `Accept` header prefers among `allowed`; JSON when it names none of them.
/// A media range's quality applies to every type it covers; the most specific range decides.
pub fn negotiate(request: &HttpRequest, allowed: &[Format]) -> Format {
    let ranges: Vec<(String, f32)> = request
        .headers()
        .get_all(header::ACCEPT)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|range| {
            let mut parts = range.split(';');
            let media = parts.next()?.trim().to_ascii_lowercase();
            if media.is_empty() {
                return None;
            }
            let quality = parts
                .filter_map(|part| part.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            Some((media, quality))
        })
        .collect();
    if ranges.is_empty() {
        return Format::Json;
    }
    let quality = |format: Format| -> f32 {
        let media = format.media_type();
        let family = media.split('/').next().unwrap_or("");
        let find = |wanted: &str| ranges.iter().find(|(m, _)| m == wanted).map(|(_, q)| *q);
        find(media)
            .or_else(|| find(&format!("{family}/*")))
            .or_else(|| find("*/*"))
            .unwrap_or(0.0)
    };
    let mut best = (Format::Json, 0.0f32);
    for format in allowed {
        let q = quality(*format);
        if q > best.1 {
            best = (*format, q);
        }
    }
    best.0
}

#[derive(Serialize, Deserialize)]
struct CursorBody {
    /// The resource listed.
    l: String,
    /// Sort order the cursor was made for.
    s: String,
    /// Sort-key values of the last record, then its id.
    k: Vec<KeyValue>,
}

impl ListOptions {
    /// Reads the list parameters; problems are recorded in `params`.
    pub fn parse(params: &mut Params, spec: &'static ListSpec) -> ListOptions {
        ListOptions::parse_searchable(params, spec, false)
    }

    /// Reads the list parameters of a list that may be searched: when `searching` (the
    /// request has `q`) and the list offers the relevance order, that order is the default;
    /// without `q`, `sort=relevance` is refused. Problems are recorded in `params`.
    pub fn parse_searchable(
        params: &mut Params,
        spec: &'static ListSpec,
        searching: bool,
    ) -> ListOptions {
        let default = match spec.sort_field(RELEVANCE) {
            Some(field) if searching => vec![SortKey {
                field,
                descending: false,
            }],
            _ => spec.default_keys(),
        };
        let limit = match params.once("limit") {
            None => DEFAULT_LIMIT,
            Some(text) => match text.parse::<u32>() {
                Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => limit,
                _ => {
                    params.reject(
                        "limit",
                        format!("{text:?} is not a page size; use a whole number from 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})"),
                    );
                    DEFAULT_LIMIT
                }
            },
        };
        let (sort, sort_ok) = match params.once("sort") {
            None => (default, true),
            Some(text) => match parse_sort(&text, spec) {
                Ok(sort) if !searching && sort.iter().any(|key| key.field.name == RELEVANCE) => {
                    params.reject(
                        "sort",
                        "relevance orders records by how well they match the search query; give q=… too, or sort by another field",
                    );
                    (default, false)
                }
                Ok(sort) => (sort, true),
                Err(reason) => {
                    params.reject("sort", reason);
                    (default, false)
                }
            },
        };
        let sort_text = sort_text(&sort);
        let after = match params.once("cursor") {
            Some(text) if sort_ok => match decode_cursor(&text, spec.name, &sort_text, &sort) {
                Ok(key) => Some(key),
                Err(reason) => {
                    params.reject("cursor", reason);
                    None
                }
            },
            _ => None,
        };
        let mut facets: Vec<&'static str> = Vec::new();
        for name in params.values("facet") {
            match spec.facets.iter().find(|facet| facet.name == name) {
                Some(facet) if !facets.contains(&facet.name) => facets.push(facet.name),
                Some(_) => {}
                None => {
                    let reason = if spec.facets.is_empty() {
                        format!("unknown facet {name:?}; this list has no facets")
                    } else {
                        let names: Vec<&str> = spec.facets.iter().map(|f| f.name).collect();
                        format!("unknown facet {name:?}; allowed: {}", names.join(", "))
                    };
                    params.reject("facet", reason);
                }
            }
        }
        ListOptions {
            limit,
            after,
            sort,
            sort_text,
            list: spec.name,
            facets,
            delivery: Delivery::default(),
        }
    }

    /// The query-layer request for `filter` with these options.
    pub fn request<F>(&self, filter: F) -> ListRequest<F> {
        ListRequest {
            filter,
            sort: self.sort.clone(),
            limit: self.limit,
            after: self.after.clone(),
            facets: self.facets.clone(),
        }
    }
}

fn parse_sort(text: &str, spec: &'static ListSpec) -> Result<Vec<SortKey>, String> {
    let allowed = || {
        let names: Vec<&str> = spec.sort_fields.iter().map(|f| f.name).collect();
        format!(
            "allowed fields: {}; separate several with commas and prefix one with - to sort it in descending order",
            names.join(", ")
        )
    };
    let mut keys: Vec<SortKey> = Vec::new();
    for token in text.split(',') {
        let (descending, name) = match token.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, token),
        };
        let Some(field) = spec.sort_field(name) else {
            return Err(format!("unknown sort field {name:?}; {}", allowed()));
        };
        if keys.iter().any(|key| key.field.name == field.name) {
            return Err(format!("sort field {name:?} is given twice"));
        }
        keys.push(SortKey { field, descending });
    }
    Ok(keys)
}

fn sort_text(sort: &[SortKey]) -> String {
    sort.iter()
        .map(|key| {
            if key.descending {
                format!("-{}", key.field.name)
            } else {
                key.field.name.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Encodes the key of the last record of a page of `list` as an opaque cursor.
pub fn encode_cursor(list: &str, sort_text: &str, key: &[KeyValue]) -> String {
    let body = CursorBody {
        l: list.to_owned(),
        s: sort_text.to_owned(),
        k: key.to_vec(),
    };
    let json = serde_json::to_vec(&body).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

const BAD_CURSOR: &str =
    "not a cursor of this list; pass meta.next_cursor of the previous page unchanged, or leave cursor out to start at the first page";

fn decode_cursor(
    text: &str,
    list: &str,
    sort_text: &str,
    sort: &[SortKey],
) -> Result<Vec<KeyValue>, String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| BAD_CURSOR.to_owned())?;
    let body: CursorBody = serde_json::from_slice(&bytes).map_err(|_| BAD_CURSOR.to_owned())?;
    if body.l != list {
        return Err(format!(
            "this cursor belongs to the {} list, not to {list}; leave cursor out to start at the first page",
            body.l
        ));
    }
    if body.s != sort_text {
        return Err(format!(
            "this cursor belongs to a list sorted by {:?}, not {:?}; repeat the request with sort={} or leave cursor out",
            body.s, sort_text, body.s
        ));
    }
    if body.k.len() != sort.len() + 1 {
        return Err(BAD_CURSOR.to_owned());
    }
    let kinds_fit = sort
        .iter()
        .zip(&body.k)
        .all(|(key, value)| value.fits(key.field));
    let id_fits = matches!(body.k.last(), Some(KeyValue::Text(_)));
    if kinds_fit && id_fits {
        Ok(body.k)
    } else {
        Err(BAD_CURSOR.to_owned())
    }
}

/// Builds a link to `path` with the given query pairs, encoded as a form (so `+`, `&` and
/// non-ASCII text survive).
pub fn link<N: AsRef<str>, V: AsRef<str>>(path: &str, pairs: &[(N, V)]) -> String {
    if pairs.is_empty() {
        return path.to_owned();
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        query.append_pair(name.as_ref(), value.as_ref());
    }
    format!("{path}?{}", query.finish())
}

/// The list envelope of a page: data, meta (exact total, limit, next cursor), links (self,
/// next) and the requested facets.
pub fn envelope<T, V>(
    request: &HttpRequest,
    params: &Params,
    options: &ListOptions,
    page: Page<T>,
    view: impl FnMut(T) -> V,
) -> ListEnvelope<V> {
    let next_cursor = page
        .next
        .as_ref()
        .map(|key| encode_cursor(options.list, &options.sort_text, key));
    let path = request.path();
    let next = next_cursor.as_ref().map(|cursor| {
        let mut pairs: Vec<(String, String)> = params
            .pairs()
            .iter()
            .filter(|(name, _)| name != "cursor")
            .cloned()
            .collect();
        pairs.push(("cursor".to_owned(), cursor.clone()));
        link(path, &pairs)
    });
    let facets = if options.facets.is_empty() {
        None
    } else {
        Some(
            page.facets
                .into_iter()
                .map(|(name, counts)| {
                    let values = counts
                        .into_iter()
                        .map(|count| FacetValue {
                            value: count.value,
                            label: count.label,
                            count: count.count,
                        })
                        .collect();
                    (name.to_owned(), values)
                })
                .collect::<BTreeMap<_, _>>(),
        )
    };
    ListEnvelope {
        data: page.items.into_iter().map(view).collect(),
        meta: Meta {
            total: page.total,
            limit: options.limit,
            next_cursor,
        },
        links: Links {
            self_link: link(path, params.pairs()),
            next,
        },
        facets,
    }
}

/// Serializes a list envelope as the response.
pub fn respond<V: Serialize>(envelope: &ListEnvelope<V>) -> HttpResponse {
    HttpResponse::Ok().json(envelope)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::queries::measures;
    use actix_web::test::TestRequest;

    fn accepting(accept: &str) -> Format {
        let request = TestRequest::default()
            .insert_header((header::ACCEPT, accept))
            .to_http_request();
        negotiate(
            &request,
            &[Format::Json, Format::Csv, Format::Ndjson, Format::Atom],
        )
    }

    #[test]
    fn accept_headers_choose_the_format() {
        assert_eq!(accepting("text/csv"), Format::Csv);
        assert_eq!(accepting("application/x-ndjson"), Format::Ndjson);
        assert_eq!(accepting("application/atom+xml"), Format::Atom);
        assert_eq!(accepting("application/json, text/csv;q=0.5"), Format::Json);
        assert_eq!(accepting("application/json;q=0.2, text/csv"), Format::Csv);
        assert_eq!(
            accepting("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            Format::Json
        );
        assert_eq!(accepting("image/png"), Format::Json);
        assert_eq!(accepting("text/csv;q=0, */*"), Format::Json);
    }

    #[test]
    fn cursors_round_trip() {
        let sort = measures::SPEC.default_keys();
        let key = vec![
            KeyValue::Text("doc".into()),
            KeyValue::Int(4),
            KeyValue::Text("doc--p1.s1.i4".into()),
        ];
        let cursor = encode_cursor("measures", "document,ordinal", &key);
        assert_eq!(
            decode_cursor(&cursor, "measures", "document,ordinal", &sort),
            Ok(key.clone())
        );
        assert!(decode_cursor(&cursor, "goals", "document,ordinal", &sort).is_err());
    }

    #[test]
    fn cursors_of_other_orders_and_garbage_are_refused() {
        let sort = measures::SPEC.default_keys();
        let key = vec![KeyValue::Int(4), KeyValue::Text("x".into())];
        let cursor = encode_cursor("measures", "ordinal", &key);
        assert!(decode_cursor(&cursor, "measures", "document,ordinal", &sort).is_err());
        assert!(decode_cursor("!!!", "measures", "document,ordinal", &sort).is_err());
        assert!(decode_cursor("e30", "measures", "document,ordinal", &sort).is_err());
        let wrong_kinds = vec![
            KeyValue::Int(1),
            KeyValue::Text("4".into()),
            KeyValue::Text("x".into()),
        ];
        let cursor = encode_cursor("measures", "document,ordinal", &wrong_kinds);
        assert!(decode_cursor(&cursor, "measures", "document,ordinal", &sort).is_err());
    }

    #[test]
    fn links_keep_repeated_parameters() {
        let pairs = vec![
            ("role".to_owned(), "lead".to_owned()),
            ("role".to_owned(), "guide".to_owned()),
            ("q".to_owned(), "医 疗".to_owned()),
        ];
        assert_eq!(
            link("/v1/measures", &pairs),
            "/v1/measures?role=lead&role=guide&q=%E5%8C%BB+%E7%96%97"
        );
    }
}
