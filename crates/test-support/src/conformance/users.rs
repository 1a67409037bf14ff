//! Users, sessions and API tokens.
use super::{all_audit, assert_conflict, assert_not_found, last_audit, searching, sorted};
use crate::{actor, sample_user_fields, t0};
use chrono::Duration;
use std::sync::Arc;
use touchpoint_core::{
    listing::{ListQuery, SortField},
    store::Store,
    user::{Role, Session, User, UserPatch},
};

async fn new_user(store: &dyn Store, email: &str) -> User {
    store
        .create_user(&actor(), &sample_user_fields(email, Role::Agent), "hash-1")
        .await
        .unwrap()
}

fn session(hash: &str, user_id: i64, hours: i64) -> Session {
    Session {
        token_hash: hash.into(),
        user_id,
        csrf_token: format!("csrf-{hash}"),
        created_at: t0(),
        expires_at: t0() + Duration::hours(hours),
    }
}

pub async fn users_create_and_find_credentials(store: Arc<dyn Store>) {
    assert_eq!(store.count_users().await.unwrap(), 0);
    let f = sample_user_fields("ana@bank.com", Role::Manager);
    let u = store
        .create_user(&actor(), &f, "$argon2id$abc")
        .await
        .unwrap();
    assert_eq!(
        (&u.email, &u.name, u.role, u.active, &u.language),
        (&f.email, &f.name, Role::Manager, true, &f.language)
    );
    assert_eq!(store.get_user(u.id).await.unwrap(), u);
    assert_not_found(store.get_user(u.id + 1000).await, "user");
    let c = store.find_credentials("ANA@Bank.com").await.unwrap();
    assert_eq!(
        (c.user, c.password_hash.as_str()),
        (u.clone(), "$argon2id$abc")
    );
    assert_not_found(store.find_credentials("nobody@bank.com").await, "user");
    assert_eq!(store.count_users().await.unwrap(), 1);

    // Emails are stored lowercased even if the caller did not normalise them.
    let mixed = sample_user_fields("Beto@Bank.COM", Role::Viewer);
    let b = store.create_user(&actor(), &mixed, "h").await.unwrap();
    assert_eq!(b.email, "beto@bank.com");
    assert_eq!(
        store
            .find_credentials("beto@bank.com")
            .await
            .unwrap()
            .user
            .id,
        b.id
    );

    let e = last_audit(&*store, "user.create").await;
    assert_eq!(
        (e.entity.as_str(), e.entity_id),
        ("user", Some(b.id.to_string()))
    );
    assert_eq!(e.after.as_ref().unwrap()["email"], "beto@bank.com");
}

pub async fn users_duplicate_email_conflicts(store: Arc<dyn Store>) {
    new_user(&*store, "ana@bank.com").await;
    let audits = all_audit(&*store).await.len();
    let upper = sample_user_fields("ANA@BANK.COM", Role::Admin);
    assert_conflict(store.create_user(&actor(), &upper, "h").await, "email");
    assert_eq!(all_audit(&*store).await.len(), audits);
    assert_eq!(store.count_users().await.unwrap(), 1);
}

pub async fn users_update_and_password(store: Arc<dyn Store>) {
    let u = new_user(&*store, "ana@bank.com").await;
    let patch = UserPatch {
        name: Some("Ana Ruiz".into()),
        role: Some(Role::Admin),
        active: None,
        language: Some("es".into()),
    };
    let v = store.update_user(&actor(), u.id, &patch).await.unwrap();
    assert_eq!(
        (v.name.as_str(), v.role, v.active, v.language.as_str()),
        ("Ana Ruiz", Role::Admin, true, "es")
    );
    assert_eq!(
        (v.email.as_str(), v.created_at),
        ("ana@bank.com", u.created_at)
    );
    assert_eq!(store.get_user(u.id).await.unwrap(), v);
    // An empty patch changes nothing.
    let same = store
        .update_user(&actor(), u.id, &UserPatch::default())
        .await
        .unwrap();
    assert_eq!(same, v);
    assert_not_found(
        store.update_user(&actor(), u.id + 1000, &patch).await,
        "user",
    );
    let e = all_audit(&*store)
        .await
        .into_iter()
        .rev()
        .find(|e| e.action == "user.update")
        .expect("user.update audited");
    assert_eq!(
        (e.entity.as_str(), e.entity_id),
        ("user", Some(u.id.to_string()))
    );
    assert_eq!(e.before.as_ref().unwrap()["role"], "agent");
    assert_eq!(e.after.as_ref().unwrap()["role"], "admin");

    store
        .set_password(&actor(), u.id, "$argon2id$secret-new-hash")
        .await
        .unwrap();
    let c = store.find_credentials("ana@bank.com").await.unwrap();
    assert_eq!(c.password_hash, "$argon2id$secret-new-hash");
    assert_not_found(store.set_password(&actor(), u.id + 1000, "x").await, "user");
    let e = last_audit(&*store, "user.password").await;
    assert_eq!(
        (e.entity.as_str(), e.entity_id.clone()),
        ("user", Some(u.id.to_string()))
    );
    let dump = serde_json::to_string(&e).unwrap();
    assert!(
        !dump.contains("secret-new-hash"),
        "audit must never hold a hash"
    );
}

pub async fn users_deactivation_deletes_sessions(store: Arc<dyn Store>) {
    let u = new_user(&*store, "ana@bank.com").await;
    let other = new_user(&*store, "beto@bank.com").await;
    store
        .create_session(&session("s-ana", u.id, 8))
        .await
        .unwrap();
    store
        .create_session(&session("s-beto", other.id, 8))
        .await
        .unwrap();
    let off = UserPatch {
        active: Some(false),
        ..UserPatch::default()
    };
    let v = store.update_user(&actor(), u.id, &off).await.unwrap();
    assert!(!v.active);
    let now = t0() + Duration::minutes(1);
    assert_not_found(store.find_session("s-ana", now).await, "session");
    // Reactivating does not bring the session back.
    let on = UserPatch {
        active: Some(true),
        ..UserPatch::default()
    };
    store.update_user(&actor(), u.id, &on).await.unwrap();
    assert_not_found(store.find_session("s-ana", now).await, "session");
    assert_eq!(store.find_session("s-beto", now).await.unwrap().1, other);
    // Inactive users still count and still have credentials (login refuses them later).
    store.update_user(&actor(), u.id, &off).await.unwrap();
    assert_eq!(store.count_users().await.unwrap(), 2);
    assert!(
        !store
            .find_credentials("ana@bank.com")
            .await
            .unwrap()
            .user
            .active
    );
}

pub async fn users_list(store: Arc<dyn Store>) {
    for email in ["carla@bank.com", "ana@bank.com", "beto@other.org"] {
        new_user(&*store, email).await;
    }
    let d = new_user(&*store, "dora@bank.com").await;
    let off = UserPatch {
        active: Some(false),
        ..UserPatch::default()
    };
    store.update_user(&actor(), d.id, &off).await.unwrap();
    let emails = |q: ListQuery| {
        let store = store.clone();
        async move {
            let p = store.list_users(&q).await.unwrap();
            assert_eq!(p.total, p.items.len() as i64);
            p.items.into_iter().map(|u| u.email).collect::<Vec<_>>()
        }
    };
    assert_eq!(
        emails(sorted(SortField::Name, false)).await,
        ["ana@bank.com", "beto@other.org", "carla@bank.com"]
    );
    assert_eq!(
        emails(sorted(SortField::CreatedAt, true)).await,
        ["beto@other.org", "ana@bank.com", "carla@bank.com"]
    );
    assert_eq!(
        emails(sorted(SortField::Key, true)).await,
        ["carla@bank.com", "beto@other.org", "ana@bank.com"]
    );
    assert_eq!(emails(searching("OTHER.org")).await, ["beto@other.org"]);
    assert_eq!(emails(searching("user car")).await, ["carla@bank.com"]);
    let all = ListQuery {
        include_inactive: true,
        ..ListQuery::default()
    };
    assert_eq!(emails(all).await.len(), 4);
}

pub async fn sessions_lifecycle(store: Arc<dyn Store>) {
    let u = new_user(&*store, "ana@bank.com").await;
    let s = session("hash-a", u.id, 8);
    store.create_session(&s).await.unwrap();
    store
        .create_session(&session("hash-b", u.id, 1))
        .await
        .unwrap();
    store
        .create_session(&session("hash-c", u.id, 2))
        .await
        .unwrap();
    let (found, user) = store.find_session("hash-a", t0()).await.unwrap();
    assert_eq!((found, user), (s.clone(), u.clone()));
    assert_not_found(store.find_session("nope", t0()).await, "session");
    // Valid while now < expires_at.
    let end = s.expires_at;
    assert!(
        store
            .find_session("hash-a", end - Duration::seconds(1))
            .await
            .is_ok()
    );
    assert_not_found(store.find_session("hash-a", end).await, "session");

    // hash-b (1 h) and hash-c (2 h) expire; expires_at == now counts as expired.
    let deleted = store
        .delete_expired_sessions(t0() + Duration::hours(2))
        .await
        .unwrap();
    assert_eq!(deleted, 2);
    assert_not_found(store.find_session("hash-b", t0()).await, "session");
    assert!(store.find_session("hash-a", t0()).await.is_ok());

    store.delete_session("hash-a").await.unwrap();
    assert_not_found(store.find_session("hash-a", t0()).await, "session");
    store
        .delete_session("hash-a")
        .await
        .expect("deleting twice is fine");

    store
        .create_session(&session("hash-d", u.id, 8))
        .await
        .unwrap();
    store
        .create_session(&session("hash-e", u.id, 8))
        .await
        .unwrap();
    let other = new_user(&*store, "beto@bank.com").await;
    store
        .create_session(&session("hash-f", other.id, 8))
        .await
        .unwrap();
    store.delete_sessions_of_user(u.id).await.unwrap();
    assert_not_found(store.find_session("hash-d", t0()).await, "session");
    assert_not_found(store.find_session("hash-e", t0()).await, "session");
    assert!(store.find_session("hash-f", t0()).await.is_ok());
    assert!(
        all_audit(&*store)
            .await
            .iter()
            .all(|e| !e.action.starts_with("session"))
    );
}

pub async fn tokens_lifecycle(store: Arc<dyn Store>) {
    let u = new_user(&*store, "ana@bank.com").await;
    let other = new_user(&*store, "beto@bank.com").await;
    let t = store
        .create_token(&actor(), u.id, "ci", "tp_abc", "th-1")
        .await
        .unwrap();
    assert_eq!(
        (t.user_id, t.name.as_str(), t.prefix.as_str()),
        (u.id, "ci", "tp_abc")
    );
    assert_eq!((t.last_used_at, t.revoked_at), (None, None));
    let e = last_audit(&*store, "token.create").await;
    assert_eq!(
        (e.entity.as_str(), e.entity_id.clone()),
        ("token", Some(t.id.to_string()))
    );
    assert!(!serde_json::to_string(&e).unwrap().contains("th-1"));
    assert_not_found(
        store
            .create_token(&actor(), other.id + 1000, "x", "p", "th-x")
            .await,
        "user",
    );

    let now = t0() + Duration::minutes(5);
    let (found, user) = store.find_token("th-1", now).await.unwrap();
    assert_eq!(user, u);
    assert_eq!(found.id, t.id);
    assert_eq!(found.last_used_at, Some(now));
    assert_not_found(store.find_token("th-none", now).await, "token");
    // The stamp is refreshed at most once a minute, so most API calls are reads.
    let (soon, _) = store
        .find_token("th-1", now + Duration::seconds(30))
        .await
        .unwrap();
    assert_eq!(soon.last_used_at, Some(now));
    let later = now + Duration::seconds(61);
    let (again, _) = store.find_token("th-1", later).await.unwrap();
    assert_eq!(again.last_used_at, Some(later));
    let (back, _) = store.find_token("th-1", now).await.unwrap();
    assert_eq!(back.last_used_at, Some(later));

    let t2 = store
        .create_token(&actor(), u.id, "laptop", "tp_def", "th-2")
        .await
        .unwrap();
    let listed = store.list_tokens(u.id).await.unwrap();
    assert_eq!(
        listed.iter().map(|t| t.id).collect::<Vec<_>>(),
        [t.id, t2.id]
    );
    assert_eq!(listed[0].last_used_at, Some(later));
    assert!(store.list_tokens(other.id).await.unwrap().is_empty());

    // Only the owner can revoke through this call.
    assert_not_found(store.revoke_token(&actor(), other.id, t.id).await, "token");
    assert!(store.find_token("th-1", now).await.is_ok());
    store.revoke_token(&actor(), u.id, t.id).await.unwrap();
    assert_not_found(store.find_token("th-1", now).await, "token");
    assert_not_found(store.revoke_token(&actor(), u.id, t.id).await, "token");
    assert_not_found(
        store.revoke_token(&actor(), u.id, t2.id + 1000).await,
        "token",
    );
    let listed = store.list_tokens(u.id).await.unwrap();
    assert!(listed[0].revoked_at.is_some());
    assert_eq!(listed[1].revoked_at, None);
    let e = last_audit(&*store, "token.revoke").await;
    assert_eq!(
        (e.entity.as_str(), e.entity_id),
        ("token", Some(t.id.to_string()))
    );

    // A change to the user shows at the next lookup, though the token was just looked up.
    assert_eq!(
        store.find_token("th-2", now).await.unwrap().1.role,
        Role::Agent
    );
    let viewer = UserPatch {
        role: Some(Role::Viewer),
        ..UserPatch::default()
    };
    store.update_user(&actor(), u.id, &viewer).await.unwrap();
    assert_eq!(
        store.find_token("th-2", now).await.unwrap().1.role,
        Role::Viewer
    );

    // An inactive user's tokens stop working.
    let off = UserPatch {
        active: Some(false),
        ..UserPatch::default()
    };
    store.update_user(&actor(), u.id, &off).await.unwrap();
    assert_not_found(store.find_token("th-2", now).await, "token");
}
