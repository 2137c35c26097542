//! The one list handler and the one record handler every resource is served by.
//!
//! A resource's list is declared once, in the database layer ([`ListSpec`]: filters, sort
//! fields, facets). From that declaration this module reads the query string (each filter
//! parsed by the values it takes, every problem reported together), answers the list in its
//! format, and writes the list's OpenAPI parameters ([`ListParams`]) and facet schemas
//! ([`FacetSchemas`]). A resource adds only what is really its own: the record it returns and
//! the view it is served as ([`Listing`], [`Lookup`]), declared with `resource!` and
//! `scoped_list!`.

use std::marker::PhantomData;

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::SqliteConnection;
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaFormat, SchemaType};
use utoipa::openapi::{KnownFormat, RefOr, Type};
use utoipa::IntoParams;

use super::{no_params, parse_list};
use crate::api::error::ApiError;
use crate::api::feeds;
use crate::api::formats;
use crate::api::listing::{Format, ListOptions};
use crate::api::openapi_delivery::query_parameter;
use crate::api::params::Params;
use crate::api::state::AppState;
use crate::api::tabular::Tabular;
use crate::api::views::Item;
use crate::db::queries::{
    Example, FilterValue, Filters, ListRequest, ListSpec, Page, QueryResult, Scope, Takes,
    RELEVANCE,
};
use crate::db::search::{compile, parse_query, CompiledQuery};

/// What every `q` parameter says of the query language, after what it searches.
pub const SEARCH_SYNTAX: &str = "Plain words must all occur, in any order (`医疗 教育`); \
    Chinese text is split into words. `\"quoted text\"` must occur exactly, even across word \
    boundaries (`\"线上业\"`). `A OR B` matches either; `-word` excludes. Latin letters and \
    digits ignore case and match whole words (`5G`, `APP`). Examples: `医疗`, `\"线上业\"`, \
    `医疗 OR 教育 -金融`, `5G`. Give it once. With `q` the default order is `relevance` (title \
    matches first, then bm25). A query that is empty, only excludes, has no letters, digits or \
    Chinese characters, or is over 1000 characters is a 400 naming `q`.";

const REPEATED_Q: &str = "give q once; combine words inside one query instead: \
    `医疗 教育` (both), `医疗 OR 教育` (either), `医疗 -金融` (the first without the second)";

/// A list the generic handler serves: its declaration and the view its records are served
/// as.
pub trait Listing: 'static {
    /// The list's declaration.
    const SPEC: &'static ListSpec;
    /// The filter the path of a sub-resource list sets (`document` for
    /// `/v1/documents/{id}/measures`); such a list does not take it as a parameter.
    const SCOPE: Option<&'static str> = None;
    /// How a record is served, in JSON and CSV.
    type View: Serialize + Tabular + Send + 'static;

    /// Reads one page of records, as they are served.
    fn list(
        conn: &mut SqliteConnection,
        scope: Option<&Scope>,
        request: &ListRequest<Filters>,
    ) -> QueryResult<Page<Self::View>>;
}

/// A record the generic record handler serves by id.
pub trait Lookup: 'static {
    /// How it is served.
    type View: Serialize + Send + 'static;
    /// Whether the lookup is one statement by primary key, cheap enough to run on the
    /// calling thread (see [`AppState::lookup`]).
    const POINT: bool = false;

    /// Reads the record, as it is served.
    fn get(conn: &mut SqliteConnection, id: &str) -> QueryResult<Self::View>;
}

/// Declares a resource the generic handlers serve, and its documented handlers:
///
/// ```text
/// resource! {
///     /// What the resource type is.
///     Goals in "goals";
///     /// Summary and description of the list operation.
///     list goals => GoalView at "/v1/goals" as list_goals;
///     /// Summary and description of the record operation.
///     get [point] goals::get => GoalView at "/v1/goals/{id}" as get_goal, "The goal",
///         id "Goal id" "chongqing-2015-internet-plus-plan--g1";
/// }
/// ```
///
/// `Goals` is declared, tagged `goals` in the OpenAPI document; its list is module `goals`
/// of the database layer (its `SPEC` and `list`), each record served as a `GoalView`; one
/// record is read by `goals::get` (`[point]`: one statement by primary key). Each handler is
/// named by its operation id (`list_goals`); a list's answer is described as "A page of
/// goals", a record's by the string after its name, and `id` describes the path's id with an
/// example. Either operation may be left out.
macro_rules! resource {
    (
        $(#[doc = $doc:tt])* $resource:ident in $tag:tt;
        $(#[doc = $list_doc:tt])*
        list $module:ident => $list_view:ident at $list_path:tt as $list:ident;
        $(#[doc = $get_doc:tt])*
        get $([$point:ident])? $get:path => $get_view:ident at $get_path:tt as $get_op:ident,
            $answer:tt, id $id_description:tt $example:tt;
    ) => {
        $crate::api::controllers::resource::resource! {
            $(#[doc = $doc])* $resource in $tag;
            $(#[doc = $list_doc])* list $module => $list_view at $list_path as $list;
        }
        $crate::api::controllers::resource::resource!(
            @get $(#[doc = $get_doc])* $resource in $tag, $([$point])? $get => $get_view
            at $get_path as $get_op, $answer, id $id_description $example
        );
    };
    (
        $(#[doc = $doc:tt])* $resource:ident in $tag:tt;
        $(#[doc = $list_doc:tt])*
        list $module:ident => $view:ident at $path:tt as $handler:ident;
    ) => {
        $(#[doc = $doc])*
        pub struct $resource;

        impl $crate::api::controllers::resource::Listing for $resource {
            const SPEC: &'static $crate::db::queries::ListSpec = &$module::SPEC;
            type View = $view;

            fn list(
                conn: &mut diesel::SqliteConnection,
                scope: Option<&$crate::db::queries::Scope>,
                request: &$crate::db::queries::ListRequest<$crate::db::queries::Filters>,
            ) -> $crate::db::queries::QueryResult<$crate::db::queries::Page<$view>> {
                $module::list(conn, scope, request).map(|page| page.map(<$view>::from))
            }
        }

        $crate::api::controllers::resource::resource!(
            @list $(#[doc = $list_doc])* $resource, in $tag => $view at $path as $handler,
            concat!("A page of ", stringify!($module)), ListErrors
        );
    };
    (
        $(#[doc = $doc:tt])* $resource:ident in $tag:tt;
        $(#[doc = $get_doc:tt])*
        get $([$point:ident])? $get:path => $view:ident at $path:tt as $handler:ident,
            $answer:tt, id $id_description:tt $example:tt;
    ) => {
        $(#[doc = $doc])*
        pub struct $resource;

        $crate::api::controllers::resource::resource!(
            @get $(#[doc = $get_doc])* $resource in $tag, $([$point])? $get => $view
            at $path as $handler, $answer, id $id_description $example
        );
    };
    (
        @get $(#[doc = $doc:tt])* $resource:ident in $tag:tt, $([$point:ident])? $get:path
        => $view:ident at $path:tt as $handler:ident, $answer:tt,
        id $id_description:tt $example:tt
    ) => {
        impl $crate::api::controllers::resource::Lookup for $resource {
            type View = $view;
            const POINT: bool = $crate::api::controllers::resource::resource!(@point $($point)?);

            fn get(
                conn: &mut diesel::SqliteConnection,
                id: &str,
            ) -> $crate::db::queries::QueryResult<$view> {
                $get(conn, id).map(<$view>::from)
            }
        }

        $(#[doc = $doc])*
        #[utoipa::path(
            get,
            path = $path,
            tag = $tag,
            params(("id" = String, Path, description = $id_description, example = $example)),
            responses(
                (status = 200, description = $answer, body = $crate::api::views::Item<$view>),
                $crate::api::controllers::ItemErrors
            )
        )]
        pub async fn $handler(
            request: actix_web::HttpRequest,
            state: actix_web::web::Data<$crate::api::state::AppState>,
        ) -> Result<actix_web::HttpResponse, $crate::api::error::ApiError> {
            $crate::api::controllers::resource::get::<$resource>(&request, &state).await
        }
    };
    (
        @list $(#[doc = $doc:tt])* $listing:ty, in $tag:tt => $view:ident
        at $path:tt as $handler:ident, $page:expr, $errors:ident
        $(, id $id_description:tt $example:tt)?
    ) => {
        $(#[doc = $doc])*
        #[utoipa::path(
            get,
            path = $path,
            tag = $tag,
            params(
                $(("id" = String, Path, description = $id_description, example = $example),)?
                $crate::api::controllers::resource::ListParams<$listing>,
                $crate::api::controllers::PageParams
            ),
            responses(
                (status = 200, description = $page, body = $crate::api::views::ListEnvelope<$view>),
                $crate::api::controllers::$errors
            )
        )]
        pub async fn $handler(
            request: actix_web::HttpRequest,
            state: actix_web::web::Data<$crate::api::state::AppState>,
        ) -> Result<actix_web::HttpResponse, $crate::api::error::ApiError> {
            $crate::api::controllers::resource::list::<$listing>(&request, &state).await
        }
    };
    (@point point) => {
        true
    };
    (@point) => {
        false
    };
}

/// Declares a list within the record its path names, and its documented handler:
///
/// ```text
/// scoped_list! {
///     /// Summary and description of the operation.
///     Measures within DocumentInPath => MeasureView in "documents"
///     at "/v1/documents/{id}/measures" as list_document_measures,
///     "A page of the document's measures", id "Document id" "hongkou-2020-…";
/// }
/// ```
///
/// serves list `Measures` with the filter `DocumentInPath` (a [`PathFilter`]) set by the
/// path's id, and answers 404 when no record has that id.
macro_rules! scoped_list {
    (
        $(#[doc = $doc:tt])*
        $listing:ident within $filter:ident => $view:ident in $tag:tt
        at $path:tt as $handler:ident, $page:tt, id $id_description:tt $example:tt;
    ) => {
        $crate::api::controllers::resource::resource!(
            @list $(#[doc = $doc])*
            $crate::api::controllers::resource::Within<$listing, $filter>, in $tag => $view
            at $path as $handler, $page, ItemErrors, id $id_description $example
        );
    };
}

pub(crate) use {resource, scoped_list};

/// A filter the path of a sub-resource list sets.
pub trait PathFilter: 'static {
    /// The filter's name.
    const NAME: &'static str;
}

/// List `L` within the record its path names: `F` is set by the path and is not a query
/// parameter.
pub struct Within<L, F>(PhantomData<(L, F)>);

impl<L: Listing, F: PathFilter> Listing for Within<L, F> {
    const SPEC: &'static ListSpec = L::SPEC;
    const SCOPE: Option<&'static str> = Some(F::NAME);
    type View = L::View;

    fn list(
        conn: &mut SqliteConnection,
        scope: Option<&Scope>,
        request: &ListRequest<Filters>,
    ) -> QueryResult<Page<Self::View>> {
        L::list(conn, scope, request)
    }
}

/// The `{id}` segment of a request's path: the record a record lookup or a sub-resource list
/// names.
fn path_id(request: &HttpRequest) -> String {
    request.match_info().query("id").to_owned()
}

/// Answers a list request for `L`; a sub-resource list lies within the record its path's
/// `{id}` names.
pub async fn list<L: Listing>(
    request: &HttpRequest,
    state: &web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (params, options, filters) = parse::<L>(request)?;
    let scope = L::SCOPE.map(|filter| Scope {
        filter,
        id: path_id(request),
    });
    if options.delivery.format == Format::Atom {
        return feeds::measures(request, state, &params, options, scope, filters).await;
    }
    let query = move |conn: &mut SqliteConnection, list: &ListRequest<Filters>| {
        L::list(conn, scope.as_ref(), list)
    };
    formats::answer(request, state, &params, options, filters, query).await
}

/// Parses the query string of a list request for `L`: its filters, paging, order, facets
/// and format, with every problem found.
pub fn parse<L: Listing>(
    request: &HttpRequest,
) -> Result<(Params, ListOptions, Filters), ApiError> {
    let names: Vec<&str> = L::SPEC
        .filters
        .iter()
        .map(|field| field.name)
        .filter(|name| Some(*name) != L::SCOPE)
        .collect();
    parse_list(request, &names, L::SPEC, |params| {
        read_filters(params, L::SPEC, L::SCOPE)
    })
}

/// Answers the request for one record of `L` by the `{id}` of its path.
pub async fn get<L: Lookup>(
    request: &HttpRequest,
    state: &web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    no_params(request)?;
    let id = path_id(request);
    let query = move |conn: &mut SqliteConnection| L::get(conn, &id);
    let record = if L::POINT {
        state.lookup(query).await?
    } else {
        state.run(query).await?
    };
    Ok(HttpResponse::Ok().json(Item::new(record)))
}

/// Reads the filters of `spec` (but the one a scope sets) from the query string, each by the
/// values it takes; problems are recorded in `params`.
pub fn read_filters(
    params: &mut Params,
    spec: &'static ListSpec,
    scope: Option<&'static str>,
) -> Filters {
    let mut filters = Filters::none();
    for field in spec.filters {
        let name = field.name;
        if Some(name) == scope {
            continue;
        }
        let texts =
            |values: Vec<String>| (!values.is_empty()).then_some(FilterValue::Texts(values));
        let value = match field.takes {
            Takes::Texts => texts(params.values(name)),
            Takes::OneOf(allowed) => texts(params.choices(name, allowed)),
            Takes::DivisionCodes => texts(read_codes(params, name)),
            Takes::Years => {
                let years = params.years(name);
                (!years.is_empty()).then_some(FilterValue::Years(years))
            }
            Takes::Year => params.year(name).map(FilterValue::Year),
            Takes::Date => params.date(name).map(FilterValue::Text),
            Takes::Boolean => params.boolean(name).map(FilterValue::Boolean),
            Takes::Query => read_query(params, name).map(FilterValue::Query),
        };
        if let Some(value) = value {
            filters.set(name, value);
        }
    }
    filters
}

/// Reads a search query, given at most once: parsed and compiled, or a problem naming the
/// parameter with the reason (empty, only exclusions, too long, nothing searchable,
/// repeated).
pub fn read_query(params: &mut Params, name: &str) -> Option<CompiledQuery> {
    let values: Vec<String> = params
        .pairs()
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
        .collect();
    match values.as_slice() {
        [] => None,
        [value] => match parse_query(value) {
            Ok(expr) => Some(compile(&expr)),
            Err(error) => {
                params.reject(name, error.to_string());
                None
            }
        },
        _ => {
            params.reject(name, REPEATED_Q);
            None
        }
    }
}

/// The values of a GB/T 2260 code filter: each six ASCII digits.
fn read_codes(params: &mut Params, name: &str) -> Vec<String> {
    let codes = params.values(name);
    match codes.iter().find(|code| !is_division_code(code)) {
        Some(bad) => {
            let reason = format!("{bad:?} is not a GB/T 2260 code; write six digits, e.g. 310000");
            params.reject(name, reason);
            Vec::new()
        }
        None => codes,
    }
}

/// Whether `value` has the form of a GB/T 2260 code: six ASCII digits.
fn is_division_code(value: &str) -> bool {
    value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------------
// OpenAPI
// ---------------------------------------------------------------------------------------------

/// The query parameters of list `L` as OpenAPI parameters: its filters, `sort` and `facet`,
/// all from its declaration.
pub struct ListParams<L>(PhantomData<L>);

impl<L: Listing> IntoParams for ListParams<L> {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let spec = L::SPEC;
        let mut parameters: Vec<Parameter> = spec
            .filters
            .iter()
            .filter(|field| Some(field.name) != L::SCOPE)
            .map(|field| {
                let description = match field.takes {
                    Takes::Query => format!("{} {SEARCH_SYNTAX}", field.description),
                    _ => field.description.to_owned(),
                };
                query_parameter(field.name, description, filter_schema(field.takes))
                    .example(example(field.example))
                    .build()
            })
            .collect();
        let (sort_example, facet_example) = spec.examples;
        parameters.push(
            query_parameter("sort", sort_description(spec), string_schema())
                .example(Some(json!(sort_example)))
                .build(),
        );
        let facet = if spec.facets.is_empty() {
            query_parameter(
                "facet",
                format!(
                    "{} have no facets; the parameter is accepted for uniformity and any value \
                     is refused.",
                    capitalized(spec.name)
                ),
                array_of(string_schema()),
            )
        } else {
            query_parameter(
                "facet",
                format!(
                    "Count the matching {} per value of these fields; the counts appear in the \
                     top-level `facets` object.",
                    spec.name
                ),
                array_of(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                    facet_schema_name(spec),
                ))),
            )
            .example(Some(json!([facet_example])))
        };
        parameters.push(facet.build());
        parameters
    }
}

fn string_schema() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .into()
}

fn integer_schema() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::Integer))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
        .into()
}

fn array_of(items: RefOr<Schema>) -> RefOr<Schema> {
    ArrayBuilder::new().items(items).into()
}

/// The schema of the values a filter takes.
fn filter_schema(takes: Takes) -> RefOr<Schema> {
    match takes {
        Takes::Texts => array_of(string_schema()),
        Takes::OneOf(values) => array_of(
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .enum_values(Some(values.iter().copied()))
                .into(),
        ),
        Takes::DivisionCodes => array_of(
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .pattern(Some("^[0-9]{6}$"))
                .into(),
        ),
        Takes::Years => array_of(integer_schema()),
        Takes::Year => integer_schema(),
        Takes::Date => ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .into(),
        Takes::Boolean => ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Boolean))
            .into(),
        Takes::Query => string_schema(),
    }
}

fn example(example: Example) -> Option<Value> {
    match example {
        Example::None => None,
        Example::Texts(values) => Some(json!(values)),
        Example::Numbers(values) => Some(json!(values)),
        Example::Number(value) => Some(json!(value)),
        Example::Text(value) => Some(json!(value)),
        Example::Boolean(value) => Some(json!(value)),
    }
}

/// The `sort` parameter's description: every field with what it sorts by, and the default.
fn sort_description(spec: &ListSpec) -> String {
    let fields: Vec<String> = spec
        .sort_fields
        .iter()
        .map(|field| {
            if field.name == RELEVANCE {
                "`relevance`: relevance to `q` (only with `q`)".to_owned()
            } else {
                format!("`{}`: {}", field.name, field.description)
            }
        })
        .collect();
    let searchable = spec.sort_fields.iter().any(|field| field.name == RELEVANCE);
    let nullable = spec.sort_fields.iter().any(|field| field.nullable);
    format!(
        "Sort order: one or more fields separated by commas, each prefixed with `-` for \
         descending order. The fields: {}.{} Default: `{}`{}.",
        fields.join("; "),
        if nullable {
            " Records without a value sort last."
        } else {
            ""
        },
        spec.default_sort.join(","),
        if searchable {
            ", or `relevance` when `q` is given"
        } else {
            ""
        },
    )
}

/// The name of a list's facet schema: `GoalFacet` for goals.
fn facet_schema_name(spec: &ListSpec) -> String {
    format!("{}Facet", capitalized(spec.record))
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Adds the facet schema of every list (`GoalFacet`: the facet names with what each
/// counts) to the OpenAPI components.
pub struct FacetSchemas(pub &'static [&'static ListSpec]);

impl utoipa::Modify for FacetSchemas {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for spec in self.0.iter().filter(|spec| !spec.facets.is_empty()) {
            let counts: Vec<String> = spec
                .facets
                .iter()
                .map(|facet| format!("`{}`: {}", facet.name, facet.description))
                .collect();
            let schema = ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .description(Some(format!(
                    "Facets of {} lists. {}.",
                    spec.record,
                    counts.join("; ")
                )))
                .enum_values(Some(spec.facets.iter().map(|facet| facet.name)))
                .into();
            components.schemas.insert(facet_schema_name(spec), schema);
        }
    }
}
