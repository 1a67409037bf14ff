//! The customer's complaint status page in plain words, English and Spanish (usted). One
//! `const` per language of the same struct, so a key missing in either fails to compile.
use crate::i18n::Lang;
use touchpoint_core::complaints::{ComplaintStatus, PromiseKind};

#[derive(Debug)]
pub struct StatusTexts {
    pub title: &'static str,
    pub reference: &'static str,
    pub received_on: &'static str,
    pub where_it_stands: &'static str,
    pub steps: [&'static str; 4],
    pub step_done: &'static str,
    pub step_current: &'static str,
    pub next_step: &'static str,
    pub promised: &'static str,
    pub updates: &'static str,
    pub no_updates: &'static str,
    pub answer: &'static str,
    pub explanation: &'static str,
    pub prevention: &'static str,
    pub alternatives: &'static str,
    pub compensation: &'static str,
    pub call_us: &'static str,
    pub call_text: &'static str,
    pub times_utc: &'static str,
    pub s_received: &'static str,
    pub s_acknowledged: &'static str,
    pub s_assessed: &'static str,
    pub s_investigating: &'static str,
    pub s_responded: &'static str,
    pub s_resolved: &'static str,
    pub s_closed: &'static str,
    pub s_reopened: &'static str,
    pub k_acknowledge: &'static str,
    pub k_first_response: &'static str,
    pub k_update: &'static str,
    pub k_resolve: &'static str,
    pub k_callback: &'static str,
    pub k_custom: &'static str,
}

impl StatusTexts {
    /// Where the case stands, as a sentence for the customer.
    pub fn status(&self, s: ComplaintStatus) -> &'static str {
        use ComplaintStatus::*;
        match s {
            Received => self.s_received,
            Acknowledged => self.s_acknowledged,
            Assessed => self.s_assessed,
            Investigating => self.s_investigating,
            Responded => self.s_responded,
            Resolved => self.s_resolved,
            Closed => self.s_closed,
            Reopened => self.s_reopened,
        }
    }

    /// What was promised, completing "We promised to …".
    pub fn kind(&self, k: PromiseKind) -> &'static str {
        match k {
            PromiseKind::Acknowledge => self.k_acknowledge,
            PromiseKind::FirstResponse => self.k_first_response,
            PromiseKind::Update => self.k_update,
            PromiseKind::Resolve => self.k_resolve,
            PromiseKind::Callback => self.k_callback,
            PromiseKind::Custom => self.k_custom,
        }
    }
}

/// Four stages a customer recognises, rather than the eight internal states: received,
/// being looked into, answered, resolved.
pub fn stage(s: ComplaintStatus) -> usize {
    use ComplaintStatus::*;
    match s {
        Received | Acknowledged => 0,
        Assessed | Investigating | Reopened => 1,
        Responded => 2,
        Resolved | Closed => 3,
    }
}

pub fn status_texts(lang: Lang) -> &'static StatusTexts {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
    }
}

pub const EN: StatusTexts = StatusTexts {
    title: "Your complaint",
    reference: "Reference",
    received_on: "Received {date} (UTC)",
    where_it_stands: "Where it stands",
    steps: ["Received", "Looking into it", "Answered", "Resolved"],
    step_done: "done",
    step_current: "current step",
    next_step: "What we promised next",
    promised: "We promised to {what} by {when} (UTC).",
    updates: "News about your complaint",
    no_updates: "No news yet. We will write here as soon as there is any.",
    answer: "Our answer",
    explanation: "What happened",
    prevention: "What we are changing so it does not happen again",
    alternatives: "Alternatives we can offer",
    compensation: "For the trouble",
    call_us: "Questions? Call us",
    call_text: "Have your reference {ref} at hand: whoever answers can see your complaint.",
    times_utc: "Times are in UTC.",
    s_received: "We have received your complaint.",
    s_acknowledged: "We have received your complaint and it is in the hands of our team.",
    s_assessed: "We have reviewed your complaint and decided how to deal with it.",
    s_investigating: "We are finding out what went wrong.",
    s_responded: "We have sent you our answer. If it does not solve the problem, tell us and we will keep working on it.",
    s_resolved: "Your complaint has been resolved.",
    s_closed: "Your complaint is closed. Thank you for telling us: it helps us improve.",
    s_reopened: "We have reopened your complaint and are looking at it again.",
    k_acknowledge: "confirm that we received your complaint",
    k_first_response: "give you a first answer",
    k_update: "send you news",
    k_resolve: "resolve your complaint",
    k_callback: "call you back",
    k_custom: "get back to you",
};

pub const ES: StatusTexts = StatusTexts {
    title: "Su reclamo",
    reference: "Número de reclamo",
    received_on: "Recibido el {date} (UTC)",
    where_it_stands: "En qué va",
    steps: ["Recibido", "En revisión", "Respondido", "Resuelto"],
    step_done: "completado",
    step_current: "paso actual",
    next_step: "Nuestro próximo compromiso",
    promised: "Nos comprometimos a {what} a más tardar el {when} (UTC).",
    updates: "Novedades de su reclamo",
    no_updates: "Aún no hay novedades. Le escribiremos aquí en cuanto las haya.",
    answer: "Nuestra respuesta",
    explanation: "Qué pasó",
    prevention: "Qué estamos cambiando para que no se repita",
    alternatives: "Alternativas que le podemos ofrecer",
    compensation: "Por la molestia",
    call_us: "¿Tiene preguntas? Llámenos",
    call_text: "Tenga a mano su número de reclamo {ref}: quien le atienda podrá ver su caso.",
    times_utc: "Las horas están en UTC.",
    s_received: "Recibimos su reclamo.",
    s_acknowledged: "Recibimos su reclamo y ya está en manos de nuestro equipo.",
    s_assessed: "Revisamos su reclamo y ya decidimos cómo atenderlo.",
    s_investigating: "Estamos averiguando qué salió mal.",
    s_responded: "Le enviamos nuestra respuesta. Si no resuelve el problema, díganoslo y seguiremos trabajando en ello.",
    s_resolved: "Su reclamo quedó resuelto.",
    s_closed: "Su reclamo está cerrado. Gracias por avisarnos: nos ayuda a mejorar.",
    s_reopened: "Volvimos a abrir su reclamo y lo estamos revisando de nuevo.",
    k_acknowledge: "confirmarle que recibimos su reclamo",
    k_first_response: "darle una primera respuesta",
    k_update: "enviarle novedades",
    k_resolve: "resolver su reclamo",
    k_callback: "devolverle la llamada",
    k_custom: "volver a comunicarnos con usted",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_a_stage_and_a_sentence_in_both_languages() {
        for s in ComplaintStatus::ALL {
            assert!(stage(*s) < 4);
            assert!(!EN.status(*s).is_empty() && !ES.status(*s).is_empty());
            assert_ne!(EN.status(*s), ES.status(*s));
        }
        for (en, es) in [
            (EN.promised, ES.promised),
            (EN.received_on, ES.received_on),
            (EN.call_text, ES.call_text),
        ] {
            let holes = |s: &str| s.matches('{').count();
            assert_eq!(holes(en), holes(es), "{en} / {es}");
        }
    }
}
