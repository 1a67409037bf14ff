//! The audit trail: every change recorded, events, filters and paging.
use super::all_audit;
use crate::{
    actor, sample_cycle, sample_service_fields, sample_site_fields, sample_staff_fields,
    sample_user_fields,
};
use chrono::Duration;
use std::sync::Arc;
use touchpoint_core::{
    audit::{Actor, AuditQuery, NewAuditEntry},
    store::Store,
    user::{Role, UserPatch},
};

/// Every mutating method writes exactly one record, with the documented action and entity.
pub async fn audit_every_mutation_is_recorded(store: Arc<dyn Store>) {
    let a = actor();
    let s = store
        .create_service(&a, &sample_service_fields("svc"))
        .await
        .unwrap();
    store
        .update_service(&a, s.id, &sample_service_fields("svc2"))
        .await
        .unwrap();
    store
        .publish_cycle(&a, s.id, &sample_cycle(2, &[1]))
        .await
        .unwrap();
    store.archive_service(&a, s.id).await.unwrap();
    let site = store
        .create_site(&a, &sample_site_fields("site"))
        .await
        .unwrap();
    store
        .update_site(&a, site.id, &sample_site_fields("site2"))
        .await
        .unwrap();
    store.deactivate_site(&a, site.id).await.unwrap();
    let st = store
        .create_staff(&a, &sample_staff_fields("Ana", None))
        .await
        .unwrap();
    store
        .update_staff(&a, st.id, &sample_staff_fields("Ana B", Some(site.id)))
        .await
        .unwrap();
    store.deactivate_staff(&a, st.id).await.unwrap();
    let u = store
        .create_user(&a, &sample_user_fields("ana@bank.com", Role::Agent), "h")
        .await
        .unwrap();
    let patch = UserPatch {
        name: Some("Ana".into()),
        ..UserPatch::default()
    };
    store.update_user(&a, u.id, &patch).await.unwrap();
    store.set_password(&a, u.id, "h2").await.unwrap();
    let t = store
        .create_token(&a, u.id, "ci", "tp_1", "th")
        .await
        .unwrap();
    store.revoke_token(&a, u.id, t.id).await.unwrap();

    let mut entries = all_audit(&*store).await;
    entries.reverse();
    let got: Vec<(&str, &str, Option<String>)> = entries
        .iter()
        .map(|e| (e.action.as_str(), e.entity.as_str(), e.entity_id.clone()))
        .collect();
    let id = |v: i64| Some(v.to_string());
    let want = [
        ("service.create", "service", id(s.id)),
        ("service.update", "service", id(s.id)),
        ("cycle.publish", "cycle", id(s.id)),
        ("service.archive", "service", id(s.id)),
        ("site.create", "site", id(site.id)),
        ("site.update", "site", id(site.id)),
        ("site.deactivate", "site", id(site.id)),
        ("staff.create", "staff", id(st.id)),
        ("staff.update", "staff", id(st.id)),
        ("staff.deactivate", "staff", id(st.id)),
        ("user.create", "user", id(u.id)),
        ("user.update", "user", id(u.id)),
        ("user.password", "user", id(u.id)),
        ("token.create", "token", id(t.id)),
        ("token.revoke", "token", id(t.id)),
    ];
    let want: Vec<(&str, &str, Option<String>)> = want.into_iter().collect();
    assert_eq!(got, want);
    assert!(
        entries
            .iter()
            .all(|e| e.actor == "test" && e.actor_user_id.is_none())
    );
    // Reads and sessions write nothing.
    store.list_services(&Default::default()).await.unwrap();
    store
        .create_session(&touchpoint_core::user::Session {
            token_hash: "sh".into(),
            user_id: u.id,
            csrf_token: "c".into(),
            created_at: crate::t0(),
            expires_at: crate::t0() + Duration::hours(1),
        })
        .await
        .unwrap();
    assert_eq!(all_audit(&*store).await.len(), want.len());
}

pub async fn audit_record_and_fields(store: Arc<dyn Store>) {
    let who = Actor::user(424_242, "ana@bank.com");
    let mut e = NewAuditEntry::event(&who, "login.ok", "203.0.113.9");
    store.record(&e).await.unwrap();
    e.action = "access.denied".into();
    e.entity = "service".into();
    e.entity_id = Some("7".into());
    e.before = Some(serde_json::json!({"a": [1, 2.5, "x"], "n": null}));
    e.after = Some(serde_json::json!({"nested": {"ok": true}}));
    e.detail = "GET /admin".into();
    store.record(&e).await.unwrap();
    let all = all_audit(&*store).await;
    assert_eq!(all.len(), 2);
    let (newest, oldest) = (&all[0], &all[1]);
    assert!(newest.id != oldest.id);
    assert!(newest.at >= oldest.at);
    assert_eq!(
        (
            newest.actor_user_id,
            newest.actor.as_str(),
            newest.action.as_str(),
            newest.entity.as_str(),
            newest.entity_id.as_deref(),
            newest.detail.as_str()
        ),
        (
            Some(424_242),
            "ana@bank.com",
            "access.denied",
            "service",
            Some("7"),
            "GET /admin"
        )
    );
    assert_eq!(newest.before, e.before);
    assert_eq!(newest.after, e.after);
    assert_eq!(
        (
            oldest.action.as_str(),
            oldest.entity.as_str(),
            oldest.entity_id.as_deref()
        ),
        ("login.ok", "", None)
    );
    assert_eq!((oldest.before.clone(), oldest.after.clone()), (None, None));
    assert_eq!(oldest.detail, "203.0.113.9");
}

pub async fn audit_filters_and_paging(store: Arc<dyn Store>) {
    let ana = Actor::user(1, "ana@bank.com");
    let cli = Actor::system("cli");
    let rows = [
        (&ana, "login.ok", ""),
        (&ana, "login.failed", ""),
        (&cli, "service.create", "service"),
        (&ana, "a_b.x", "thing"),
        (&cli, "axb.x", "thing"),
        (&cli, "xlogin.ok", ""),
    ];
    for (who, action, entity) in rows {
        let mut e = NewAuditEntry::event(who, action, "");
        e.entity = entity.into();
        store.record(&e).await.unwrap();
    }
    let actions = |q: AuditQuery| {
        let store = store.clone();
        async move {
            let p = store.list_audit(&q, 100, 0).await.unwrap();
            assert_eq!(p.total, p.items.len() as i64);
            p.items.into_iter().map(|e| e.action).collect::<Vec<_>>()
        }
    };
    let all = actions(AuditQuery::default()).await;
    assert_eq!(
        all,
        [
            "xlogin.ok",
            "axb.x",
            "a_b.x",
            "service.create",
            "login.failed",
            "login.ok"
        ]
    );
    let by_action = |a: &str| AuditQuery {
        action: Some(a.into()),
        ..AuditQuery::default()
    };
    assert_eq!(
        actions(by_action("login")).await,
        ["login.failed", "login.ok"]
    );
    assert_eq!(actions(by_action("a_b")).await, ["a_b.x"]);
    assert!(actions(by_action("%")).await.is_empty());
    let by_actor = AuditQuery {
        actor: Some("cli".into()),
        ..AuditQuery::default()
    };
    assert_eq!(
        actions(by_actor).await,
        ["xlogin.ok", "axb.x", "service.create"]
    );
    let by_entity = AuditQuery {
        entity: Some("thing".into()),
        actor: Some("ana@bank.com".into()),
        ..AuditQuery::default()
    };
    assert_eq!(actions(by_entity).await, ["a_b.x"]);

    // since is inclusive, until exclusive.
    let at = store
        .list_audit(&AuditQuery::default(), 1, 0)
        .await
        .unwrap()
        .items[0]
        .at;
    let window = |since, until| AuditQuery {
        since,
        until,
        ..AuditQuery::default()
    };
    let day = Duration::days(1);
    assert_eq!(
        actions(window(Some(at), None))
            .await
            .first()
            .map(String::as_str),
        Some("xlogin.ok")
    );
    assert!(actions(window(Some(at + day), None)).await.is_empty());
    assert_eq!(
        actions(window(Some(at - day * 400), Some(at + day)))
            .await
            .len(),
        6
    );
    assert!(
        !actions(window(None, Some(at)))
            .await
            .contains(&"xlogin.ok".to_string())
    );
    assert!(actions(window(None, Some(at - day * 400))).await.is_empty());

    // Paging, newest first.
    let page = store
        .list_audit(&AuditQuery::default(), 2, 2)
        .await
        .unwrap();
    let got: Vec<_> = page.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(got, ["a_b.x", "service.create"]);
    assert_eq!((page.total, page.limit, page.offset), (6, 2, 2));
    let filtered = store.list_audit(&by_action("login"), 1, 1).await.unwrap();
    assert_eq!(filtered.total, 2);
    assert_eq!(filtered.items[0].action, "login.ok");
    let clamped = store
        .list_audit(&AuditQuery::default(), 0, 0)
        .await
        .unwrap();
    assert_eq!((clamped.items.len(), clamped.limit), (1, 1));
}
