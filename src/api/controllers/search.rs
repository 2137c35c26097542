//! `GET /v1/search`: one ranked list of the measures, documents, goals and agencies matching a
//! query, with snippets and highlight offsets; and the `q` parameter every searchable list
//! shares.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::resource;
use super::{parse_list, ListErrors, PageParams};
use crate::api::error::ApiError;
use crate::api::feeds::escape_markup;
use crate::api::listing::{envelope, respond};
use crate::api::params::Params;
use crate::api::state::AppState;
use crate::api::views::ListEnvelope;
use crate::db::queries::search::{self, SearchFilter, SearchRecord, SPEC};
use crate::db::search::{snippet, SearchKind};

/// Parameters of `/v1/search`.
pub const FILTERS: [&str; 3] = ["q", "type", "highlight"];

/// Characters of text around the first match in a snippet.
pub const SNIPPET_CHARS: usize = 120;

/// Characters of text standing in for the title of a record without one.
const TITLE_CHARS: usize = 40;

/// Types of records search returns.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SearchType {
    /// A measure: its title and text.
    Measure,
    /// A document: its header (title, number, issuer), and its measures and goals: a
    /// document is a hit when one of them matches.
    Document,
    /// A goal: its metric and sentence.
    Goal,
    /// An agency: its canonical name, aliases and English name.
    Agency,
}

/// Facets of the search list.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SearchFacet {
    /// Hits per type of record.
    Type,
}

/// How to return highlights besides the offsets.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum HighlightMode {
    /// Add `snippet_html`: the snippet HTML-escaped, matches wrapped in `<mark>`.
    Html,
}

/// Parameters of `/v1/search`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchParams {
    /// What to search for (required, once). Plain words must all occur, in any order
    /// (`医疗 教育`); Chinese text is split into words, so `医疗服务` finds records with both
    /// 医疗 and 服务. `"quoted text"` must occur exactly as written, even across word
    /// boundaries (`"线上业"`). `A OR B` matches either; `-word` or `-"text"` excludes. Latin
    /// letters and digits ignore case and match whole words (`5G`, `APP`, `O2O`, `互联网+`).
    /// Every record containing a quoted term is found: the index holds character pairs
    /// besides words.
    /// Examples: `医疗`, `"线上业"`, `医疗 OR 教育 -金融`, `5G`. An empty query, one that only
    /// excludes, one without letters, digits or Chinese characters, or one over 1000
    /// characters is a 400 naming `q`.
    #[param(required = true, example = "医疗 OR 教育 -金融")]
    q: String,
    /// Only these types of records: `measure`, `document`, `goal`, `agency`; separate
    /// several with commas or repeat the parameter. Default: every type.
    #[param(rename = "type", value_type = Option<Vec<SearchType>>, example = json!(["measure", "goal"]))]
    kind: Option<Vec<String>>,
    /// `html` adds `snippet_html` to each hit: the snippet HTML-escaped, with every match
    /// wrapped in `<mark>`…`</mark>`.
    #[param(value_type = Option<HighlightMode>, example = "html")]
    highlight: Option<String>,
    /// `type` counts the hits per type of record (all pages), in the top-level `facets`
    /// object.
    #[param(value_type = Option<Vec<SearchFacet>>, example = json!(["type"]))]
    facet: Option<Vec<String>>,
    /// Order: `relevance` (the only one): matches in the title first, then by bm25 score,
    /// then by type and id.
    #[param(example = "relevance")]
    sort: Option<String>,
}

/// A highlighted stretch of text: character offsets `[start, end)`, counted in Unicode code
/// points (not bytes or UTF-16 units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct HighlightView {
    /// Offset of the first highlighted character.
    #[schema(example = 12)]
    pub start: usize,
    /// Offset one past the last highlighted character.
    #[schema(example = 14)]
    pub end: usize,
}

/// One search hit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHitView {
    /// Type of record: `measure`, `document`, `goal` or `agency`.
    #[serde(rename = "type")]
    #[schema(value_type = SearchType, example = "measure")]
    pub kind: String,
    /// The record's id.
    #[schema(example = "hongkou-2020-online-new-economy-opinions--p2.s2.i8")]
    pub id: String,
    /// The record's document (`null` for agencies).
    #[schema(example = "hongkou-2020-online-new-economy-opinions")]
    pub document: Option<String>,
    /// The record's title (a measure's title, a document's title, a goal's metric, an
    /// agency's canonical name); for a measure without a title, the start of its text.
    #[schema(example = "在线医疗")]
    pub title: String,
    /// About 120 characters of the record's text around the first match, with `…` where it
    /// was cut.
    pub snippet: String,
    /// With `highlight=html`: the snippet HTML-escaped, every match in `<mark>`…`</mark>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet_html: Option<String>,
    /// Matches in `snippet`.
    pub highlights: Vec<HighlightView>,
    /// Matches in `title`.
    pub title_highlights: Vec<HighlightView>,
    /// Matches in the record's whole text: a measure's `text`, a document's normalized text
    /// (`/v1/documents/{id}/text`), a goal's `sentence`, an agency's aliases and English
    /// name joined by line breaks.
    pub text_highlights: Vec<HighlightView>,
    /// The API URL of the record.
    #[schema(example = "/v1/measures/hongkou-2020-online-new-economy-opinions--p2.s2.i8")]
    pub url: String,
}

fn highlights(ranges: &[(usize, usize)]) -> Vec<HighlightView> {
    ranges
        .iter()
        .map(|&(start, end)| HighlightView { start, end })
        .collect()
}

/// The API URL of a record.
fn record_url(kind: SearchKind, id: &str) -> String {
    let list = match kind {
        SearchKind::Measure => "measures",
        SearchKind::Document => "documents",
        SearchKind::Goal => "goals",
        SearchKind::Agency => "agencies",
    };
    let id: String = form_urlencoded::byte_serialize(id.as_bytes()).collect();
    format!("/v1/{list}/{id}")
}

/// `text` HTML-escaped with the character ranges wrapped in `<mark>`.
pub fn mark_html(text: &str, ranges: &[(usize, usize)]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut html = String::with_capacity(text.len() + ranges.len() * 13);
    let mut at = 0;
    for &(start, end) in ranges {
        let (start, end) = (start.clamp(at, chars.len()), end.min(chars.len()));
        if end <= start {
            continue;
        }
        escape_markup(&chars[at..start].iter().collect::<String>(), &mut html);
        html.push_str("<mark>");
        escape_markup(&chars[start..end].iter().collect::<String>(), &mut html);
        html.push_str("</mark>");
        at = end;
    }
    escape_markup(&chars[at..].iter().collect::<String>(), &mut html);
    html
}

/// The view of a hit: snippet and highlights for the query's terms.
fn hit_view(record: SearchRecord, terms: &[String], html: bool) -> SearchHitView {
    let title = if record.title.trim().is_empty() {
        let mut start: String = record.text.chars().take(TITLE_CHARS).collect();
        if record.text.chars().nth(TITLE_CHARS).is_some() {
            start.push('…');
        }
        start
    } else {
        record.title
    };
    let cut = snippet(&record.text, terms, SNIPPET_CHARS);
    let title_ranges = crate::db::search::highlight_ranges(&title, terms);
    SearchHitView {
        kind: record.kind.as_str().to_owned(),
        url: record_url(record.kind, &record.id),
        id: record.id,
        document: record.document,
        title,
        snippet_html: html.then(|| mark_html(&cut.text, &cut.highlights)),
        highlights: highlights(&cut.highlights),
        title_highlights: highlights(&title_ranges),
        text_highlights: highlights(&cut.highlights_in_text),
        snippet: cut.text,
    }
}

fn read_filter(params: &mut Params) -> (SearchFilter, bool) {
    let q = resource::read_query(params, "q");
    let given = params.pairs().iter().any(|(name, _)| name == "q");
    if !given {
        params.reject(
            "q",
            "required: the text to search for, e.g. q=医疗 or q=\"线上业\"",
        );
    }
    let allowed: Vec<&str> = SearchKind::ALL.iter().map(|kind| kind.as_str()).collect();
    let mut kinds: Vec<SearchKind> = Vec::new();
    for value in params.values("type") {
        for name in value.split(',').map(str::trim) {
            match SearchKind::parse(name) {
                Some(kind) if !kinds.contains(&kind) => kinds.push(kind),
                Some(_) => {}
                None => {
                    params.reject(
                        "type",
                        format!("unknown type {name:?}; allowed: {}", allowed.join(", ")),
                    );
                    return (SearchFilter::default(), false);
                }
            }
        }
    }
    let html = match params.once("highlight").as_deref() {
        None => false,
        Some("html") => true,
        Some(other) => {
            params.reject(
                "highlight",
                format!("unknown value {other:?}; allowed: html"),
            );
            false
        }
    };
    (SearchFilter { q, kinds }, html)
}

/// Search measures, documents, goals and agencies.
///
/// One list of the measures, documents, goals and agencies whose text matches `q`, best
/// first: matches in the title before matches in the text, then by bm25 score. Each hit
/// carries a snippet and the character offsets of the matches, so a client can bold them
/// itself (or ask for `highlight=html`). `meta.total` is exact; page with `cursor`. The same
/// `q` filters `/v1/measures`, `/v1/documents`, `/v1/goals` and `/v1/agencies`, combined with
/// their other filters and facets.
#[utoipa::path(
    get,
    path = "/v1/search",
    operation_id = "search",
    tag = "search",
    params(SearchParams, PageParams),
    responses(
        (status = 200, description = "A page of hits, best first", body = ListEnvelope<SearchHitView>),
        ListErrors
    )
)]
pub async fn search(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (params, options, (filter, html)) = parse_list(&request, &FILTERS, &SPEC, read_filter)?;
    let terms = filter
        .q
        .as_ref()
        .map(|q| q.terms.clone())
        .unwrap_or_default();
    let list_request = options.request(filter);
    let page = state
        .run(move |conn| search::list(conn, &list_request))
        .await?;
    Ok(respond(&envelope(
        &request,
        &params,
        &options,
        page,
        |record| hit_view(record, &terms, html),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped_and_matches_marked() {
        assert_eq!(
            mark_html("a<b>&\"医疗\"'", &[(6, 8)]),
            "a&lt;b&gt;&amp;&quot;<mark>医疗</mark>&quot;&#39;"
        );
        assert_eq!(mark_html("医疗", &[(0, 9), (1, 2)]), "<mark>医疗</mark>");
        assert_eq!(mark_html("医\u{1}疗", &[]), "医疗");
    }

    #[test]
    fn hits_link_to_their_record() {
        assert_eq!(record_url(SearchKind::Goal, "a--b"), "/v1/goals/a--b");
    }

    #[test]
    fn records_without_a_title_show_the_start_of_their_text() {
        let record = SearchRecord {
            kind: SearchKind::Measure,
            id: "m".into(),
            document: Some("d".into()),
            title: String::new(),
            text: "发展在线医疗".repeat(10),
        };
        let view = hit_view(record, &["医疗".to_owned()], true);
        assert!(view.title.ends_with('…'));
        let chars: Vec<char> = view.title.chars().collect();
        let first = view.title_highlights[0];
        assert_eq!(
            chars[first.start..first.end].iter().collect::<String>(),
            "医疗"
        );
        assert!(view
            .snippet_html
            .is_some_and(|html| html.contains("<mark>医疗</mark>")));
    }
}
