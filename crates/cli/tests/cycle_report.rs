//! `touchpoint report cycle` on the demo (SQLite) in every format, in both languages, to
//! standard output and to a file; unknown services, sites and periods are usage errors.
mod common;

use common::{
    Scratch,
    report::{CSV_HEADER, demo, json, refusals},
};

#[test]
fn the_cycle_report_comes_in_every_format() {
    let s = Scratch::new();
    demo(&s);

    // Text: moments in cycle order with their status and figures, then the priorities.
    let text = s
        .run(&["report", "cycle", "cash-a-cheque"])
        .expect(0)
        .stdout;
    assert!(text.starts_with("Cycle report: Cash a cheque\n"), "{text}");
    assert!(text.contains("Organisation: Banco Andino"));
    let travel = text.find(" 1. Travel to the branch").expect("first moment");
    let wait = text
        .find(" 6. Wait for the turn [Critical] — Below target")
        .expect("the wait");
    let home = text.find("14. Travel home").expect("last moment");
    assert!(travel < wait && wait < home, "cycle order");
    assert!(text.contains("CSAT: ") && text.contains("(95% interval "));
    let ranks = &text[text.find("\nPriorities\n").expect("priorities")..];
    assert!(
        ranks.contains(" 1. 6. Wait for the turn [Critical]"),
        "the weak critical wait ranks first: {ranks}"
    );
    assert!(ranks.contains("Ranks first because it is critical"));
    assert!(ranks.contains("below target at Banco Andino — Norte"));
    let pareto = &text[text.find("Root causes (Pareto):").expect("the Pareto")..];
    assert!(
        pareto.contains(" 1. ") && pareto.contains("[Vital few]"),
        "{pareto}"
    );
    assert!(text.contains("Estimates from assumptions: These are estimates, not measurements"));

    let es = s
        .run(&["report", "cycle", "cash-a-cheque", "--lang", "es"])
        .expect(0)
        .stdout;
    assert!(es.starts_with("Informe del ciclo: Cash a cheque\n"));
    assert!(es.contains("Queda en primer lugar porque es un momento crítico"));

    let r = json(&s);

    // CSV: one long table, every row with the ten columns, scorecard and priorities present.
    let csv = s
        .run(&["report", "cycle", "cash-a-cheque", "--format", "csv"])
        .expect(0)
        .stdout;
    assert_eq!(csv.lines().next(), Some(CSV_HEADER));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert!(rows.iter().all(|r| r.len() == 10));
    let find = |section: &str, key: &str, item: &str, figure: &str| {
        rows.iter()
            .find(|r| r[0] == *section && r[2] == *key && r[4] == *item && r[5] == *figure)
            .unwrap_or_else(|| panic!("no {section} {key} {item} {figure}"))
    };
    let csat = find("scorecard", "wait-turn", "", "csat");
    let expected = &r["scorecard"]["moments"][5]["csat"]["current"];
    assert_eq!(
        csat[6].parse::<f64>().unwrap(),
        expected["value"].as_f64().unwrap()
    );
    assert_eq!(
        csat[7].parse::<f64>().unwrap(),
        expected["low"].as_f64().unwrap()
    );
    assert_eq!(csat[9], expected["n"].to_string());
    assert_eq!(&find("scorecard", "wait-turn", "", "status")[6], "poor");
    assert_eq!(&find("priorities", "wait-turn", "", "rank")[6], "1");
    assert_eq!(
        &find("priorities", "wait-turn", "criticality", "points")[6],
        "30"
    );
    assert_eq!(
        &find("consistency", "wait-turn", "site/norte", "mean")[3],
        "Wait for the turn"
    );
    assert!(
        rows.iter()
            .any(|r| &r[0] == "complaints" && r[4].starts_with("cause/"))
    );
    assert!(rows.iter().any(|r| &r[0] == "complaint_estimates"));
    assert!(
        rows.iter()
            .any(|r| &r[0] == "action_plans" && &r[5] == "verdict")
    );

    // HTML: the printable page's document, without the screen-only toolbar, written to a file.
    let file = s.path("report.html");
    let out = s
        .run(&[
            "report",
            "cycle",
            "cash-a-cheque",
            "--format",
            "html",
            "--lang",
            "es",
            "-o",
            &file,
        ])
        .expect(0);
    assert!(out.stdout.is_empty(), "nothing on stdout with --output");
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains(r#"<html lang="es">"#));
    assert!(html.contains("Informe del ciclo: Cash a cheque"));
    assert!(html.contains(r#"<svg class="journey-svg""#));
    assert!(html.contains(r#"<svg class="ipa-svg""#));
    assert!(html.contains(r#"<svg class="pareto-svg""#));
    assert!(html.contains("<style>") && html.contains("@media print"));
    assert!(!html.contains(r#"class="toolbar"#) && !html.contains("/static/"));

    // One branch: the heading and the data follow it.
    let norte = s
        .run(&[
            "report",
            "cycle",
            "cash-a-cheque",
            "--site",
            "norte",
            "--format",
            "json",
        ])
        .expect(0);
    let norte: serde_json::Value = serde_json::from_str(&norte.stdout).unwrap();
    assert_eq!(norte["site"]["key"], "norte");
    assert_eq!(norte["scorecard"]["site_id"], norte["site"]["id"]);

    // Chosen weights rank with them and say so; an unusable one names its flag.
    let weighted = s
        .run(&[
            "report",
            "cycle",
            "cash-a-cheque",
            "--w-gap",
            "0",
            "--w-complaints",
            "2.5",
        ])
        .expect(0);
    assert!(
        weighted
            .stdout
            .contains("chosen for this report instead of the defaults"),
        "{}",
        weighted.stdout
    );
    let out = s
        .run(&["report", "cycle", "cash-a-cheque", "--w-gap", "-1"])
        .expect(2);
    assert!(
        out.stderr
            .contains("--w-gap: must be a number of 0 or more"),
        "{}",
        out.stderr
    );

    refusals(&s);
}
