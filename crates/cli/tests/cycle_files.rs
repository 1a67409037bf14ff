//! `import cycle` / `export cycle`: round trips, and bad files that write nothing.
mod common;

use common::Scratch;

const CYCLE: &str = "\
service:
  key: renew-policy
  name: Renew a policy
moments:
  - key: reminder
    name: Renewal reminder
    channel: email
    standards:
      - reminder_days >= 30 days
  - key: call
    name: Call to confirm
    channel: phone
    role: Agent
    critical: true
    standards:
      - rings <= 3
      - hold_seconds <= 17 s
";

fn scratch_with_cycle() -> Scratch {
    let s = Scratch::new();
    std::fs::write(s.path("renew.yaml"), CYCLE).unwrap();
    let out = s.run(&["import", "cycle", &s.path("renew.yaml")]).expect(0);
    assert!(
        out.stdout.contains("created service renew-policy"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("version 1"), "{}", out.stdout);
    s
}

/// The file without its informational `version:` line (the only line that changes).
fn without_version(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("version:") && !l.starts_with("  \"version\":"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn export_import_export_is_lossless_and_bumps_the_version() {
    let s = scratch_with_cycle();
    for format in ["yaml", "json"] {
        let first = s.run(&["export", "cycle", "renew-policy", "--format", format]);
        let first = first.expect(0).stdout;
        let file = s.path(&format!("exported.{format}"));
        std::fs::write(&file, &first).unwrap();
        let imported = s.run(&["import", "cycle", &file]).expect(0).stdout;
        assert!(
            imported.contains("existing service renew-policy"),
            "{imported}"
        );
        let second = s.run(&["export", "cycle", "renew-policy", "--format", format]);
        let second = second.expect(0).stdout;
        assert_eq!(without_version(&first), without_version(&second));
        assert_ne!(first, second, "the version line moves on");
    }
    let latest = s.run(&["export", "cycle", "renew-policy"]).expect(0).stdout;
    assert!(latest.contains("\nversion: 3\n"), "{latest}");
    let v1 = s
        .run(&["export", "cycle", "1", "--version", "1"])
        .expect(0)
        .stdout;
    assert!(v1.contains("\nversion: 1\n"), "{v1}");
    assert_eq!(without_version(&v1), without_version(&latest));
}

#[test]
fn export_writes_a_file_in_the_format_of_its_extension() {
    let s = scratch_with_cycle();
    let path = s.path("out.json");
    let out = s
        .run(&["export", "cycle", "renew-policy", "-o", &path])
        .expect(0);
    assert!(out.stdout.is_empty());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(json["moments"][1]["standards"][1]["threshold"], 17.0);
}

#[test]
fn import_reads_yaml_from_stdin() {
    let s = Scratch::new();
    let out = s
        .run_with_stdin(&["import", "cycle", "-"], Some(CYCLE))
        .expect(0);
    assert!(
        out.stdout.contains("2 moments, 1 critical"),
        "{}",
        out.stdout
    );
}

/// Import `text` as `name`; it must fail with exit code 2 and leave the database as it was.
fn rejected(s: &Scratch, name: &str, text: &str) -> String {
    let before = s.run(&["export", "cycle", "renew-policy"]).expect(0).stdout;
    std::fs::write(s.path(name), text).unwrap();
    let out = s.run(&["import", "cycle", &s.path(name)]).expect(2);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    assert!(
        !out.stderr.contains("Error {"),
        "no debug noise: {}",
        out.stderr
    );
    let after = s.run(&["export", "cycle", "renew-policy"]).expect(0).stdout;
    assert_eq!(before, after, "nothing was written");
    out.stderr
}

#[test]
fn a_yaml_syntax_error_names_file_line_and_column() {
    let s = scratch_with_cycle();
    let broken = CYCLE.replace(
        "    channel: phone\n",
        "    channel: phone\n   critical: [\n",
    );
    let err = rejected(&s, "broken.yaml", &broken);
    let path = s.path("broken.yaml");
    let location = err
        .strip_prefix(&format!("error: {path}:"))
        .unwrap_or_else(|| panic!("{err}"));
    let (line, rest) = location.split_once(':').unwrap();
    let (column, _) = rest.split_once(':').unwrap();
    assert!(line.parse::<usize>().unwrap() >= 12, "{err}");
    column.parse::<usize>().unwrap();
}

#[test]
fn a_duplicate_moment_key_is_named_by_its_path() {
    let s = scratch_with_cycle();
    let dup = CYCLE.replace("key: call", "key: reminder");
    let err = rejected(&s, "dup.yaml", &dup);
    assert!(
        err.contains("moments[1].key: duplicate moment key"),
        "{err}"
    );
}

#[test]
fn a_missing_or_empty_name_is_rejected() {
    let s = scratch_with_cycle();
    let missing = CYCLE.replace("    name: Call to confirm\n", "");
    let err = rejected(&s, "missing.yaml", &missing);
    assert!(err.contains("missing field `name`"), "{err}");
    let empty = CYCLE.replace("name: Call to confirm", "name: \"  \"");
    let err = rejected(&s, "empty.yaml", &empty);
    assert!(err.contains("moments[1].name: must not be empty"), "{err}");
}

#[test]
fn every_invalid_field_is_listed_and_a_new_service_is_not_created() {
    let s = scratch_with_cycle();
    let bad = CYCLE
        .replace("key: renew-policy", "key: other-service")
        .replace("channel: email", "channel: fax")
        .replace("rings <= 3", "rings ~ 3");
    let err = rejected(&s, "bad-fields.yaml", &bad);
    assert!(err.contains("moments[0].channel"), "{err}");
    assert!(err.contains("moments[1].standards[0]"), "{err}");
    s.run(&["export", "cycle", "other-service"]).expect(1);
}

#[test]
fn a_json_syntax_error_names_the_line() {
    let s = scratch_with_cycle();
    let err = rejected(
        &s,
        "bad.json",
        "{\n  \"service\": {\"key\": \"a\", \"name\": \"A\"},\n  \"moments\": [,]\n}\n",
    );
    assert!(err.contains("bad.json:3:"), "{err}");
}

#[test]
fn exporting_an_unknown_service_or_version_fails_clearly() {
    let s = scratch_with_cycle();
    let out = s.run(&["export", "cycle", "nope"]).expect(1);
    assert_eq!(out.stderr.trim(), "error: no service 'nope'");
    let out = s
        .run(&["export", "cycle", "renew-policy", "--version", "7"])
        .expect(1);
    assert!(out.stderr.contains("no cycle version 7"), "{}", out.stderr);
}
