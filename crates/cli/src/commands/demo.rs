//! `demo`: load the demo organization into an empty database, print the logins, then serve.
use super::{SharedStore, cycle, serve, user};
use crate::{
    config::Settings,
    demo::{
        CYCLES,
        feedback::{self, DemoService, DemoSite, Org},
        org::{LOGIN_DOMAIN, LOGINS, SITES, staff_email},
    },
    store_url::{open_store, redact},
};
use anyhow::Context;
use std::sync::Arc;
use touchpoint_core::{
    audit::Actor,
    clock::{Clock, FixedClock},
    cycle_file::Format,
    listing::ListQuery,
    org::{SiteInput, StaffInput},
    store::Store,
    user::{NewUser, Role},
};

/// The audit-trail actor for everything the demo creates.
pub const DEMO_ACTOR: &str = "demo";

pub async fn run(
    settings: &Settings,
    store: SharedStore,
    clock: Arc<dyn Clock>,
    no_serve: bool,
) -> anyhow::Result<()> {
    if !no_serve && holds_the_demo(store.as_ref()).await {
        // Running the README's first command again should bring the demo back, not fail.
        println!(
            "The demo organization is already loaded in {}; serving it again. The passwords \
             were printed when it was loaded (delete the database file to start afresh).",
            redact(&settings.database)
        );
        return serve::run(settings, store, clock).await;
    }
    ensure_empty(store.as_ref(), &settings.database).await?;
    // Bind before loading so that a busy port fails fast and the URL printed is the real one.
    let listener = match no_serve {
        true => None,
        false => Some(serve::bind(&settings.listen).await?),
    };
    let url = match &listener {
        Some(l) => serve::url_of(l)?,
        None => format!("http://{}/", settings.listen),
    };
    let actor = Actor::system(DEMO_ACTOR);
    let (org, summary) = load_org(store.as_ref(), &actor).await?;
    let logins = load_logins(store.as_ref(), &actor).await?;
    let auditor = logins
        .iter()
        .find(|l| l.1 == Role::Auditor)
        .map_or_else(|| actor.clone(), |l| Actor::user(l.3, &l.0));
    let loaded = feedback::load(&store, &actor, &auditor, &org, clock.now()).await?;
    let portfolio = crate::demo::portfolio::load(&store, &actor, &org, clock.now()).await?;
    // Complaints are made at the times they happened: through a second handle on the same
    // database whose clock the loader moves.
    let moved = Arc::new(FixedClock::new(clock.now()));
    let timed = open_store(&settings.database, moved.clone()).await?;
    let agent = logins.iter().find(|l| l.1 == Role::Agent).map(|l| l.3);
    let complaints = crate::demo::complaints::load(&timed, &moved, &actor, &org, agent).await?;
    let improvement = crate::demo::improvement::load(&store, &actor, &org, clock.now()).await?;
    let recognition = crate::demo::recognition::load(
        store.as_ref(),
        timed.as_ref(),
        &moved,
        &actor,
        &auditor,
        &org,
    )
    .await?;
    drop(timed);
    let staff: usize = org.sites.iter().map(|s| s.staff.len()).sum();

    println!(
        "Demo organization loaded into {}:",
        redact(&settings.database)
    );
    println!("  services: {}", summary.join(", "));
    println!("  sites: {} with {staff} staff members", org.sites.len());
    println!(
        "  a year of feedback: {} surveys with {} responses ({} personal invitations), {} \
         mystery-shopper visits, {} measurements, {} compliments",
        loaded.surveys,
        loaded.responses,
        loaded.invitations,
        loaded.visits,
        loaded.measurements,
        loaded.compliments
    );
    println!(
        "  a customer portfolio: {} customers with {} sales over the year, {} lost with their reasons",
        portfolio.customers, portfolio.sales, portfolio.lost
    );
    println!(
        "  complaints: {} over four months ({} still open, {} broken promises escalated)",
        complaints.complaints, complaints.open, complaints.escalations
    );
    println!(
        "  improvement work on the wait at Norte: {} requirements and {} action plan",
        improvement.requirements, improvement.plans
    );
    println!(
        "  staff recognition: {} weekly mystery-shopper visits, {} complaints worked by floor \
         hosts, {} employee-survey answers (see /recognition and the bank's employee voice)",
        recognition.visits, recognition.complaints, recognition.employee_responses
    );
    println!();
    println!(
        "Answer the bank's survey as a customer would: {url}s/{}",
        loaded.open_token
    );
    println!();
    println!("Open {url} and log in as one of:");
    println!();
    println!("  {:<28} {:<8} password", "email", "role");
    for (email, role, password, _) in &logins {
        println!("  {email:<28} {:<8} {password}", role.as_str());
    }
    println!();
    println!("The passwords are shown only this once.");
    match listener {
        Some(l) => serve::serve_on(l, settings, store, clock).await,
        None => {
            println!(
                "Start the server with: touchpoint --database {} serve",
                redact(&settings.database)
            );
            Ok(())
        }
    }
}

/// The demo only loads into a database with no services, sites or users.
/// Whether this database is one the demo loaded (its admin and its bank service exist).
async fn holds_the_demo(store: &dyn Store) -> bool {
    let admin = format!("admin@{LOGIN_DOMAIN}");
    store.find_credentials(&admin).await.is_ok()
        && store.get_service_by_key("cash-a-cheque").await.is_ok()
}

async fn ensure_empty(store: &dyn Store, database: &str) -> anyhow::Result<()> {
    let services = store.list_services(&ListQuery::all()).await?.total;
    let sites = store.list_sites(&ListQuery::all()).await?.total;
    let users = store.count_users().await?;
    if services + sites + users > 0 {
        anyhow::bail!(
            "the database {} already holds data ({services} services, {sites} sites, \
             {users} users); the demo loads only into an empty database. Use a new database \
             file, e.g. `touchpoint --database sqlite://touchpoint-demo.db demo`",
            redact(database)
        );
    }
    Ok(())
}

/// Publish the demo cycles and create the sites with their staff; also returns a summary
/// line per service.
pub async fn load_org(store: &dyn Store, actor: &Actor) -> anyhow::Result<(Org, Vec<String>)> {
    let mut summary = Vec::new();
    let mut services = Vec::new();
    for (name, text) in CYCLES {
        let imported = cycle::parse_text(name, text, Format::Yaml)?;
        let p = cycle::publish(store, actor, &imported).await?;
        summary.push(format!(
            "{} ({} moments, {} critical)",
            p.service.name,
            p.cycle.moments.len(),
            p.cycle.critical_count()
        ));
        services.push(DemoService {
            service: p.service,
            cycle: p.cycle,
        });
    }
    let mut take = |key: &str| {
        services
            .iter()
            .position(|s| s.service.key == key)
            .map(|i| services.swap_remove(i))
            .ok_or_else(|| anyhow::anyhow!("the demo has no service '{key}'"))
    };
    let (bank, hotel) = (take("cash-a-cheque")?, take("hotel-check-in")?);
    let sites = load_sites(store, actor).await?;
    Ok((Org { bank, hotel, sites }, summary))
}

/// Create the sites and their staff.
async fn load_sites(store: &dyn Store, actor: &Actor) -> anyhow::Result<Vec<DemoSite>> {
    let mut out = Vec::new();
    for s in &SITES {
        let fields = SiteInput {
            key: Some(s.key.into()),
            name: s.name.into(),
            city: s.city.into(),
            timezone: Some(s.timezone.into()),
            manager_email: Some(s.manager_email.into()),
            active: Some(true),
        }
        .validate()
        .map_err(|e| anyhow::anyhow!("demo site {}: {e}", s.key))?;
        let site = store.create_site(actor, &fields).await?;
        let mut staff = Vec::new();
        for (name, role) in s.staff {
            let fields = StaffInput {
                name: (*name).into(),
                role: (*role).into(),
                site_id: Some(site.id),
                email: staff_email(name, s.key),
                active: Some(true),
            }
            .validate()
            .map_err(|e| anyhow::anyhow!("demo staff {name}: {e}"))?;
            staff.push(store.create_staff(actor, &fields).await?);
        }
        out.push(DemoSite { site, staff });
    }
    Ok(out)
}

/// One login per role, each with its own random password: `(email, role, password, id)`.
async fn load_logins(
    store: &dyn Store,
    actor: &Actor,
) -> anyhow::Result<Vec<(String, Role, String, i64)>> {
    // Hash every password at once: Argon2 is slow, and the machine may have spare cores.
    let mut pending = Vec::new();
    for (local, name, role) in LOGINS {
        let password = user::generate_password();
        let hashing = tokio::task::spawn_blocking({
            let password = password.clone();
            move || touchpoint_server::auth::password::hash_password(&password)
        });
        pending.push((local, name, role, password, hashing));
    }
    let mut logins = Vec::new();
    for (local, name, role, password, hashing) in pending {
        let hash = hashing
            .await
            .context("password hashing stopped")?
            .map_err(|e| anyhow::anyhow!("cannot hash a password: {e}"))?;
        let fields = NewUser {
            email: format!("{local}@{LOGIN_DOMAIN}"),
            name: name.into(),
            role,
            language: None,
        }
        .validate()
        .map_err(|e| anyhow::anyhow!("demo user {local}: {e}"))?;
        let user = store.create_user(actor, &fields, &hash).await?;
        logins.push((fields.email, role, password, user.id));
    }
    Ok(logins)
}
