//! What the complaint pages share: who may take a case, the moments offered in selects,
//! durations for promise clocks, and core's messages in the page language.
use crate::{
    i18n::Lang,
    pages::{
        chrome::Chrome,
        evidence::support::{Lookup, Opt, current_cycle},
        render::PageError,
    },
    state::AppState,
};
use chrono::Duration;
use touchpoint_core::{
    ValidationErrors, cycle::CycleVersion, listing::ListQuery, user::Permission, user::User,
};

/// Every user (names in timelines) and those who may handle complaints (assignees).
pub struct People {
    pub users: Vec<User>,
}

impl People {
    pub async fn load(state: &AppState, c: &Chrome) -> Result<Self, PageError> {
        let users = state
            .store
            .list_users(&ListQuery::all())
            .await
            .map_err(|e| PageError::store(c, e))?
            .items;
        Ok(Self { users })
    }
    pub fn name(&self, id: Option<i64>) -> String {
        id.and_then(|id| self.users.iter().find(|u| u.id == id))
            .map_or(String::new(), |u| {
                if u.name.is_empty() {
                    u.email.clone()
                } else {
                    u.name.clone()
                }
            })
    }
    /// Active users whose role may handle complaints (plus the current choice, so an
    /// inactive assignee still shows).
    pub fn assignee_options(&self, selected: Option<i64>) -> Vec<Opt> {
        self.users
            .iter()
            .filter(|u| {
                (u.active && u.role.allows(Permission::HandleComplaints)) || selected == Some(u.id)
            })
            .map(|u| Opt::new(u.id, self.name(Some(u.id)), selected == Some(u.id)))
            .collect()
    }
}

/// The moments of one service's current cycle, for an `<optgroup>`.
pub struct Group {
    pub label: String,
    pub options: Vec<Opt>,
}

/// Every service's current cycle, loaded once per page.
pub struct Cycles {
    pub list: Vec<(i64, String, String, CycleVersion)>,
}

impl Cycles {
    pub async fn load(state: &AppState, c: &Chrome, lookup: &Lookup) -> Result<Self, PageError> {
        let mut list = Vec::new();
        for s in lookup
            .services
            .iter()
            .filter(|s| s.current_version.is_some())
        {
            if let Some(cv) = current_cycle(state, c, s.id).await? {
                list.push((s.id, s.key.clone(), s.name.clone(), cv));
            }
        }
        Ok(Self { list })
    }
    pub fn of(&self, service_key: Option<&str>) -> Option<&CycleVersion> {
        let key = service_key?;
        self.list.iter().find(|s| s.1 == key).map(|s| &s.3)
    }
    /// "Cash a cheque · 3. Told to take a number", or the bare key when the moment is gone.
    pub fn moment_name(&self, service_key: Option<&str>, moment_key: Option<&str>) -> String {
        let Some(m) = moment_key else {
            return String::new();
        };
        let found = self.list.iter().find(|s| Some(s.1.as_str()) == service_key);
        match found.and_then(|s| s.3.moments.iter().find(|x| x.key == m).map(|x| (s, x))) {
            Some((s, x)) => format!("{} · {}. {}", s.2, x.position, x.name),
            None => m.to_string(),
        }
    }
    /// "3. Told to take a number": short enough for a table column.
    pub fn moment_short(&self, service_key: Option<&str>, moment_key: Option<&str>) -> String {
        let full = self.moment_name(service_key, moment_key);
        match full.split_once(" · ") {
            Some((_, short)) => short.to_string(),
            None => full,
        }
    }
    /// Options valued `service/moment` (the new-complaint form) or just `moment` (filters).
    pub fn groups(&self, chosen: &str, with_service: bool) -> Vec<Group> {
        self.list
            .iter()
            .map(|(_, key, name, cv)| Group {
                label: name.clone(),
                options: cv
                    .moments
                    .iter()
                    .map(|m| {
                        let value = if with_service {
                            format!("{key}/{}", m.key)
                        } else {
                            m.key.clone()
                        };
                        let selected = value == chosen;
                        Opt::new(value, format!("{}. {}", m.position, m.name), selected)
                    })
                    .collect(),
            })
            .collect()
    }
}

/// "2 d 3 h", "5 h 10 min", "12 min" (at least one minute).
pub fn span(d: Duration) -> String {
    let mins = d.num_minutes().abs().max(1);
    let (days, hours, minutes) = (mins / 1440, mins % 1440 / 60, mins % 60);
    match (days, hours) {
        (0, 0) => format!("{minutes} min"),
        (0, h) if minutes == 0 => format!("{h} h"),
        (0, h) => format!("{h} h {minutes} min"),
        (d, 0) => format!("{d} d"),
        (d, h) => format!("{d} d {h} h"),
    }
}

/// Core's validation messages about complaints in the page language, by field.
pub fn localized(lang: Lang, e: &ValidationErrors) -> Vec<(String, String)> {
    e.0.iter()
        .map(|f| (f.field.clone(), localize(lang, &f.message)))
        .collect()
}

pub fn localize(lang: Lang, msg: &str) -> String {
    if lang == Lang::En {
        return msg.to_string();
    }
    if let Some(k) = msg.strip_prefix("no quality dimension '") {
        return format!("no existe la dimensión de calidad '{}", k);
    }
    if let Some(s) = msg
        .strip_prefix("this promise is already ")
        .and_then(|r| r.strip_suffix(" and cannot change"))
    {
        return format!("esta promesa ya está en estado «{s}» y no puede cambiar");
    }
    if msg.starts_with("a complaint that is '") {
        return "ese paso no es posible desde el estado actual del reclamo".to_string();
    }
    let fixed = match msg {
        "describe what happened" => "describa lo que pasó",
        "a complaint cannot be received in the future" => {
            "un reclamo no puede recibirse en el futuro"
        }
        "say what caused the problem" => "indique qué causó el problema",
        "write the explanation given to the customer" => {
            "escriba la explicación que se le dio al cliente"
        }
        "a promise must be due in the future" => "una promesa debe vencer en el futuro",
        "say what was promised" => "indique qué se prometió",
        "give a reason for cancelling the promise" => "indique por qué se cancela la promesa",
        "the complaint's service has no published cycle" => {
            "el servicio del reclamo no tiene un ciclo publicado"
        }
        _ => return crate::pages::evidence::messages::localize(lang, msg),
    };
    fixed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_like_people_write_them() {
        assert_eq!(span(Duration::seconds(20)), "1 min");
        assert_eq!(span(Duration::minutes(-75)), "1 h 15 min");
        assert_eq!(span(Duration::hours(5)), "5 h");
        assert_eq!(span(Duration::hours(51)), "2 d 3 h");
        assert_eq!(span(Duration::days(3)), "3 d");
    }

    #[test]
    fn complaint_messages_are_translated() {
        assert_eq!(
            localize(Lang::Es, "describe what happened"),
            "describa lo que pasó"
        );
        assert_eq!(
            localize(Lang::Es, "no quality dimension 'x'"),
            "no existe la dimensión de calidad 'x'"
        );
        assert_eq!(
            localize(Lang::Es, "must not be empty"),
            "no puede estar vacío"
        );
        assert_eq!(
            localize(Lang::En, "say what was promised"),
            "say what was promised"
        );
    }
}
