//! `touchpoint report cycle` on the demo, run by the real binary in every format; shared by
//! the SQLite and PostgreSQL tests.
use super::Scratch;

pub const CSV_HEADER: &str =
    "section,moment_position,moment_key,moment_name,item,figure,value,low,high,n";

/// The demo, loaded once, with the organisation's name in the scratch directory's
/// `touchpoint.toml` (the working directory of every run).
pub fn demo(s: &Scratch) {
    std::fs::write(
        s.dir.path().join("touchpoint.toml"),
        "organisation = \"Banco Andino\"\n",
    )
    .unwrap();
    s.run(&["demo", "--no-serve"]).expect(0);
}

/// JSON: every moment of the bank cycle in order, the planted weakness ranked first, the
/// organisation from the config file, and the same report by id as by key.
pub fn json(s: &Scratch) -> serde_json::Value {
    let out = s
        .run(&["report", "cycle", "cash-a-cheque", "--format", "json"])
        .expect(0);
    let r: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(r["organisation"], "Banco Andino");
    assert_eq!(r["service"]["key"], "cash-a-cheque");
    let moments = r["scorecard"]["moments"].as_array().expect("moments");
    assert_eq!(moments.len(), 14);
    assert_eq!(moments[0]["key"], "travel-to-branch");
    assert_eq!(moments[5]["key"], "wait-turn");
    assert_eq!(moments[5]["status"], "poor", "{}", moments[5]);
    let first = &r["priorities"]["moments"][0];
    assert_eq!(first["key"], "wait-turn");
    let worst = first["worst_site"]["site_id"]
        .as_i64()
        .expect("a worst site");
    let sites = r["sites"].as_array().unwrap();
    let norte = sites.iter().find(|x| x["id"] == worst).expect("the site");
    assert_eq!(norte["key"], "norte");
    assert!(r["complaints"]["complaints"].as_u64().unwrap() > 0);
    assert!(!r["action_plans"].as_array().unwrap().is_empty());
    let id = r["service"]["id"].as_i64().unwrap().to_string();
    let by_id = s
        .run(&["report", "cycle", &id, "--format", "json"])
        .expect(0);
    let by_id: serde_json::Value = serde_json::from_str(&by_id.stdout).unwrap();
    assert_eq!(by_id["scorecard"], r["scorecard"]);
    r
}

/// Unknown service and site, and a reversed period: usage errors naming what is wrong.
pub fn refusals(s: &Scratch) {
    let out = s.run(&["report", "cycle", "no-such-service"]).expect(2);
    assert!(
        out.stderr.contains("no service 'no-such-service'"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
    let out = s
        .run(&["report", "cycle", "cash-a-cheque", "--site", "sur"])
        .expect(2);
    assert!(out.stderr.contains("no site 'sur'"), "{}", out.stderr);
    assert!(out.stderr.contains("norte"), "the known sites are listed");
    let out = s
        .run(&[
            "report",
            "cycle",
            "cash-a-cheque",
            "--from",
            "2026-05-01",
            "--to",
            "2026-04-01",
        ])
        .expect(2);
    assert!(
        out.stderr.contains("--to: must not be before"),
        "{}",
        out.stderr
    );
    let out = s
        .run(&["report", "cycle", "cash-a-cheque", "--from", "yesterday"])
        .expect(2);
    assert!(out.stderr.contains("YYYY-MM-DD"), "{}", out.stderr);
}
