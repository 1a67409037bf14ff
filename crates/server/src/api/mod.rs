//! The JSON API under `/api/v1`, documented by the OpenAPI document it serves at
//! `/api/v1/openapi.json`.
//!
//! Every handler is thin: extract (the [`extract::Caller`] extractor checks the token and the
//! role before anything else), validate with `touchpoint-core`, call the store, answer JSON.
//! Errors are RFC 9457 problem details naming the offending field.
pub mod action_plans;
pub mod analysis;
mod analysis_csv;
pub mod audit;
pub mod complaint_actions;
pub mod complaint_analysis;
pub mod complaint_config;
pub mod complaints;
pub mod compliments;
pub mod customers;
pub mod cycles;
pub mod doc;
pub mod employee_voice;
pub mod evidence;
pub mod extract;
mod file_body;
pub mod json;
pub mod ledger;
pub mod measurements;
pub mod needs;
pub mod org;
pub mod paging;
pub mod portfolio;
pub mod recognition;
pub mod report;
pub mod requirements;
pub mod response_export;
pub mod responses;
pub mod rollups;
pub mod scorecard;
pub mod services;
pub mod staff;
pub mod survey_files;
pub mod survey_links;
pub mod surveys;
pub mod tokens;
pub mod users;
pub mod visits;

pub use doc::plain_errors_as_problems;

use crate::state::AppState;
use axum::{Extension, Router};
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

/// Every API route with its documentation, under `/api/v1`.
pub fn openapi_router() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .routes(routes!(services::list_services, services::create_service))
        .routes(routes!(
            services::get_service,
            services::update_service,
            services::archive_service
        ))
        .routes(routes!(cycles::get_current_cycle, cycles::publish_cycle))
        .routes(routes!(cycles::list_cycle_versions))
        .routes(routes!(cycles::get_cycle_version))
        .routes(routes!(cycles::export_cycle))
        .routes(routes!(cycles::import_cycle))
        .routes(routes!(org::list_sites, org::create_site))
        .routes(routes!(
            org::get_site,
            org::update_site,
            org::deactivate_site
        ))
        .routes(routes!(org::list_dimensions))
        .routes(routes!(staff::list_staff, staff::create_staff))
        .routes(routes!(
            staff::get_staff,
            staff::update_staff,
            staff::deactivate_staff
        ))
        .routes(routes!(users::list_users, users::create_user))
        .routes(routes!(users::get_user, users::update_user))
        .routes(routes!(tokens::get_me))
        .routes(routes!(tokens::list_tokens, tokens::create_token))
        .routes(routes!(tokens::revoke_token))
        .routes(routes!(audit::list_audit))
        .routes(routes!(audit::export_audit))
        .routes(routes!(surveys::list_surveys, surveys::create_survey))
        .routes(routes!(survey_files::create_survey_from_template))
        .routes(routes!(survey_files::import_survey))
        .routes(routes!(surveys::get_survey, surveys::archive_survey))
        .routes(routes!(surveys::update_survey_draft))
        .routes(routes!(surveys::publish_survey))
        .routes(routes!(survey_files::list_survey_versions))
        .routes(routes!(survey_files::get_survey_version))
        .routes(routes!(survey_files::export_survey))
        .routes(routes!(survey_links::list_links, survey_links::create_link))
        .routes(routes!(survey_links::create_invitations))
        .routes(routes!(survey_links::deactivate_link))
        .routes(routes!(
            responses::list_responses,
            responses::submit_response
        ))
        .routes(routes!(responses::get_response))
        .routes(routes!(response_export::export_responses))
        .routes(routes!(rollups::get_rollups))
        .routes(routes!(scorecard::get_scorecard))
        .routes(routes!(analysis::get_gaps))
        .routes(routes!(analysis::get_ipa))
        .routes(routes!(analysis::get_consistency))
        .routes(routes!(analysis::get_priorities))
        .routes(routes!(report::get_report))
        .routes(routes!(complaint_analysis::get_complaint_analysis))
        .routes(routes!(
            complaint_analysis::get_assumptions,
            complaint_analysis::set_assumptions
        ))
        .routes(routes!(
            requirements::list_requirements,
            requirements::create_requirement
        ))
        .routes(routes!(
            requirements::get_requirement,
            requirements::update_requirement,
            requirements::delete_requirement
        ))
        .routes(routes!(
            action_plans::list_action_plans,
            action_plans::create_action_plan
        ))
        .routes(routes!(
            action_plans::get_action_plan,
            action_plans::update_action_plan,
            action_plans::delete_action_plan
        ))
        .routes(routes!(action_plans::get_before_after))
        .routes(routes!(evidence::get_checklist))
        .routes(routes!(evidence::set_checklist_items))
        .routes(routes!(visits::list_visits, visits::record_visit))
        .routes(routes!(visits::get_visit))
        .routes(routes!(
            measurements::list_measurements,
            measurements::record_measurements
        ))
        .routes(routes!(
            compliments::list_compliments,
            compliments::record_compliment
        ))
        .routes(routes!(
            customers::list_customers,
            customers::create_customer
        ))
        .routes(routes!(customers::get_customer, customers::update_customer))
        .routes(routes!(customers::set_customer_status))
        .routes(routes!(customers::customer_history))
        .routes(routes!(customers::customer_sales))
        .routes(routes!(customers::export_personal_data))
        .routes(routes!(customers::erase_customer))
        .routes(routes!(
            customers::list_lost_reasons,
            customers::save_lost_reason
        ))
        .routes(routes!(portfolio::record_sales))
        .routes(routes!(portfolio::get_ranking))
        .routes(routes!(portfolio::get_ranking_csv))
        .routes(routes!(portfolio::get_summary))
        .routes(routes!(portfolio::get_at_risk))
        .routes(routes!(
            complaints::list_complaints,
            complaints::create_complaint
        ))
        .routes(routes!(complaints::get_complaint))
        .routes(routes!(complaint_actions::transition_complaint))
        .routes(routes!(complaint_actions::assign_complaints))
        .routes(routes!(complaint_actions::add_update))
        .routes(routes!(complaint_actions::record_resolution))
        .routes(routes!(complaint_actions::add_promise))
        .routes(routes!(complaint_actions::fulfil_promise))
        .routes(routes!(complaint_actions::cancel_promise))
        .routes(routes!(complaint_config::list_escalations))
        .routes(routes!(
            complaint_config::list_policies,
            complaint_config::save_policy
        ))
        .routes(routes!(complaint_config::delete_policy))
        .routes(routes!(
            complaint_config::get_calendar,
            complaint_config::set_calendar
        ))
        .routes(routes!(ledger::get_ledger))
        .routes(routes!(ledger::append_ledger))
        .routes(routes!(ledger::get_weights, ledger::set_weight))
        .routes(routes!(employee_voice::get_employee_voice))
        .routes(routes!(recognition::get_recognition))
        .routes(routes!(
            recognition::get_settings,
            recognition::put_settings
        ))
        .routes(routes!(doc::get_openapi));
    OpenApiRouter::with_openapi(doc::ApiDoc::openapi()).nest("/api/v1", v1)
}

/// The OpenAPI 3.1 document of the API, as served.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut document) = openapi_router().split_for_parts();
    doc::finish(&mut document);
    document
}

/// The API routes, ready to merge into the application.
pub fn router(_state: AppState) -> Router<AppState> {
    let (router, mut document) = openapi_router().split_for_parts();
    doc::finish(&mut document);
    let json = document
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    router.layer(Extension(doc::DocumentJson(Arc::new(json))))
}
