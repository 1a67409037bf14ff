//! The customer portfolio: customers and their status, sales, and the 80/20 ranking with its
//! tiers and concentration risk.
pub mod customer;
pub mod money;
pub mod ranking;
pub mod risk;
pub mod sale;
pub mod store;

pub use customer::{
    Customer, CustomerFields, CustomerInput, CustomerStatus, LostReason, StatusChange, StatusFields,
};
pub use money::Money;
pub use ranking::{
    CustomerIdentity, CustomerTotal, RankedCustomer, RankedRow, Ranking, RankingSettings, Tier,
    identify, rank,
};
pub use sale::{Sale, SaleInput, ValidSale};
pub use store::{CustomerFilter, CustomerStore, LostCount, SaveOutcome};
