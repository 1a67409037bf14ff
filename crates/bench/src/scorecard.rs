//! Scorecard latency as the answers grow: a 14-moment cycle, one question per moment (ratings,
//! two effort questions and an NPS question), answers spread over the year before today at
//! five sites, written through the store's batched submissions (roll-ups included). At each
//! level of stored answers (default 10 thousand, 1 million, 10 million) it times the one-year
//! scorecard exactly as the API loads it. With `--duckdb PYTHON`, the same answers are also
//! written as CSV and the same per-moment figures are computed by DuckDB from that CSV and
//! from a Parquet copy, in the same run (`scripts/bench-duckdb.sh` makes such a Python).
use chrono::{Duration, NaiveDate, Utc};
use std::{
    fs::File,
    io::{BufWriter, Write},
    path::{Path, PathBuf},
    process::Command,
    sync::Arc,
    time::{Duration as Elapsed, Instant},
};
use touchpoint_cli::commands::survey::{context_for, publish, save_draft};
use touchpoint_core::{
    analytics::Period,
    audit::Actor,
    clock::SystemClock,
    feedback::{
        AnswerValue, Audience, Localized, QuestionDraft, QuestionKind, SurveyDraft,
        records::{NewResponse, ResponseSource, StoredAnswer, SurveyVersion},
    },
    store::Store,
};
use touchpoint_server::feedback::scorecard::load_scorecard;
use touchpoint_store_sqlite::SqliteStore;
use touchpoint_test_support::{sample_cycle, sample_service_fields, sample_site_fields};

const MOMENTS: usize = 14;
const SITES: usize = 5;
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scorecard_duckdb.py");

#[derive(Debug, clap::Args)]
pub struct ScorecardArgs {
    /// Stored answers at which the scorecard is timed, ascending.
    #[arg(long, value_delimiter = ',', default_values_t = [10_000u64, 1_000_000, 10_000_000])]
    pub levels: Vec<u64>,
    /// Timed scorecards per level.
    #[arg(long, default_value_t = 15)]
    pub runs: usize,
    /// The SQLite file (a temporary one by default); it must not exist.
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// A Python with the `duckdb` package: also time DuckDB on a CSV and a Parquet export.
    #[arg(long)]
    pub duckdb: Option<PathBuf>,
}

/// (code, kind) of moment `i`'s question: mostly ratings, effort at two moments, NPS at one.
fn question_of(i: usize) -> (String, QuestionKind) {
    let kind = match i {
        4 | 9 => QuestionKind::Effort,
        13 => QuestionKind::Nps,
        _ => QuestionKind::Rating,
    };
    (format!("q{}", i + 1), kind)
}

struct World {
    store: Arc<dyn Store>,
    service_id: i64,
    version: SurveyVersion,
    sites: Vec<i64>,
}

async fn prepare(url: &str) -> anyhow::Result<World> {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(url, Arc::new(SystemClock))?);
    let actor = Actor::system("bench");
    let service = store
        .create_service(&actor, &sample_service_fields("bench"))
        .await?;
    store
        .publish_cycle(&actor, service.id, &sample_cycle(MOMENTS, &[3, 7, 11]))
        .await?;
    let mut sites = Vec::new();
    for s in 0..SITES {
        let f = sample_site_fields(&format!("site-{s}"));
        sites.push(store.create_site(&actor, &f).await?.id);
    }
    let questions = (0..MOMENTS)
        .map(|i| {
            let (code, kind) = question_of(i);
            QuestionDraft {
                text: Localized::en_es(format!("Question {code}"), format!("Pregunta {code}")),
                code,
                kind,
                moment_key: Some(format!("m{}", i + 1)),
                dimension: None,
                required: false,
                options: Vec::new(),
            }
        })
        .collect();
    let draft = SurveyDraft {
        key: "bench-cycle".into(),
        service_key: Some("bench".into()),
        audience: Audience::Customers,
        languages: vec!["en".into(), "es".into()],
        title: Localized::en_es("Cycle", "Ciclo"),
        intro: Localized::new(),
        thank_you: Localized::new(),
        questions,
    };
    let ctx = context_for(store.as_ref(), draft.service_key.as_deref()).await?;
    let def = draft
        .validate(&ctx)
        .map_err(|e| anyhow::anyhow!("bench survey: {e}"))?;
    let (survey, _) = save_draft(store.as_ref(), &actor, &def).await?;
    let version = publish(store.as_ref(), &actor, &survey)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the bench survey was already published"))?;
    Ok(World {
        store,
        service_id: service.id,
        version,
        sites,
    })
}

/// Score of answer `q` of response `i`: deterministic, spread over the whole scale.
fn score(i: u64, q: usize, kind: QuestionKind) -> i32 {
    let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20;
    let (min, span) = match kind {
        QuestionKind::Effort => (1, 7),
        QuestionKind::Nps => (0, 11),
        _ => (1, 5),
    };
    min + ((h + q as u64 * 7) % span) as i32
}

/// Responses `from..to`, each answering every moment, spread over the 365 days before now;
/// each answer is also written to `csv` as `day,site,moment,kind,score`.
fn responses(w: &World, from: u64, to: u64, csv: &mut Option<BufWriter<File>>) -> Vec<NewResponse> {
    let now = Utc::now();
    (from..to)
        .map(|i| {
            let at = now - Duration::seconds(((i * 7_919) % (365 * 86_400)) as i64);
            let site = w.sites[(i % SITES as u64) as usize];
            let answers: Vec<StoredAnswer> = (0..MOMENTS)
                .map(|q| {
                    let (code, kind) = question_of(q);
                    let s = score(i, q, kind);
                    if let Some(out) = csv.as_mut() {
                        let _ = writeln!(
                            out,
                            "{},{site},m{},{},{s}",
                            at.date_naive(),
                            q + 1,
                            kind.as_str()
                        );
                    }
                    StoredAnswer {
                        moment_id: w.version.moment_ids.get(&code).copied(),
                        question_code: code,
                        kind,
                        dimension: None,
                        value: AnswerValue::Score(s),
                    }
                })
                .collect();
            NewResponse {
                survey_id: w.version.survey_id,
                survey_version_id: w.version.id,
                source: ResponseSource::Import,
                external_id: Some(format!("R{i:09}")),
                idempotency_key: None,
                link_id: None,
                submitted_at: at,
                customer: None,
                site_id: Some(site),
                staff_id: None,
                language: "en".into(),
                answers,
            }
        })
        .collect()
}

fn percentile(sorted: &[Elapsed], p: f64) -> Elapsed {
    let at = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[at]
}

fn ms(d: Elapsed) -> f64 {
    d.as_secs_f64() * 1e3
}

/// DuckDB's figures for the CSV and its Parquet copy: (csv ms, parquet ms).
fn duckdb(python: &Path, csv: &Path, from: NaiveDate, to: NaiveDate) -> anyhow::Result<(f64, f64)> {
    let out = Command::new(python)
        .arg(SCRIPT)
        .arg(csv)
        .arg(from.to_string())
        .arg(to.to_string())
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "duckdb script: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let get = |k: &str| {
        v[k].as_f64()
            .ok_or_else(|| anyhow::anyhow!("no {k} in {v}"))
    };
    Ok((get("csv_ms")?, get("parquet_ms")?))
}

pub async fn run(args: ScorecardArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = args
        .db
        .clone()
        .unwrap_or_else(|| dir.path().join("scorecard.db"));
    anyhow::ensure!(!path.exists(), "{} exists; give a new file", path.display());
    let w = prepare(&format!("sqlite://{}", path.display())).await?;
    let csv_path = dir.path().join("answers.csv");
    let mut csv = match &args.duckdb {
        Some(_) => {
            let mut f = BufWriter::new(File::create(&csv_path)?);
            writeln!(f, "day,site,moment,kind,score")?;
            Some(f)
        }
        None => None,
    };
    let today = Utc::now().date_naive();
    let period = Period {
        from: today - Duration::days(364),
        to: today,
    };
    println!(
        "{:>10} {:>10} {:>9} {:>9} {:>9} {:>11} {:>11}",
        "answers", "responses", "min ms", "p50 ms", "p95 ms", "duckdb csv", "duckdb pq"
    );
    let mut stored = 0u64;
    for &level in &args.levels {
        let target = level.div_ceil(MOMENTS as u64);
        let started = Instant::now();
        while stored < target {
            let end = (stored + 10_000).min(target);
            let batch = responses(&w, stored, end, &mut csv);
            for o in w.store.submit_responses(&batch).await? {
                o?;
            }
            stored = end;
        }
        eprintln!(
            "{} answers stored ({:.1?} for this level)",
            stored * MOMENTS as u64,
            started.elapsed()
        );
        // One untimed load first: the timed ones measure a warm server (page cache and
        // prepared statements), not the first request after a burst of writes.
        load_scorecard(w.store.as_ref(), w.service_id, period, None).await?;
        let mut times = Vec::with_capacity(args.runs);
        for _ in 0..args.runs.max(1) {
            let t = Instant::now();
            let card = load_scorecard(w.store.as_ref(), w.service_id, period, None)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no cycle"))?;
            times.push(t.elapsed());
            anyhow::ensure!(card.moments.len() == MOMENTS);
            let answers: u64 = card.moments.iter().map(|m| m.answers).sum();
            anyhow::ensure!(
                answers <= stored * MOMENTS as u64 && answers > 0,
                "the scorecard counts {answers} answers"
            );
        }
        times.sort();
        let (csv_ms, pq_ms) = match (&args.duckdb, csv.as_mut()) {
            (Some(python), Some(f)) => {
                f.flush()?;
                let (c, p) = duckdb(python, &csv_path, period.from, period.to)?;
                (format!("{c:.1}"), format!("{p:.1}"))
            }
            _ => ("-".into(), "-".into()),
        };
        println!(
            "{:>10} {:>10} {:>9.2} {:>9.2} {:>9.2} {:>11} {:>11}",
            stored * MOMENTS as u64,
            stored,
            ms(times[0]),
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            csv_ms,
            pq_ms
        );
    }
    Ok(())
}
