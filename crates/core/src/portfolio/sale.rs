//! Sales: what each customer bought, when, for how much.
use super::{customer::validate_ref, money::Money};
use crate::{error::ValidationErrors, validate};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Longest external sale id.
pub const MAX_SALE_ID: usize = 200;

/// One sale as a caller sends it. `sale_id` is the source system's id: sending the same one
/// again changes nothing. Without it, an import derives one from the row's content and its
/// occurrence in the file (see `import_sale_id`), so re-importing a file adds nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SaleInput {
    /// The customer's `ref`.
    pub customer: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub amount: Money,
    /// ISO 4217 code, e.g. `USD`.
    pub currency: String,
    /// The service's key, when the sale is of one service.
    #[serde(default)]
    pub service: Option<String>,
    #[serde(default)]
    pub sale_id: Option<String>,
}

/// A checked sale; the store resolves the customer and the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidSale {
    pub customer_ref: String,
    pub date: NaiveDate,
    pub amount: Money,
    pub currency: String,
    pub service_key: Option<String>,
    pub sale_id: Option<String>,
}

/// A stored sale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Sale {
    pub id: i64,
    pub customer_id: i64,
    pub date: NaiveDate,
    pub amount: Money,
    pub currency: String,
    pub service_id: Option<i64>,
    pub sale_id: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

/// `YYYY-MM-DD`.
pub fn parse_date(errors: &mut ValidationErrors, field: &str, text: &str) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(
                field,
                format!("'{}' is not a date like 2026-03-31", text.trim()),
            );
            None
        }
    }
}

/// Three ASCII letters, upper-cased.
pub fn parse_currency(errors: &mut ValidationErrors, field: &str, text: &str) -> String {
    let c = text.trim().to_ascii_uppercase();
    if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
        errors.push(
            field,
            format!("'{}' is not a currency code like USD or COP", text.trim()),
        );
    }
    c
}

impl SaleInput {
    pub fn validate(&self) -> Result<ValidSale, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let customer_ref = validate_ref(&mut errors, "customer", &self.customer);
        let date = parse_date(&mut errors, "date", &self.date);
        let currency = parse_currency(&mut errors, "currency", &self.currency);
        let service_key = self
            .service
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| validate::key(&mut errors, "service", s));
        let sale_id = self
            .sale_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        if sale_id
            .as_ref()
            .is_some_and(|s| s.chars().count() > MAX_SALE_ID)
        {
            errors.push(
                "sale_id",
                format!("must be at most {MAX_SALE_ID} characters"),
            );
        }
        match date {
            Some(date) if errors.is_empty() => Ok(ValidSale {
                customer_ref,
                date,
                amount: self.amount,
                currency,
                service_key,
                sale_id,
            }),
            _ => Err(errors),
        }
    }
}

/// The id an imported row without `sale_id` gets: its content plus how many identical rows
/// came before it in the same file, so two genuine identical sales stay two, and importing
/// the file again finds both already present.
pub fn import_sale_id(sale: &ValidSale, occurrence: u32) -> String {
    format!(
        "row:{}|{}|{}|{}|{}|{occurrence}",
        sale.customer_ref,
        sale.date,
        sale.amount,
        sale.currency,
        sale.service_key.as_deref().unwrap_or("")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sale(date: &str, currency: &str) -> SaleInput {
        SaleInput {
            customer: "C-1".into(),
            date: date.into(),
            amount: Money::from_units(10),
            currency: currency.into(),
            ..Default::default()
        }
    }

    #[test]
    fn valid_sale_upper_cases_the_currency() {
        let s = sale("2026-03-31", "usd").validate().unwrap();
        assert_eq!(
            (s.currency.as_str(), s.date.to_string()),
            ("USD", "2026-03-31".into())
        );
    }

    #[test]
    fn bad_date_and_currency_are_both_named() {
        let e = sale("31/03/2026", "dollars").validate().unwrap_err();
        let f: Vec<_> = e.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(f, ["date", "currency"]);
    }

    #[test]
    fn identical_rows_get_distinct_stable_ids() {
        let s = sale("2026-03-31", "USD").validate().unwrap();
        assert_ne!(import_sale_id(&s, 0), import_sale_id(&s, 1));
        assert_eq!(import_sale_id(&s, 0), import_sale_id(&s, 0));
    }
}
