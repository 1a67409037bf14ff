//! The demo gives staff recognition and employee voice real content: every bank branch has a
//! staff member of the last complete month, the floor hosts who work complaints are judged on
//! the resolutions and promises of that same month (the page's default period), and branch
//! staff say the wait is worst at Norte.
mod common;

use chrono::{Datelike, Months, Utc};
use common::{Scratch, get_json};
use serde_json::Value;

fn component<'a>(person: &'a Value, kind: &str) -> &'a Value {
    person["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == kind)
        .unwrap()
}

#[tokio::test]
async fn the_demo_ranks_staff_and_hears_their_voice() {
    let s = Scratch::new();
    s.run(&["demo", "--no-serve"]).expect(0);
    let token = s
        .run(&[
            "token",
            "add",
            "--email",
            "viewer@touchpoint.local",
            "--name",
            "t",
        ])
        .expect(0)
        .stdout;
    let token = token.trim();
    let server = s.serve();
    let today = Utc::now().date_naive();
    let this_month = format!("{:04}-{:02}", today.year(), today.month());
    let last = today.with_day(1).unwrap() - Months::new(1);
    let last_month = format!("{:04}-{:02}", last.year(), last.month());

    let (status, body) = get_json(
        &format!("{}/api/v1/recognition?month={last_month}", server.url),
        token,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for site in body["sites"].as_array().unwrap() {
        let top = &site["staff"][0];
        assert_eq!(
            top["rank"], 1,
            "{} has a staff member of the month",
            site["site_name"]
        );
        assert!(component(top, "audit")["qualifies"].as_bool().unwrap());
        assert!(
            component(top, "satisfaction")["qualifies"]
                .as_bool()
                .unwrap()
        );
    }

    let everyone: Vec<&Value> = body["sites"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["staff"].as_array().unwrap())
        .collect();
    for name in ["Valentina Ortiz", "Natalia Cárdenas"] {
        let host = everyone.iter().find(|p| p["name"] == name).unwrap();
        let resolution = component(host, "resolution");
        assert_eq!(resolution["n"], 5, "{host}");
        assert_eq!(resolution["qualifies"], true);
        let promises = component(host, "promises_kept");
        // Their own seven promises at least; the demo's response policies add more.
        assert!(
            promises["n"].as_i64() >= Some(7) && promises["qualifies"] == true,
            "{host}"
        );
        let share = promises["value"].as_f64().unwrap();
        assert!(share < 100.0, "one call-back was missed: {host}");
    }
    // Nothing of it spills into the current month, where the scheduler has not run yet.
    let (_, now) = get_json(
        &format!("{}/api/v1/recognition?month={this_month}", server.url),
        token,
    )
    .await;
    for person in now["sites"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["staff"].as_array().unwrap())
    {
        let resolved = person["components"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["kind"] == "resolution");
        assert!(resolved.is_none_or(|c| c["n"] == 0), "{person}");
    }

    let (_, services) = get_json(&format!("{}/api/v1/services", server.url), token).await;
    let bank = common::items(&services)
        .into_iter()
        .find(|s| s["key"] == "cash-a-cheque")
        .unwrap();
    let (status, voice) = get_json(
        &format!(
            "{}/api/v1/services/{}/employee-voice",
            server.url, bank["id"]
        ),
        token,
    )
    .await;
    assert_eq!(status, 200, "{voice}");
    let waits: Vec<&Value> = voice["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["moment_key"] == "wait-turn")
        .collect();
    assert_eq!(waits.len(), 3, "three branches");
    let worst = waits
        .iter()
        .min_by(|a, b| {
            a["score"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["score"].as_f64().unwrap())
        })
        .unwrap();
    assert!(
        worst["site_name"].as_str().unwrap().ends_with("Norte"),
        "{worst}"
    );
    assert!(worst["texts_total"].as_i64().unwrap() > 0);
}
