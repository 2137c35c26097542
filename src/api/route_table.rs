//! The route table: every path of the API with its handler, in one list. The same list
//! registers the routes of the `App` ([`register`]) and gives the OpenAPI document its
//! operations ([`DocumentedRoutes`]), so that no route is served without being documented
//! and none is documented without being served.
//!
//! A new route is one line of the table, in the order routes are matched: under
//! `documented`, its path and its handler, whose `#[utoipa::path]` names the same path (a
//! test checks that each does); under `undocumented`, a path the document leaves out on
//! purpose (`/v1/`, the index again with a trailing slash). The Swagger UI at `/docs` and
//! the explorer's pages are not part of the API: [`super::startup::routes`] registers them
//! after the table.

use actix_web::{guard, web, FromRequest, Handler, Resource, Responder};

use super::controllers::{
    agencies, atom, documents, downloads, goals, index, jurisdictions, measures, probes,
    references, search, themes,
};
use super::error;

/// Expands the table: `documented` and `undocumented` lists of `path => handler` lines
/// become [`register`], [`DocumentedRoutes`] and, for the tests, the path each documented
/// handler gives in its `#[utoipa::path]`.
macro_rules! route_table {
    (
        documented {
            $($path:literal => $($handler:ident)::+,)+
        }
        undocumented {
            $($undocumented_path:literal => $($undocumented_handler:ident)::+,)*
        }
    ) => {
        /// Registers every route of the table, documented ones first, each answering GET and
        /// HEAD with its handler and every other method with 405.
        pub fn register(config: &mut web::ServiceConfig) {
            $(config.service(read($path, $($handler)::+));)+
            $(config.service(read($undocumented_path, $($undocumented_handler)::+));)*
        }

        /// The documented routes of the table as OpenAPI paths, with the schemas their
        /// operations name; [`super::openapi::ApiDoc`] completes them into the document.
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($($handler)::+),+))]
        pub struct DocumentedRoutes;

        /// Each documented route: its path in the table and the paths its handler's
        /// `#[utoipa::path]` documents.
        #[cfg(test)]
        fn documented_paths() -> Vec<(&'static str, Vec<String>)> {
            vec![$(($path, {
                #[derive(utoipa::OpenApi)]
                #[openapi(paths($($handler)::+))]
                struct Operation;
                <Operation as utoipa::OpenApi>::openapi()
                    .paths
                    .paths
                    .into_keys()
                    .collect()
            }),)+]
        }

        /// The paths of the table that the document leaves out.
        #[cfg(test)]
        const UNDOCUMENTED_PATHS: &[&str] = &[$($undocumented_path),*];
    };
}

route_table! {
    documented {
        "/health" => probes::health,
        "/ready" => probes::ready,
        "/v1" => index::index,
        "/v1/openapi.json" => probes::openapi,
        "/v1/documents" => documents::list_documents,
        "/v1/documents/{id}" => documents::get_document,
        "/v1/documents/{id}/text" => documents::get_document_text,
        "/v1/documents/{id}/measures" => measures::list_document_measures,
        "/v1/measures" => measures::list_measures,
        "/v1/measures.atom" => atom::measures_atom,
        "/v1/measures/{id}" => measures::get_measure,
        "/v1/agencies" => agencies::list_agencies,
        "/v1/agencies/{id}" => agencies::get_agency,
        "/v1/agencies/{id}/measures" => measures::list_agency_measures,
        "/v1/goals" => goals::list_goals,
        "/v1/goals/{id}" => goals::get_goal,
        "/v1/references" => references::list_references,
        "/v1/references/cited/{id}" => references::get_cited_document,
        "/v1/references/{id}" => references::get_reference,
        "/v1/themes" => themes::list_themes,
        "/v1/themes/{id}" => themes::get_theme,
        "/v1/jurisdictions" => jurisdictions::list_jurisdictions,
        "/v1/jurisdictions/{id}" => jurisdictions::get_jurisdiction,
        "/v1/search" => search::search,
        "/v1/downloads" => downloads::list,
        "/v1/downloads/{name}" => downloads::file,
    }
    undocumented {
        "/v1/" => index::index,
    }
}

/// A resource answering GET and HEAD with `handler` and every other method with 405.
pub fn read<F, Args>(path: &str, handler: F) -> Resource
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    web::resource(path)
        .route(
            web::route()
                .guard(guard::Any(guard::Get()).or(guard::Head()))
                .to(handler),
        )
        .default_service(web::to(error::method_not_allowed))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn each_documented_route_is_served_at_the_path_its_handler_documents() {
        for (served, documented) in documented_paths() {
            assert_eq!(
                documented,
                vec![served.to_owned()],
                "the table serves {served} with a handler documented at {documented:?}"
            );
        }
    }

    #[test]
    fn no_path_is_in_the_table_twice() {
        let paths: Vec<&str> = documented_paths()
            .into_iter()
            .map(|(path, _)| path)
            .chain(UNDOCUMENTED_PATHS.iter().copied())
            .collect();
        let distinct: BTreeSet<&str> = paths.iter().copied().collect();
        assert_eq!(distinct.len(), paths.len(), "{paths:?}");
    }
}
