//! Users (admins only): list, create with an initial password, change role/active/password.
use super::{
    chrome::Chrome,
    forms::{FieldErrors, Listing, Pager, Params, SortLink, flash, store_form_error},
    render::{PageError, PageResult, parse_id, render, render_status, require},
};
use crate::{auth::PageUser, auth::password::hash_password, state::AppState};
use askama::Template;
use axum::{
    body::Bytes,
    extract::{OriginalUri, Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use touchpoint_core::{
    ValidationErrors,
    listing::SortField,
    user::{NewUser, Permission, Role, User, UserPatch, check_password},
};

pub struct UserForm {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub language: String,
    pub active: bool,
}

impl Default for UserForm {
    fn default() -> Self {
        Self {
            email: String::new(),
            name: String::new(),
            role: Role::Viewer,
            language: "en".into(),
            active: true,
        }
    }
}

pub struct RoleOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

impl UserForm {
    fn read(p: &Params) -> Self {
        Self {
            email: p.get("email").trim().to_string(),
            name: p.get("name").to_string(),
            role: p.get("role").parse().unwrap_or(Role::Viewer),
            language: p.get("language").to_string(),
            active: p.has("active"),
        }
    }
    pub fn roles(&self, c: &Chrome) -> Vec<RoleOption> {
        Role::ALL
            .iter()
            .map(|r| RoleOption {
                value: r.as_str(),
                label: c.t.role(*r),
                selected: *r == self.role,
            })
            .collect()
    }
    pub fn is_es(&self) -> bool {
        self.language == "es"
    }
}

pub struct UserRow {
    pub user: User,
    pub role: &'static str,
    pub created: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    c: Chrome,
    rows: Vec<UserRow>,
    sort_name: SortLink,
    sort_email: SortLink,
    sort_created: SortLink,
    pager: Pager,
    search: String,
    form: UserForm,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "user_edit.html")]
struct UserEditPage {
    c: Chrome,
    id: i64,
    form: UserForm,
    errors: FieldErrors,
}

async fn list_page(
    state: &AppState,
    c: Chrome,
    p: &Params,
    form: UserForm,
    errors: FieldErrors,
) -> Result<UsersPage, PageError> {
    let mut l = Listing::from_params("/users", p);
    l.inactive = true;
    let page = state
        .store
        .list_users(&l.query())
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let t = c.t;
    let rows = page
        .items
        .iter()
        .map(|u| UserRow {
            role: t.role(u.role),
            created: u.created_at.format("%Y-%m-%d").to_string(),
            user: u.clone(),
        })
        .collect();
    Ok(UsersPage {
        sort_name: l.sort_link(t.name, SortField::Name),
        sort_email: l.sort_link(t.email, SortField::Key),
        sort_created: l.sort_link(t.created, SortField::CreatedAt),
        pager: l.pager(t, &page),
        search: l.search.clone(),
        rows,
        form,
        errors,
        c,
    })
}

async fn admin(
    state: &AppState,
    pu: &PageUser,
    uri: &axum::http::Uri,
) -> Result<Chrome, PageError> {
    let c = Chrome::for_user(pu, "users", &uri.to_string());
    require(state, pu, &c, Permission::Administer, uri.path()).await?;
    Ok(c)
}

pub async fn list(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = admin(&state, &pu, &uri).await?;
    let p = Params::query(uri.query());
    let c = c.clone().with_flash(flash(c.t, &p));
    Ok(render(
        &list_page(&state, c, &p, UserForm::default(), FieldErrors::default()).await?,
    ))
}

async fn hash(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| e.to_string())?
}

pub async fn create(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = admin(&state, &pu, &uri).await?;
    let p = Params::parse(&body);
    let form = UserForm::read(&p);
    let input = NewUser {
        email: form.email.clone(),
        name: form.name.clone(),
        role: form.role,
        language: Some(form.language.clone()),
    };
    let mut problems = ValidationErrors::new();
    check_password(&mut problems, "password", p.get("password"));
    let errors = match input.validate() {
        Ok(fields) if problems.is_empty() => {
            let hashed = hash(p.get("password").to_string())
                .await
                .map_err(|e| PageError::store(&c, touchpoint_core::StoreError::Backend(e)))?;
            match state.store.create_user(&pu.actor(), &fields, &hashed).await {
                Ok(_) => return Ok(Redirect::to("/users?flash=created").into_response()),
                Err(e) => store_form_error(&c, e)?,
            }
        }
        Ok(_) => FieldErrors::from_validation(c.lang, &problems),
        Err(mut e) => {
            e.extend(problems);
            FieldErrors::from_validation(c.lang, &e)
        }
    };
    let page = list_page(&state, c, &Params::default(), form, errors).await?;
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

pub async fn edit_form(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = admin(&state, &pu, &uri).await?;
    let id = parse_id(&c, &raw)?;
    let u = state
        .store
        .get_user(id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let form = UserForm {
        email: u.email,
        name: u.name,
        role: u.role,
        language: u.language,
        active: u.active,
    };
    Ok(render(&UserEditPage {
        c,
        id,
        form,
        errors: FieldErrors::default(),
    }))
}

pub async fn update(
    State(state): State<AppState>,
    pu: PageUser,
    Path(raw): Path<String>,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = admin(&state, &pu, &uri).await?;
    let id = parse_id(&c, &raw)?;
    let current = state
        .store
        .get_user(id)
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let p = Params::parse(&body);
    let mut form = UserForm::read(&p);
    form.email = current.email.clone();
    let mut problems = ValidationErrors::new();
    let password = p.get("password");
    if !password.is_empty() {
        check_password(&mut problems, "password", password);
    }
    if id == pu.user.id && (form.role != Role::Admin || !form.active) {
        problems.push("role", c.t.cannot_demote_self);
    }
    if form.name.trim().is_empty() {
        problems.push("name", "must not be empty");
    }
    let errors = if problems.is_empty() {
        let patch = UserPatch {
            name: Some(form.name.trim().to_string()),
            role: Some(form.role),
            active: Some(form.active),
            language: Some(form.language.clone()),
        };
        match state.store.update_user(&pu.actor(), id, &patch).await {
            Ok(_) if password.is_empty() => {
                return Ok(Redirect::to("/users?flash=updated").into_response());
            }
            Ok(_) => {
                let hashed = hash(password.to_string())
                    .await
                    .map_err(|e| PageError::store(&c, touchpoint_core::StoreError::Backend(e)))?;
                state
                    .store
                    .set_password(&pu.actor(), id, &hashed)
                    .await
                    .map_err(|e| PageError::store(&c, e))?;
                return Ok(Redirect::to("/users?flash=updated").into_response());
            }
            Err(e) => store_form_error(&c, e)?,
        }
    } else {
        FieldErrors::from_validation(c.lang, &problems)
    };
    Ok(render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &UserEditPage {
            c,
            id,
            form,
            errors,
        },
    ))
}
