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
    wrk::{self, WrkTarget},
};
use axum::{Router, http::StatusCode, routing::post};
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request, header};
use std::{net::SocketAddr, path::Path, sync::Arc, time::Duration};
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
    /// The load generator: this binary's own hyper client, or wrk (a separate process).
    #[arg(long, value_enum, default_value_t = LoadTool::Builtin)]
    pub load: LoadTool,
    /// Worker threads of the server's runtime (the machine has 2 cores; the load generator
    /// has 2 threads of its own).
    #[arg(long, default_value_t = 2)]
    pub server_threads: usize,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LoadTool {
    Builtin,
    Wrk,
}

impl LoadTool {
    fn describe(self) -> &'static str {
        match self {
            LoadTool::Builtin => "this binary's hyper client",
            LoadTool::Wrk => "wrk, a separate process",
        }
    }
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

fn json_body(site_id: i64) -> String {
    let mut answers = serde_json::Map::new();
    for q in 1..=8 {
        answers.insert(format!("m{q}"), (1 + q % 5).into());
    }
    answers.insert("recommend".into(), 9.into());
    answers.insert("comment".into(), "Todo bien, gracias".into());
    serde_json::json!({"answers": answers, "site_id": site_id, "language": "es"}).to_string()
}

/// The answering page's form, split around its nonce.
fn form_parts() -> (String, String) {
    let mut tail = String::new();
    for q in 1..=8 {
        tail.push_str(&format!("&q.m{q}={}", 1 + q % 5));
    }
    tail.push_str("&q.recommend=9&q.comment=Todo+bien%2C+gracias");
    ("lang=es&nonce=bench-nonce-".into(), tail)
}

/// Where each request's unique part goes.
#[derive(Clone, Copy)]
enum Unique {
    /// The `Idempotency-Key` header (the body is the same every time).
    IdempotencyKey,
    /// The form's nonce, inside the body.
    Nonce,
}

/// One target: every request the same but for its unique part. A no-op target is sent the
/// same headers and body as the route it stands beside, so the load tool's work is the same.
struct Target {
    name: &'static str,
    path: String,
    headers: Vec<(&'static str, String)>,
    body_head: String,
    body_tail: String,
    unique: Unique,
}

impl Target {
    fn builtin(&self) -> MakeRequest {
        let (path, headers) = (self.path.clone(), self.headers.clone());
        let (head, tail, unique) = (self.body_head.clone(), self.body_tail.clone(), self.unique);
        // A body that never changes is shared, not copied, per request.
        let fixed = Bytes::from(head.clone());
        Arc::new(move |seq| {
            let mut r = Request::post(path.as_str()).header(header::HOST, "127.0.0.1");
            for (name, value) in &headers {
                r = r.header(*name, value);
            }
            let body = match unique {
                Unique::IdempotencyKey => {
                    r = r.header("idempotency-key", format!("bench-{seq}"));
                    fixed.clone()
                }
                Unique::Nonce => Bytes::from(format!("{head}{seq:020}{tail}")),
            };
            r.body(Full::new(body)).unwrap_or_default()
        })
    }

    fn wrk(&self) -> WrkTarget {
        WrkTarget {
            path: self.path.clone(),
            headers: self.headers.clone(),
            body_head: self.body_head.clone(),
            body_tail: self.body_tail.clone(),
            unique_header: match self.unique {
                Unique::IdempotencyKey => Some("Idempotency-Key"),
                Unique::Nonce => None,
            },
        }
    }
}

fn targets(s: &Served) -> Vec<Target> {
    let api_headers = vec![
        ("content-type", "application/json".to_string()),
        ("authorization", format!("Bearer {}", s.token)),
    ];
    let form_headers = vec![("content-type", FORM.to_string())];
    let (form_head, form_tail) = form_parts();
    let api = |name, path: String| Target {
        name,
        path,
        headers: api_headers.clone(),
        body_head: json_body(s.site_id),
        body_tail: String::new(),
        unique: Unique::IdempotencyKey,
    };
    let page = |name, path: String| Target {
        name,
        path,
        headers: form_headers.clone(),
        body_head: form_head.clone(),
        body_tail: form_tail.clone(),
        unique: Unique::Nonce,
    };
    vec![
        api("no-op POST (JSON body)", "/bench/noop".into()),
        api(
            "POST /api/v1/surveys/{id}/responses",
            format!("/api/v1/surveys/{}/responses", s.survey_id),
        ),
        page("no-op POST (form body)", "/bench/noop".into()),
        page(
            "POST /s/{token} (answering page)",
            format!("/s/{}", s.open_token),
        ),
    ]
}

const FORM: &str = "application/x-www-form-urlencoded";

/// Probe, warm up for a second, then measure one target with the chosen load tool.
fn measure(
    client: &tokio::runtime::Runtime,
    args: &HttpArgs,
    addr: SocketAddr,
    (i, target): (usize, &Target),
    scripts: &Path,
) -> anyhow::Result<Option<Stats>> {
    let name = target.name;
    let make = target.builtin();
    let (status, body) = client.block_on(load::probe(addr, &make))?;
    if status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED {
        return Ok(None);
    }
    anyhow::ensure!(
        status.is_success() || status.is_redirection(),
        "{name}: the probe answered {status}: {body:.300}"
    );
    let (n, measured) = (args.connections, Duration::from_secs(args.seconds));
    let s = match args.load {
        LoadTool::Builtin => client.block_on(async {
            let first = (i as u64 + 1) << 48;
            load::run(addr, make.clone(), n, Duration::from_secs(1), first).await?;
            let cpu = cpu_seconds();
            let mut s = load::run(addr, make, n, measured, first + (1 << 40)).await?;
            s.cores = (cpu_seconds() - cpu) / s.seconds;
            anyhow::Ok(s)
        })?,
        LoadTool::Wrk => {
            let t = target.wrk();
            wrk::run(
                addr,
                &t,
                n,
                Duration::from_secs(1),
                &format!("w{i}a"),
                scripts,
            )?;
            let cpu = cpu_seconds();
            let mut s = wrk::run(addr, &t, n, measured, &format!("w{i}b"), scripts)?;
            s.cores = (cpu_seconds() - cpu) / s.seconds;
            s
        }
    };
    Ok(Some(s))
}

pub fn run(args: HttpArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("http.db").display());
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.server_threads.max(1))
        .thread_name("server")
        .enable_all()
        .build()?;
    let (served, bench) = server.block_on(serve(&url))?;
    let client = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("load")
        .enable_all()
        .build()?;
    println!(
        "{:<38} {:>9} {:>10} {:>8} {:>8} {:>8} {:>8} {:>6}",
        "target", "requests", "req/s", "p50 ms", "p99 ms", "failed", "vs no-op", "cores"
    );
    let mut baseline = f64::NAN;
    let wanted = |name: &str| args.only.as_deref().is_none_or(|o| name.contains(o));
    let all = targets(&served);
    for (i, target) in all.iter().enumerate().filter(|(_, t)| wanted(t.name)) {
        let name = target.name;
        let Some(s) = measure(&client, &args, served.addr, (i, target), dir.path())? else {
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
            s.p50_ms(),
            s.p99_ms(),
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
         connections, {} s per target, server on {} threads, load generator ({}) on 2",
        stored.response_count,
        args.connections,
        args.seconds,
        args.server_threads.max(1),
        args.load.describe()
    );
    drop(bench);
    server.shutdown_timeout(Duration::from_secs(1));
    Ok(())
}
