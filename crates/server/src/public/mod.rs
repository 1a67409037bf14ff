//! The answering site: `/s/{token}`, and the complaint status page `/c/{token}` — no login, no JavaScript, no cookies, one small
//! stylesheet. It lives outside the staff pages' router (there is no session to hold a CSRF
//! token); the per-render nonce that becomes the response's idempotency key, the single use of
//! personal invitations and a per-address rate limit protect it instead.
mod answer;
mod closed;
mod form;
mod lang;
mod rate;
mod status;
pub mod status_texts;
pub mod texts;

use crate::{client_ip::client_ip, i18n::Lang, state::AppState};
use axum::{
    Extension, Router,
    extract::Request,
    http::{HeaderName, HeaderValue, Method, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
};
use rate::RateLimiter;
use sha2::{Digest, Sha256};
use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex, OnceLock},
};
use touchpoint_core::feedback::records::SurveyVersion;
use tower_http::set_header::SetResponseHeaderLayer;

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const PUBLIC_CSS: &str = include_str!("../../static/public.css");

/// What the answering site keeps between requests.
pub struct Public {
    get_limit: RateLimiter,
    post_limit: RateLimiter,
    /// Cycle version id → moment key → moment name. Published versions never change.
    moment_names: Mutex<HashMap<i64, Arc<BTreeMap<String, String>>>>,
}

impl Public {
    fn new(state: &AppState) -> Self {
        Self {
            get_limit: RateLimiter::new(state.config.public_get_per_minute),
            post_limit: RateLimiter::new(state.config.public_post_per_minute),
            moment_names: Mutex::new(HashMap::new()),
        }
    }

    /// Names of the moments the version's questions point at (empty when none do).
    async fn moment_names(
        &self,
        state: &AppState,
        service_id: Option<i64>,
        version: &SurveyVersion,
    ) -> Arc<BTreeMap<String, String>> {
        let (Some(service_id), Some(cycle_id)) = (service_id, version.cycle_version_id) else {
            return Arc::default();
        };
        if version.moment_ids.is_empty() {
            return Arc::default();
        }
        if let Some(found) = self.cached(cycle_id) {
            return found;
        }
        let names = Arc::new(load_moment_names(state, service_id, cycle_id).await);
        let mut cache = self.moment_names.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() > 1000 {
            cache.clear();
        }
        cache.insert(cycle_id, names.clone());
        names
    }

    fn cached(&self, cycle_id: i64) -> Option<Arc<BTreeMap<String, String>>> {
        let cache = self.moment_names.lock().unwrap_or_else(|e| e.into_inner());
        cache.get(&cycle_id).cloned()
    }
}

/// The cycle version a survey version was resolved against: usually the current one.
async fn load_moment_names(
    state: &AppState,
    service_id: i64,
    cycle_id: i64,
) -> BTreeMap<String, String> {
    let names = |c: touchpoint_core::cycle::CycleVersion| {
        c.moments.into_iter().map(|m| (m.key, m.name)).collect()
    };
    match state.store.current_cycle(service_id).await {
        Ok(c) if c.id == cycle_id => return names(c),
        Ok(_) => {}
        Err(_) => return BTreeMap::new(),
    }
    let versions = state
        .store
        .list_cycle_versions(service_id)
        .await
        .unwrap_or_default();
    for v in versions {
        if let Ok(c) = state.store.cycle_version(service_id, v.version).await
            && c.id == cycle_id
        {
            return names(c);
        }
    }
    BTreeMap::new()
}

pub fn router(state: AppState) -> Router<AppState> {
    let public = Arc::new(Public::new(&state));
    let limits = public.clone();
    let trust_proxy = state.config.trust_proxy;
    let answering = Router::new()
        .route("/s/{token}", get(answer::show).post(answer::submit))
        .route("/s/{token}/thanks", get(answer::thanks))
        // The complaint status page shares the limiter: guessing tokens costs the same.
        .route("/c/{token}", get(status::show))
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            let limits = limits.clone();
            async move { rate_limited(&limits, trust_proxy, req, next).await }
        }))
        .layer(Extension(public))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("x-robots-tag"),
            HeaderValue::from_static("noindex, nofollow"),
        ))
        // The token is in the URL: never send it to another site.
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("no-referrer"),
        ));
    Router::new()
        .merge(answering)
        .route("/static/public.css", get(css))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}

async fn rate_limited(limits: &Public, trust_proxy: bool, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let ip = client_ip(&parts, trust_proxy);
    let limiter = if parts.method == Method::POST {
        &limits.post_limit
    } else {
        &limits.get_limit
    };
    match limiter.check(ip) {
        Ok(()) => next.run(Request::from_parts(parts, body)).await,
        Err(wait) => {
            let query_lang = parts.uri.query().and_then(|q| {
                serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                    .ok()?
                    .into_iter()
                    .find(|(k, _)| k == "lang")
                    .and_then(|(_, v)| Lang::parse(&v))
            });
            let lang = query_lang.unwrap_or_else(|| Lang::from_headers(&parts.headers));
            let mut res = closed::too_many(lang);
            if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
    }
}

fn css_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hex::encode(&Sha256::digest(PUBLIC_CSS.as_bytes())[..6]))
}

pub fn css_href() -> String {
    format!("/static/public.css?v={}", css_hash())
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        PUBLIC_CSS,
    )
        .into_response()
}
