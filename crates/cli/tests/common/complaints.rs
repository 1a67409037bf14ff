//! `import complaints` of the CFPB excerpt through the binary, shared by the SQLite and
//! PostgreSQL tests.
use super::Scratch;
use chrono::Duration;
use std::sync::Arc;
use touchpoint_core::{
    audit::Actor,
    clock::{Clock, SystemClock},
    complaints::{ComplaintFilter, ComplaintStatus, PolicyInput},
    listing::ListQuery,
    store::Store,
};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cfpb");

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

/// The excerpt with row `bad_date` (0-based data row) received on 30 February and row
/// `bad_channel` submitted by carrier pigeon; also the file lines those rows start on.
fn broken_copy(s: &Scratch, bad_date: usize, bad_channel: usize) -> (String, u64, u64) {
    let mut reader = csv::Reader::from_path(fixture("complaints.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let date = headers.iter().position(|h| h == "Date received").unwrap();
    let via = headers.iter().position(|h| h == "Submitted via").unwrap();
    let path = s.path("broken.csv");
    let mut out = csv::Writer::from_path(&path).unwrap();
    out.write_record(&headers).unwrap();
    let text = std::fs::read_to_string(fixture("complaints.csv")).unwrap();
    // The line a record starts on, counted in the file itself: the line its Complaint ID (the
    // last column) ends on, less the line breaks inside its narrative.
    let start_line = |r: &csv::StringRecord| {
        let id = format!(",{}\n", r.get(r.len() - 1).unwrap());
        let end = text.find(&id).expect("the id in the file");
        let breaks: usize = r.iter().map(|c| c.matches('\n').count()).sum();
        (1 + text[..end].matches('\n').count() - breaks) as u64
    };
    let mut lines = (0, 0);
    for (i, r) in reader.records().enumerate() {
        let r = r.unwrap();
        let line = start_line(&r);
        let mut cells: Vec<String> = r.iter().map(str::to_string).collect();
        if i == bad_date {
            cells[date] = "2020-02-30".into();
            lines.0 = line;
        }
        if i == bad_channel {
            cells[via] = "Carrier pigeon".into();
            lines.1 = line;
        }
        out.write_record(&cells).unwrap();
    }
    out.flush().unwrap();
    (path, lines.0, lines.1)
}

fn count_line(stdout: &str) -> &str {
    stdout
        .lines()
        .find(|l| l.contains("rows read"))
        .unwrap_or(stdout)
}

async fn total(store: &Arc<dyn Store>, status: Option<ComplaintStatus>) -> u64 {
    let f = ComplaintFilter {
        status,
        ..ComplaintFilter::default()
    };
    let page = store
        .list_complaints(&f, &ListQuery::default())
        .await
        .unwrap();
    page.total as u64
}

pub async fn cfpb_excerpt_imports_once_and_reports_bad_rows(s: &Scratch) {
    s.run(&["migrate"]).expect(0);
    s.run(&["import", "cycle", &fixture("consumer-finance.yaml")])
        .expect(0);
    let store = touchpoint_cli::store_url::open_store(&s.url, Arc::new(SystemClock))
        .await
        .unwrap();
    // A policy for every medium complaint: only the open imported cases may get its promises.
    let policy = PolicyInput {
        severity: "medium".into(),
        channel: None,
        acknowledge_minutes: Some(60),
        first_response_minutes: Some(24 * 60),
        update_minutes: None,
        resolve_minutes: Some(10 * 24 * 60),
        business_time: false,
        resolution_survey_key: None,
    };
    store
        .save_policy(&Actor::system("test"), &policy.validate().unwrap())
        .await
        .unwrap();
    let mapping = fixture("mapping.yaml");
    let import = |file: &str, flags: &[&str], code: i32| {
        let mut args = vec!["import", "complaints", file, "--mapping", &mapping];
        args.extend_from_slice(flags);
        s.run(&args).expect(code)
    };

    let (broken, date_line, via_line) = broken_copy(s, 3, 7);
    let out = import(&broken, &["--all-or-nothing"], 3);
    assert!(
        out.stdout.contains("--all-or-nothing: nothing was written"),
        "{out:#?}"
    );
    let out = import(&broken, &["--dry-run"], 3);
    assert!(
        out.stdout.contains("dry run: nothing was written"),
        "{out:#?}"
    );
    assert_eq!(total(&store, None).await, 0, "nothing was written");

    let out = import(&broken, &[], 3);
    let report: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("line"))
        .collect();
    assert_eq!(
        report,
        [
            format!(
                "line {date_line}, column 1 (Date received): '2020-02-30' is not a date in the \
                 mapping's format %Y-%m-%d"
            ),
            format!(
                "line {via_line}, column 13 (Submitted via): channel: 'Carrier pigeon' is not \
                 in the mapping's values (Email, Fax, Phone, Postal mail, Referral, Web); add it \
                 to the mapping file"
            ),
        ],
        "{out:#?}"
    );
    assert_eq!(
        count_line(&out.stdout),
        format!("{broken}: 199 rows read: 197 created, 0 already present, 2 rejected")
    );
    assert_eq!(total(&store, None).await, 197);

    // The clean excerpt adds only the two rows that were bad; once more adds nothing.
    let clean = fixture("complaints.csv");
    let out = import(&clean, &[], 0);
    assert!(
        count_line(&out.stdout)
            .ends_with("199 rows read: 2 created, 197 already present, 0 rejected"),
        "{out:#?}"
    );
    let out = import(&clean, &[], 0);
    assert!(
        count_line(&out.stdout)
            .ends_with("199 rows read: 0 created, 199 already present, 0 rejected"),
        "{out:#?}"
    );
    assert_eq!(total(&store, None).await, 199);
    // 192 closed by the company; the 7 in progress or answered late are open.
    assert_eq!(total(&store, Some(ComplaintStatus::Closed)).await, 192);
    assert_eq!(total(&store, Some(ComplaintStatus::Received)).await, 7);

    // Years-old cases never escalate: the closed ones have no promises, the open ones owe
    // theirs from the import on.
    let now = SystemClock.now();
    let claimed = store
        .claim_due_promises(now + Duration::minutes(1), "test", 1000)
        .await
        .unwrap();
    assert!(claimed.is_empty(), "{claimed:?}");
    let page = store
        .list_complaints(&ComplaintFilter::default(), &ListQuery::default())
        .await
        .unwrap();
    for c in &page.items {
        let promises = store.complaint_promises(c.id).await.unwrap();
        match c.status {
            ComplaintStatus::Closed => assert!(promises.is_empty(), "{}", c.reference),
            _ => assert_eq!(promises.len(), 3, "{}", c.reference),
        }
        assert!(
            c.reference
                .starts_with(&format!("C-{}-", c.received_at.format("%Y")))
        );
    }
    let debt = ComplaintFilter {
        moment_key: Some("debt-collection".into()),
        ..ComplaintFilter::default()
    };
    let page = store
        .list_complaints(&debt, &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total, 42);
}
