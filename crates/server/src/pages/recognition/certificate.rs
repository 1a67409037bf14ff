//! `/recognition/certificate`: one printable certificate per site for the month's staff member
//! (or members, on a tie) of the month, with the figures that earned it.
use super::{
    texts::{RecognitionTexts, recognition_texts},
    view::{self, dec},
};
use crate::{
    auth::PageUser,
    pages::{
        chrome::Chrome,
        render::{PageResult, render},
    },
    state::AppState,
};
use askama::Template;
use axum::extract::{OriginalUri, State};

pub struct Award {
    pub name: String,
    pub role: String,
    pub score: String,
    pub reasons: Vec<String>,
}

pub struct SiteAwards {
    pub heading: String,
    pub awards: Vec<Award>,
    /// Shown when nobody at the site had enough evidence.
    pub nobody: String,
}

#[derive(Template)]
#[template(path = "recognition/certificate.html")]
struct CertificatePage {
    c: Chrome,
    r: &'static RecognitionTexts,
    month_name: String,
    back_href: String,
    sites: Vec<SiteAwards>,
}

pub async fn show(
    State(state): State<AppState>,
    pu: PageUser,
    OriginalUri(uri): OriginalUri,
) -> PageResult {
    let c = Chrome::for_user(&pu, "recognition", &uri.to_string());
    let t = recognition_texts(c.lang);
    let mut q = view::query(uri.query(), state.clock.now(), t);
    let (rec, _) = view::load(&state, &c, &mut q).await?;
    let lang = c.lang;
    let month_name = t.month_name(q.month);
    let sites = rec
        .sites
        .iter()
        .filter(|s| s.site_id.is_some())
        .map(|s| {
            let site = view::site_name(t, s);
            let awards = s
                .winners()
                .into_iter()
                .map(|w| {
                    let mut counted: Vec<_> = w.components.iter().filter(|k| k.qualifies).collect();
                    counted.sort_by(|a, b| b.points.total_cmp(&a.points));
                    Award {
                        name: w.name.clone(),
                        role: w.role.clone(),
                        score: t
                            .cert_score
                            .replace("{score}", &dec(lang, w.score.unwrap_or(0.0), 1)),
                        reasons: counted
                            .iter()
                            .map(|k| {
                                format!(
                                    "{}: {} (n={})",
                                    t.component(k.kind),
                                    view::value(lang, k).unwrap_or_default(),
                                    k.n
                                )
                            })
                            .collect(),
                    }
                })
                .collect();
            SiteAwards {
                heading: t
                    .cert_for
                    .replace("{site}", &site)
                    .replace("{month}", &month_name),
                awards,
                nobody: t.cert_nobody.replace("{site}", &site),
            }
        })
        .collect();
    let site = q.site.map(|s| format!("&site={s}")).unwrap_or_default();
    Ok(render(&CertificatePage {
        r: t,
        back_href: format!("/recognition?month={}{site}", q.month),
        month_name,
        sites,
        c,
    }))
}
