//! `touchpoint-bench http`: the real server (SQLite file, synchronous=FULL, so every answer
//! comes after its commit is on disk) in this process on a free port, and the load generator
//! beside it, each on its own two-thread runtime (they share the machine's cores). Measured
//! with the same generator and body: a no-op POST (a route added only to this binary's
//! router), `POST /api/v1/surveys/{id}/responses` with unique `Idempotency-Key`s, and the
//! answering page's form POST `/s/{token}` with unique nonces.
use crate::{
    load::{self, MakeRequest, Stats},
    mem::cpu_seconds,
    setup::{Bench, prepare},
};
use axum::{Router, http::StatusCode, routing::post};
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request, header};
use std::{net::SocketAddr, sync::Arc, time::Duration};
use touchpoint_core::{
    audit::Actor,
    clock::SystemClock,
    feedback::records::{LinkKind, NewLink},
    user::{NewUser, Role},
};
use touchpoint_server::{
    AppState, ServerConfig,
    auth::{
        password::hash_password,
        secrets::{new_api_token, random_secret, sha256_hex},
    },
};

#[derive(Debug, clap::Args)]
pub struct HttpArgs {
    /// Measured seconds per target (after a one-second warm-up).
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 64)]
    pub connections: usize,
    /// Run only the targets whose name contains this text (e.g. `api`, `no-op`, `/s/`).
    #[arg(long)]
    pub only: Option<String>,
}

/// What the server side prepared: where to send, with what.
struct Served {
    addr: SocketAddr,
    survey_id: i64,
    site_id: i64,
    token: String,
    open_token: String,
}

async fn serve(url: &str) -> anyhow::Result<(Served, Bench)> {
    let bench = prepare(url, 10).await?;
    let store = bench.store.clone();
    let actor = Actor::system("bench");
    let user = NewUser {
        email: "bench@touchpoint.local".into(),
        name: "Bench".into(),
        role: Role::Admin,
        language: None,
    }
    .validate()
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let hash = hash_password(&random_secret()).map_err(|e| anyhow::anyhow!(e))?;
    let user = store.create_user(&actor, &user, &hash).await?;
    let token = new_api_token();
    store
        .create_token(&actor, user.id, "bench", &token.prefix, &token.hash)
        .await?;
    let open_token = random_secret();
    let link = NewLink {
        kind: LinkKind::Open,
        token_hash: sha256_hex(&open_token),
        token: Some(open_token.clone()),
        customer: None,
        email: None,
        language: None,
        site_id: Some(bench.sites[0].id),
        staff_id: None,
        visit_date: None,
        complaint_ref: None,
        expires_at: None,
    };
    store.create_links(&actor, bench.survey.id, &[link]).await?;
    let config = ServerConfig {
        public_get_per_minute: 0,
        public_post_per_minute: 0,
        ..ServerConfig::default()
    };
    let state = AppState::new(store, Arc::new(SystemClock), config);
    let app = touchpoint_server::app(state).merge(Router::new().route("/bench/noop", post(noop)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let service = app.into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });
    let served = Served {
        addr,
        survey_id: bench.survey.id,
        site_id: bench.sites[0].id,
        token: token.secret,
        open_token,
    };
    Ok((served, bench))
}

/// Reads the whole body, like the real routes, and answers like a creation.
async fn noop(body: Bytes) -> (StatusCode, &'static str) {
    std::hint::black_box(body);
    (StatusCode::CREATED, "{\"id\":0}")
}

fn json_body(site_id: i64) -> Bytes {
    let mut answers = serde_json::Map::new();
    for q in 1..=8 {
        answers.insert(format!("m{q}"), (1 + q % 5).into());
    }
    answers.insert("recommend".into(), 9.into());
    answers.insert("comment".into(), "Todo bien, gracias".into());
    let body = serde_json::json!({"answers": answers, "site_id": site_id, "language": "es"});
    Bytes::from(body.to_string())
}

fn form_body(nonce: u64) -> Bytes {
    let mut body = format!("lang=es&nonce=bench-nonce-{nonce:020}");
    for q in 1..=8 {
        body.push_str(&format!("&q.m{q}={}", 1 + q % 5));
    }
    body.push_str("&q.recommend=9&q.comment=Todo+bien%2C+gracias");
    Bytes::from(body)
}

fn request(path: &str, content_type: &str) -> hyper::http::request::Builder {
    Request::post(path)
        .header(header::HOST, "127.0.0.1")
        .header(header::CONTENT_TYPE, content_type)
}

fn targets(s: &Served) -> Vec<(&'static str, MakeRequest)> {
    let json = json_body(s.site_id);
    let api = format!("/api/v1/surveys/{}/responses", s.survey_id);
    let bearer = format!("Bearer {}", s.token);
    let form = format!("/s/{}", s.open_token);
    let form_type = "application/x-www-form-urlencoded";
    let noop_json: MakeRequest = {
        let json = json.clone();
        Arc::new(move |_| {
            request("/bench/noop", "application/json")
                .body(Full::new(json.clone()))
                .unwrap_or_default()
        })
    };
    let api_json: MakeRequest = Arc::new(move |seq| {
        request(&api, "application/json")
            .header(header::AUTHORIZATION, &bearer)
            .header("idempotency-key", format!("bench-{seq}"))
            .body(Full::new(json.clone()))
            .unwrap_or_default()
    });
    let noop_form: MakeRequest = Arc::new(move |seq| {
        request("/bench/noop", form_type)
            .body(Full::new(form_body(seq)))
            .unwrap_or_default()
    });
    let page_form: MakeRequest = Arc::new(move |seq| {
        request(&form, form_type)
            .body(Full::new(form_body(seq)))
            .unwrap_or_default()
    });
    vec![
        ("no-op POST (JSON body)", noop_json),
        ("POST /api/v1/surveys/{id}/responses", api_json),
        ("no-op POST (form body)", noop_form),
        ("POST /s/{token} (answering page)", page_form),
    ]
}

pub fn run(args: HttpArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("http.db").display());
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("server")
        .enable_all()
        .build()?;
    let (served, bench) = server.block_on(serve(&url))?;
    let client = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("load")
        .enable_all()
        .build()?;
    let measured = Duration::from_secs(args.seconds);
    println!(
        "{:<38} {:>9} {:>10} {:>8} {:>8} {:>8} {:>8} {:>6}",
        "target", "requests", "req/s", "p50 ms", "p99 ms", "failed", "vs no-op", "cores"
    );
    let mut baseline = f64::NAN;
    let wanted = |name: &str| args.only.as_deref().is_none_or(|o| name.contains(o));
    let chosen = targets(&served).into_iter().enumerate();
    for (i, (name, make)) in chosen.filter(|(_, (name, _))| wanted(name)) {
        let stats: anyhow::Result<Option<Stats>> = client.block_on(async {
            let (status, body) = load::probe(served.addr, &make).await?;
            if status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED {
                return Ok(None);
            }
            anyhow::ensure!(
                status.is_success() || status.is_redirection(),
                "{name}: the probe answered {status}: {body:.300}"
            );
            let first = (i as u64 + 1) << 48;
            let (addr, n) = (served.addr, args.connections);
            load::run(addr, make.clone(), n, Duration::from_secs(1), first).await?;
            let cpu = cpu_seconds();
            let mut s = load::run(addr, make, n, measured, first + (1 << 40)).await?;
            s.cores = (cpu_seconds() - cpu) / s.seconds;
            Ok(Some(s))
        });
        let Some(s) = stats? else {
            println!("{name:<38} skipped: the route answers 404 in this build");
            continue;
        };
        if name.starts_with("no-op") {
            baseline = s.rate();
        }
        println!(
            "{name:<38} {:>9} {:>10.0} {:>8.2} {:>8.2} {:>8} {:>7.0}% {:>6.2}",
            s.ok,
            s.rate(),
            s.quantile_ms(0.5),
            s.quantile_ms(0.99),
            s.failed,
            100.0 * s.rate() / baseline,
            s.cores
        );
        if let Some(status) = s.first_failure {
            println!("  first failure: {status}");
        }
    }
    let stored = server.block_on(bench.store.get_survey(served.survey_id))?;
    println!(
        "{} responses stored (every 2xx of the API and the page is a durable commit); {} \
         connections, {} s per target, server and load generator on 2 threads each",
        stored.response_count, args.connections, args.seconds
    );
    drop(bench);
    server.shutdown_timeout(Duration::from_secs(1));
    Ok(())
}
