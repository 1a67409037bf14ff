//! The demo organization: three service cycles kept as YAML files (validated through the
//! same import path as user files), bank branches and a hotel with their staff, and one
//! login per role.
pub mod complaint_texts;
pub mod complaints;
pub mod feedback;
pub mod improvement;
pub mod org;
pub mod portfolio;
pub mod recognition;

/// `(file name, contents)` of each demo cycle, in the order they are loaded.
pub const CYCLES: [(&str, &str); 3] = [
    (
        "cash-a-cheque.yaml",
        include_str!("../../demo/cash-a-cheque.yaml"),
    ),
    (
        "hotel-check-in.yaml",
        include_str!("../../demo/hotel-check-in.yaml"),
    ),
    (
        "phone-support.yaml",
        include_str!("../../demo/phone-support.yaml"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::cycle::parse_text;
    use touchpoint_core::{channel::Channel, cycle_file::Format};

    fn load(i: usize) -> touchpoint_core::cycle_file::ImportedCycle {
        let (name, text) = CYCLES[i];
        parse_text(name, text, Format::Yaml).unwrap_or_else(|e| panic!("{e:#}"))
    }

    #[test]
    fn every_demo_cycle_parses_and_validates() {
        for i in 0..CYCLES.len() {
            let c = load(i);
            assert!(
                c.cycle.moments.iter().any(|m| m.critical),
                "{}",
                c.service.key
            );
        }
    }

    #[test]
    fn the_bank_cycle_has_fourteen_moments_and_three_critical() {
        let bank = load(0);
        assert_eq!(bank.service.key, "cash-a-cheque");
        assert_eq!(bank.cycle.moments.len(), 14);
        let critical: Vec<_> = bank
            .cycle
            .moments
            .iter()
            .filter(|m| m.critical)
            .map(|m| m.key.as_str())
            .collect();
        assert_eq!(critical, ["take-a-number", "wait-turn", "get-paid"]);
        let first = &bank.cycle.moments[0];
        let last = &bank.cycle.moments[13];
        assert_eq!(
            (first.key.as_str(), last.key.as_str()),
            ("travel-to-branch", "travel-home")
        );
        let wait = &bank.cycle.moments[5];
        assert_eq!(wait.standards[0].to_string(), "wait_minutes <= 10 min");
    }

    #[test]
    fn the_hotel_books_by_phone_under_the_ring_and_hold_standards() {
        let hotel = load(1);
        assert!((10..=12).contains(&hotel.cycle.moments.len()));
        let call = &hotel.cycle.moments[0];
        assert_eq!(call.channel, Channel::Phone);
        let standards: Vec<_> = call.standards.iter().map(|s| s.to_string()).collect();
        assert_eq!(standards, ["rings <= 3 rings", "hold_seconds <= 17 s"]);
    }
}
