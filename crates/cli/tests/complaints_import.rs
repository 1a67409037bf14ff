//! `import complaints` of the CFPB excerpt on SQLite, through the binary (PostgreSQL:
//! postgres.rs).
mod common;

use common::{Scratch, complaints};

#[tokio::test]
async fn cfpb_excerpt_imports_once_and_reports_bad_rows() {
    complaints::cfpb_excerpt_imports_once_and_reports_bad_rows(&Scratch::new()).await;
}
