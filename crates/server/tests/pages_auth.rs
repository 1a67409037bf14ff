//! Signing in and out through the pages: generic failure, throttling, CSRF, session end.
mod pages_support;
mod support;

use pages_support::{Browser, pairs};
use reqwest::StatusCode;
use support::{TEST_PASSWORD, TestApp};
use touchpoint_core::{
    audit::Actor,
    listing::ListQuery,
    user::{Role, UserPatch},
};

const GENERIC: &str = "Email or password is incorrect, or too many attempts. Try again later.";

#[tokio::test]
async fn login_succeeds_and_lands_on_next() {
    let app = TestApp::spawn().await;
    app.user_with_password(Role::Viewer, "ana@bank.test", TEST_PASSWORD)
        .await;
    let b = Browser::new(&app);
    let signed_out = b.get("/services?sort=key").await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    assert_eq!(
        signed_out.location(),
        "/login?next=%2Fservices%3Fsort%3Dkey"
    );
    let form = b.get("/login?next=%2Fsites").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.has("<html lang=\"en\">"));
    let res = b
        .post(
            "/login",
            &pairs(&[
                ("csrf", &form.csrf()),
                ("email", "ANA@bank.test"),
                ("password", TEST_PASSWORD),
                ("next", "/sites"),
            ]),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/sites");
    let cookie = res.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let sites = b.get("/sites").await;
    assert_eq!(sites.status, StatusCode::OK);
    assert!(sites.has("User ana"), "user name in the header");
    assert_eq!(b.get("/").await.location(), "/services");
}

#[tokio::test]
async fn next_must_be_a_relative_path() {
    let app = TestApp::spawn().await;
    app.user_with_password(Role::Viewer, "v@bank.test", TEST_PASSWORD)
        .await;
    let b = Browser::new(&app);
    let form = b.get("/login").await;
    let res = b
        .post(
            "/login",
            &pairs(&[
                ("csrf", &form.csrf()),
                ("email", "v@bank.test"),
                ("password", TEST_PASSWORD),
                ("next", "//evil.example/x"),
            ]),
        )
        .await;
    assert_eq!(res.location(), "/");
    let lang = b.get("/lang/es?next=https://evil.example/").await;
    assert_eq!(lang.location(), "/");
}

#[tokio::test]
async fn failures_show_one_generic_message_and_throttle_after_five() {
    let app = TestApp::spawn().await;
    app.user_with_password(Role::Agent, "bo@bank.test", TEST_PASSWORD)
        .await;
    let mut b = Browser::new(&app);
    let unknown = b.login("nobody@bank.test", TEST_PASSWORD).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(unknown.has(GENERIC));
    assert!(unknown.has("value=\"nobody@bank.test\""), "email is kept");
    for _ in 0..4 {
        let wrong = b.login("bo@bank.test", "wrong password!!").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.has(GENERIC));
        assert!(!wrong.has("wrong password!!"), "password never echoed");
    }
    // Five failures from this address: even the right password is refused, same message.
    let right = b.login("bo@bank.test", TEST_PASSWORD).await;
    assert_eq!(right.status, StatusCode::UNAUTHORIZED);
    assert!(right.has(GENERIC));
    assert!(b.session.is_none());
    let audit = app
        .store
        .list_audit(&Default::default(), 50, 0)
        .await
        .unwrap();
    assert!(audit.items.iter().any(|e| e.action == "login.throttled"));
}

#[tokio::test]
async fn failure_message_follows_the_language() {
    let app = TestApp::spawn().await;
    let mut b = Browser::with_language(&app, Some("es-CO,es;q=0.9"));
    let page = b.login("x@bank.test", "nope nope nope").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.has("<html lang=\"es\">"));
    assert!(page.has(
        "El correo o la contraseña son incorrectos, o hubo demasiados intentos. Inténtelo más tarde."
    ));
    assert!(page.has("Iniciar sesión"));
}

#[tokio::test]
async fn posts_without_the_right_csrf_token_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let (b, _) = Browser::signed_in(&app, Role::Admin, "admin@bank.test").await;
    let count = || async {
        app.store
            .list_services(&ListQuery::all())
            .await
            .unwrap()
            .total
    };
    let before = count().await;
    let missing = b
        .post("/services", &pairs(&[("name", "Cash a cheque")]))
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let wrong = b
        .post(
            "/services",
            &pairs(&[("name", "Cash a cheque"), ("csrf", "not-the-token")]),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert!(wrong.body.contains("Form expired"));
    assert_eq!(count().await, before, "nothing was written");
    let right = b.submit("/services", &[("name", "Cash a cheque")]).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(count().await, before + 1);
    // The login form checks its own double-submit cookie.
    let fresh = Browser::new(&app);
    let no_cookie = fresh
        .post(
            "/login",
            &pairs(&[("email", "admin@bank.test"), ("password", TEST_PASSWORD)]),
        )
        .await;
    assert_eq!(no_cookie.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let (b, _) = Browser::signed_in(&app, Role::Manager, "m@bank.test").await;
    let secret = b.session.clone().expect("session cookie");
    let out = b.submit("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.location(), "/login");
    assert!(
        out.headers
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    // Replaying the old cookie does not work either.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url("/services"))
        .header("cookie", format!("tp_session={secret}"))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::SEE_OTHER);
    assert!(b.get("/services").await.location().starts_with("/login"));
}

#[tokio::test]
async fn a_deactivated_users_session_stops_working() {
    let app = TestApp::spawn().await;
    let (b, user) = Browser::signed_in(&app, Role::Agent, "agent@bank.test").await;
    assert_eq!(b.get("/services").await.status, StatusCode::OK);
    app.store
        .update_user(
            &Actor::system("test"),
            user.id,
            &UserPatch {
                active: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let after = b.get("/services").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.location().starts_with("/login"));
    let again = Browser::new(&app)
        .login("agent@bank.test", TEST_PASSWORD)
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn stylesheet_is_cached_and_pages_send_security_headers() {
    let app = TestApp::spawn().await;
    let b = Browser::new(&app);
    let login = b.get("/login").await;
    let css_href = login
        .body
        .split("href=\"")
        .find(|s| s.starts_with("/static/app.css"))
        .and_then(|s| s.split('"').next())
        .expect("stylesheet link")
        .to_string();
    let css = b.get(&css_href).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(
        css.headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
    let csp = login.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"));
    let missing = b.get("/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.has("Page not found"));
    let api_missing = b.get("/api/v1/no-such-thing").await;
    assert_eq!(api_missing.status, StatusCode::NOT_FOUND);
    assert!(
        api_missing.headers["content-type"]
            .to_str()
            .unwrap()
            .contains("problem+json")
    );
}
