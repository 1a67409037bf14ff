//! `conformance_tests!`: one test per conformance function.

/// Expand to one test per function of [`conformance`](crate::conformance).
///
/// `$factory` is anything callable with no arguments that returns a future of
/// `Option<Arc<dyn Store>>`: an `async fn` path or a closure `|| async { ... }`. It is called
/// once per test and must return a fresh, empty, migrated store, or `None` when the backend is
/// unavailable (after printing a loud skip message itself); the test then passes without
/// running. Each test runs on its own multi-threaded tokio runtime (two workers), so the calling
/// crate needs no tokio macros.
///
/// ```ignore
/// async fn fresh() -> Option<Arc<dyn Store>> {
///     Some(Arc::new(SqliteStore::open_in_memory(fixed_clock()).unwrap()))
/// }
/// touchpoint_test_support::conformance_tests!(fresh);
/// ```
#[macro_export]
macro_rules! conformance_tests {
    ($factory:expr $(,)?) => {
        $crate::__suite_tests! {
            $factory; [];
            store_basics,
            service_create_and_get,
            service_duplicate_key_conflicts,
            service_update,
            service_archive,
            service_list_sort_and_paginate,
            service_list_search,
            concurrent_service_creates_all_land,
            cycle_not_found_before_publish,
            cycle_publish_creates_versions,
            cycle_history_and_service_counts,
            cycle_standards_round_trip,
            cycle_publish_is_audited,
            concurrent_publishes_get_distinct_versions,
            sites_crud,
            sites_list_sort_and_search,
            staff_crud,
            staff_list_filters,
            dimensions_are_the_ten_defaults,
            users_create_and_find_credentials,
            users_duplicate_email_conflicts,
            users_update_and_password,
            users_deactivation_deletes_sessions,
            users_list,
            sessions_lifecycle,
            tokens_lifecycle,
            audit_every_mutation_is_recorded,
            audit_record_and_fields,
            audit_filters_and_paging,
        }
    };
}

/// Expand to one test per function of [`conformance::feedback`](crate::conformance::feedback).
///
/// Same conventions as [`conformance_tests!`], but `$factory` returns a future of
/// `Option<Arc<dyn Store>>` .
///
/// ```ignore
/// async fn fresh() -> Option<Arc<dyn Store>> {
///     Some(Arc::new(SqliteStore::open_in_memory(fixed_clock()).unwrap()))
/// }
/// touchpoint_test_support::feedback_conformance_tests!(fresh);
/// ```
#[macro_export]
macro_rules! feedback_conformance_tests {
    ($factory:expr $(,)?) => {
        $crate::__suite_tests! {
            $factory; [feedback];
            survey_create_and_get,
            survey_create_rejects_unknown_service_and_taken_key,
            survey_update_draft,
            survey_publish_freezes_versions,
            survey_publish_resolves_moments_in_the_current_cycle,
            survey_list_sort_search_and_page,
            survey_archive,
            links_create_and_find,
            links_create_is_all_or_nothing,
            links_list_and_deactivate,
            response_submit_and_read,
            response_rejects_unknown_survey_and_foreign_version,
            response_retries_are_idempotent,
            invitation_accepts_one_response,
            concurrent_invitation_submits_yield_one_response,
            responses_list_and_keyset,
            batch_mixed_outcomes,
            batch_empty_and_rollups_exact,
            rollups_are_exact,
            rollups_split_days_and_parts,
            rollup_filters,
            rebuilt_rollups_equal_the_kept_ones,
            rebuild_during_submissions_counts_each_response_once,
            staff_rollups_count_each_staff_members_responses,
            rollup_totals_add_up_to_the_daily_rollups,
            checklist_items_replace,
            visits_record_get_and_list,
            visits_reject_foreign_cycle_versions,
            measurements_record_and_skip_duplicates,
            measurements_list_filters,
            measurements_compliance_counts_what_the_list_shows,
            compliments_record_and_list,
            feedback_writes_are_audited,
        }
    };
}

/// Expand to one test per function of [`conformance::portfolio`](crate::conformance::portfolio),
/// with the same factory contract as [`conformance_tests!`].
#[macro_export]
macro_rules! portfolio_conformance_tests {
    ($factory:expr $(,)?) => {
        $crate::__suite_tests! {
            $factory; [portfolio];
            customer_create_get_and_conflict,
            customer_refs_must_exist,
            customer_status_history_records_every_change,
            customer_list_filters_sorts_and_searches,
            save_customers_creates_updates_and_skips,
            sales_are_idempotent_and_name_bad_refs,
            totals_rank_the_portfolio_exactly,
            ties_rank_by_reference_bytes_on_every_backend,
            status_counts_and_lost_reasons,
            erasure_removes_identity_and_keeps_aggregates,
            portfolio_writes_are_audited,
            statuses_can_be_backdated_in_order,
            portfolio_revision_moves_with_every_customer_and_sale_write,
            sales_currencies_are_those_with_sales_in_the_period,
        }
    };
}

/// Expand to one test per function of
/// [`conformance::complaints`](crate::conformance::complaints).
///
/// Same conventions as [`feedback_conformance_tests!`]: `$factory` returns a future of
/// `Option<Arc<dyn Store>>` (a fresh, empty, migrated store, or `None` to skip).
#[macro_export]
macro_rules! complaints_conformance_tests {
    ($factory:expr $(,)?) => {
        $crate::__suite_tests! {
            $factory; [complaints];
            complaint_create_and_read_back,
            complaint_every_transition_is_recorded,
            complaint_invalid_transitions_are_rejected,
            complaint_resolution_and_updates,
            concurrent_creates_get_distinct_consecutive_references,
            policy_promises_are_created_with_the_complaint,
            transitions_settle_the_promises_they_fulfil,
            staff_promises_are_kept_or_cancelled,
            customer_updates_keep_the_update_promise_rolling,
            claim_due_promises_escalates_each_once,
            claim_due_promises_respects_the_limit,
            promises_due_soon_are_announced_once,
            ledger_balance_and_history,
            policies_and_calendars_are_configurable,
            complaint_writes_are_audited,
            complaints_list_filters_sort_and_page,
            complaints_assign_and_bulk_assign,
            complaint_import_keeps_history_and_is_idempotent,
            complaint_import_refuses_unknown_sites,
            policy_resolution_survey_round_trips,
            escalation_outbox_leases_and_marks_sent,
            queued_notifications_are_delivered_once_per_key,
            closing_commits_the_invitation_and_its_notice_together,
            invitations_are_created_with_their_emails_or_not_at_all,
        }
    };
}

/// Expand to one test per function of
/// [`conformance::improvement`](crate::conformance::improvement), with the same factory
/// contract as [`complaints_conformance_tests!`].
#[macro_export]
macro_rules! improvement_conformance_tests {
    ($factory:expr $(,)?) => {
        $crate::__suite_tests! {
            $factory; [improvement];
            complaint_facts_carry_causes_and_promise_outcomes,
            complaint_assumptions_default_and_set,
            requirements_create_read_update_delete,
            requirements_name_unknown_references,
            requirements_list_filters_and_pages,
            action_plans_create_read_update_delete,
            action_plans_only_answer_their_services_requirements,
            action_plans_list_filters_and_pages,
        }
    };
}

/// One `#[test]` per name, calling `conformance::<module path>::<name>` with a fresh store from
/// `$factory` (skipped when it returns `None`); shared by every `*conformance_tests!` macro.
#[doc(hidden)]
#[macro_export]
macro_rules! __suite_tests {
    (@one $factory:expr; [$($module:ident)*]; $name:ident) => {
        #[test]
        fn $name() {
            $crate::block_on(async {
                let store: ::std::option::Option<::std::sync::Arc<dyn $crate::__Store>> =
                    ($factory)().await;
                if let ::std::option::Option::Some(store) = store {
                    $crate::conformance::$($module::)*$name(store).await;
                }
            });
        }
    };
    ($factory:expr; $module:tt; $($name:ident),* $(,)?) => {
        $( $crate::__suite_tests!(@one $factory; $module; $name); )*
    };
}

/// Expand to one test per function of
/// [`conformance::recognition`](crate::conformance::recognition), with the same factory
/// contract as [`conformance_tests!`].
#[macro_export]
macro_rules! recognition_conformance_tests {
    ($factory:expr $(,)?) => {
        $crate::__suite_tests! {
            $factory; [recognition];
            recognition_settings_default_save_and_audit,
            staff_month_evidence_groups_every_source,
        }
    };
}
