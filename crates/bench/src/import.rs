//! `touchpoint-bench import`: the wide-CSV import against a bare prepared insert of the same
//! rows into the same SQLite file, at growing file sizes, with the peak memory after each.
use crate::{
    bare::{self, Spec},
    mem::{cpu_seconds, resident_mib},
    setup::{Row, SURVEY_KEY, prepare},
};
use std::{
    fs::File,
    io::{BufWriter, Write},
    path::{Path, PathBuf},
    sync::Arc,
    time::Instant,
};
use touchpoint_cli::{
    commands::responses::{ImportOptions, import_file},
    store_url::open_store,
};
use touchpoint_core::clock::SystemClock;

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Rows of the largest file (smaller checkpoints at 100k and 300k are run first).
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: u64,
    /// Questions of the survey (ratings, then NPS, then a comment).
    #[arg(long, default_value_t = 10)]
    pub questions: usize,
    /// Rows per transaction, for the import and the bare insert alike.
    #[arg(long, default_value_t = 5_000)]
    pub batch: usize,
    /// Directory for the files [default: a temporary directory, removed afterwards]
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Sizes to run, largest last [default: 100000,300000 and --rows]
    #[arg(long, value_delimiter = ',')]
    pub sizes: Vec<u64>,
    /// Keep the files of the largest size (for profiling `import-one` on them).
    #[arg(long)]
    pub keep: bool,
}

/// One import in a process of its own, so its peak memory is its own
/// (`touchpoint-bench import-one`, run by `import`).
#[derive(Debug, clap::Args)]
pub struct ImportOneArgs {
    #[arg(long)]
    pub url: String,
    #[arg(long)]
    pub csv: PathBuf,
    #[arg(long)]
    pub rows: u64,
    #[arg(long)]
    pub batch: usize,
    /// Only read and check the rows.
    #[arg(long)]
    pub dry_run: bool,
}

/// Prints `RATE VMHWM_MIB CORES_BUSY` on one line.
pub async fn import_one(args: ImportOneArgs) -> anyhow::Result<()> {
    let store = open_store(&args.url, Arc::new(SystemClock)).await?;
    let opts = ImportOptions {
        dry_run: args.dry_run,
        all_or_nothing: false,
        batch: args.batch,
        report: None,
        echo: false,
        progress: false,
    };
    let (started, cpu) = (Instant::now(), cpu_seconds());
    let done = import_file(&store, SURVEY_KEY, &args.csv, &opts).await?;
    let elapsed = started.elapsed().as_secs_f64();
    let rate = args.rows as f64 / elapsed;
    let cores = (cpu_seconds() - cpu) / elapsed;
    let expected = if args.dry_run {
        done.counts.valid
    } else {
        done.counts.created
    };
    anyhow::ensure!(
        expected == args.rows && done.counts.rejected == 0,
        "the import did not take every row: {:?}",
        done.counts
    );
    drop(store);
    println!("{rate} {} {cores}", resident_mib().0);
    Ok(())
}

/// Run `import-one` in a child process: `(rows/s, VmHWM MiB, cores busy on average)`.
fn child(
    url: &str,
    csv: &Path,
    rows: u64,
    batch: usize,
    dry_run: bool,
) -> anyhow::Result<(f64, f64, f64)> {
    let mut cmd = std::process::Command::new(std::env::current_exe()?);
    cmd.args(["import-one", "--url", url, "--rows", &rows.to_string()])
        .args(["--batch", &batch.to_string()])
        .arg("--csv")
        .arg(csv);
    if dry_run {
        cmd.arg("--dry-run");
    }
    let out = cmd.output()?;
    anyhow::ensure!(
        out.status.success(),
        "import-one failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace().map(str::parse::<f64>);
    match (it.next(), it.next(), it.next()) {
        (Some(Ok(rate)), Some(Ok(hwm)), Some(Ok(cores))) => Ok((rate, hwm, cores)),
        _ => anyhow::bail!("unexpected import-one output: {text}"),
    }
}

/// Write `rows` rows of the wide format; returns the file size in bytes.
fn write_csv(path: &Path, rows: u64, questions: usize, sites: &[String]) -> anyhow::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    write!(out, "response_id,submitted_at,customer,site,staff,language")?;
    for q in 1..=questions - 2 {
        write!(out, ",m{q}")?;
    }
    writeln!(out, ",recommend,comment")?;
    for i in 0..rows {
        let r = Row::new(i, questions, sites.len());
        write!(
            out,
            "{},{},{},{},,{}",
            r.response_id,
            r.submitted_at.format("%Y-%m-%d %H:%M:%S"),
            r.customer,
            sites[r.site],
            r.language
        )?;
        for s in &r.scores {
            write!(out, ",{s}")?;
        }
        match r.comment {
            Some(c) => writeln!(out, ",\"{c}\"")?,
            None => writeln!(out, ",")?,
        }
    }
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

pub async fn run(args: ImportArgs) -> anyhow::Result<()> {
    let temp = tempfile::tempdir()?;
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let mut sizes: Vec<u64> = match args.sizes.as_slice() {
        [] => [100_000, 300_000, args.rows]
            .into_iter()
            .filter(|n| *n <= args.rows)
            .collect(),
        given => given.to_vec(),
    };
    sizes.dedup();
    let largest = sizes.iter().copied().max().unwrap_or(0);
    println!(
        "{:>9} {:>7} {:>12} {:>12} {:>12} {:>12} {:>9} {:>9} {:>9} {:>5}",
        "rows",
        "csv MiB",
        "bare no idx",
        "bare idx",
        "check only",
        "import",
        "vs idx",
        "vs no idx",
        "VmHWM MiB",
        "cores"
    );
    for rows in sizes {
        let db = dir.join(format!("import-{rows}.db"));
        let csv = dir.join(format!("responses-{rows}.csv"));
        let url = format!("sqlite://{}", db.display());
        let bench = prepare(&url, args.questions).await?;
        let site_keys: Vec<String> = bench.sites.iter().map(|s| s.key.clone()).collect();
        let site_ids: Vec<i64> = bench.sites.iter().map(|s| s.id).collect();
        let spec_ids = (bench.survey.id, bench.version.id);
        drop(bench);
        let bytes = write_csv(&csv, rows, args.questions, &site_keys)?;
        let spec = Spec {
            path: &db,
            rows,
            questions: args.questions,
            site_ids: &site_ids,
            batch: args.batch,
            survey_id: spec_ids.0,
            version_id: spec_ids.1,
        };
        let plain = tokio::task::block_in_place(|| bare::insert(&spec, "bare_plain", false))?;
        let indexed = tokio::task::block_in_place(|| bare::insert(&spec, "bare_indexed", true))?;
        let (check, _, _) = child(&url, &csv, rows, args.batch, true)?;
        let (import, hwm, cores) = child(&url, &csv, rows, args.batch, false)?;
        println!(
            "{rows:>9} {:>7.1} {plain:>12.0} {indexed:>12.0} {check:>12.0} {import:>12.0} {:>8.0}% {:>8.0}% {hwm:>9.1} {cores:>5.2}",
            bytes as f64 / (1024.0 * 1024.0),
            100.0 * import / indexed,
            100.0 * import / plain,
        );
        if args.keep && rows == largest {
            println!("kept {} and {}", csv.display(), db.display());
            continue;
        }
        for f in [&csv, &db] {
            let _ = std::fs::remove_file(f);
        }
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    }
    println!(
        "(rates in rows/s; check only = --dry-run; import = the `touchpoint import responses` \
         code path; VmHWM = peak resident memory of the importing process; cores = its CPU time / wall time)"
    );
    Ok(())
}
