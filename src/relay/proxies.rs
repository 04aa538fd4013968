//! The relays one command hosts, by name, as toxiproxy's proxies: made at start (`--to`,
//! named `default`) or through the API, each with its listener, its upstream, whether it
//! is enabled, and its toxics. The transport (TCP or UDP) is the command's; it binds and
//! runs each relay ([`Relays`]), this file keeps the book and says every change.
//!
//! Every change goes through one lock, so two API calls never interleave; the lock is
//! never held across an await (binding is the std call, done at once).

use std::collections::BTreeMap;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{Value, json};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::link::Watch;
use super::toxics::{Stream, Toxic, ToxicError, Toxics, Transport};
use crate::output::Printer;

/// The name of the relay a command starts with `--to`.
pub const DEFAULT_PROXY: &str = "default";
/// Proxies one command hosts at most: each holds a listener and its connections, and a
/// client in a loop must not use up the process's descriptors.
const MAX_PROXIES: usize = 1000;
/// Toxics one proxy has at most: each connection works through all of them per change.
const MAX_TOXICS: usize = 100;

/// A transport's relays: bind a listen address, and run a relay on what was bound.
pub trait Relays: Send + Sync + 'static {
    type Listener: Send + 'static;

    fn transport(&self) -> Transport;

    /// Binds `addr` now.
    ///
    /// # Errors
    /// In use, or not this machine's.
    fn bind(&self, addr: SocketAddr) -> io::Result<Self::Listener>;

    fn local_addr(&self, listener: &Self::Listener) -> io::Result<SocketAddr>;

    /// A second handle on a listening socket, to close it at once when the proxy stops
    /// (the relay's own handle is dropped only when its task next runs): none where
    /// there is nothing to refuse (UDP).
    fn closer(&self, listener: &Self::Listener) -> Option<socket2::Socket>;

    /// Relays clients of `listener` to `run.upstream` until `run.stop` is cancelled, which
    /// also ends its connections at once.
    fn run(&self, listener: Self::Listener, run: Run);
}

/// What a running relay needs to know of its proxy.
pub struct Run {
    pub name: String,
    pub upstream: String,
    pub toxics: Watch,
    /// The toxics can change while it runs.
    pub live: bool,
    /// Stops accepting and ends the relay's connections (disabled, deleted, restarted).
    pub stop: CancellationToken,
}

/// An API failure: the status toxiproxy answers with, and its message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub status: u16,
    pub message: String,
}

impl ApiError {
    pub fn new(status: u16, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }
}

impl From<ToxicError> for ApiError {
    fn from(err: ToxicError) -> ApiError {
        let status = match err {
            ToxicError::Exists => 409,
            ToxicError::NotFound => 404,
            _ => 400,
        };
        ApiError::new(status, err.to_string())
    }
}

/// One proxy.
struct Proxy {
    /// The listen address as asked, and as bound once it was.
    listen: String,
    upstream: String,
    enabled: bool,
    toxics: watch::Sender<Arc<Toxics>>,
    /// Present while it runs.
    running: Option<Running>,
    /// It reads requests in a framing (the relay of `--to` with `--framing`), so toxics
    /// that fail or hold requests apply to it.
    framed: bool,
}

impl Proxy {
    fn to_json(&self, name: &str) -> Value {
        json!({
            "name": name,
            "listen": self.listen,
            "upstream": self.upstream,
            "enabled": self.enabled,
            "toxics": self.toxics.borrow().to_json(),
        })
    }

    fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop.cancel();
            // Refused from now on, as toxiproxy's closed listener refuses: a client that
            // connects right after the API answered must not reach a stopping relay.
            if let Some(closer) = running.closer {
                let _ = closer.shutdown(std::net::Shutdown::Both);
            }
        }
    }
}

/// A running relay: what stops it.
struct Running {
    /// Cancelled to stop it, ending its connections.
    stop: CancellationToken,
    closer: Option<socket2::Socket>,
}

/// A command's proxies.
pub struct Proxies<R: Relays> {
    relays: R,
    printer: Arc<Printer>,
    /// Whether proxies can change (the API runs, or a schedule).
    live: bool,
    proxies: Mutex<BTreeMap<String, Proxy>>,
}

/// A proxy as a create or populate body gives it.
struct Spec {
    name: String,
    listen: String,
    upstream: String,
    enabled: bool,
}

impl Spec {
    fn from_json(body: &Value) -> Result<Spec, ApiError> {
        let bad = |message: String| ApiError::new(400, message);
        let object = body
            .as_object()
            .ok_or_else(|| bad("bad request body: a proxy is a JSON object".to_owned()))?;
        let text = |field: &str| -> Result<String, ApiError> {
            match object.get(field) {
                None | Some(Value::Null) => Ok(String::new()),
                Some(Value::String(text)) => Ok(text.clone()),
                Some(other) => Err(bad(format!(
                    "bad request body: {field} must be a string, not {other}"
                ))),
            }
        };
        let enabled = match object.get("enabled") {
            None | Some(Value::Null) => true,
            Some(Value::Bool(enabled)) => *enabled,
            Some(other) => {
                return Err(bad(format!(
                    "bad request body: enabled must be true or false, not {other}"
                )));
            }
        };
        let spec = Spec {
            name: text("name")?,
            listen: text("listen")?,
            upstream: text("upstream")?,
            enabled,
        };
        if spec.name.is_empty() {
            return Err(bad("missing required field: name".to_owned()));
        }
        if spec.upstream.is_empty() {
            return Err(bad("missing required field: upstream".to_owned()));
        }
        Ok(spec)
    }
}

/// `HOST:PORT` (or `:PORT`, every interface, as Go's `net.Listen` takes it) as an address.
fn listen_addr(listen: &str) -> Result<SocketAddr, ApiError> {
    let listen = if listen.is_empty() {
        "127.0.0.1:0"
    } else {
        listen
    };
    let full = match listen.strip_prefix(':') {
        Some(port) => format!("0.0.0.0:{port}"),
        None => listen.to_owned(),
    };
    full.to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .ok_or_else(|| {
            ApiError::new(
                400,
                format!("listen address {listen} is not HOST:PORT on this machine"),
            )
        })
}

impl<R: Relays> Proxies<R> {
    pub fn new(relays: R, printer: Arc<Printer>, live: bool) -> Arc<Proxies<R>> {
        Arc::new(Proxies {
            relays,
            printer,
            live,
            proxies: Mutex::new(BTreeMap::new()),
        })
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, Proxy>> {
        self.proxies
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds the relay started with the command (`--to`), on a listener already bound.
    pub fn add_bound(
        &self,
        name: &str,
        listener: R::Listener,
        upstream: String,
        toxics: Toxics,
        framed: bool,
    ) -> Watch {
        let (sender, receiver) = watch::channel(Arc::new(toxics));
        let listen = self
            .relays
            .local_addr(&listener)
            .map_or_else(|_| String::new(), |addr| addr.to_string());
        let running = self.launch(name, listener, upstream.clone(), receiver.clone());
        self.lock().insert(
            name.to_owned(),
            Proxy {
                listen,
                upstream,
                enabled: true,
                toxics: sender,
                running: Some(running),
                framed,
            },
        );
        receiver
    }

    /// Runs a relay on `listener`.
    fn launch(
        &self,
        name: &str,
        listener: R::Listener,
        upstream: String,
        toxics: Watch,
    ) -> Running {
        let stop = CancellationToken::new();
        let closer = self.relays.closer(&listener);
        let run = Run {
            name: name.to_owned(),
            upstream,
            toxics,
            live: self.live,
            stop: stop.clone(),
        };
        self.relays.run(listener, run);
        Running { stop, closer }
    }

    /// Binds and runs `proxy`; its `listen` becomes the address bound.
    fn start(&self, name: &str, proxy: &mut Proxy) -> Result<(), ApiError> {
        let addr = listen_addr(&proxy.listen)?;
        let listener = self.relays.bind(addr).map_err(|err| {
            // Worded as Go's net.Listen words it, which toxiproxy passes on; a 409 rather
            // than toxiproxy's 500, as for a name taken, so clients can tell it apart.
            let (status, why) = if err.kind() == io::ErrorKind::AddrInUse {
                (409, "address already in use".to_owned())
            } else {
                (500, err.to_string())
            };
            ApiError::new(
                status,
                format!("listen {} {addr}: bind: {why}", self.transport_name()),
            )
        })?;
        let bound = self
            .relays
            .local_addr(&listener)
            .map_err(|err| ApiError::new(500, err.to_string()))?;
        proxy.listen = bound.to_string();
        let (upstream, toxics) = (proxy.upstream.clone(), proxy.toxics.subscribe());
        proxy.running = Some(self.launch(name, listener, upstream, toxics));
        self.printer.proxy(
            name,
            &proxy.listen,
            &proxy.upstream,
            if proxy.enabled { "started" } else { "stopped" },
        );
        Ok(())
    }

    fn transport_name(&self) -> &'static str {
        match self.relays.transport() {
            Transport::Tcp => "tcp",
            Transport::Udp => "udp",
        }
    }

    /// `GET /proxies`: every proxy by name.
    pub fn list(&self) -> Value {
        let proxies = self.lock();
        Value::Object(
            proxies
                .iter()
                .map(|(name, proxy)| (name.clone(), proxy.to_json(name)))
                .collect(),
        )
    }

    /// `GET /proxies/{name}`.
    ///
    /// # Errors
    /// No such proxy.
    pub fn get(&self, name: &str) -> Result<Value, ApiError> {
        let proxies = self.lock();
        let proxy = proxies.get(name).ok_or_else(proxy_not_found)?;
        Ok(proxy.to_json(name))
    }

    /// `POST /proxies`: a new proxy, listening at once when enabled.
    ///
    /// # Errors
    /// A bad body (400), the name or the address taken (409).
    pub fn create(&self, body: &Value) -> Result<Value, ApiError> {
        let spec = Spec::from_json(body)?;
        let mut proxies = self.lock();
        if proxies.contains_key(&spec.name) {
            return Err(ApiError::new(409, "proxy already exists"));
        }
        if proxies.len() >= MAX_PROXIES {
            return Err(too_many_proxies());
        }
        let proxy = self.make(&spec)?;
        let shown = proxy.to_json(&spec.name);
        proxies.insert(spec.name, proxy);
        Ok(shown)
    }

    /// A new proxy without toxics, started when enabled.
    fn make(&self, spec: &Spec) -> Result<Proxy, ApiError> {
        let (sender, _) = watch::channel(Arc::new(Toxics::default()));
        let mut proxy = Proxy {
            listen: spec.listen.clone(),
            upstream: spec.upstream.clone(),
            enabled: spec.enabled,
            toxics: sender,
            running: None,
            framed: false,
        };
        if spec.enabled {
            self.start(&spec.name, &mut proxy)?;
        } else {
            self.printer
                .proxy(&spec.name, &proxy.listen, &proxy.upstream, "stopped");
        }
        Ok(proxy)
    }

    /// `POST /populate`: creates the proxies given, replacing those of the same name whose
    /// listen or upstream differ; returns them, and the failure that stopped it (a bad
    /// body, an address taken), if one did: proxies made before it stay.
    pub fn populate(&self, body: &Value) -> (Vec<Value>, Option<ApiError>) {
        let Some(list) = body.as_array() else {
            return (
                Vec::new(),
                Some(ApiError::new(
                    400,
                    "bad request body: populate takes a JSON array of proxies",
                )),
            );
        };
        let mut specs = Vec::new();
        for (number, proxy) in list.iter().enumerate() {
            match Spec::from_json(proxy) {
                Ok(spec) => specs.push(spec),
                Err(mut err) => {
                    err.message = format!("{} at proxy {}", err.message, number + 1);
                    return (Vec::new(), Some(err));
                }
            }
        }
        let mut made = Vec::new();
        let mut proxies = self.lock();
        for spec in specs {
            if let Some(old) = proxies.get_mut(&spec.name) {
                let same = old.upstream == spec.upstream
                    && (spec.listen.is_empty()
                        || old.listen == spec.listen
                        || listen_addr(&spec.listen).ok().map(|a| a.to_string())
                            == Some(old.listen.clone()));
                if same {
                    made.push(old.to_json(&spec.name));
                    continue;
                }
                old.stop();
                self.printer
                    .proxy(&spec.name, &old.listen, &old.upstream, "deleted");
                proxies.remove(&spec.name);
            }
            if proxies.len() >= MAX_PROXIES {
                return (made, Some(too_many_proxies()));
            }
            match self.make(&spec) {
                Ok(proxy) => {
                    made.push(proxy.to_json(&spec.name));
                    proxies.insert(spec.name, proxy);
                }
                Err(err) => return (made, Some(err)),
            }
        }
        (made, None)
    }

    /// `PATCH` or `POST /proxies/{name}`: `enabled`, `listen` and `upstream` as given; a
    /// new address or upstream restarts the relay, disabling it ends its connections.
    ///
    /// # Errors
    /// No such proxy (404), a bad body (400), an address taken (409).
    pub fn update(&self, name: &str, body: &Value) -> Result<Value, ApiError> {
        let object = body
            .as_object()
            .ok_or_else(|| ApiError::new(400, "bad request body: a proxy is a JSON object"))?;
        let mut proxies = self.lock();
        let proxy = proxies.get_mut(name).ok_or_else(proxy_not_found)?;
        let field = |field: &str| match object.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) if !text.is_empty() => Ok(Some(text.clone())),
            Some(Value::String(_)) => Ok(None),
            Some(other) => Err(ApiError::new(
                400,
                format!("bad request body: {field} must be a string, not {other}"),
            )),
        };
        let listen = field("listen")?;
        let upstream = field("upstream")?;
        let enabled = match object.get("enabled") {
            None | Some(Value::Null) => proxy.enabled,
            Some(Value::Bool(enabled)) => *enabled,
            Some(other) => {
                return Err(ApiError::new(
                    400,
                    format!("bad request body: enabled must be true or false, not {other}"),
                ));
            }
        };
        let moved = listen.as_ref().is_some_and(|l| *l != proxy.listen)
            || upstream.as_ref().is_some_and(|u| *u != proxy.upstream);
        if moved || !enabled {
            proxy.stop();
        }
        if let Some(listen) = listen {
            proxy.listen = listen;
        }
        if let Some(upstream) = upstream {
            proxy.upstream = upstream;
        }
        proxy.enabled = enabled;
        if enabled && proxy.running.is_none() {
            self.start(name, proxy)?;
        } else if !enabled {
            self.printer
                .proxy(name, &proxy.listen, &proxy.upstream, "stopped");
        }
        Ok(proxy.to_json(name))
    }

    /// `DELETE /proxies/{name}`: stops it, ending its connections.
    ///
    /// # Errors
    /// No such proxy (404).
    pub fn delete(&self, name: &str) -> Result<(), ApiError> {
        let mut proxies = self.lock();
        let mut proxy = proxies.remove(name).ok_or_else(proxy_not_found)?;
        proxy.stop();
        self.printer
            .proxy(name, &proxy.listen, &proxy.upstream, "deleted");
        Ok(())
    }

    /// `POST /reset`: every proxy enabled, every toxic removed.
    ///
    /// # Errors
    /// A proxy could not listen again (its address taken meanwhile).
    pub fn reset(&self) -> Result<(), ApiError> {
        let mut proxies = self.lock();
        for (name, proxy) in proxies.iter_mut() {
            if !proxy.toxics.borrow().0.is_empty() {
                proxy.toxics.send_replace(Arc::new(Toxics::default()));
                self.printer.faults(Some(name), "", "");
            }
            if !proxy.enabled {
                proxy.enabled = true;
                self.start(name, proxy)?;
            }
        }
        Ok(())
    }

    /// `GET /proxies/{name}/toxics`.
    ///
    /// # Errors
    /// No such proxy (404).
    pub fn toxics(&self, name: &str) -> Result<Value, ApiError> {
        let proxies = self.lock();
        let proxy = proxies.get(name).ok_or_else(proxy_not_found)?;
        Ok(proxy.toxics.borrow().to_json())
    }

    /// `GET /proxies/{name}/toxics/{toxic}`.
    ///
    /// # Errors
    /// No such proxy or toxic (404).
    pub fn toxic(&self, name: &str, toxic: &str) -> Result<Value, ApiError> {
        let proxies = self.lock();
        let proxy = proxies.get(name).ok_or_else(proxy_not_found)?;
        let toxics = proxy.toxics.borrow();
        let toxic = toxics.get(toxic).ok_or(ToxicError::NotFound)?;
        Ok(toxic.to_json())
    }

    /// Changes proxy `name`'s toxics with `change`, and says what is in force after.
    ///
    /// # Errors
    /// No such proxy (404), or what `change` refused.
    pub fn change_toxics<T>(
        &self,
        name: &str,
        change: impl FnOnce(&mut Toxics, Transport) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let proxies = self.lock();
        let proxy = proxies.get(name).ok_or_else(proxy_not_found)?;
        let mut toxics = Toxics::clone(&proxy.toxics.borrow());
        let answer = change(&mut toxics, self.relays.transport())?;
        if toxics.reads_requests() && !proxy.framed {
            return Err(ApiError::new(
                400,
                "fail_requests and hold_requests need a relay that reads requests: the \
                 relay of --to, started with --framing (the framing its service speaks)",
            ));
        }
        self.printer.faults(
            Some(name),
            &toxics.describe(Stream::Upstream),
            &toxics.describe(Stream::Downstream),
        );
        proxy.toxics.send_replace(Arc::new(toxics));
        Ok(answer)
    }

    /// `POST /proxies/{name}/toxics`.
    ///
    /// # Errors
    /// No such proxy (404), a bad toxic (400), its name taken (409).
    pub fn add_toxic(&self, name: &str, body: &Value) -> Result<Value, ApiError> {
        self.change_toxics(name, |toxics, transport| {
            let toxic = Toxic::from_json(body, transport)?;
            if toxics.0.len() >= MAX_TOXICS {
                return Err(ApiError::new(
                    400,
                    format!("a proxy has at most {MAX_TOXICS} toxics: remove one first"),
                ));
            }
            let shown = toxic.to_json();
            toxics.add(toxic)?;
            Ok(shown)
        })
    }

    /// `PATCH` or `POST /proxies/{name}/toxics/{toxic}`.
    ///
    /// # Errors
    /// No such proxy or toxic (404), a bad attribute (400).
    pub fn update_toxic(&self, name: &str, toxic: &str, body: &Value) -> Result<Value, ApiError> {
        self.change_toxics(name, |toxics, _| {
            let found = toxics
                .0
                .iter_mut()
                .find(|t| t.name == toxic)
                .ok_or(ToxicError::NotFound)?;
            found.update(body)?;
            Ok(found.to_json())
        })
    }

    /// `DELETE /proxies/{name}/toxics/{toxic}`.
    ///
    /// # Errors
    /// No such proxy or toxic (404).
    pub fn remove_toxic(&self, name: &str, toxic: &str) -> Result<(), ApiError> {
        self.change_toxics(name, |toxics, _| Ok(toxics.remove(toxic)?))
    }

    /// Replaces proxy `name`'s toxics whole (`--schedule`).
    pub fn set_toxics(&self, name: &str, toxics: Toxics) {
        let _ = self.change_toxics(name, |now, _| {
            *now = toxics;
            Ok(())
        });
    }
}

fn too_many_proxies() -> ApiError {
    ApiError::new(
        400,
        format!("at most {MAX_PROXIES} proxies: delete one first"),
    )
}

fn proxy_not_found() -> ApiError {
    ApiError::new(404, "proxy not found")
}
