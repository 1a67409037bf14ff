//! `/recognition/settings`: the weights, minimum sample sizes, compliments for full marks and
//! minimum coverage of the recognition formula, for admins and managers (the same rules as
//! `PUT /api/v1/recognition/settings`). A bad value comes back with every field named and
//! the stored settings unchanged.
use super::texts::{RecognitionTexts, recognition_texts};
use crate::{
    auth::PageUser,
    i18n::Lang,
    pages::{
        chrome::Chrome,
        forms::{FieldErrors, Params},
        render::{PageError, PageResult, render, render_status, require},
    },
    state::AppState,
};
use askama::Template;
use axum::{
    body::Bytes,
    extract::{OriginalUri, State},
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use touchpoint_core::{
    ValidationErrors,
    recognition::{ComponentKind, ComponentRule, RecognitionSettings},
    user::Permission,
};

/// One component's row of the form.
pub struct RuleField {
    pub kind: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub weight: String,
    pub min_sample: String,
}

#[derive(Template)]
#[template(path = "recognition/settings.html")]
struct SettingsPage {
    c: Chrome,
    r: &'static RecognitionTexts,
    rules: Vec<RuleField>,
    full_marks: String,
    min_coverage: String,
    errors: FieldErrors,
}

/// The form as typed: the stored settings, or what was posted when it was refused.
fn page(c: Chrome, values: &Params, errors: FieldErrors) -> SettingsPage {
    let r = recognition_texts(c.lang);
    let rules = ComponentKind::ALL
        .iter()
        .map(|&k| RuleField {
            kind: k.as_str(),
            label: r.component(k),
            unit: r.unit(k),
            weight: values.get(&format!("{}.weight", k.as_str())).to_string(),
            min_sample: values
                .get(&format!("{}.min_sample", k.as_str()))
                .to_string(),
        })
        .collect();
    SettingsPage {
        r,
        rules,
        full_marks: values.get("compliments_for_full_marks").to_string(),
        min_coverage: values.get("min_coverage").to_string(),
        errors,
        c,
    }
}

/// The stored settings as form values, decimals written the way the page's language writes
/// them (`0,3` in Spanish; either is read back).
fn as_params(s: &RecognitionSettings, lang: Lang) -> Params {
    let decimal = |x: f64| match lang {
        Lang::Es => x.to_string().replace('.', ","),
        Lang::En => x.to_string(),
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for k in ComponentKind::ALL {
        let rule = s.rule(k);
        pairs.push((format!("{}.weight", k.as_str()), decimal(rule.weight)));
        pairs.push((
            format!("{}.min_sample", k.as_str()),
            rule.min_sample.to_string(),
        ));
    }
    pairs.push((
        "compliments_for_full_marks".into(),
        s.compliments_for_full_marks.to_string(),
    ));
    pairs.push(("min_coverage".into(), decimal(s.min_coverage)));
    Params(pairs)
}

/// A decimal typed in either language (a comma is the decimal point); NaN otherwise, which
/// validation refuses by name.
fn decimal(p: &Params, field: &str) -> f64 {
    p.get(field)
        .trim()
        .replace(',', ".")
        .parse()
        .unwrap_or(f64::NAN)
}

/// A whole number, or a problem named by its field.
fn whole(p: &Params, field: &str, errors: &mut ValidationErrors) -> u32 {
    p.get(field).trim().parse().unwrap_or_else(|_| {
        errors.push(field, "must be a whole number of 0 or more");
        0
    })
}

/// The posted form as settings, every problem at once.
fn parse(p: &Params) -> Result<RecognitionSettings, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let mut rule = |k: ComponentKind| ComponentRule {
        weight: decimal(p, &format!("{}.weight", k.as_str())),
        min_sample: whole(p, &format!("{}.min_sample", k.as_str()), &mut errors),
    };
    let asked = RecognitionSettings {
        audit: rule(ComponentKind::Audit),
        satisfaction: rule(ComponentKind::Satisfaction),
        compliments: rule(ComponentKind::Compliments),
        resolution: rule(ComponentKind::Resolution),
        promises_kept: rule(ComponentKind::PromisesKept),
        compliments_for_full_marks: whole(p, "compliments_for_full_marks", &mut errors),
        min_coverage: decimal(p, "min_coverage"),
    };
    match asked.validate() {
        Ok(valid) if errors.is_empty() => Ok(valid),
        Ok(_) => Err(errors),
        Err(e) => {
            errors.extend(e);
            Err(errors)
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "recognition", &uri.to_string());
    require(
        &state,
        &pu,
        &c,
        Permission::ManageCatalog,
        "GET /recognition/settings",
    )
    .await?;
    let stored = state
        .store
        .recognition_settings()
        .await
        .map_err(|e| PageError::store(&c, e))?;
    let values = as_params(&stored, c.lang);
    Ok(render(&page(c, &values, FieldErrors::default())))
}

pub async fn save(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> PageResult {
    let c = Chrome::for_user(&pu, "recognition", &uri.to_string());
    require(
        &state,
        &pu,
        &c,
        Permission::ManageCatalog,
        "POST /recognition/settings",
    )
    .await?;
    let p = Params::parse(&body);
    match parse(&p) {
        Ok(valid) => {
            state
                .store
                .save_recognition_settings(&pu.actor(), &valid)
                .await
                .map_err(|e| PageError::store(&c, e))?;
            Ok(Redirect::to("/recognition?flash=settings#how").into_response())
        }
        Err(e) => {
            let errors = FieldErrors::from_validation(c.lang, &e);
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(c, &p, errors),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(mut p: Params, name: &str, value: &str) -> Params {
        for (k, v) in &mut p.0 {
            if k == name {
                *v = value.to_string();
            }
        }
        p
    }

    #[test]
    fn the_stored_settings_read_back_as_they_were() {
        let s = RecognitionSettings::default();
        assert_eq!(parse(&as_params(&s, Lang::En)).unwrap(), s);
        assert_eq!(parse(&as_params(&s, Lang::Es)).unwrap(), s);
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut p = as_params(&RecognitionSettings::default(), Lang::En);
        p = with(p, "audit.weight", "lots");
        p = with(p, "satisfaction.min_sample", "-3");
        p = with(p, "min_coverage", "1,5");
        p = with(p, "compliments_for_full_marks", "0");
        let e = parse(&p).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "satisfaction.min_sample",
                "audit.weight",
                "compliments_for_full_marks",
                "min_coverage"
            ]
        );
        // A comma is a decimal point.
        let p = with(
            as_params(&RecognitionSettings::default(), Lang::En),
            "min_coverage",
            "0,75",
        );
        assert_eq!(parse(&p).unwrap().min_coverage, 0.75);
    }
}
