//! `import customers` and `import sales` on SQLite, through the binary (PostgreSQL: postgres.rs).
mod common;

use common::{Scratch, portfolio};

#[tokio::test]
async fn customer_and_sales_imports_report_bad_rows_and_rank_exactly() {
    portfolio::imports_report_bad_rows_and_rank_exactly(&Scratch::new()).await;
}
