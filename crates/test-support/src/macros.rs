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
        $crate::__conformance_tests! {
            $factory;
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

#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_tests {
    ($factory:expr; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                $crate::block_on(async {
                    let store: ::std::option::Option<
                        ::std::sync::Arc<dyn $crate::__core::store::Store>,
                    > = ($factory)().await;
                    if let ::std::option::Option::Some(store) = store {
                        $crate::conformance::$name(store).await;
                    }
                });
            }
        )*
    };
}
