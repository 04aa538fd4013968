//! `--api ADDR`: the relays' control plane, compatible with toxiproxy 2.12's HTTP API so
//! its clients (Go, Ruby, Node, Python) drive netdemo unchanged: the same routes and
//! methods (PATCH, and the older POST, for updates), JSON shapes and status codes, errors
//! as `{"error": ..., "status": ...}`, and the same refusal of browsers (a page a user
//! visits must not reach a control plane on loopback). `/metrics` is served here too.
//!
//! Routes are matched here; what they do is `proxies.rs`'s.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use hyper::{Method, StatusCode};
use serde_json::{Value, json};

use super::proxies::{ApiError, Proxies, Relays};
use crate::counters::Counters;
use crate::net::http::{self, Request, Response, Server};
use crate::output::Printer;

/// The toxiproxy release whose API this one follows.
pub const TOXIPROXY_VERSION: &str = "2.12.0";

/// Serves the API for `proxies` on `addr`, and says where.
///
/// # Errors
/// The address cannot be bound.
pub async fn start<R: Relays>(
    addr: SocketAddr,
    proxies: Arc<Proxies<R>>,
    counters: Option<Arc<Counters>>,
    printer: &Arc<Printer>,
) -> io::Result<Server> {
    let metrics = counters.map(|counters| crate::metrics::counters_source(&counters, printer));
    let handler: http::Handler =
        Arc::new(move |request| answer(request, &proxies, metrics.as_deref()));
    let server = Server::start(addr, handler)
        .await
        .map_err(|err| io::Error::other(format!("--api: {err}")))?;
    printer.api_on(server.addr(), TOXIPROXY_VERSION);
    Ok(server)
}

/// What a route does, once matched.
enum Route<'a> {
    Version,
    Metrics,
    Proxies,
    Populate,
    Reset,
    Proxy(&'a str),
    Toxics(&'a str),
    Toxic(&'a str, &'a str),
}

impl<'a> Route<'a> {
    fn of(path: &'a str) -> Option<Route<'a>> {
        let parts: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
        let named = |name: &str| !name.is_empty();
        Some(match parts[..] {
            ["version"] => Route::Version,
            ["metrics"] => Route::Metrics,
            ["proxies"] => Route::Proxies,
            ["populate"] => Route::Populate,
            ["reset"] => Route::Reset,
            ["proxies", proxy] if named(proxy) => Route::Proxy(proxy),
            ["proxies", proxy, "toxics"] if named(proxy) => Route::Toxics(proxy),
            ["proxies", proxy, "toxics", toxic] if named(proxy) && named(toxic) => {
                Route::Toxic(proxy, toxic)
            }
            _ => return None,
        })
    }

    /// The methods the route takes.
    fn allows(&self, method: &Method) -> bool {
        let update = *method == Method::POST || *method == Method::PATCH;
        match self {
            Route::Version | Route::Metrics => *method == Method::GET,
            Route::Proxies | Route::Toxics(_) => *method == Method::GET || *method == Method::POST,
            Route::Populate | Route::Reset => *method == Method::POST,
            Route::Proxy(_) | Route::Toxic(..) => {
                *method == Method::GET || update || *method == Method::DELETE
            }
        }
    }
}

fn answer<R: Relays>(
    request: &Request,
    proxies: &Proxies<R>,
    metrics: Option<&dyn crate::metrics::Source>,
) -> Response {
    let Some(route) = Route::of(request.uri().path()) else {
        return http::response(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "404 page not found\n",
        );
    };
    if !route.allows(request.method()) {
        return http::response(StatusCode::METHOD_NOT_ALLOWED, "text/plain", "");
    }
    // As toxiproxy: a browser may be made to send requests to loopback by any page it
    // visits; no browser is a client of this API.
    let agent = request
        .headers()
        .get(hyper::header::USER_AGENT)
        .and_then(|agent| agent.to_str().ok())
        .unwrap_or("");
    if agent.starts_with("Mozilla/") {
        return http::response(
            StatusCode::FORBIDDEN,
            "text/plain; charset=utf-8",
            "User agent not allowed\n",
        );
    }
    let method = request.method();
    let get = *method == Method::GET;
    let delete = *method == Method::DELETE;
    let answered = match route {
        Route::Version => {
            return http::response(
                StatusCode::OK,
                "application/json;charset=utf-8",
                format!(
                    "{{\"version\": \"{TOXIPROXY_VERSION}\", \"netdemo\": \"{}\"}}\n",
                    env!("CARGO_PKG_VERSION")
                ),
            );
        }
        Route::Metrics => return crate::metrics::scrape(request, metrics),
        Route::Proxies if get => Ok((StatusCode::OK, proxies.list())),
        Route::Proxies => body(request)
            .and_then(|body| proxies.create(&body))
            .map(|made| (StatusCode::CREATED, made)),
        Route::Populate => return populate(request, proxies),
        Route::Reset => proxies
            .reset()
            .map(|()| (StatusCode::NO_CONTENT, Value::Null)),
        Route::Proxy(name) if get => proxies.get(name).map(|shown| (StatusCode::OK, shown)),
        Route::Proxy(name) if delete => proxies
            .delete(name)
            .map(|()| (StatusCode::NO_CONTENT, Value::Null)),
        Route::Proxy(name) => body(request)
            .and_then(|body| proxies.update(name, &body))
            .map(|shown| (StatusCode::OK, shown)),
        Route::Toxics(name) if get => proxies.toxics(name).map(|shown| (StatusCode::OK, shown)),
        // toxiproxy answers a new toxic with 200, not 201.
        Route::Toxics(name) => body(request)
            .and_then(|body| proxies.add_toxic(name, &body))
            .map(|made| (StatusCode::OK, made)),
        Route::Toxic(name, toxic) if get => proxies
            .toxic(name, toxic)
            .map(|shown| (StatusCode::OK, shown)),
        Route::Toxic(name, toxic) if delete => proxies
            .remove_toxic(name, toxic)
            .map(|()| (StatusCode::NO_CONTENT, Value::Null)),
        Route::Toxic(name, toxic) => body(request)
            .and_then(|body| proxies.update_toxic(name, toxic, &body))
            .map(|shown| (StatusCode::OK, shown)),
    };
    match answered {
        Ok((StatusCode::NO_CONTENT, _)) => http::response(StatusCode::NO_CONTENT, "text/plain", ""),
        Ok((status, value)) => json_response(status, &value),
        Err(err) => error(&err, None),
    }
}

/// `POST /populate`: the proxies made so far come back with a failure too.
fn populate<R: Relays>(request: &Request, proxies: &Proxies<R>) -> Response {
    let list = match body(request) {
        Ok(list) => list,
        Err(err) => return error(&err, Some(Value::Null)),
    };
    let (made, failed) = proxies.populate(&list);
    let made = if made.is_empty() {
        Value::Null
    } else {
        Value::Array(made)
    };
    match failed {
        None => json_response(StatusCode::CREATED, &json!({ "proxies": made })),
        Some(err) => error(&err, Some(made)),
    }
}

/// The request's body as JSON: its first value, as Go's decoder reads it.
fn body(request: &Request) -> Result<Value, ApiError> {
    let mut values = serde_json::Deserializer::from_slice(request.body()).into_iter::<Value>();
    match values.next() {
        Some(Ok(value)) => Ok(value),
        Some(Err(err)) if err.is_eof() => {
            Err(ApiError::new(400, "bad request body: unexpected EOF"))
        }
        Some(Err(err)) => Err(ApiError::new(400, format!("bad request body: {err}"))),
        None => Err(ApiError::new(400, "bad request body: EOF")),
    }
}

fn json_response(status: StatusCode, value: &Value) -> Response {
    http::response(status, "application/json", value.to_string())
}

/// `{"error": ..., "status": ...}` with the status, and with `/populate` the proxies it
/// made before the failure.
fn error(err: &ApiError, proxies: Option<Value>) -> Response {
    let status = StatusCode::from_u16(err.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut body = json!({"error": err.message, "status": err.status});
    if let Some(proxies) = proxies {
        body["proxies"] = proxies;
    }
    http::response(status, "application/json", format!("{body}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_toxiproxys() {
        assert!(matches!(Route::of("/proxies"), Some(Route::Proxies)));
        assert!(matches!(Route::of("/proxies/x"), Some(Route::Proxy("x"))));
        assert!(matches!(
            Route::of("/proxies/x/toxics/y"),
            Some(Route::Toxic("x", "y"))
        ));
        assert!(Route::of("/proxies/").is_none());
        assert!(Route::of("/proxies/x/toxics/y/z").is_none());
        assert!(Route::of("/nope").is_none());
        let toxic = Route::of("/proxies/x/toxics/y").unwrap();
        assert!(toxic.allows(&Method::PATCH) && toxic.allows(&Method::POST));
        assert!(!toxic.allows(&Method::PUT));
        assert!(!Route::Reset.allows(&Method::GET));
    }
}
