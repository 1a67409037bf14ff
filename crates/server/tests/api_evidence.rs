//! Mystery-shopper audits through the API: the checklist of the current cycle with free items,
//! visits scored per moment, validation errors naming their field, and who may record them.
mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{TestApp, error_fields};
use touchpoint_core::{audit::Actor, user::Role};

struct World {
    app: TestApp,
    service: i64,
    site: i64,
    staff: i64,
}

/// A service with moments m1..m3 (m2 critical, one standard each), a site and a staff member.
async fn world() -> World {
    let app = TestApp::spawn().await;
    let service = app
        .seed_service_with_cycle("cash-a-cheque", 3, &[2])
        .await
        .id;
    let actor = Actor::system("test");
    let site = app
        .store
        .create_site(
            &actor,
            &touchpoint_test_support::sample_site_fields("centro"),
        )
        .await
        .unwrap()
        .id;
    let staff = app
        .store
        .create_staff(
            &actor,
            &touchpoint_test_support::sample_staff_fields("Luis Gómez", Some(site)),
        )
        .await
        .unwrap()
        .id;
    World {
        app,
        service,
        site,
        staff,
    }
}

fn visit(w: &World, m2: &str) -> Value {
    json!({
        "service_id": w.service,
        "site_id": w.site,
        "visited_at": "2026-02-10T10:30:00Z",
        "staff_ids": [w.staff],
        "results": {
            "m1": {"standard-1": "met"},
            "m2": {"standard-1": m2},
            "m3": {"standard-1": "not_applicable"},
        },
        "notes": "Busy morning",
    })
}

#[tokio::test]
async fn the_checklist_lists_standards_then_free_items_per_moment() {
    let w = world().await;
    let auditor = w.app.user_with_token(Role::Auditor).await.1;
    let api = w.app.api(&auditor);
    let url = format!("/api/v1/services/{}/checklist", w.service);
    let (status, list, _) = api.get(&url).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let keys: Vec<_> = list["moments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["key"].clone())
        .collect();
    assert_eq!(keys, ["m1", "m2", "m3"]);
    assert_eq!(list["moments"][0]["items"][0]["code"], "standard-1");

    let items = json!({"items": ["Greets within 10 seconds", "Name badge visible"]});
    let (status, list, _) = api.put_json(&format!("{url}/m1"), &items).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let m1: Vec<_> = list["moments"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].clone())
        .collect();
    assert_eq!(m1, ["standard-1", "item-1", "item-2"]);
    let (_, again, _) = api.get(&url).await;
    assert_eq!(
        again["moments"][0]["items"][2]["label"],
        "Name badge visible"
    );

    let (status, problem, _) = api
        .put_json(&format!("{url}/m1"), &json!({"items": ["Smiles", " "]}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["items[1]"]);
    let (status, _, _) = api.put_json(&format!("{url}/lunch"), &items).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let agent = w.app.user_with_token(Role::Agent).await.1;
    let (status, _, _) = w
        .app
        .api(&agent)
        .put_json(&format!("{url}/m1"), &items)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_auditor_records_a_scored_visit_that_can_be_read_back() {
    let w = world().await;
    let (auditor, token) = w.app.user_with_token(Role::Auditor).await;
    let api = w.app.api(&token);
    let (status, recorded, headers) = api.post_json("/api/v1/visits", &visit(&w, "not_met")).await;
    assert_eq!(status, StatusCode::CREATED, "{recorded}");
    let id = recorded["id"].as_i64().unwrap();
    assert_eq!(headers["location"], format!("/api/v1/visits/{id}").as_str());
    assert_eq!(recorded["auditor"], auditor.email.as_str());
    assert_eq!(recorded["auditor_user_id"], auditor.id);
    assert_eq!(
        recorded["visit"]["overall"], 50.0,
        "m1 100, m2 0, m3 not observed"
    );
    assert_eq!(recorded["visit"]["critical_failures"], json!(["m2"]));

    let (status, read, _) = api.get(&format!("/api/v1/visits/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, recorded);
    let (_, list, _) = api
        .get(&format!(
            "/api/v1/visits?service_id={}&site_id={}&since=2026-02-01T00:00:00Z",
            w.service, w.site
        ))
        .await;
    assert_eq!(list["total"], 1);
    let (_, none, _) = api.get("/api/v1/visits?until=2026-01-01T00:00:00Z").await;
    assert_eq!(none["total"], 0);
}

#[tokio::test]
async fn visit_problems_name_their_fields() {
    let w = world().await;
    let token = w.app.user_with_token(Role::Manager).await.1;
    let api = w.app.api(&token);

    let mut incomplete = visit(&w, "met");
    incomplete["results"]["m2"] = json!({});
    incomplete["results"]["m1"]["item-9"] = json!("met");
    let (status, problem, _) = api.post_json("/api/v1/visits", &incomplete).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        error_fields(&problem),
        ["results.m1.item-9", "results.m2.standard-1"]
    );

    let mut wrong = visit(&w, "met");
    wrong["site_id"] = json!(4242);
    wrong["staff_ids"] = json!([9999]);
    wrong["visited_at"] = json!("2999-01-01T00:00:00Z");
    let (status, problem, _) = api.post_json("/api/v1/visits", &wrong).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&problem),
        ["site_id", "staff_ids[0]", "visited_at"]
    );

    let mut bad_mark = visit(&w, "met");
    bad_mark["results"]["m1"]["standard-1"] = json!("maybe");
    let (status, problem, _) = api.post_json("/api/v1/visits", &bad_mark).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error_fields(&problem)[0].starts_with("results"),
        "{problem}"
    );

    let bare = w.app.seed_service_with_cycle("no-cycle", 0, &[]).await;
    let mut no_cycle = visit(&w, "met");
    no_cycle["service_id"] = json!(bare.id);
    let (status, problem, _) = api.post_json("/api/v1/visits", &no_cycle).await;
    assert_eq!(
        (status, error_fields(&problem)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["service_id".to_string()]
        )
    );
    let (status, _, _) = api.get("/api/v1/visits/999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn agents_and_viewers_cannot_record_visits() {
    let w = world().await;
    for role in [Role::Agent, Role::Viewer] {
        let token = w.app.user_with_token(role).await.1;
        let (status, _, _) = w
            .app
            .api(&token)
            .post_json("/api/v1/visits", &visit(&w, "met"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}");
    }
}
