use super::*;
use chrono::TimeZone;
use touchpoint_core::feedback::{
    SurveyContext,
    records::{LinkKind, SurveyLink},
    templates::nps_survey,
};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 3, 12, 0, 0).unwrap()
}

fn version() -> SurveyVersion {
    let definition = nps_survey("bank", "Bank")
        .validate(&SurveyContext::with_default_dimensions(None))
        .unwrap();
    SurveyVersion {
        id: 7,
        survey_id: 3,
        version: 1,
        definition,
        cycle_version_id: None,
        moment_ids: BTreeMap::new(),
        published_at: now(),
        published_by: "test".into(),
    }
}

fn answers(pairs: &[(&str, AnswerValue)]) -> BTreeMap<String, AnswerValue> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

#[test]
fn a_valid_api_response_is_built_with_its_defaults() {
    let mut meta = ResponseMeta::new(ResponseSource::Api);
    meta.idempotency_key = Some(" key-1 ".into());
    let a = answers(&[("recommend", AnswerValue::Score(9))]);
    let r = build_response(&version(), &a, meta, now()).unwrap();
    assert_eq!((r.survey_id, r.survey_version_id), (3, 7));
    assert_eq!(r.language, "en");
    assert_eq!(r.submitted_at, now());
    assert_eq!(r.idempotency_key.as_deref(), Some("key-1"));
    assert_eq!(r.answers.len(), 1);
    assert_eq!(r.answers[0].question_code, "recommend");
}

#[test]
fn api_problems_name_their_fields() {
    let mut meta = ResponseMeta::new(ResponseSource::Api);
    meta.language = Some("fr".into());
    meta.submitted_at = Some(now() + Duration::days(1));
    meta.site_id = Some(0);
    let a = answers(&[
        ("recommend", AnswerValue::Score(11)),
        ("x", AnswerValue::Score(1)),
    ]);
    let e = build_response(&version(), &a, meta, now()).unwrap_err();
    let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "language",
            "submitted_at",
            "site_id",
            "answers.recommend",
            "answers.x"
        ]
    );
}

#[test]
fn the_page_falls_back_to_the_default_language_and_reports_issues() {
    let mut meta = ResponseMeta::new(ResponseSource::Web);
    meta.language = Some("fr".into());
    let ok = check_response(
        &version(),
        &answers(&[("recommend", AnswerValue::Score(3))]),
        meta.clone(),
        now(),
    );
    assert_eq!(ok.unwrap().language, "en");
    let issues = check_response(&version(), &BTreeMap::new(), meta, now()).unwrap_err();
    assert_eq!(issues[0].code, "recommend");
}

fn link(kind: LinkKind) -> SurveyLink {
    SurveyLink {
        id: 1,
        survey_id: 3,
        kind,
        token: None,
        customer: Some("C-1".into()),
        email: None,
        language: Some("es".into()),
        site_id: Some(2),
        staff_id: None,
        visit_date: None,
        complaint_ref: None,
        expires_at: None,
        created_at: now(),
        answered_at: None,
        response_id: None,
        active: true,
    }
}

#[test]
fn links_are_refused_when_inactive_expired_or_answered() {
    let mut l = link(LinkKind::Personal);
    assert_eq!(link_refusal(&l, now()), None);
    l.answered_at = Some(now());
    assert_eq!(link_refusal(&l, now()), Some(LinkRefusal::Answered));
    l.expires_at = Some(now());
    assert_eq!(link_refusal(&l, now()), Some(LinkRefusal::Expired));
    l.active = false;
    assert_eq!(link_refusal(&l, now()), Some(LinkRefusal::Inactive));
    let mut open = link(LinkKind::Open);
    open.answered_at = Some(now());
    assert_eq!(link_refusal(&open, now()), None);
}

#[test]
fn an_invitation_keeps_only_the_hash_of_a_long_token() {
    let languages = vec!["en".to_string(), "es".to_string()];
    let draft = InvitationDraft {
        customer: " C-9 ".into(),
        email: Some("ana@bank.test".into()),
        language: Some("es".into()),
        ..Default::default()
    };
    let (token, new) = draft.to_new_link(&languages, now()).unwrap();
    assert!(token.len() >= 43, "256 bits in base64url");
    assert_eq!(new.token, None);
    assert_eq!(new.token_hash, crate::auth::secrets::sha256_hex(&token));
    assert_eq!(new.customer.as_deref(), Some("C-9"));
    let bad = InvitationDraft {
        customer: " ".into(),
        email: Some("nope".into()),
        language: Some("fr".into()),
        expires_at: Some(now()),
        ..Default::default()
    };
    let e = bad.to_new_link(&languages, now()).unwrap_err();
    let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["customer", "email", "language", "expires_at"]);
    let (open_token, open) = open_link(None, now()).unwrap();
    assert_eq!(open.token.as_deref(), Some(open_token.as_str()));
    assert_eq!(link_url("abc"), "/s/abc");
}

#[test]
fn a_link_fills_in_the_response_meta() {
    let meta = ResponseMeta::from_link(&link(LinkKind::Personal), ResponseSource::Web);
    assert_eq!(meta.link_id, Some(1));
    assert_eq!(meta.customer.as_deref(), Some("C-1"));
    assert_eq!(meta.language.as_deref(), Some("es"));
    assert_eq!(meta.site_id, Some(2));
}
