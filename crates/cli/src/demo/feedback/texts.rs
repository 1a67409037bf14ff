//! What the demo's customers write: short comments in Spanish and English, by mood, and
//! compliments that name a moment or a staff member. `(es, en)` pairs.

/// About a long wait for the turn.
pub const WAIT_COMPLAINTS: [(&str, &str); 6] = [
    (
        "Esperé casi media hora para que me llamaran.",
        "I waited almost half an hour to be called.",
    ),
    (
        "Solo había una ventanilla abierta y la fila no avanzaba.",
        "Only one counter was open and the queue did not move.",
    ),
    (
        "La pantalla de turnos no funcionaba; nadie sabía a quién le tocaba.",
        "The queue screen was off; nobody knew whose turn it was.",
    ),
    (
        "Demasiada espera para cobrar un cheque. Estoy pensando en cambiarme de banco.",
        "Far too long a wait to cash a cheque. I am thinking of switching banks.",
    ),
    (
        "No había dónde sentarse mientras esperaba.",
        "There was nowhere to sit while I waited.",
    ),
    (
        "Me dieron un número y después de 40 minutos me fui.",
        "I took a number and left after 40 minutes.",
    ),
];

/// When the visit went well.
pub const PRAISE: [(&str, &str); 6] = [
    (
        "Todo rápido y el cajero muy amable.",
        "Quick, and the cashier was very kind.",
    ),
    (
        "Me explicaron todo con paciencia. Gracias.",
        "They explained everything patiently. Thank you.",
    ),
    (
        "Excelente atención, como siempre.",
        "Excellent service, as always.",
    ),
    (
        "La recepción fue muy cálida y la habitación estaba impecable.",
        "A warm welcome and a spotless room.",
    ),
    (
        "Contaron el dinero delante de mí, eso da confianza.",
        "They counted the money in front of me; that builds trust.",
    ),
    (
        "Me atendieron por mi nombre. Detalle que se agradece.",
        "They greeted me by name. A nice touch.",
    ),
];

/// Neither here nor there.
pub const NEUTRAL: [(&str, &str); 5] = [
    (
        "Bien en general, pero el parqueadero es pequeño.",
        "Fine overall, but the car park is small.",
    ),
    (
        "Los letreros podrían ser más claros.",
        "The signs could be clearer.",
    ),
    ("Correcto, sin más.", "It was fine, nothing special."),
    (
        "Tardaron en contestar el teléfono.",
        "They took a while to answer the phone.",
    ),
    (
        "La habitación no estaba lista cuando llegué.",
        "The room was not ready when I arrived.",
    ),
];

/// Reasons for an NPS score, low then high.
pub const NPS_LOW: [(&str, &str); 3] = [
    (
        "Las filas en la sucursal son eternas.",
        "The queues at the branch are endless.",
    ),
    (
        "Nunca hay suficientes cajeros.",
        "There are never enough cashiers.",
    ),
    (
        "El servicio depende de la sucursal; en la mía es lento.",
        "Service depends on the branch; mine is slow.",
    ),
];
pub const NPS_HIGH: [(&str, &str); 3] = [
    (
        "Siempre me resuelven rápido.",
        "They always sort me out quickly.",
    ),
    ("Gente amable y confiable.", "Friendly, reliable people."),
    (
        "Nunca he tenido un problema con mi dinero.",
        "I have never had a problem with my money.",
    ),
];

/// Compliments about a staff member; `{}` is the first name.
pub const COMPLIMENTS: [(&str, &str); 5] = [
    (
        "{} me ayudó con una paciencia enorme.",
        "{} helped me with enormous patience.",
    ),
    (
        "Quiero felicitar a {} por su amabilidad.",
        "I want to praise {} for being so kind.",
    ),
    (
        "{} resolvió mi problema en dos minutos.",
        "{} solved my problem in two minutes.",
    ),
    (
        "Gracias a {} por acompañarme hasta la salida.",
        "Thanks to {} for walking me to the door.",
    ),
    (
        "{} se tomó el tiempo de explicarme cada paso.",
        "{} took the time to explain every step.",
    ),
];

/// Pick the text of a pair in `language` (`es` or anything else for English).
pub fn pick<'a>(pair: &(&'a str, &'a str), language: &str) -> &'a str {
    if language == "es" { pair.0 } else { pair.1 }
}
