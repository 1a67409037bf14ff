//! `token add`: an API token for a user. The secret goes to stdout alone on its line, so a
//! script can capture it with `TOKEN=$(touchpoint token add ...)`; everything else goes to
//! stderr.
use super::{CLI_ACTOR, SharedStore};
use crate::{TokenAddArgs, failure::usage};
use anyhow::Context;
use touchpoint_core::{StoreError, audit::Actor};
use touchpoint_server::auth::secrets::new_api_token;

/// Longest token label accepted.
const MAX_NAME: usize = 200;

pub async fn add(store: SharedStore, args: TokenAddArgs) -> anyhow::Result<()> {
    let name = args.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(usage(format!("--name must be 1 to {MAX_NAME} characters")));
    }
    let email = args.email.trim().to_ascii_lowercase();
    let user = match store.find_credentials(&email).await {
        Ok(c) => c.user,
        Err(StoreError::NotFound { .. }) => {
            anyhow::bail!("no user with email {email}; create one with `touchpoint user add`")
        }
        Err(e) => return Err(e.into()),
    };
    if !user.active {
        anyhow::bail!("user {email} is deactivated; a token for them would not work");
    }
    let token = new_api_token();
    let created = store
        .create_token(
            &Actor::system(CLI_ACTOR),
            user.id,
            name,
            &token.prefix,
            &token.hash,
        )
        .await
        .with_context(|| format!("cannot create a token for {email}"))?;
    eprintln!(
        "created API token '{}' (id {}, prefix {}) for {}; the secret below is shown once:",
        created.name, created.id, created.prefix, user.email
    );
    println!("{}", token.secret);
    Ok(())
}
