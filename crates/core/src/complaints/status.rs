//! The complaint lifecycle: `received → acknowledged → assessed → investigating → responded →
//! resolved → closed`, with `reopened`.
//!
//! The table is deliberately strict: every step the customer values (an acknowledgement, an
//! assessment, an investigation at the moment of truth, a response) is recorded, so no step
//! may be skipped. Two ways back exist because real cases need them: a response the customer
//! does not accept sends the case back to `investigating`, and a resolved or closed case can be
//! `reopened`, after which it is assessed again (or investigated straight away when the facts
//! are already known).

str_enum! {
    /// Where a complaint is in its lifecycle.
    ComplaintStatus, "status" {
        Received => "received",
        Acknowledged => "acknowledged",
        Assessed => "assessed",
        Investigating => "investigating",
        Responded => "responded",
        Resolved => "resolved",
        Closed => "closed",
        Reopened => "reopened",
    }
}

impl ComplaintStatus {
    /// The states this one may move to, in the order a form should offer them.
    pub fn next(self) -> &'static [ComplaintStatus] {
        use ComplaintStatus::*;
        match self {
            Received => &[Acknowledged],
            Acknowledged => &[Assessed],
            Assessed => &[Investigating],
            Investigating => &[Responded],
            Responded => &[Resolved, Investigating],
            Resolved => &[Closed, Reopened],
            Closed => &[Reopened],
            Reopened => &[Assessed, Investigating],
        }
    }

    pub fn can_become(self, to: ComplaintStatus) -> bool {
        self.next().contains(&to)
    }

    /// `Ok(to)` when the move is allowed, otherwise an error naming both states.
    pub fn transition(self, to: ComplaintStatus) -> Result<ComplaintStatus, InvalidTransition> {
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(InvalidTransition { from: self, to })
        }
    }

    /// Resolved and closed cases no longer owe the customer anything (until reopened).
    pub fn is_open(self) -> bool {
        !matches!(self, ComplaintStatus::Resolved | ComplaintStatus::Closed)
    }
}

/// A refused move; the message names both states and what is allowed instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct InvalidTransition {
    pub from: ComplaintStatus,
    pub to: ComplaintStatus,
}

impl InvalidTransition {
    pub fn message(&self) -> String {
        let allowed: Vec<&str> = self.from.next().iter().map(|s| s.as_str()).collect();
        format!(
            "a complaint that is '{}' cannot become '{}'; from '{}' it can become: {}",
            self.from,
            self.to,
            self.from,
            allowed.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::ComplaintStatus::{self, *};
    use proptest::prelude::*;

    #[test]
    fn the_happy_path_is_allowed_in_order() {
        let path = [
            Received,
            Acknowledged,
            Assessed,
            Investigating,
            Responded,
            Resolved,
            Closed,
        ];
        for w in path.windows(2) {
            assert_eq!(w[0].transition(w[1]), Ok(w[1]));
        }
    }

    #[test]
    fn reopening_and_what_follows() {
        assert!(Resolved.can_become(Reopened));
        assert!(Closed.can_become(Reopened));
        assert!(Reopened.can_become(Assessed));
        assert!(Reopened.can_become(Investigating));
        assert!(!Reopened.can_become(Closed));
        assert!(!Received.can_become(Reopened));
        assert!(Responded.can_become(Investigating));
    }

    #[test]
    fn the_error_names_both_states_and_the_way_forward() {
        let e = Received.transition(Resolved).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a complaint that is 'received' cannot become 'resolved'; \
             from 'received' it can become: acknowledged"
        );
    }

    #[test]
    fn parses_loosely() {
        assert_eq!(
            "Investigating".parse::<ComplaintStatus>(),
            Ok(Investigating)
        );
        assert!(
            "done"
                .parse::<ComplaintStatus>()
                .unwrap_err()
                .contains("reopened")
        );
    }

    fn any_status() -> impl Strategy<Value = ComplaintStatus> {
        proptest::sample::select(ComplaintStatus::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn no_state_moves_to_itself_or_back_to_received(a in any_status()) {
            prop_assert!(!a.can_become(a));
            prop_assert!(!a.can_become(Received));
        }

        /// Any sequence of allowed moves can still reach `closed`: no dead ends.
        #[test]
        fn closed_is_always_reachable(steps in proptest::collection::vec(0usize..4, 0..30)) {
            let mut s = Received;
            for pick in steps {
                let next = s.next();
                s = next[pick % next.len()];
            }
            let mut guard = 0;
            while s != Closed {
                s = s.next()[0];
                guard += 1;
                prop_assert!(guard < 10);
            }
        }
    }
}
