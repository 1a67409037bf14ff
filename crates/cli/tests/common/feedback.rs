//! Import and export scenarios run by the real binary, shared by the SQLite and PostgreSQL
//! tests. The organization (cycles, sites, staff) is set up through the library; everything
//! under test goes through the `touchpoint` binary.
use super::Scratch;
use std::sync::Arc;
use touchpoint_cli::{commands::demo::load_org, store_url::open_store};
use touchpoint_core::{audit::Actor, clock::SystemClock};

pub fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The demo's cycles, sites and staff (no logins, no feedback) and the fixture survey,
/// imported and published with the binary.
pub async fn org_with_survey(s: &Scratch) {
    let store = open_store(&s.url, Arc::new(SystemClock)).await.unwrap();
    load_org(store.as_ref(), &Actor::system("test"))
        .await
        .unwrap();
    drop(store);
    let survey = fixture("branch-visit.yaml");
    let out = s.run(&["import", "survey", &survey, "--publish"]).expect(0);
    assert!(
        out.stdout
            .contains("published survey branch-visit version 1"),
        "{}",
        out.stdout
    );
}

/// Problem lines of a report (`line L…`).
pub fn problems(stdout: &str) -> Vec<&str> {
    stdout.lines().filter(|l| l.starts_with("line ")).collect()
}

/// The exported responses file (header included).
pub fn export(s: &Scratch) -> String {
    s.run(&["export", "responses", "--survey", "branch-visit"])
        .expect(0)
        .stdout
}

fn import(s: &Scratch, file: &str, extra: &[&str], code: i32) -> String {
    let mut args = vec!["import", "responses", "--survey", "branch-visit", file];
    args.extend_from_slice(extra);
    s.run(&args).expect(code).stdout
}

/// The acceptance file: two bad lines reported, the rest kept; re-import and export →
/// import create nothing new.
pub async fn keeps_good_rows_and_reports_bad_ones(s: &Scratch) {
    org_with_survey(s).await;
    let file = fixture("responses.csv");
    let report = s.path("report.csv");
    let out = import(s, &file, &["--report", &report, "--batch-size", "7"], 3);
    let bad = problems(&out);
    assert_eq!(bad.len(), 2, "{out}");
    assert!(
        bad[0].starts_with("line 7, column 2 (submitted_at): "),
        "{out}"
    );
    assert!(
        bad[1].starts_with("line 12, column 8 (recommend): '11' is out of range"),
        "{out}"
    );
    assert!(
        out.contains("20 rows read: 18 created, 0 already present, 2 rejected"),
        "{out}"
    );
    let csv = std::fs::read_to_string(&report).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "line,column,column_name,reason");
    assert!(lines[1].starts_with("7,2,submitted_at,") && lines[2].starts_with("12,8,recommend,"));
    assert_eq!(lines.len(), 3, "{csv}");

    let again = import(s, &file, &[], 3);
    assert!(
        again.contains("20 rows read: 0 created, 18 already present, 2 rejected"),
        "{again}"
    );
    let first = export(s);
    assert_eq!(first.lines().count(), 19, "{first}");
    assert!(
        first.contains("R-020,2026-03-20T10:20:00Z,C-120,centro,"),
        "{first}"
    );
    assert!(first.contains("\"Long wait, but, friendly\""), "{first}");
    std::fs::write(s.path("export.csv"), &first).unwrap();
    let round = import(s, &s.path("export.csv"), &[], 0);
    assert!(
        round.contains("18 rows read: 0 created, 18 already present, 0 rejected"),
        "{round}"
    );
    assert_eq!(export(s), first, "the round trip changed nothing");
}

/// `--all-or-nothing` and `--dry-run` write nothing; a clean file then imports whole.
pub async fn all_or_nothing_and_dry_run_write_nothing(s: &Scratch) {
    org_with_survey(s).await;
    let file = fixture("responses.csv");
    let out = import(s, &file, &["--all-or-nothing"], 3);
    assert_eq!(problems(&out).len(), 2, "{out}");
    assert!(
        out.contains("--all-or-nothing: nothing was written"),
        "{out}"
    );
    assert_eq!(export(s).lines().count(), 1, "only the header");

    let out = import(s, &file, &["--dry-run"], 3);
    assert_eq!(problems(&out).len(), 2, "{out}");
    assert!(out.contains("18 valid, 2 rejected"), "{out}");
    assert_eq!(export(s).lines().count(), 1, "a dry run writes nothing");

    let text = std::fs::read_to_string(&file).unwrap();
    let clean: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, _)| *i + 1 != 7 && *i + 1 != 12)
        .map(|(_, l)| l)
        .collect();
    std::fs::write(s.path("clean.csv"), clean.join("\n")).unwrap();
    let out = import(s, &s.path("clean.csv"), &["--dry-run"], 0);
    assert!(out.contains("18 valid, 0 rejected"), "{out}");
    let out = import(s, &s.path("clean.csv"), &["--all-or-nothing"], 0);
    assert!(out.contains("18 created"), "{out}");
    assert_eq!(export(s).lines().count(), 19);
}

/// A header that does not fit the survey is a usage error naming the column.
pub async fn unknown_column_is_named(s: &Scratch) {
    org_with_survey(s).await;
    let text = std::fs::read_to_string(fixture("responses.csv")).unwrap();
    let with_colour: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{l},{}", if i == 0 { "colour" } else { "blue" }))
        .collect();
    std::fs::write(s.path("colour.csv"), with_colour.join("\n")).unwrap();
    let out = s.run(&[
        "import",
        "responses",
        "--survey",
        "branch-visit",
        &s.path("colour.csv"),
    ]);
    let out = out.expect(2);
    assert!(
        out.stderr
            .contains("line 1, column 14 (colour): unknown column 'colour'"),
        "{}",
        out.stderr
    );
    assert_eq!(export(s).lines().count(), 1, "nothing was written");
    let missing = s.run(&[
        "import",
        "responses",
        "--survey",
        "nope",
        &s.path("colour.csv"),
    ]);
    assert!(missing.expect(1).stderr.contains("no survey 'nope'"));
}

/// Measurements are judged; bad rows are named by line and column; re-import adds nothing.
pub async fn measurements_are_judged_and_bad_rows_reported(s: &Scratch) {
    org_with_survey(s).await;
    let file = fixture("measurements.csv");
    let out = s
        .run(&["import", "measurements", &file, "--dry-run"])
        .expect(3);
    assert!(out.stdout.contains("4 valid, 2 rejected"), "{}", out.stdout);
    let out = s.run(&["import", "measurements", &file]).expect(3);
    let bad = problems(&out.stdout);
    assert_eq!(bad.len(), 2, "{}", out.stdout);
    assert!(bad[0].starts_with("line 5, column 6 (value): 'about ten' is not a number"));
    assert!(bad[1].starts_with("line 6, column 4 (site): no site with key 'sur'"));
    assert!(
        out.stdout
            .contains("4 created, 0 already present, 2 rejected; 2 met their standard, 2 did not"),
        "{}",
        out.stdout
    );
    let again = s.run(&["import", "measurements", &file]).expect(3);
    assert!(
        again.stdout.contains("0 created, 4 already present"),
        "{}",
        again.stdout
    );
}

/// Survey files: export → import is lossless, and publishing an unchanged draft is a no-op.
pub async fn survey_files_round_trip(s: &Scratch) {
    org_with_survey(s).await;
    let first = s
        .run(&["export", "survey", "branch-visit"])
        .expect(0)
        .stdout;
    assert!(first.contains("\nversion: 1\n"), "{first}");
    std::fs::write(s.path("survey.json"), {
        let json = s.run(&["export", "survey", "branch-visit", "--format", "json"]);
        json.expect(0).stdout
    })
    .unwrap();
    let out = s
        .run(&["import", "survey", &s.path("survey.json")])
        .expect(0);
    assert!(
        out.stdout
            .contains("replaced the draft of survey branch-visit")
    );
    let out = s.run(&["survey", "publish", "branch-visit"]).expect(0);
    assert!(
        out.stdout.contains("unchanged since version 1"),
        "{}",
        out.stdout
    );
    assert_eq!(
        s.run(&["export", "survey", "branch-visit"])
            .expect(0)
            .stdout,
        first
    );
    let edited = first.replace("Is this your first visit?", "First time here?");
    std::fs::write(s.path("edited.yaml"), edited).unwrap();
    let out = s.run(&["import", "survey", &s.path("edited.yaml"), "--publish"]);
    assert!(out.expect(0).stdout.contains("version 2"));
    let v1 = s.run(&["export", "survey", "branch-visit", "--version", "1"]);
    assert_eq!(v1.expect(0).stdout, first, "version 1 is frozen");
}

/// `rebuild-rollups` recomputes the roll-ups of imported responses and finds them as kept.
pub async fn rebuild_rollups_finds_them_as_kept(s: &Scratch) {
    use touchpoint_core::feedback::records::RollupQuery;
    org_with_survey(s).await;
    import(s, &fixture("responses.csv"), &[], 3);
    let store = open_store(&s.url, Arc::new(SystemClock)).await.unwrap();
    let kept = store.rollups(&RollupQuery::default()).await.unwrap();
    assert!(!kept.is_empty());
    let out = s
        .run(&["rebuild-rollups", "--survey", "branch-visit"])
        .expect(0)
        .stdout;
    assert!(
        out.contains(&format!(
            "branch-visit: 18 responses, {} roll-up rows",
            kept.len()
        )),
        "{out}"
    );
    assert_eq!(store.rollups(&RollupQuery::default()).await.unwrap(), kept);
    let out = s.run(&["rebuild-rollups"]).expect(0).stdout;
    assert!(
        out.contains("rebuilt the roll-ups of 1 surveys: 18 responses"),
        "{out}"
    );
    let out = s.run(&["rebuild-rollups", "--survey", "nope"]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("no survey 'nope'"), "{}", out.stderr);
}
