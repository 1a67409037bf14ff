//! Connection helpers for store methods that split their work into functions taking
//! `&mut PgConnection`. Macros rather than functions because the body is a future borrowing
//! the connection, which a closure cannot return. Expanded where used, so the caller's scope
//! must have `PgConnection` and the `Db` trait (`.db()`) in view.

/// Run `$body` (a future using the connection `$c`) in a transaction and commit it.
macro_rules! in_tx {
    ($store:expr, $c:ident => $body:expr) => {{
        let mut tx = $store.pool.begin().await.db()?;
        let $c: &mut PgConnection = &mut tx;
        let out = $body.await?;
        tx.commit().await.db()?;
        Ok(out)
    }};
}

/// Run `$body` on one pooled connection.
macro_rules! read {
    ($store:expr, $c:ident => $body:expr) => {{
        let mut conn = $store.pool.acquire().await.db()?;
        let $c: &mut PgConnection = &mut conn;
        $body.await
    }};
}
