//! What the feedback routes need the caller's role to allow (see [`super::extract::Caller`]).
use super::extract::Need;
use touchpoint_core::user::Permission;

/// Create, edit and publish surveys; create links and invitations (admin, manager).
pub struct ManageSurveys;
/// Record mystery-shopper visits and edit audit checklists (admin, manager, auditor).
pub struct RecordAudit;
/// Submit responses through the API, record measurements and compliments (admin, manager,
/// agent).
pub struct RecordFeedback;

impl Need for ManageSurveys {
    const PERMISSION: Permission = Permission::ManageSurveys;
}
impl Need for RecordAudit {
    const PERMISSION: Permission = Permission::RecordAudit;
}
impl Need for RecordFeedback {
    const PERMISSION: Permission = Permission::RecordFeedback;
}

/// Create and change customers and their status, record sales (admin, manager, agent).
pub struct ManageCustomers;

impl Need for ManageCustomers {
    const PERMISSION: Permission = Permission::ManageCustomers;
}

/// Register and work complaints, set policies, calendars and ledger entries (admin, manager,
/// agent).
pub struct HandleComplaints;

impl Need for HandleComplaints {
    const PERMISSION: Permission = Permission::HandleComplaints;
}
