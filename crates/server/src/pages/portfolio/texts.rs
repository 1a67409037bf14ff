//! The texts of the customer and portfolio pages, in English and Spanish. One `const` per
//! language of the same struct: a missing translation does not compile.
use crate::i18n::Lang;
use touchpoint_core::portfolio::{CustomerStatus, Tier};

pub use super::texts_en::EN;
pub use super::texts_es::ES;

pub fn portfolio_texts(lang: Lang) -> &'static PortfolioTexts {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
    }
}

/// The label of the navigation items this area adds.
pub fn nav_label(lang: &Lang, item: &str) -> &'static str {
    let t = portfolio_texts(*lang);
    match item {
        "customers" => t.customers,
        _ => t.portfolio,
    }
}

#[derive(Debug)]
pub struct PortfolioTexts {
    pub customers: &'static str,
    pub customers_intro: &'static str,
    pub portfolio: &'static str,
    pub portfolio_intro: &'static str,
    pub reference: &'static str,
    pub segment: &'static str,
    pub phone: &'static str,
    pub site: &'static str,
    pub any_status: &'static str,
    pub status_active: &'static str,
    pub status_lost: &'static str,
    pub status_potential: &'static str,
    pub status_unknown: &'static str,
    pub no_customers: &'static str,
    pub no_customers_hint: &'static str,
    pub new_customer: &'static str,
    pub add_customer: &'static str,
    pub customer: &'static str,
    pub erased_customer: &'static str,
    pub erased_on: &'static str,
    pub status_history: &'static str,
    pub changed_by: &'static str,
    pub when: &'static str,
    pub lost_reason: &'static str,
    pub lost_note: &'static str,
    pub lost_moment: &'static str,
    pub moment_unknown: &'static str,
    pub change_status: &'static str,
    pub no_reason: &'static str,
    pub sales: &'static str,
    pub no_sales: &'static str,
    pub date: &'static str,
    pub amount: &'static str,
    pub personal_data: &'static str,
    pub export_personal_data: &'static str,
    pub erase: &'static str,
    pub erase_explained: &'static str,
    pub erase_confirm: &'static str,
    pub erase_must_confirm: &'static str,
    pub flash_status: &'static str,
    pub flash_erased: &'static str,
    pub flash_created: &'static str,
    pub period: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub currency: &'static str,
    pub show: &'static str,
    pub period_problem: &'static str,
    pub total_sales: &'static str,
    pub customers_count: &'static str,
    pub buying_customers: &'static str,
    pub ranking: &'static str,
    pub ranking_order: &'static str,
    pub rank: &'static str,
    pub cumulative: &'static str,
    pub cumulative_pct: &'static str,
    pub share_pct: &'static str,
    pub tier: &'static str,
    pub tier_important: &'static str,
    pub tier_medium: &'static str,
    pub tier_small: &'static str,
    pub tiers_explained: &'static str,
    pub download_csv: &'static str,
    pub pareto_chart: &'static str,
    pub pareto_caption: &'static str,
    pub concentration: &'static str,
    pub top_customer_share: &'static str,
    pub top_five_share: &'static str,
    pub warn_top_customer: &'static str,
    pub warn_top_five: &'static str,
    pub no_concentration_warning: &'static str,
    pub statuses_now: &'static str,
    pub statuses_over_time: &'static str,
    pub statuses_caption: &'static str,
    pub lost_in_period: &'static str,
    pub lost_none: &'static str,
    pub by_reason: &'static str,
    pub by_moment: &'static str,
    pub unknown_moment: &'static str,
    pub tier_moves: &'static str,
    pub tier_moves_intro: &'static str,
    pub previous_tier: &'static str,
    pub current_tier: &'static str,
    pub no_sales_period: &'static str,
    pub others: &'static str,
    pub at_risk: &'static str,
    pub at_risk_intro: &'static str,
    pub at_risk_none: &'static str,
    pub reason_broken: &'static str,
    pub reason_open: &'static str,
    pub reason_negative: &'static str,
    pub reason_falling: &'static str,
    pub balance: &'static str,
    pub why: &'static str,
}

impl PortfolioTexts {
    pub fn status(&self, s: CustomerStatus) -> &'static str {
        match s {
            CustomerStatus::Active => self.status_active,
            CustomerStatus::Lost => self.status_lost,
            CustomerStatus::Potential => self.status_potential,
            CustomerStatus::Unknown => self.status_unknown,
        }
    }
    pub fn tier(&self, t: Tier) -> &'static str {
        match t {
            Tier::Important => self.tier_important,
            Tier::Medium => self.tier_medium,
            Tier::Small => self.tier_small,
        }
    }
}
