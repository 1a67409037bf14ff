//! Invitations committed together with the notices that announce them: closing a complaint
//! makes its resolution-survey invitation and queues its notice in the close's own transaction,
//! and invitations emailed on creation are queued with them — all or nothing, on every backend.
use super::{assert_invalid, at, complaint, create, minutes, walk};
use crate::{
    Store, actor,
    conformance::feedback::{csat_survey, invitation, published, token_hash, world},
};
use std::sync::Arc;
use touchpoint_core::{
    StoreError,
    complaints::{
        AnnounceClose, AnnounceLink, ClosingInvitation, ComplaintStatus, Notification, OutboxItem,
    },
    feedback::records::SurveyLink,
    listing::ListQuery,
};

fn notice(key: String, link: &SurveyLink) -> Notification {
    Notification {
        event: "complaint.closed".into(),
        entity: "complaint".into(),
        entity_id: 0,
        key,
        subject: "How did we do?".into(),
        text: format!("invitation {}", link.id),
        to: link.email.iter().cloned().collect(),
        data: serde_json::json!({ "invitation_id": link.id }),
    }
}

fn closing_notice() -> AnnounceClose {
    Arc::new(|c, link| {
        let mut n = notice(format!("complaint.closed:{}:{}", c.id, link.id), link);
        n.entity_id = c.id;
        n
    })
}

/// The keys of every queued notification, oldest first.
async fn queued_keys(store: &dyn Store) -> Vec<String> {
    store
        .claim_outbox(at(10_000), "probe", chrono::Duration::seconds(1), 100)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|e| match e.item {
            OutboxItem::Queued(n) => Some(n.key),
            OutboxItem::Escalation(_) => None,
        })
        .collect()
}

async fn links_of(store: &dyn Store, survey_id: i64) -> Vec<SurveyLink> {
    store
        .list_links(survey_id, &ListQuery::default())
        .await
        .unwrap()
        .items
}

pub async fn closing_commits_the_invitation_and_its_notice_together(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (survey, _) = published(&*store, &csat_survey(&w)).await;
    let c = create(
        &*store,
        &complaint("Nora", "medium", "phone", minutes(60)),
        1,
    )
    .await;
    let to_resolved = [
        ComplaintStatus::Acknowledged,
        ComplaintStatus::Assessed,
        ComplaintStatus::Investigating,
        ComplaintStatus::Responded,
        ComplaintStatus::Resolved,
    ];
    walk(&*store, c.id, &to_resolved).await;
    let ask = |n: u64| ClosingInvitation {
        survey_id: survey.id,
        link: invitation(n, "Nora"),
        notice: closing_notice(),
    };
    let first = store
        .close_complaint(&actor(), c.id, "done", Some(ask(1)))
        .await
        .unwrap();
    assert_eq!(first.complaint.status, ComplaintStatus::Closed);
    assert!(first.queued);
    let link1 = first.invitation.expect("an invitation");
    assert_eq!(link1.survey_id, survey.id);

    // A close refused by the lifecycle leaves no invitation and queues nothing.
    let refused = store
        .close_complaint(&actor(), c.id, "again", Some(ask(2)))
        .await;
    assert_invalid(refused, "status");
    assert_eq!(links_of(&*store, survey.id).await.len(), 1);

    // Reopened and closed again: the unanswered invitation stops working, a new one is made.
    walk(&*store, c.id, &[ComplaintStatus::Reopened]).await;
    walk(&*store, c.id, &to_resolved[2..]).await;
    let second = store
        .close_complaint(&actor(), c.id, "done again", Some(ask(3)))
        .await
        .unwrap();
    let link2 = second.invitation.expect("a second invitation");
    let links = links_of(&*store, survey.id).await;
    let active: Vec<(i64, bool)> = links.iter().map(|l| (l.id, l.active)).collect();
    assert_eq!(active, [(link1.id, false), (link2.id, true)]);
    assert_eq!(
        queued_keys(&*store).await,
        [
            format!("complaint.closed:{}:{}", c.id, link1.id),
            format!("complaint.closed:{}:{}", c.id, link2.id),
        ]
    );

    // A close without an invitation is a plain close.
    let other = create(
        &*store,
        &complaint("Ana", "medium", "phone", minutes(60)),
        2,
    )
    .await;
    walk(&*store, other.id, &to_resolved).await;
    let plain = store
        .close_complaint(&actor(), other.id, "", None)
        .await
        .unwrap();
    assert_eq!(plain.complaint.status, ComplaintStatus::Closed);
    assert!(plain.invitation.is_none() && !plain.queued);
    // An unknown survey undoes the whole close.
    let third = create(
        &*store,
        &complaint("Eva", "medium", "phone", minutes(60)),
        3,
    )
    .await;
    walk(&*store, third.id, &to_resolved).await;
    let missing = ClosingInvitation {
        survey_id: survey.id + 1000,
        ..ask(4)
    };
    let r = store
        .close_complaint(&actor(), third.id, "", Some(missing))
        .await;
    assert!(matches!(r, Err(StoreError::NotFound { .. })), "{r:?}");
    assert_eq!(
        store.get_complaint(third.id).await.unwrap().status,
        ComplaintStatus::Resolved,
        "the close is undone with the invitation"
    );
}

pub async fn invitations_are_created_with_their_emails_or_not_at_all(store: Arc<dyn Store>) {
    let w = world(&*store, "bank").await;
    let (survey, _) = published(&*store, &csat_survey(&w)).await;
    // Only the invitations with an address are announced.
    let announce: AnnounceLink = Arc::new(|i, link| {
        link.email
            .as_ref()
            .map(|_| notice(format!("survey.invitation:{}:{i}", link.id), link))
    });
    let mut silent = invitation(2, "Bo");
    silent.email = None;
    let (made, queued) = store
        .create_links_announced(
            &actor(),
            survey.id,
            &[invitation(1, "Nora"), silent, invitation(3, "Eva")],
            announce.clone(),
        )
        .await
        .unwrap();
    assert_eq!(made.len(), 3);
    assert_eq!(queued, 2);
    assert_eq!(
        queued_keys(&*store).await,
        [
            format!("survey.invitation:{}:0", made[0].id),
            format!("survey.invitation:{}:2", made[2].id),
        ]
    );

    // A batch that fails (a token already taken) creates no invitation and queues no email.
    let mut taken = invitation(5, "Taken");
    taken.token_hash = token_hash(1);
    let r = store
        .create_links_announced(
            &actor(),
            survey.id,
            &[invitation(4, "Ivo"), taken],
            announce,
        )
        .await;
    assert!(r.is_err(), "{r:?}");
    assert_eq!(links_of(&*store, survey.id).await.len(), 3);
    assert!(
        queued_keys(&*store).await.is_empty(),
        "nothing new was queued"
    );
}
