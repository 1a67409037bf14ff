//! Sites, staff and quality dimensions.
use super::{assert_conflict, assert_invalid, assert_not_found, last_audit, searching, sorted};
use crate::{actor, sample_site_fields, sample_staff_fields};
use std::sync::Arc;
use touchpoint_core::{
    dimension::default_dimensions,
    listing::{ListQuery, SortField},
    org::{SiteFields, StaffFields},
    store::Store,
};

pub async fn sites_crud(store: Arc<dyn Store>) {
    let f = sample_site_fields("centro");
    let s = store.create_site(&actor(), &f).await.unwrap();
    assert_eq!(
        (&s.key, &s.name, &s.city, &s.timezone, s.active),
        (&f.key, &f.name, &f.city, &f.timezone, true)
    );
    assert_eq!(s.manager_email, None);
    assert_eq!(store.get_site(s.id).await.unwrap(), s);
    assert_not_found(store.get_site(s.id + 1000).await, "site");
    assert_conflict(store.create_site(&actor(), &f).await, "key");
    let e = last_audit(&*store, "site.create").await;
    assert_eq!(
        (e.entity.as_str(), e.entity_id),
        ("site", Some(s.id.to_string()))
    );

    let g = SiteFields {
        key: "norte".into(),
        name: "North branch".into(),
        city: "Medellín".into(),
        timezone: "UTC".into(),
        manager_email: Some("gerente.norte@example.com".into()),
        active: true,
    };
    let u = store.update_site(&actor(), s.id, &g).await.unwrap();
    assert_eq!((u.id, u.created_at), (s.id, s.created_at));
    assert_eq!(
        (&u.key, &u.name, &u.city, &u.timezone),
        (&g.key, &g.name, &g.city, &g.timezone)
    );
    assert_eq!(
        u.manager_email.as_deref(),
        Some("gerente.norte@example.com")
    );
    assert_eq!(store.get_site(s.id).await.unwrap(), u);
    let listed = store.list_sites(&ListQuery::default()).await.unwrap();
    assert!(listed.items.contains(&u), "lists read the manager too");
    assert_not_found(store.update_site(&actor(), s.id + 1000, &g).await, "site");
    let other = store
        .create_site(&actor(), &sample_site_fields("sur"))
        .await
        .unwrap();
    assert_conflict(store.update_site(&actor(), other.id, &g).await, "key");
    let e = last_audit(&*store, "site.update").await;
    assert_eq!(e.before.as_ref().unwrap()["name"], "Site centro");
    assert_eq!(e.after.as_ref().unwrap()["name"], "North branch");
    assert_eq!(
        e.after.as_ref().unwrap()["manager_email"],
        "gerente.norte@example.com"
    );

    store.deactivate_site(&actor(), s.id).await.unwrap();
    assert!(!store.get_site(s.id).await.unwrap().active);
    let active = store.list_sites(&ListQuery::default()).await.unwrap();
    assert_eq!(
        active.items.iter().map(|s| s.id).collect::<Vec<_>>(),
        [other.id]
    );
    assert_eq!(active.total, 1);
    assert_eq!(store.list_sites(&ListQuery::all()).await.unwrap().total, 2);
    assert_not_found(store.deactivate_site(&actor(), s.id + 1000).await, "site");
    let e = last_audit(&*store, "site.deactivate").await;
    assert_eq!(
        (e.entity.as_str(), e.entity_id),
        ("site", Some(s.id.to_string()))
    );

    // Reactivating goes through update; so does removing the manager.
    let back = store
        .update_site(
            &actor(),
            s.id,
            &SiteFields {
                active: true,
                manager_email: None,
                ..g
            },
        )
        .await
        .unwrap();
    assert!(back.active);
    assert_eq!(back.manager_email, None);
    assert_eq!(
        store.list_sites(&ListQuery::default()).await.unwrap().total,
        2
    );
}

pub async fn sites_list_sort_and_search(store: Arc<dyn Store>) {
    for (key, name) in [
        ("b-site", "bravo"),
        ("c-site", "Alpha Centre"),
        ("a-site", "charlie"),
    ] {
        let f = SiteFields {
            name: name.into(),
            ..sample_site_fields(key)
        };
        store.create_site(&actor(), &f).await.unwrap();
    }
    let keys = |q: ListQuery| {
        let store = store.clone();
        async move {
            let p = store.list_sites(&q).await.unwrap();
            p.items.into_iter().map(|s| s.key).collect::<Vec<_>>()
        }
    };
    assert_eq!(
        keys(sorted(SortField::Name, false)).await,
        ["c-site", "b-site", "a-site"]
    );
    assert_eq!(
        keys(sorted(SortField::Key, false)).await,
        ["a-site", "b-site", "c-site"]
    );
    assert_eq!(
        keys(sorted(SortField::Key, true)).await,
        ["c-site", "b-site", "a-site"]
    );
    assert_eq!(
        keys(sorted(SortField::CreatedAt, false)).await,
        ["b-site", "c-site", "a-site"]
    );
    assert_eq!(
        keys(sorted(SortField::CreatedAt, true)).await,
        ["a-site", "c-site", "b-site"]
    );
    assert_eq!(keys(searching("CENTRE")).await, ["c-site"]);
    let page = store
        .list_sites(&ListQuery {
            limit: 1,
            offset: 1,
            ..sorted(SortField::Key, false)
        })
        .await
        .unwrap();
    assert_eq!(
        (page.items.len(), page.total, page.limit, page.offset),
        (1, 3, 1, 1)
    );
    assert_eq!(page.items[0].key, "b-site");
}

pub async fn staff_crud(store: Arc<dyn Store>) {
    let site = store
        .create_site(&actor(), &sample_site_fields("centro"))
        .await
        .unwrap();
    let f = sample_staff_fields("Ana Ruiz", Some(site.id));
    let a = store.create_staff(&actor(), &f).await.unwrap();
    assert_eq!(
        (&a.name, &a.role, a.site_id, &a.email, a.active),
        (&f.name, &f.role, f.site_id, &f.email, true)
    );
    assert_eq!(store.get_staff(a.id).await.unwrap(), a);
    assert_not_found(store.get_staff(a.id + 1000).await, "staff");
    let e = last_audit(&*store, "staff.create").await;
    assert_eq!(
        (e.entity.as_str(), e.entity_id),
        ("staff", Some(a.id.to_string()))
    );

    let floating = store
        .create_staff(&actor(), &sample_staff_fields("Beto", None))
        .await
        .unwrap();
    assert_eq!(floating.site_id, None);

    let bad = sample_staff_fields("Carla", Some(site.id + 1000));
    assert_invalid(store.create_staff(&actor(), &bad).await, "site_id");
    assert_invalid(store.update_staff(&actor(), a.id, &bad).await, "site_id");
    assert_eq!(store.get_staff(a.id).await.unwrap(), a);

    let g = StaffFields {
        name: "Ana María Ruiz".into(),
        role: "Supervisor".into(),
        site_id: None,
        email: String::new(),
        active: true,
    };
    let u = store.update_staff(&actor(), a.id, &g).await.unwrap();
    assert_eq!((u.id, u.created_at), (a.id, a.created_at));
    assert_eq!(
        (&u.name, &u.role, u.site_id, &u.email),
        (&g.name, &g.role, None, &g.email)
    );
    assert_eq!(store.get_staff(a.id).await.unwrap(), u);
    assert_not_found(store.update_staff(&actor(), a.id + 1000, &g).await, "staff");
    let e = last_audit(&*store, "staff.update").await;
    assert_eq!(e.before.as_ref().unwrap()["name"], "Ana Ruiz");
    assert_eq!(e.after.as_ref().unwrap()["name"], "Ana María Ruiz");

    store.deactivate_staff(&actor(), floating.id).await.unwrap();
    assert!(!store.get_staff(floating.id).await.unwrap().active);
    assert_not_found(store.deactivate_staff(&actor(), a.id + 1000).await, "staff");
    let e = last_audit(&*store, "staff.deactivate").await;
    assert_eq!(e.entity_id, Some(floating.id.to_string()));
    let active = store.list_staff(&ListQuery::default(), None).await.unwrap();
    assert_eq!(
        active.items.iter().map(|s| s.id).collect::<Vec<_>>(),
        [a.id]
    );
    assert_eq!(
        store
            .list_staff(&ListQuery::all(), None)
            .await
            .unwrap()
            .total,
        2
    );
}

pub async fn staff_list_filters(store: Arc<dyn Store>) {
    let s1 = store
        .create_site(&actor(), &sample_site_fields("one"))
        .await
        .unwrap();
    let s2 = store
        .create_site(&actor(), &sample_site_fields("two"))
        .await
        .unwrap();
    for (name, site) in [
        ("carlos", Some(s1.id)),
        ("Ana", Some(s2.id)),
        ("beatriz", Some(s1.id)),
        ("Dora", None),
    ] {
        store
            .create_staff(&actor(), &sample_staff_fields(name, site))
            .await
            .unwrap();
    }
    let names = |q: ListQuery, site: Option<i64>| {
        let store = store.clone();
        async move {
            let p = store.list_staff(&q, site).await.unwrap();
            assert_eq!(p.total, p.items.len() as i64);
            p.items.into_iter().map(|s| s.name).collect::<Vec<_>>()
        }
    };
    let by_name = sorted(SortField::Name, false);
    assert_eq!(
        names(by_name.clone(), None).await,
        ["Ana", "beatriz", "carlos", "Dora"]
    );
    assert_eq!(
        names(by_name.clone(), Some(s1.id)).await,
        ["beatriz", "carlos"]
    );
    assert_eq!(names(by_name, Some(s2.id)).await, ["Ana"]);
    assert_eq!(
        names(sorted(SortField::CreatedAt, true), None).await,
        ["Dora", "beatriz", "Ana", "carlos"]
    );
    assert_eq!(names(searching("TRI"), None).await, ["beatriz"]);
    assert_eq!(names(searching("a"), Some(s2.id)).await, ["Ana"]);
    assert!(
        names(ListQuery::default(), Some(s2.id + 1000))
            .await
            .is_empty()
    );
}

pub async fn dimensions_are_the_ten_defaults(store: Arc<dyn Store>) {
    let d = store.list_dimensions().await.unwrap();
    assert_eq!(d, default_dimensions());
    let positions: Vec<i32> = d.iter().map(|d| d.position).collect();
    assert_eq!(positions, (1..=10).collect::<Vec<_>>());
}
