//! A broken promise escalates to the manager of the complaint's site as well as to the
//! assignee and the global escalation list, each mailbox once; with nobody assigned, the
//! "due soon" warning goes to the site manager and the global list. Run on SQLite and, when
//! `TOUCHPOINT_TEST_POSTGRES_URL` is set, on PostgreSQL, through the scheduler's real pass and
//! a local SMTP sink.
mod support;

use chrono::{DateTime, Duration, TimeZone, Utc};
use std::sync::Arc;
use support::sinks::SmtpSink;
use touchpoint_core::{
    audit::Actor,
    clock::{Clock, FixedClock},
    complaints::{ComplaintInput, NewPromise, PromiseKind},
    org::SiteInput,
    store::Store,
    user::{Role, UserFields},
};
use touchpoint_server::{AppState, ServerConfig, jobs::run_due_jobs_once};
use touchpoint_store_postgres::{PgStore, testing};
use touchpoint_store_sqlite::SqliteStore;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn actor() -> Actor {
    Actor::system("test")
}

/// A site whose manager is `manager`.
async fn site(store: &dyn Store, key: &str, manager: Option<&str>) -> i64 {
    let f = SiteInput {
        key: Some(key.into()),
        name: format!("Branch {key}"),
        manager_email: manager.map(str::to_string),
        ..Default::default()
    }
    .validate()
    .unwrap();
    store.create_site(&actor(), &f).await.unwrap().id
}

async fn agent(store: &dyn Store, email: &str) -> i64 {
    let f = UserFields {
        email: email.into(),
        name: "Agent".into(),
        role: Role::Agent,
        language: "en".into(),
    };
    store.create_user(&actor(), &f, "x").await.unwrap().id
}

/// A complaint at `site_id` with one callback promise due 30 minutes after `now`.
async fn complaint_with_promise(
    store: &dyn Store,
    now: DateTime<Utc>,
    site_id: i64,
    assignee_id: Option<i64>,
    token: &str,
) {
    let c = ComplaintInput {
        customer_ref: "CU-7".into(),
        channel: "phone".into(),
        site_id: Some(site_id),
        description: "Nobody called back".into(),
        severity: "medium".into(),
        assignee_id,
        received_at: now,
        ..Default::default()
    }
    .validate(None, &[], now)
    .unwrap();
    let complaint = store.create_complaint(&actor(), &c, token).await.unwrap();
    let p = NewPromise {
        kind: PromiseKind::Callback,
        description: "Call back".into(),
        due_at: now + Duration::minutes(30),
    };
    store.add_promise(&actor(), complaint.id, &p).await.unwrap();
}

fn node(store: Arc<dyn Store>, clock: Arc<FixedClock>, smtp: &SmtpSink) -> AppState {
    let config = ServerConfig {
        smtp_url: Some(smtp.url()),
        // The manager is also on the global list, spelled differently: one email each.
        escalation_emails: vec!["Gerente@Norte.example".into(), "cx@bank.example".into()],
        notify_attempts: 2,
        notify_backoff: std::time::Duration::from_millis(10),
        ..ServerConfig::default()
    };
    AppState::new(store, clock, config)
}

async fn broken_promises_reach_the_site_manager(store: Arc<dyn Store>, clock: Arc<FixedClock>) {
    let smtp = SmtpSink::start().await;
    let state = node(store.clone(), clock.clone(), &smtp);
    let norte = site(&*store, "norte", Some("gerente@norte.example")).await;
    let sur = site(&*store, "sur", None).await;
    let ana = agent(&*store, "ana@bank.example").await;
    complaint_with_promise(&*store, t0(), norte, Some(ana), "hash-1").await;

    // Half an hour after the due time: the promise breaks and is escalated.
    clock.set(t0() + Duration::hours(1));
    let report = run_due_jobs_once(&state).await.unwrap();
    assert_eq!((report.escalated, report.delivered), (1, 1), "{report:?}");
    let mails = smtp.messages();
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0].to,
        [
            "ana@bank.example",
            "gerente@norte.example",
            "cx@bank.example"
        ],
        "assignee, site manager, then the rest of the global list, each once"
    );
    assert!(mails[0].data.contains("broken"));

    // Unassigned cases: the warning before the break goes to whoever can assign someone.
    complaint_with_promise(&*store, clock.now(), norte, None, "hash-2").await;
    complaint_with_promise(&*store, clock.now(), sur, None, "hash-3").await;
    let report = run_due_jobs_once(&state).await.unwrap();
    assert_eq!(report.due_soon, 2, "{report:?}");
    let mut warned: Vec<Vec<String>> = smtp.messages()[1..].iter().map(|m| m.to.clone()).collect();
    warned.sort();
    assert_eq!(
        warned,
        [
            vec!["Gerente@Norte.example", "cx@bank.example"],
            vec!["gerente@norte.example", "cx@bank.example"],
        ],
        "the site without a manager warns the global list only"
    );
}

#[tokio::test]
async fn on_sqlite_broken_promises_reach_the_site_manager() {
    let clock = Arc::new(FixedClock::new(t0()));
    let c: Arc<dyn Clock> = clock.clone();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open_in_memory(c).unwrap());
    store.migrate().await.unwrap();
    broken_promises_reach_the_site_manager(store, clock).await;
}

#[tokio::test]
async fn on_postgres_broken_promises_reach_the_site_manager() {
    let Some(admin) = testing::admin_url_from_env("site_manager_on_postgres") else {
        return;
    };
    let url = testing::fresh_database(&admin).await.unwrap();
    let clock = Arc::new(FixedClock::new(t0()));
    let c: Arc<dyn Clock> = clock.clone();
    let store: Arc<dyn Store> = Arc::new(PgStore::connect(&url, c).await.unwrap());
    broken_promises_reach_the_site_manager(store, clock).await;
}
