//! The test harness shared by the server's integration tests: a real server on a free port,
//! backed by a fresh in-memory SQLite store, plus small typed helpers to call the JSON API.
//!
//! ```ignore
//! mod support;
//! use support::TestApp;
//!
//! let app = TestApp::spawn().await;
//! let (_admin, token) = app.user_with_token(Role::Admin).await;
//! let (status, body, _headers) = app.api(&token).get("/api/v1/services").await;
//! ```
#![allow(dead_code)]

pub mod sinks;

use reqwest::{
    Method, StatusCode,
    header::{CONTENT_TYPE, HeaderMap},
};
use serde_json::Value;
use std::{
    net::SocketAddr,
    sync::{
        Arc, OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
};
use touchpoint_core::{
    audit::Actor,
    clock::{Clock, FixedClock, SystemClock},
    service::Service,
    store::Store,
    user::{Role, User},
};
use touchpoint_server::{AppState, ServerConfig, auth::password::hash_password, auth::secrets};
use touchpoint_store_sqlite::SqliteStore;

/// Password given to every user made by [`TestApp::user_with_token`].
pub const TEST_PASSWORD: &str = "correct-horse-battery-staple";

/// Argon2 is slow in debug builds; hash the shared test password once per test binary.
fn test_password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password(TEST_PASSWORD).expect("hash the test password"))
}

/// A running Touchpoint server with its own empty database.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub base_url: String,
    pub addr: SocketAddr,
    pub state: AppState,
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    /// A client without cookies; pages tests can build their own cookie-keeping client.
    pub client: reqwest::Client,
    users_made: AtomicUsize,
}

impl TestApp {
    /// A server with the system clock and the default configuration.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(Arc::new(SystemClock), ServerConfig::default()).await
    }

    /// A server whose clock only moves when the test says so.
    pub async fn spawn_with_clock(clock: Arc<FixedClock>) -> TestApp {
        Self::spawn_with(clock, ServerConfig::default()).await
    }

    /// A server with the system clock and a custom configuration (e.g. a small body limit).
    pub async fn spawn_with_config(config: ServerConfig) -> TestApp {
        Self::spawn_with(Arc::new(SystemClock), config).await
    }

    pub async fn spawn_with(clock: Arc<dyn Clock>, config: ServerConfig) -> TestApp {
        let store =
            SqliteStore::open_in_memory(clock.clone()).expect("open an in-memory SQLite store");
        let store: Arc<dyn Store> = Arc::new(store);
        store.migrate().await.expect("migrate the test store");
        let state = AppState::new(store.clone(), clock.clone(), config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a free port");
        let addr = listener.local_addr().expect("local address");
        let service = touchpoint_server::app(state.clone())
            .into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move {
            axum::serve(listener, service).await.expect("test server");
        });
        TestApp {
            base_url: format!("http://{addr}"),
            addr,
            state,
            store,
            clock,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("build a client"),
            users_made: AtomicUsize::new(0),
        }
    }

    /// Absolute URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// An active user `<role>-<n>@test.local` (password [`TEST_PASSWORD`]) and a fresh API
    /// token secret for them.
    pub async fn user_with_token(&self, role: Role) -> (User, String) {
        let n = self.users_made.fetch_add(1, Ordering::SeqCst) + 1;
        let email = format!("{role}-{n}@test.local");
        let user = self
            .create_user(role, &email, test_password_hash().to_string())
            .await;
        let token = self.token_for(&user, "test token").await;
        (user, token)
    }

    /// A new API token secret for an existing user.
    pub async fn token_for(&self, user: &User, name: &str) -> String {
        let t = secrets::new_api_token();
        self.store
            .create_token(
                &Actor::user(user.id, &user.email),
                user.id,
                name,
                &t.prefix,
                &t.hash,
            )
            .await
            .expect("create an API token");
        t.secret
    }

    /// An active user with the given email and password (for login tests).
    pub async fn user_with_password(&self, role: Role, email: &str, password: &str) -> User {
        let hash = if password == TEST_PASSWORD {
            test_password_hash().to_string()
        } else {
            hash_password(password).expect("hash a password")
        };
        self.create_user(role, email, hash).await
    }

    async fn create_user(&self, role: Role, email: &str, password_hash: String) -> User {
        let local = email.split('@').next().unwrap_or(email);
        let fields = touchpoint_core::user::UserFields {
            email: email.to_ascii_lowercase(),
            name: format!("User {local}"),
            role,
            language: "en".into(),
        };
        self.store
            .create_user(&Actor::system("test"), &fields, &password_hash)
            .await
            .expect("create a user")
    }

    /// A service `key` whose first cycle version has `n_moments` moments keyed `m1`, `m2`, …
    /// with the 1-based `critical_positions` critical (see `touchpoint_test_support::sample_cycle`).
    pub async fn seed_service_with_cycle(
        &self,
        key: &str,
        n_moments: usize,
        critical_positions: &[usize],
    ) -> Service {
        let actor = Actor::system("test");
        let service = self
            .store
            .create_service(&actor, &touchpoint_test_support::sample_service_fields(key))
            .await
            .expect("create a service");
        if n_moments > 0 {
            self.store
                .publish_cycle(
                    &actor,
                    service.id,
                    &touchpoint_test_support::sample_cycle(n_moments, critical_positions),
                )
                .await
                .expect("publish a cycle");
        }
        self.store
            .get_service(service.id)
            .await
            .expect("read the service back")
    }

    /// Typed calls to the JSON API with `Authorization: Bearer <token>`.
    pub fn api(&self, token: &str) -> Api<'_> {
        Api {
            app: self,
            token: Some(token.to_string()),
        }
    }

    /// Calls to the JSON API without credentials.
    pub fn anonymous(&self) -> Api<'_> {
        Api {
            app: self,
            token: None,
        }
    }
}

/// What an API call answered: status, body (JSON, or a JSON string holding a non-JSON body,
/// or `Null` when empty) and headers.
pub type Reply = (StatusCode, Value, HeaderMap);

/// A small request helper bound to one caller.
pub struct Api<'a> {
    app: &'a TestApp,
    token: Option<String>,
}

impl Api<'_> {
    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::PUT, path, Some(body)).await
    }

    pub async fn patch_json(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::PATCH, path, Some(body)).await
    }

    /// Any method with a JSON body or none.
    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        match body {
            Some(b) => {
                let bytes = serde_json::to_vec(b).expect("serialize a JSON body");
                self.send_raw(method, path, Some("application/json"), bytes)
                    .await
            }
            None => self.send_raw(method, path, None, Vec::new()).await,
        }
    }

    /// Any method with a raw body and an optional `Content-Type`.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Reply {
        let mut req = self.app.client.request(method, self.app.url(path));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(ct) = content_type {
            req = req.header(CONTENT_TYPE, ct);
        }
        if !body.is_empty() {
            req = req.body(body);
        }
        let res = req.send().await.expect("send a request to the test server");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("read the response body");
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value, headers)
    }
}

/// The `field` names of a problem's `errors`, in order.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["field"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The response's `Content-Type`, or an empty string.
pub fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}
