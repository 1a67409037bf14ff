//! Feedback on several app nodes sharing one PostgreSQL database: single-use invitations,
//! idempotency keys and re-imports must hold across nodes, not just inside one process.
//!
//! Runs only with `TOUCHPOINT_TEST_POSTGRES_URL` set (see `conformance.rs`).
use std::{sync::Arc, time::Instant};
use touchpoint_core::{
    StoreError,
    feedback::{
        records::{NewResponse, ResponseSource, RollupQuery, SubmitOutcome},
        store::{ResponseStore, SurveyStore},
    },
};
use touchpoint_store_postgres::{PgStore, testing};
use touchpoint_test_support::{
    actor,
    conformance::feedback::{
        all_kinds_answers, all_kinds_survey, expected_rollups, invitation, march, published,
        response, token_hash, world,
    },
    fixed_clock,
};

/// Two stores ("nodes") on one fresh database, or `None` when no server is configured.
async fn two_nodes(test: &str) -> Option<[Arc<PgStore>; 2]> {
    let admin = testing::admin_url_from_env(test)?;
    let url = testing::fresh_database(&admin)
        .await
        .expect("fresh database");
    let (a, b) = tokio::join!(
        PgStore::connect_with(&url, fixed_clock(), 4),
        PgStore::connect_with(&url, fixed_clock(), 4)
    );
    Some([Arc::new(a.expect("node a")), Arc::new(b.expect("node b"))])
}

fn is_invitation_conflict(r: &Result<SubmitOutcome, StoreError>) -> bool {
    matches!(r, Err(StoreError::Conflict { field, .. }) if field == "invitation")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_answering_one_invitation_store_one_response() {
    let Some(nodes) = two_nodes("two_nodes_answering_one_invitation").await else {
        return;
    };
    let w = world(&*nodes[0], "bank").await;
    let (s, v) = published(&*nodes[0], &all_kinds_survey(&w, "all", "All")).await;
    let link = nodes[1]
        .create_links(&actor(), s.id, &[invitation(1, "Marta")])
        .await
        .unwrap()
        .remove(0);
    let attempts: Vec<NewResponse> = (0..16)
        .map(|i| {
            let mut r = response(&v, march(2, 9, i, 0), &all_kinds_answers(i as i32));
            r.source = ResponseSource::Web;
            r.link_id = Some(link.id);
            r
        })
        .collect();
    // Half the attempts come one by one, half inside (one-row) import batches.
    let tasks: Vec<_> = attempts
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, r)| {
            let node = nodes[i % 2].clone();
            tokio::spawn(async move {
                if i % 4 < 2 {
                    node.submit_response(&r).await
                } else {
                    let mut out = node.submit_responses(&[r]).await?;
                    out.pop().expect("one outcome")
                }
            })
        })
        .collect();
    let mut created = Vec::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(SubmitOutcome::Created(id)) => created.push(id),
            other => assert!(is_invitation_conflict(&other), "unexpected {other:?}"),
        }
    }
    assert_eq!(created.len(), 1, "exactly one submission wins");
    for node in &nodes {
        let link = node.find_link(&token_hash(1)).await.unwrap().link;
        assert_eq!(link.response_id, Some(created[0]));
        assert_eq!(node.get_survey(s.id).await.unwrap().response_count, 1);
    }
    let kept = nodes[0].get_response(created[0]).await.unwrap();
    let rows = nodes[1]
        .rollups(&RollupQuery {
            survey_id: Some(s.id),
            ..RollupQuery::default()
        })
        .await
        .unwrap();
    let winner = attempts
        .iter()
        .find(|r| r.submitted_at == kept.submitted_at)
        .expect("the kept response is one of the attempts")
        .clone();
    assert_eq!(rows, expected_rollups(&[winner]), "losers left no roll-ups");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_receiving_one_idempotency_key_store_one_response() {
    let Some(nodes) = two_nodes("two_nodes_receiving_one_idempotency_key").await else {
        return;
    };
    let w = world(&*nodes[0], "bank").await;
    let (s, v) = published(&*nodes[0], &all_kinds_survey(&w, "all", "All")).await;
    let mut r = response(&v, march(2, 9, 0, 0), &all_kinds_answers(3));
    r.idempotency_key = Some("retry-me".into());
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let node = nodes[i % 2].clone();
            let r = r.clone();
            tokio::spawn(async move { node.submit_response(&r).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await.expect("task").expect("submit"));
    }
    let created: Vec<i64> = outcomes
        .iter()
        .filter_map(|o| match o {
            SubmitOutcome::Created(id) => Some(*id),
            SubmitOutcome::AlreadyExists(_) => None,
        })
        .collect();
    assert_eq!(created.len(), 1, "{outcomes:?}");
    assert!(outcomes.iter().all(|o| o.id() == created[0]));
    assert_eq!(nodes[1].get_survey(s.id).await.unwrap().response_count, 1);
    let rows = nodes[0]
        .rollups(&RollupQuery {
            survey_id: Some(s.id),
            ..RollupQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(rows, expected_rollups(&[r]));
}

fn import_rows(
    v: &touchpoint_core::feedback::records::SurveyVersion,
    n: usize,
) -> Vec<NewResponse> {
    (0..n)
        .map(|i| {
            let mut r = response(
                v,
                march(1 + (i % 28) as u32, (i % 24) as u32, 0, 0),
                &all_kinds_answers(i as i32),
            );
            r.source = ResponseSource::Import;
            r.external_id = Some(format!("R_{i:06}"));
            r
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_importing_one_file_in_opposite_orders_store_each_row_once() {
    let Some(nodes) = two_nodes("two_nodes_importing_one_file").await else {
        return;
    };
    let w = world(&*nodes[0], "bank").await;
    let (s, v) = published(&*nodes[0], &all_kinds_survey(&w, "all", "All")).await;
    let rows = import_rows(&v, 3000);
    let reversed: Vec<NewResponse> = rows.iter().rev().cloned().collect();
    let (a, b) = (nodes[0].clone(), nodes[1].clone());
    let (forward, backward) = (rows.clone(), reversed);
    let t1 = tokio::spawn(async move {
        let mut out = Vec::new();
        for chunk in forward.chunks(1000) {
            out.extend(a.submit_responses(chunk).await.expect("batch a"));
        }
        out
    });
    let t2 = tokio::spawn(async move {
        let mut out = Vec::new();
        for chunk in backward.chunks(700) {
            out.extend(b.submit_responses(chunk).await.expect("batch b"));
        }
        out
    });
    let (out1, out2) = (t1.await.unwrap(), t2.await.unwrap());
    let mut out2: Vec<_> = out2.into_iter().rev().collect::<Vec<_>>();
    let mut created = 0;
    for (x, y) in out1.iter().zip(out2.iter_mut()) {
        let (x, y) = (x.as_ref().unwrap(), y.as_ref().unwrap());
        assert_eq!(x.id(), y.id(), "both nodes agree on the row's id");
        created += [x, y]
            .iter()
            .filter(|o| matches!(o, SubmitOutcome::Created(_)))
            .count();
    }
    assert_eq!(created, rows.len(), "every row created exactly once");
    assert_eq!(
        nodes[0].get_survey(s.id).await.unwrap().response_count,
        3000
    );
    let q = RollupQuery {
        survey_id: Some(s.id),
        ..RollupQuery::default()
    };
    assert_eq!(nodes[1].rollups(&q).await.unwrap(), expected_rollups(&rows));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_import_batch_is_written_at_once_and_exactly() {
    let Some(nodes) = two_nodes("a_large_import_batch").await else {
        return;
    };
    let node = &nodes[0];
    let w = world(&**node, "bank").await;
    let (s, v) = published(&**node, &all_kinds_survey(&w, "all", "All")).await;
    let rows = import_rows(&v, 10_000);
    let started = Instant::now();
    let out = node.submit_responses(&rows).await.unwrap();
    let elapsed = started.elapsed();
    eprintln!(
        "10000 responses x 7 answers in one batch: {elapsed:?} ({:.0} rows/s, debug build)",
        10_000.0 / elapsed.as_secs_f64()
    );
    assert!(
        out.iter()
            .all(|o| matches!(o, Ok(SubmitOutcome::Created(_))))
    );
    let mut ids: Vec<i64> = out.iter().map(|o| o.as_ref().unwrap().id()).collect();
    assert!(
        ids.windows(2).all(|p| p[0] < p[1]),
        "ids follow input order"
    );
    ids.dedup();
    assert_eq!(ids.len(), 10_000);
    let q = RollupQuery {
        survey_id: Some(s.id),
        ..RollupQuery::default()
    };
    assert_eq!(node.rollups(&q).await.unwrap(), expected_rollups(&rows));
    let again = node.submit_responses(&rows).await.unwrap();
    assert!(again.iter().zip(&out).all(
        |(a, o)| a.as_ref().unwrap() == &SubmitOutcome::AlreadyExists(o.as_ref().unwrap().id())
    ));
    assert_eq!(node.get_survey(s.id).await.unwrap().response_count, 10_000);
    let back = node.responses_after(s.id, 0, 10_000).await.unwrap();
    assert_eq!(back.len(), 10_000);
    assert_eq!(back[9_999].answers, rows[9_999].answers);
}

/// A database migrated from before the staff roll-ups: the migration marks the surveys whose
/// responses name staff, and the nodes that start next rebuild each one exactly once between
/// them (here the marks are put back by hand, as the migration would have left them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_starting_together_rebuild_marked_surveys_once() {
    let Some(admin) = testing::admin_url_from_env("marked_rollup_rebuilds") else {
        return;
    };
    let url = testing::fresh_database(&admin)
        .await
        .expect("fresh database");
    let first = PgStore::connect_with(&url, fixed_clock(), 4)
        .await
        .expect("first node");
    let w = world(&first, "bank").await;
    let (s, v) = published(&first, &all_kinds_survey(&w, "all", "All")).await;
    let responses: Vec<NewResponse> = (0..40)
        .map(|i| {
            let mut r = response(&v, march(2, 9, i, 0), &all_kinds_answers(i as i32));
            r.staff_id = (i % 2 == 0).then_some(w.staff.id);
            r
        })
        .collect();
    first.submit_responses(&responses).await.unwrap();
    drop(first);

    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    sqlx::query("DELETE FROM response_staff_rollups")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO rollup_rebuilds_pending (survey_id) VALUES ($1)")
        .bind(s.id)
        .execute(&pool)
        .await
        .unwrap();

    let (a, b) = tokio::join!(
        PgStore::connect_with(&url, fixed_clock(), 4),
        PgStore::connect_with(&url, fixed_clock(), 4)
    );
    let (a, _b) = (a.expect("node a"), b.expect("node b"));
    let named: Vec<NewResponse> = responses
        .iter()
        .filter(|r| r.staff_id.is_some())
        .cloned()
        .collect();
    let staff_rows = a
        .rollups(&RollupQuery {
            survey_id: Some(s.id),
            staff_id: Some(w.staff.id),
            ..RollupQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(staff_rows, expected_rollups(&named));
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM rollup_rebuilds_pending")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(pending, 0);
    let rebuilds: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'rollups.rebuild' AND actor = 'migration'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(rebuilds, 1, "rebuilt once, by one of the two nodes");
}

/// Single submissions and import batches naming the same staff member at the same site on
/// the same day touch the same per-site and per-staff roll-up rows. Both statements must take
/// those row locks in the same order (per-site rows, then per-staff rows), or a single
/// submission and a batch wait for each other and PostgreSQL aborts one as a deadlock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_and_batch_submissions_on_shared_rollups_never_deadlock() {
    let Some(nodes) = two_nodes("single_and_batch_share_rollups").await else {
        return;
    };
    let w = world(&*nodes[0], "bank").await;
    let (s, v) = published(&*nodes[0], &all_kinds_survey(&w, "all", "All")).await;
    let all: Vec<NewResponse> = (0..600)
        .map(|i| {
            let mut r = response(&v, march(2, 9, 0, 0), &all_kinds_answers(i % 5));
            r.external_id = Some(format!("D_{i:04}"));
            r.site_id = Some(w.sites[0].id);
            r.staff_id = Some(w.staff.id);
            r
        })
        .collect();
    let (singles, batched) = all.split_at(300);
    let mut tasks = Vec::new();
    for chunk in singles.chunks(50) {
        let (node, chunk) = (nodes[0].clone(), chunk.to_vec());
        tasks.push(tokio::spawn(async move {
            for r in &chunk {
                node.submit_response(r).await.map(|_| ())?;
            }
            Ok::<(), StoreError>(())
        }));
    }
    for chunk in batched.chunks(50) {
        let (node, chunk) = (nodes[1].clone(), chunk.to_vec());
        tasks.push(tokio::spawn(async move {
            for part in chunk.chunks(5) {
                for out in node.submit_responses(part).await? {
                    out?;
                }
            }
            Ok::<(), StoreError>(())
        }));
    }
    for t in tasks {
        t.await.unwrap().expect("no submission fails");
    }
    for staff_id in [None, Some(w.staff.id)] {
        let q = RollupQuery {
            survey_id: Some(s.id),
            staff_id,
            ..RollupQuery::default()
        };
        assert_eq!(nodes[0].rollups(&q).await.unwrap(), expected_rollups(&all));
    }
}
