//! Validation messages come from core in English; pages show them in the page language.
//! Known messages are translated; anything unknown is shown as core wrote it.
use crate::i18n::Lang;

pub fn localize(lang: Lang, msg: &str) -> String {
    if lang == Lang::En {
        return msg.to_string();
    }
    if let Some(n) = between(msg, "must be at most ", " characters") {
        return format!("debe tener como máximo {n} caracteres");
    }
    if let Some(n) = between(msg, "must be at least ", " characters") {
        return format!("debe tener al menos {n} caracteres");
    }
    if let Some(k) = between(msg, "duplicate moment key '", "'") {
        return format!(
            "la clave de momento '{k}' está repetida; cada clave debe ser única en el ciclo"
        );
    }
    if let Some(c) = between(msg, "unknown channel '", "'") {
        return format!("canal desconocido '{c}'; elija uno de la lista");
    }
    if let Some(n) = msg.strip_prefix("must be a number from 0 to ") {
        return format!("debe ser un número de 0 a {n}");
    }
    if let Some(n) = msg.strip_prefix("must be a whole number from 1 to ") {
        return format!("debe ser un número entero de 1 a {n}");
    }
    if let Some(n) = msg.strip_prefix("must be at most ")
        && n.bytes().all(|b| b.is_ascii_digit())
    {
        return format!("debe ser como máximo {n}");
    }
    let fixed = match msg {
        "must be a whole number of 0 or more" => "debe ser un número entero igual o mayor que 0",
        "must be a number of 0 or more" => "debe ser un número igual o mayor que 0",
        "at least one weight must be above 0" => "al menos un peso debe ser mayor que 0",
        "must be a share from 0 to 1 (0.5 = half the weight)" => {
            "debe ser una proporción de 0 a 1 (0,5 = la mitad del peso)"
        }
        "must not be empty" => "no puede estar vacío",
        "a cycle needs at least one moment of truth" => {
            "un ciclo necesita al menos un momento de verdad"
        }
        "must start with a lowercase letter and use only lowercase letters, digits, '-' or '_'" => {
            "debe empezar con una letra minúscula y usar solo minúsculas, dígitos, '-' o '_'"
        }
        "use lowercase letters, digits and '_' (e.g. hold_seconds)" => {
            "use minúsculas, dígitos y '_' (por ejemplo, hold_seconds)"
        }
        "must be a finite number" => "debe ser un número finito",
        "must be an email address like name@example.com" => {
            "debe ser un correo electrónico como nombre@ejemplo.com"
        }
        "must be an IANA time zone name such as America/Bogota" => {
            "debe ser un nombre de zona horaria IANA, como America/Bogota"
        }
        "must be 'en' or 'es'" => "debe ser 'en' o 'es'",
        "must be at most 1024 bytes" => "debe tener como máximo 1024 bytes",
        _ => return msg.to_string(),
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
    fn translates_known_and_keeps_unknown() {
        assert_eq!(
            localize(Lang::Es, "must not be empty"),
            "no puede estar vacío"
        );
        assert_eq!(
            localize(Lang::Es, "must be at most 200 characters"),
            "debe tener como máximo 200 caracteres"
        );
        assert!(
            localize(Lang::Es, "duplicate moment key 'a'; keys must be unique").contains("'a'")
        );
        assert_eq!(localize(Lang::Es, "weird"), "weird");
        assert_eq!(localize(Lang::En, "must not be empty"), "must not be empty");
    }
}
