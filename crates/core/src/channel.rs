//! The channel through which a customer meets the organization at a moment of truth.
use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    InPerson,
    Phone,
    Email,
    Web,
    App,
    Chat,
    Mail,
    SelfService,
}

impl Channel {
    pub const ALL: [Channel; 8] = [
        Channel::InPerson,
        Channel::Phone,
        Channel::Email,
        Channel::Web,
        Channel::App,
        Channel::Chat,
        Channel::Mail,
        Channel::SelfService,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::InPerson => "in_person",
            Channel::Phone => "phone",
            Channel::Email => "email",
            Channel::Web => "web",
            Channel::App => "app",
            Channel::Chat => "chat",
            Channel::Mail => "mail",
            Channel::SelfService => "self_service",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error names every accepted value so a user can fix the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown channel '{0}'; expected one of in_person, phone, email, web, app, chat, mail, self_service"
)]
pub struct UnknownChannel(pub String);

impl FromStr for Channel {
    type Err = UnknownChannel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == norm)
            .ok_or_else(|| UnknownChannel(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_loose_spellings() {
        assert_eq!("In person".parse::<Channel>().unwrap(), Channel::InPerson);
        assert_eq!(
            "self-service".parse::<Channel>().unwrap(),
            Channel::SelfService
        );
        assert!(
            "pigeon"
                .parse::<Channel>()
                .unwrap_err()
                .to_string()
                .contains("in_person")
        );
    }
}
