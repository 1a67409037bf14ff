//! The demo's surveys, made from the core templates and published: a per-moment CSAT survey
//! for the bank and for the hotel, and an NPS survey for the bank. Each gets an open link; the
//! bank's CSAT survey also sends a few personal invitations.
use super::{DemoService, Org};
use crate::commands::survey::{context_for, publish, save_draft};
use chrono::{DateTime, Duration, Utc};
use touchpoint_core::{
    audit::Actor,
    feedback::{
        SurveyDraft,
        records::{LinkKind, NewLink, Survey, SurveyLink, SurveyVersion},
        templates,
    },
    store::Store,
};
use touchpoint_server::auth::secrets::{random_secret, sha256_hex};

/// A published demo survey with its open link.
pub struct Published {
    pub survey: Survey,
    pub version: SurveyVersion,
    pub open_link: SurveyLink,
    /// The open link's URL token (open links are public by nature).
    pub open_token: String,
}

pub struct Surveys {
    pub bank_csat: Published,
    pub hotel_csat: Published,
    pub bank_nps: Published,
    /// Personal invitations of the bank CSAT survey, oldest visit first.
    pub invitations: Vec<SurveyLink>,
}

async fn publish_draft(
    store: &dyn Store,
    actor: &Actor,
    service: &DemoService,
    draft: SurveyDraft,
) -> anyhow::Result<Published> {
    let ctx = context_for(store, Some(&service.service.key)).await?;
    let def = draft
        .validate(&ctx)
        .map_err(|e| anyhow::anyhow!("demo survey {}: {e}", draft.key))?;
    let (survey, _) = save_draft(store, actor, &def).await?;
    let version = publish(store, actor, &survey)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo survey {} was already published", def.key))?;
    let open_token = random_secret();
    let link = NewLink {
        kind: LinkKind::Open,
        token_hash: sha256_hex(&open_token),
        token: Some(open_token.clone()),
        customer: None,
        email: None,
        language: None,
        site_id: None,
        staff_id: None,
        visit_date: None,
        complaint_ref: None,
        expires_at: None,
    };
    let open_link = store
        .create_links(actor, survey.id, &[link])
        .await?
        .pop()
        .ok_or_else(|| anyhow::anyhow!("no open link was created"))?;
    Ok(Published {
        survey,
        version,
        open_link,
        open_token,
    })
}

pub async fn publish_all(
    store: &dyn Store,
    actor: &Actor,
    org: &Org,
    now: DateTime<Utc>,
) -> anyhow::Result<Surveys> {
    let (bank, hotel) = (&org.bank, &org.hotel);
    let csat = |s: &DemoService| {
        templates::moment_csat_survey(&s.service.key, &s.service.name, &s.cycle, true)
    };
    let bank_csat = publish_draft(store, actor, bank, csat(bank)).await?;
    let hotel_csat = publish_draft(store, actor, hotel, csat(hotel)).await?;
    let nps = templates::nps_survey(&bank.service.key, &bank.service.name);
    let bank_nps = publish_draft(store, actor, bank, nps).await?;
    let invitations = invite(store, actor, org, &bank_csat.survey, now).await?;
    Ok(Surveys {
        bank_csat,
        hotel_csat,
        bank_nps,
        invitations,
    })
}

/// Six personal invitations after recent branch visits (tokens are random and never shown:
/// the demo has no mailbox to send them to).
async fn invite(
    store: &dyn Store,
    actor: &Actor,
    org: &Org,
    survey: &Survey,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<SurveyLink>> {
    let bank_sites: Vec<_> = org.sites.iter().filter(|s| s.is_bank()).collect();
    let links: Vec<NewLink> = (0..6)
        .map(|i| {
            let site = bank_sites[i % bank_sites.len()];
            let staff = site.staff.get(i % site.staff.len().max(1));
            let visit = now - Duration::days(12 - 2 * i as i64);
            NewLink {
                kind: LinkKind::Personal,
                token_hash: sha256_hex(&random_secret()),
                token: None,
                customer: Some(format!("C-{}", 40_100 + i)),
                email: Some(format!("cliente{}@example.com", i + 1)),
                language: Some(if i % 3 == 2 { "en" } else { "es" }.into()),
                site_id: Some(site.site.id),
                staff_id: staff.map(|s| s.id),
                visit_date: Some(visit.date_naive()),
                complaint_ref: None,
                expires_at: Some(visit + Duration::days(30)),
            }
        })
        .collect();
    Ok(store.create_links(actor, survey.id, &links).await?)
}
