//! `user add`: create a login, with a generated password unless one is piped in.
use super::{CLI_ACTOR, SharedStore};
use crate::{UserAddArgs, failure::usage};
use anyhow::Context;
use rand::{Rng, distributions::Alphanumeric, rngs::OsRng};
use std::io::BufRead;
use touchpoint_core::{
    ValidationErrors,
    audit::Actor,
    store::Store,
    user::{NewUser, User, check_password},
};
use touchpoint_server::auth::password::hash_password;

/// Length of generated passwords: 24 alphanumerics, about 142 bits of entropy.
const GENERATED_LEN: usize = 24;

/// A strong random password (letters and digits, easy to copy).
pub fn generate_password() -> String {
    OsRng
        .sample_iter(&Alphanumeric)
        .take(GENERATED_LEN)
        .map(char::from)
        .collect()
}

pub async fn add(store: SharedStore, args: UserAddArgs) -> anyhow::Result<()> {
    let new = NewUser {
        email: args.email,
        name: args.name,
        role: args.role,
        language: args.language,
    };
    let (password, generated) = if args.password_stdin {
        (read_password_line()?, false)
    } else {
        (generate_password(), true)
    };
    let user = create(store.as_ref(), &Actor::system(CLI_ACTOR), &new, &password).await?;
    eprintln!("created {} user {} (id {})", user.role, user.email, user.id);
    if generated {
        eprintln!("password (shown once; store it safely):");
        println!("{password}");
    }
    Ok(())
}

/// Validate and create a user with `password`; every bad field is reported at once.
pub async fn create(
    store: &dyn Store,
    actor: &Actor,
    new: &NewUser,
    password: &str,
) -> anyhow::Result<User> {
    let mut errors = ValidationErrors::new();
    let fields = match new.validate() {
        Ok(f) => Some(f),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    check_password(&mut errors, "password", password);
    let fields = match fields {
        Some(f) if errors.is_empty() => f,
        _ => return Err(usage(field_lines("invalid user", &errors))),
    };
    let hash = hash_in_background(password.to_string()).await?;
    store
        .create_user(actor, &fields, &hash)
        .await
        .with_context(|| format!("cannot create user {}", fields.email))
}

/// Argon2 is deliberately slow; keep it off the async worker threads.
pub async fn hash_in_background(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .context("password hashing stopped")?
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
}

/// The first line of stdin, without its line ending.
fn read_password_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| usage(format!("cannot read the password from standard input: {e}")))?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err(usage("--password-stdin: standard input held no password"));
    }
    Ok(password)
}

/// `title:` followed by one `  field: message` line per error.
pub fn field_lines(title: &str, errors: &ValidationErrors) -> String {
    let mut msg = format!("{title}:");
    for f in &errors.0 {
        msg.push_str(&format!("\n  {}: {}", f.field, f.message));
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_are_long_and_distinct() {
        let a = generate_password();
        assert_eq!(a.len(), GENERATED_LEN);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, generate_password());
        let mut errors = ValidationErrors::new();
        check_password(&mut errors, "password", &a);
        assert!(errors.is_empty());
    }
}
