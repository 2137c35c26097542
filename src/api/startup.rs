//! Builds the application: routes, middleware and error handling. Both `zhengce serve` and
//! the tests start the server through [`spawn`], so they run the same `App`.

use std::net::TcpListener;
use std::sync::{Arc, LazyLock};

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{from_fn, ErrorHandlerResponse, ErrorHandlers, Logger};
use actix_web::web::Bytes;
use actix_web::{web, App, Error, HttpResponse, HttpServer};
use utoipa_swagger_ui::{Config, SwaggerUi};

use super::controllers::probes::OpenApiJson;
use super::delivery::ServerOptions;
use super::error::{self, ApiError, PROBLEM_JSON};
use super::middleware;
use super::openapi::openapi_json;
use super::reload::{self, Served};
use super::route_table::{self, read};
use crate::db::Pool;

pub use super::state::AppState;

/// The OpenAPI document, made once and served by every `App` at `/v1/openapi.json`.
static OPENAPI_JSON: LazyLock<web::Data<OpenApiJson>> =
    LazyLock::new(|| web::Data::new(OpenApiJson(Bytes::from(openapi_json()))));

/// Starts the server on an already bound listener (use port 0 in tests) and returns it
/// without waiting; await the returned [`Server`] to run until SIGTERM/SIGINT.
pub fn spawn(listener: TcpListener, pool: Pool) -> std::io::Result<Server> {
    spawn_with(listener, pool, ServerOptions::default())
}

/// [`spawn`] with options (caching, rate limits, export bound, proxy). The server answers
/// from `pool` for as long as it runs.
pub fn spawn_with(
    listener: TcpListener,
    pool: Pool,
    options: ServerOptions,
) -> std::io::Result<Server> {
    let served = Arc::new(Served::new(AppState::with_options(pool, options)));
    spawn_served(listener, served)
}

/// Starts the server answering from whichever database `served` holds when each request
/// arrives (a [`reload::Reloader`] replaces it).
pub fn spawn_served(listener: TcpListener, served: Arc<Served>) -> std::io::Result<Server> {
    // As many blocking threads in all as pooled connections: more would only wait for a
    // connection, each with its stack and its own allocator arena. Requests beyond them
    // queue without a thread. Every database the server opens gets a pool of this size.
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let connections = usize::try_from(served.current().pool.max_size()).unwrap_or(1);
    let blocking_threads = connections.div_ceil(workers).max(1);
    let served = web::Data::from(served);
    let server = HttpServer::new(move || app(served.clone()))
        .workers(workers)
        .worker_max_blocking_threads(blocking_threads)
        .listen(listener)?
        // A client has 5 s to send its request head and 5 s to go once the answer is sent:
        // slow clients do not hold workers.
        .client_request_timeout(std::time::Duration::from_secs(5))
        .client_disconnect_timeout(std::time::Duration::from_secs(5))
        .shutdown_timeout(10)
        .run();
    Ok(server)
}

/// The application: every route, the middleware, and problem documents for every error.
/// Each request is answered from the generation `served` holds when it arrives.
pub fn app(
    served: web::Data<Served>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(served)
        .app_data(OPENAPI_JSON.clone())
        .app_data(web::PathConfig::default().error_handler(|e, _| error::extractor_error(e)))
        .app_data(web::QueryConfig::default().error_handler(|e, _| error::extractor_error(e)))
        .app_data(web::JsonConfig::default().error_handler(|e, _| error::extractor_error(e)))
        .wrap(ErrorHandlers::new().default_handler(ensure_problem))
        .wrap(from_fn(middleware::head_as_get))
        .wrap(from_fn(middleware::conditional))
        .wrap(from_fn(middleware::rate_limit))
        .wrap(
            Cors::default()
                .allow_any_origin()
                .send_wildcard()
                .allowed_methods(["GET", "HEAD", "OPTIONS"])
                .allow_any_header()
                .expose_headers(middleware::EXPOSED_HEADERS)
                .max_age(86_400),
        )
        .wrap(from_fn(super::hygiene::check_request))
        .wrap(Logger::new(
            r#"%a "%r" %s %b %Dms "%{User-Agent}i" request_id=%{x-request-id}i"#,
        ))
        .wrap(from_fn(middleware::request_context))
        // Outermost, so that everything after it sees the same database.
        .wrap(from_fn(reload::pin))
        .configure(routes)
        .default_service(web::to(error::not_found))
}

/// Registers every route: the route table, then the Swagger UI at `/docs` and the
/// explorer, which are not part of the API and not in its document.
pub fn routes(config: &mut web::ServiceConfig) {
    config
        .configure(route_table::register)
        .service(read("/docs", docs_redirect))
        .service(SwaggerUi::new("/docs/{_:.*}").config(Config::new(["/v1/openapi.json"])))
        .service(web::resource("/docs/{_:.*}").default_service(web::to(error::method_not_allowed)))
        .configure(super::explorer::routes);
}

async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}

/// Turns every error response that is not yet a problem document (from actix itself or the
/// Swagger UI service) into one, so that clients see one error format everywhere.
fn ensure_problem<B: MessageBody + 'static>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let status = response.status();
    let error = ApiError::Status(status, status_detail(status, response.request().path()));
    let (request, _) = response.into_parts();
    let problem = actix_web::ResponseError::error_response(&error);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(request, problem).map_into_right_body(),
    ))
}

fn status_detail(status: actix_web::http::StatusCode, path: &str) -> String {
    match status.as_u16() {
        404 => format!("no resource at {path}; the index at /v1 lists every resource"),
        405 => "this API is read-only and answers GET and HEAD".to_owned(),
        code if code >= 500 => "the server failed to answer this request".to_owned(),
        _ => format!(
            "the request could not be served ({})",
            status.canonical_reason().unwrap_or("error")
        ),
    }
}
