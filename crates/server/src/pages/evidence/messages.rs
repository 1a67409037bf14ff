//! Spanish for the validation messages core writes about audits, checklists, measurements
//! and compliments; anything else goes to the shared translator, which keeps unknown
//! messages as core wrote them.
use crate::i18n::Lang;

pub fn localize(lang: Lang, msg: &str) -> String {
    if lang == Lang::En {
        return msg.to_string();
    }
    if let Some(k) = between(msg, "the checklist has no moment '", "'") {
        return format!("la lista de verificación no tiene el momento '{k}'");
    }
    if let Some(k) = between(msg, "the cycle has no moment '", "'") {
        return format!("el ciclo no tiene el momento '{k}'");
    }
    if let Some(k) = between(msg, "the service's cycle has no moment '", "'") {
        return format!("el ciclo del servicio no tiene el momento '{k}'");
    }
    if let Some(l) = between(msg, "'", "' is already on this checklist") {
        return format!("«{l}» ya está en esta lista de verificación");
    }
    if let Some(n) = between(msg, "at most ", " items per moment") {
        return format!("como máximo {n} puntos por momento");
    }
    if let Some(n) = between(msg, "at most ", " staff members per visit") {
        return format!("como máximo {n} personas por visita");
    }
    if let Some(rest) = msg.strip_prefix("moment '") {
        if let Some((k, tail)) = rest.split_once("' has no standard on '") {
            let (metric, hint) = tail.split_once("'; ").unwrap_or((tail, ""));
            let hint = match hint.strip_prefix("its metrics are: ") {
                Some(list) => format!("sus métricas son: {list}"),
                None => "no tiene estándares".to_string(),
            };
            return format!("el momento '{k}' no tiene un estándar sobre '{metric}'; {hint}");
        }
        if let Some((k, tail)) = rest.split_once("' has no checklist item '") {
            let code = tail.trim_end_matches('\'');
            return format!("el momento '{k}' no tiene el punto '{code}'");
        }
    }
    let fixed = match msg {
        "choose the site that was visited" => "elija la sucursal visitada",
        "a visit cannot be dated in the future" => "una visita no puede tener fecha futura",
        "not a staff member id" => "no es una persona del personal",
        "this staff member is listed twice" => "esta persona está dos veces en la lista",
        "mark this item met, not met or not applicable" => {
            "marque este punto como «Cumple», «No cumple» o «No aplica»"
        }
        "a measurement cannot be dated in the future" => "una medición no puede tener fecha futura",
        "say which moment of truth or which staff member the compliment is about" => {
            "indique a qué momento de verdad o a qué persona se refiere la felicitación"
        }
        "name the service this moment belongs to" => {
            "indique el servicio al que pertenece el momento"
        }
        "the service has no published cycle, so it has no moments yet" => {
            "el servicio no tiene un ciclo publicado, así que aún no tiene momentos"
        }
        "not a valid id" => "no es un identificador válido",
        "write what the customer said" => "escriba lo que dijo el cliente",
        "a compliment cannot be dated in the future" => {
            "una felicitación no puede tener fecha futura"
        }
        _ => return crate::pages::messages::localize(lang, msg),
    };
    fixed.to_string()
}

fn between<'a>(msg: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = msg.strip_prefix(start)?;
    let i = rest.find(end)?;
    Some(&rest[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_messages_are_translated() {
        assert_eq!(
            localize(Lang::Es, "mark this item met, not met or not applicable"),
            "marque este punto como «Cumple», «No cumple» o «No aplica»"
        );
        assert_eq!(
            localize(
                Lang::Es,
                "moment 'call' has no standard on 'wait'; its metrics are: rings"
            ),
            "el momento 'call' no tiene un estándar sobre 'wait'; sus métricas son: rings"
        );
        assert_eq!(
            localize(Lang::Es, "'Smile' is already on this checklist"),
            "«Smile» ya está en esta lista de verificación"
        );
        assert_eq!(
            localize(Lang::Es, "must not be empty"),
            "no puede estar vacío"
        );
        assert_eq!(localize(Lang::En, "not a valid id"), "not a valid id");
    }
}
