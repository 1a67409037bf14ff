//! The OpenAPI 3.1 document: generated from the handlers' `#[utoipa::path]` annotations, then
//! finished here with the bearer security scheme and the problem responses every route shares.
use super::{cycles::FileFormat, paging::Order, scorecard::ScorecardFormat};
use crate::error::{AppError, Problem};
use axum::{
    Extension,
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::sync::Arc;
use touchpoint_core::{FieldError, listing::SortField};
use utoipa::{
    Modify, OpenApi,
    openapi::{
        Content, OpenApi as Document, Ref, RefOr, ResponseBuilder,
        path::Operation,
        security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme},
    },
};

pub const PROBLEM_JSON: &str = "application/problem+json";
pub const SECURITY_SCHEME: &str = "bearer";
/// Operations anyone may call without a token.
pub const PUBLIC_OPERATIONS: [&str; 1] = ["get_openapi"];

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Touchpoint API",
        description = "Services, their versioned cycles of moments of truth, sites, staff, users and the audit trail; \
surveys, invitations, responses, audits, measurements and compliments; customers, sales and the portfolio; \
complaints, their promises and escalations, and the relationship ledger. \
Authenticate with `Authorization: Bearer <token>` (create tokens with `POST /api/v1/tokens` or the CLI). \
Errors are RFC 9457 problem details (`application/problem+json`) whose `errors` name each offending field.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    tags(
        (name = "services", description = "What the organization offers"),
        (name = "cycles", description = "Versioned service cycles: the ordered moments of truth, as JSON or as files"),
        (name = "sites", description = "Branches, stores, hotels, call centres"),
        (name = "staff", description = "People in contact with customers"),
        (name = "dimensions", description = "Quality dimensions and their SERVQUAL grouping"),
        (name = "users", description = "Who may use Touchpoint, and with which role (admins only)"),
        (name = "account", description = "The caller and their API tokens"),
        (name = "audit", description = "Every change, login and access denial (admins only)"),
        (name = "surveys", description = "Questionnaires about the moments of truth: drafts, templates, files and published versions"),
        (name = "links", description = "Open links and single-use personal invitations to answer a survey"),
        (name = "responses", description = "Submitted answers (idempotent ingestion), their CSV export and roll-ups"),
        (name = "audits", description = "Mystery-shopper checklists and visits"),
        (name = "measurements", description = "Observed values of service standards, judged against them"),
        (name = "compliments", description = "Positive feedback about a moment or a staff member"),
        (name = "customers", description = "Customers, their status history and sales; personal data export and erasure"),
        (name = "portfolio", description = "The 80/20 ranking of customers by sales, tiers, concentration and statuses over time"),
        (name = "complaints", description = "Complaint cases: lifecycle, assignment, updates, resolutions, promises and their escalation; response policies and business calendars"),
        (name = "ledger", description = "Each customer's relationship account: deposits, withdrawals, balance and weights"),
        (name = "improvement", description = "Requirements per moment, action plans and whether they worked (before/after with significance tests)"),
        (name = "recognition", description = "Staff recognition: the month's ranking per site with every component, its sample size and contribution, and the formula's settings"),
        (name = "meta", description = "This document"),
    ),
    // Types that only appear as query parameters are not collected from the handlers.
    components(schemas(Problem, FieldError, SortField, Order, FileFormat, ScorecardFormat, touchpoint_core::portfolio::CustomerStatus, touchpoint_core::portfolio::Tier, touchpoint_core::complaints::ComplaintStatus, touchpoint_core::complaints::Severity, touchpoint_core::complaints::ComplaintOrder)),
    modifiers(&BearerScheme),
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        let mut http = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("tp_…")
            .build();
        http.description = Some("An API token as created by `POST /api/v1/tokens`.".into());
        components.add_security_scheme(SECURITY_SCHEME, SecurityScheme::Http(http));
    }
}

/// Add what every operation shares: the bearer requirement and its 401 (except on public
/// operations), and 400/413/415 on operations that take a body.
pub fn finish(doc: &mut Document) {
    for item in doc.paths.paths.values_mut() {
        let ops = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in ops.into_iter().flatten() {
            finish_operation(op);
        }
    }
}

fn finish_operation(op: &mut Operation) {
    let public = op
        .operation_id
        .as_deref()
        .is_some_and(|id| PUBLIC_OPERATIONS.contains(&id));
    if !public {
        op.security = Some(vec![SecurityRequirement::new(
            SECURITY_SCHEME,
            Vec::<String>::new(),
        )]);
        add_problem(op, "401", "No valid API token was sent");
    }
    let Some(body) = &op.request_body else {
        return;
    };
    let json_only = body.content.keys().eq(["application/json"]);
    if json_only {
        add_problem(
            op,
            "400",
            "The body is not JSON; `errors` names `body` with line and column",
        );
    }
    add_problem(op, "413", "The body is larger than the server accepts");
    add_problem(op, "415", "The body's Content-Type is not accepted");
}

fn add_problem(op: &mut Operation, status: &str, description: &str) {
    op.responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        PROBLEM_JSON,
                        Content::new(Some(Ref::from_schema_name("Problem"))),
                    )
                    .build(),
            )
        });
}

/// The served document, rendered once.
#[derive(Clone)]
pub struct DocumentJson(pub Arc<String>);

/// This OpenAPI 3.1 document. Public: no token needed.
#[utoipa::path(
    get, path = "/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", body = Object))
)]
pub async fn get_openapi(Extension(doc): Extension<DocumentJson>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        doc.0.as_str().to_owned(),
    )
        .into_response()
}

/// Turn the plain-text 404, 405 and 413 answers of the router and the body limit into problem
/// details on `/api/` paths, so API clients always get `application/problem+json`.
pub async fn plain_errors_as_problems(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let method = req.method().clone();
    let res = next.run(req).await;
    let status = res.status();
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if !is_api || is_problem {
        return res;
    }
    match status {
        StatusCode::NOT_FOUND => AppError::NotFound("API route".into()).into_response(),
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge.into_response(),
        StatusCode::METHOD_NOT_ALLOWED => {
            let problem = Problem {
                kind: "https://touchpoint.dev/problems/method-not-allowed".into(),
                title: "Method Not Allowed".into(),
                status: 405,
                detail: format!("This route does not answer {method}."),
                errors: vec![],
            };
            let mut out = (status, axum::Json(problem)).into_response();
            out.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
            if let Some(allow) = res.headers().get(header::ALLOW) {
                out.headers_mut().insert(header::ALLOW, allow.clone());
            }
            out
        }
        _ => res,
    }
}
