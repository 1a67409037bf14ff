//! The journey map, the no-JavaScript cycle editor, version history and export, in English
//! and Spanish.
mod pages_support;
mod support;

use pages_support::{Browser, form_fields, set, unset, with_action};
use reqwest::StatusCode;
use support::TestApp;
use touchpoint_core::user::Role;

#[tokio::test]
async fn editor_round_trip_add_move_mark_critical_publish() {
    let app = TestApp::spawn().await;
    let service = app.seed_service_with_cycle("cash", 3, &[2]).await;
    let (b, _) = Browser::signed_in(&app, Role::Manager, "m@bank.test").await;
    let path = format!("/services/{}/edit", service.id);

    let editor = b.get(&path).await;
    assert_eq!(editor.status, StatusCode::OK);
    let form = form_fields(&editor.body);
    assert!(form.iter().any(|(k, v)| k == "m2.key" && v == "m3"));

    // Add: a fourth, blank moment appears; nothing is saved.
    let added = b.post(&path, &with_action(&form, "add")).await;
    assert_eq!(added.status, StatusCode::OK);
    let mut form = form_fields(&added.body);
    assert!(form.iter().any(|(k, _)| k == "m3.key"));
    set(&mut form, "m3.key", "count-money");
    set(&mut form, "m3.name", "Customer counts the money");
    set(&mut form, "m3.channel", "in_person");
    set(&mut form, "m3.standards", "count_seconds <= 60 s");

    // Move it up one place: it becomes the third moment.
    let moved = b.post(&path, &with_action(&form, "up:3")).await;
    assert_eq!(moved.status, StatusCode::OK);
    let mut form = form_fields(&moved.body);
    assert!(
        form.iter()
            .any(|(k, v)| k == "m2.key" && v == "count-money")
    );
    assert!(form.iter().any(|(k, v)| k == "m3.key" && v == "m3"));
    set(&mut form, "m2.critical", "on");
    unset(&mut form, "m1.critical");
    set(&mut form, "note", "Counting is now its own moment");
    assert_eq!(
        app.store.current_cycle(service.id).await.unwrap().version,
        1,
        "nothing published yet"
    );

    let published = b.post(&path, &with_action(&form, "publish")).await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    let to = published.location();
    assert_eq!(to, format!("/services/{}?flash=published&v=2", service.id));
    let map = b.get(&to).await;
    assert!(map.has("Version 2 published."));
    assert!(map.has("Customer counts the money"));
    assert!(map.shows("<code>count_seconds <= 60 s</code>"));

    let cv = app.store.current_cycle(service.id).await.unwrap();
    assert_eq!(cv.version, 2);
    assert_eq!(cv.note, "Counting is now its own moment");
    let keys: Vec<_> = cv.moments.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(keys, ["m1", "m2", "count-money", "m3"]);
    let critical: Vec<_> = cv.moments.iter().map(|m| m.critical).collect();
    assert_eq!(critical, [false, false, true, false]);

    // Remove, then history shows both versions and the old one stays readable.
    let history = b.get(&format!("/services/{}/versions", service.id)).await;
    assert!(history.has("Counting is now its own moment"));
    assert!(history.has(&format!("/services/{}?version=1", service.id)));
    let old = b.get(&format!("/services/{}?version=1", service.id)).await;
    assert!(old.shows("You are viewing version 1; the current version is 2."));
    assert!(!old.has(&format!("href=\"/services/{}/edit\"", service.id)));
    let yaml = b
        .get(&format!("/services/{}/cycle.yaml?version=2", service.id))
        .await;
    assert!(
        yaml.headers["content-type"]
            .to_str()
            .unwrap()
            .contains("yaml")
    );
    assert!(yaml.has("key: count-money"));
}

#[tokio::test]
async fn validation_errors_are_shown_by_their_fields_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let service = app.seed_service_with_cycle("cash", 3, &[]).await;
    let (b, _) = Browser::signed_in(&app, Role::Admin, "a@bank.test").await;
    let path = format!("/services/{}/edit", service.id);
    let mut form = form_fields(&b.get(&path).await.body);
    set(&mut form, "m0.name", "   ");
    set(&mut form, "m2.key", "m1");
    set(&mut form, "m1.standards", "rings <= 3\nrings about three");
    let res = b.post(&path, &with_action(&form, "publish")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.has("Please correct the following before publishing"));
    assert!(res.has("href=\"#m0-name\""));
    assert!(res.has("id=\"m0-name-err\""));
    assert!(res.has("id=\"m2-key-err\""));
    assert!(res.has("duplicate moment key"));
    assert!(res.has("id=\"m1-standards-err\""));
    assert!(res.has("line 2"));
    assert!(res.has("aria-invalid=\"true\""));
    assert!(res.has("rings about three"), "the draft is kept");
    assert_eq!(
        app.store.current_cycle(service.id).await.unwrap().version,
        1
    );

    // Removing every moment is also refused, with the message at the top.
    let mut empty = form_fields(&res.body);
    empty.retain(|(k, _)| !k.starts_with('m') || k == "m");
    let res = b.post(&path, &with_action(&empty, "publish")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.has("a cycle needs at least one moment of truth"));
}

#[tokio::test]
async fn spanish_pages_use_spanish_words() {
    let app = TestApp::spawn().await;
    let service = app.seed_service_with_cycle("cash", 4, &[2, 4]).await;
    let (b, _) = Browser::signed_in(&app, Role::Manager, "m@bank.test").await;
    let switch = b
        .get(&format!("/lang/es?next=/services/{}", service.id))
        .await;
    assert_eq!(switch.status, StatusCode::SEE_OTHER);
    assert!(
        switch.headers["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("tp_lang=es")
    );
    let map = b.get(&format!("/services/{}", service.id)).await;
    assert!(map.has("<html lang=\"es\">"));
    for word in [
        "Momentos de verdad",
        "Momento crítico",
        "CRÍTICO",
        "Historial de versiones",
        "Editar ciclo",
        "Teléfono",
        "Presencial",
        "4 momentos · 2 críticos",
        "Cerrar sesión",
    ] {
        assert!(map.has(word), "missing {word}");
    }
    let path = format!("/services/{}/edit", service.id);
    let editor = b.get(&path).await;
    assert!(editor.has("Publicar nueva versión"));
    assert!(editor.has("Correo postal"));
    let mut form = form_fields(&editor.body);
    set(&mut form, "m0.name", "");
    let res = b.post(&path, &with_action(&form, "publish")).await;
    assert!(res.has("no puede estar vacío"));
    let mut form = form_fields(&res.body);
    set(&mut form, "m0.name", "Llegar al banco");
    let ok = b.post(&path, &with_action(&form, "publish")).await;
    let map = b.get(&ok.location()).await;
    assert!(map.shows("Versión 2 publicada."));
    let list = b.get("/services").await;
    assert!(list.has("Servicios") && list.has("Versión actual"));
}

#[tokio::test]
async fn services_list_sorts_pages_and_validates_the_create_form() {
    let app = TestApp::spawn().await;
    let (b, _) = Browser::signed_in(&app, Role::Manager, "m@bank.test").await;
    let empty = b.get("/services").await;
    assert!(empty.has("No services yet"));
    for i in 0..27 {
        app.seed_service_with_cycle(&format!("svc-{i:02}"), 0, &[])
            .await;
    }
    let first = b.get("/services").await;
    assert!(first.has("1–25 of 27"));
    assert!(first.has("rel=\"next\""));
    let desc = b.get("/services?sort=key&dir=desc").await;
    let pos = |p: &pages_support::Page, s: &str| p.body.find(s).unwrap_or(usize::MAX);
    assert!(pos(&desc, "svc-26") < pos(&desc, "svc-25"));
    let second = b.get("/services?sort=name&dir=asc&page=2").await;
    assert!(second.has("26–27 of 27"));
    let bad = b
        .submit("/services", &[("name", ""), ("key", "Bad Key")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("id=\"svc-name-err\"") && bad.has("id=\"svc-key-err\""));
    let taken = b
        .submit("/services", &[("name", "Again"), ("key", "svc-01")])
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.has("is already in use"));
    let created = b.submit("/services", &[("name", "Open an account")]).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let editor = b.get(&created.location()).await;
    assert!(editor.has("Created."));
    assert!(
        editor.has("name=\"m0.key\""),
        "a blank first moment to start from"
    );
}

#[tokio::test]
async fn user_text_is_escaped_in_html_and_in_the_map() {
    let app = TestApp::spawn().await;
    let service = app.seed_service_with_cycle("cash", 1, &[]).await;
    let (b, _) = Browser::signed_in(&app, Role::Admin, "a@bank.test").await;
    let path = format!("/services/{}/edit", service.id);
    let mut form = form_fields(&b.get(&path).await.body);
    set(&mut form, "m0.name", "<script>alert('x')</script>");
    set(
        &mut form,
        "m0.description",
        "\"><img src=x onerror=alert(1)>",
    );
    let ok = b.post(&path, &with_action(&form, "publish")).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let map = b.get(&format!("/services/{}", service.id)).await;
    assert!(!map.has("<script>alert"));
    assert!(!map.has("<img src=x"));
    assert!(map.shows("<script>alert('x')</script>"), "shown as text");
}
