//! Links: anonymous open links and personal invitations, found by token hash.
use super::{csat_survey, published, world};
use crate::{
    Store, actor,
    conformance::{assert_conflict, assert_not_found},
};
use chrono::{NaiveDate, TimeZone, Utc};
use std::sync::Arc;
use touchpoint_core::{
    feedback::records::{LinkKind, LinkSurvey, NewLink},
    listing::ListQuery,
};

/// A fake SHA-256 hex digest, distinct per `n`.
pub fn token_hash(n: u64) -> String {
    format!("{n:064x}")
}

/// An open link whose URL token is `open-<n>`.
pub fn open_link(n: u64) -> NewLink {
    NewLink {
        kind: LinkKind::Open,
        token_hash: token_hash(n),
        token: Some(format!("open-{n}")),
        customer: None,
        email: None,
        language: None,
        site_id: None,
        staff_id: None,
        visit_date: None,
        complaint_ref: None,
        expires_at: None,
    }
}

/// A personal invitation for `customer`.
pub fn invitation(n: u64, customer: &str) -> NewLink {
    NewLink {
        kind: LinkKind::Personal,
        token: None,
        customer: Some(customer.to_string()),
        email: Some(format!("{}@example.com", customer.to_lowercase())),
        ..open_link(n)
    }
}

pub async fn links_create_and_find(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, v) = published(&*store, &csat_survey(&w)).await;
    let mut personal = invitation(2, "Marta");
    personal.token = Some("must-not-be-kept".into());
    personal.language = Some("es".into());
    personal.site_id = Some(w.sites[1].id);
    personal.staff_id = Some(w.staff.id);
    personal.visit_date = NaiveDate::from_ymd_opt(2026, 1, 10);
    personal.complaint_ref = Some("C-2026-0042".into());
    personal.expires_at = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).single();
    let created = store
        .create_links(&actor(), s.id, &[open_link(1), personal.clone()])
        .await
        .unwrap();
    assert_eq!(created.len(), 2);
    let (open, inv) = (&created[0], &created[1]);
    assert_ne!(open.id, inv.id);
    assert_eq!((open.survey_id, open.kind), (s.id, LinkKind::Open));
    assert_eq!(open.token.as_deref(), Some("open-1"));
    assert!(open.active && open.answered_at.is_none() && open.response_id.is_none());
    assert_eq!((inv.survey_id, inv.kind), (s.id, LinkKind::Personal));
    assert_eq!(inv.token, None, "a personal token is never stored");
    assert_eq!(inv.customer.as_deref(), Some("Marta"));
    assert_eq!(inv.email.as_deref(), Some("marta@example.com"));
    assert_eq!(inv.language.as_deref(), Some("es"));
    assert_eq!(
        (inv.site_id, inv.staff_id),
        (Some(w.sites[1].id), Some(w.staff.id))
    );
    assert_eq!(inv.visit_date, personal.visit_date);
    assert_eq!(inv.complaint_ref.as_deref(), Some("C-2026-0042"));
    assert_eq!(inv.expires_at, personal.expires_at);
    assert!(inv.active && inv.answered_at.is_none() && inv.response_id.is_none());

    let found = store.find_link(&token_hash(2)).await.unwrap();
    assert_eq!(&found.link, inv);
    assert_eq!(
        found.survey,
        LinkSurvey {
            id: s.id,
            service_id: s.service_id,
            archived_at: None,
            unpublished_draft: None,
        },
        "a published survey's draft is not read for its links"
    );
    assert_eq!(found.version.as_deref(), Some(&v));
    assert_eq!(found.definition(), Some(&v.definition));
    assert_eq!(&store.find_link(&token_hash(1)).await.unwrap().link, open);
    assert_not_found(store.find_link(&token_hash(99)).await, "link");
    assert_not_found(
        store
            .create_links(&actor(), s.id + 1000, &[open_link(3)])
            .await,
        "survey",
    );

    // A survey never published opens with no version to answer.
    let draft = store
        .create_survey(
            &actor(),
            &super::all_kinds_survey(&w, "draft-only", "Draft"),
        )
        .await
        .unwrap();
    store
        .create_links(&actor(), draft.id, &[open_link(4)])
        .await
        .unwrap();
    let t = store.find_link(&token_hash(4)).await.unwrap();
    assert_eq!((t.survey.id, t.version.clone()), (draft.id, None));
    assert_eq!(t.survey.unpublished_draft.as_ref(), Some(&draft.draft));
    assert_eq!(
        t.definition(),
        Some(&draft.draft),
        "its title comes from the draft"
    );

    // Archiving shows on the survey's links at once, though their survey was just read.
    store.archive_survey(&actor(), s.id).await.unwrap();
    let archived = store.find_link(&token_hash(2)).await.unwrap().survey;
    assert!(archived.archived_at.is_some());
    assert_eq!(
        archived.archived_at,
        store.get_survey(s.id).await.unwrap().archived_at
    );
}

pub async fn links_create_is_all_or_nothing(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, _) = published(&*store, &csat_survey(&w)).await;
    store
        .create_links(&actor(), s.id, &[open_link(1)])
        .await
        .unwrap();
    assert_conflict(
        store
            .create_links(&actor(), s.id, &[invitation(2, "Ana"), open_link(1)])
            .await,
        "token_hash",
    );
    assert_not_found(store.find_link(&token_hash(2)).await, "link");
    let page = store.list_links(s.id, &ListQuery::default()).await.unwrap();
    assert_eq!(page.total, 1);
}

pub async fn links_list_and_deactivate(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (s, _) = published(&*store, &csat_survey(&w)).await;
    let (other, _) = published(&*store, &super::all_kinds_survey(&w, "other", "Other")).await;
    let news: Vec<NewLink> = (1..=5)
        .map(|n| invitation(n, &format!("Customer{n}")))
        .collect();
    let created = store.create_links(&actor(), s.id, &news).await.unwrap();
    store
        .create_links(&actor(), other.id, &[open_link(50)])
        .await
        .unwrap();
    let ids: Vec<i64> = created.iter().map(|l| l.id).collect();
    let page = store
        .list_links(
            s.id,
            &ListQuery {
                limit: 2,
                offset: 2,
                ..ListQuery::default()
            },
        )
        .await
        .unwrap();
    let got: Vec<i64> = page.items.iter().map(|l| l.id).collect();
    assert_eq!(got, ids[2..4]);
    assert_eq!((page.total, page.limit, page.offset), (5, 2, 2));
    let newest = store
        .list_links(
            s.id,
            &ListQuery {
                descending: true,
                ..ListQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(newest.items.first().map(|l| l.id), Some(ids[4]));

    store.deactivate_link(&actor(), ids[1]).await.unwrap();
    let found = store.find_link(&token_hash(2)).await.unwrap();
    assert!(!found.link.active);
    let all = store.list_links(s.id, &ListQuery::default()).await.unwrap();
    assert_eq!(all.total, 5, "deactivated links stay listed");
    assert_eq!(
        all.items
            .iter()
            .filter(|l| !l.active)
            .map(|l| l.id)
            .collect::<Vec<_>>(),
        [ids[1]]
    );
    assert_eq!(all.items[1], found.link);
    assert_not_found(store.deactivate_link(&actor(), ids[4] + 1000).await, "link");
}
