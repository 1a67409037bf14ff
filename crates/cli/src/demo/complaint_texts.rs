//! What the demo's complaints say, and what their investigations found: per moment of truth,
//! `(what the customer reported, the root cause found, what prevents it next time)`.
//! Moments without their own entry use [`GENERAL`].

pub type CaseText = (&'static str, &'static str, &'static str);

pub fn for_moment(moment: &str) -> &'static [CaseText] {
    match moment {
        "wait-turn" => &WAIT,
        "take-a-number" => &TICKET,
        "get-paid" | "count-money" | "verify-cheque" => &PAYMENT,
        "phone-reservation" | "booking-confirmation" => &BOOKING,
        "front-desk-queue" | "reservation-found" | "room-assigned" => &CHECK_IN,
        _ => &GENERAL,
    }
}

const WAIT: [CaseText; 4] = [
    (
        "Llegué a las 9:10 y me atendieron a las 10:05. Solo dos cajas abiertas un lunes.",
        "Two of five tellers were scheduled on Monday mornings, the busiest slot of the week.",
        "Rota rebuilt from the queue system's hourly arrivals; a floater opens a counter when the wait passes 10 minutes.",
    ),
    (
        "Forty minutes in the queue with my two kids and nobody told us why.",
        "A teller was pulled to the back office for an audit and the queue was never informed.",
        "Back-office tasks are moved out of opening hours; the screen shows the expected wait.",
    ),
    (
        "El turno avanzaba para los clientes preferenciales y los demás seguíamos esperando.",
        "The priority rule let premium tickets jump the queue without any limit.",
        "At most one priority ticket is called for every three regular ones.",
    ),
    (
        "The queue screen was frozen, so I missed my number and had to take another.",
        "The display's controller had been failing for weeks; tickets were called only by voice.",
        "Controller replaced; the branch checks the screen at opening as part of its checklist.",
    ),
];

const TICKET: [CaseText; 2] = [
    (
        "La máquina de turnos no tenía papel y el guardia no sabía qué hacer.",
        "Nobody owned refilling the ticket machine.",
        "The opening checklist names who refills it; a spare roll is kept at the door.",
    ),
    (
        "I was given a ticket for the wrong service and waited for nothing.",
        "The machine's menu uses internal names customers do not recognise.",
        "Menu rewritten in customers' words and tested with ten customers.",
    ),
];

const PAYMENT: [CaseText; 2] = [
    (
        "Me pagaron el cheque con billetes de alta denominación aunque pedí sueltos.",
        "The teller's drawer had run out of small notes by mid-morning.",
        "Drawers are topped up at 11:00; customers are asked which notes they want.",
    ),
    (
        "The cheque was rejected for a signature check, but nobody explained what to do next.",
        "Tellers had no written next step for cheques held for verification.",
        "A card explaining the verification and a direct number is handed over with every held cheque.",
    ),
];

const BOOKING: [CaseText; 2] = [
    (
        "I called three times to book and was put on hold for more than ten minutes each time.",
        "One reservations agent covered the lines during the lunch hour.",
        "Lunch breaks are staggered; calls overflow to the front desk after 90 seconds.",
    ),
    (
        "Nunca recibí la confirmación de la reserva y llegué sin saber si tenía habitación.",
        "Confirmations to some email providers were going to spam because the sender was not verified.",
        "Sender domain verified; the agent reads the confirmation number on the phone.",
    ),
];

const CHECK_IN: [CaseText; 2] = [
    (
        "Waited 35 minutes at the front desk after a long flight; only one receptionist.",
        "The evening shift starts at 19:00, after most flights have landed.",
        "Evening shift moved to 17:00; returning guests get express check-in.",
    ),
    (
        "No encontraban mi reserva aunque tenía el número de confirmación.",
        "Bookings made by phone were entered under the caller's name, not the guest's.",
        "Phone bookings record both names; the desk searches by confirmation number first.",
    ),
];

const GENERAL: [CaseText; 3] = [
    (
        "The staff member was curt and did not look up from the screen.",
        "The counter had been understaffed for a week and the employee was covering two roles.",
        "Cover plan for absences; courtesy refresher for the team.",
    ),
    (
        "Nadie me supo decir a quién dirigirme y me mandaron de un lado a otro.",
        "The signs were changed during a refurbishment and never put back.",
        "New signs installed; greeters briefed on where each service is.",
    ),
    (
        "I was promised a call back the same day and it never came.",
        "Call-backs were written on paper and lost at the shift change.",
        "Call-backs are now promises in Touchpoint, with their due time and an owner.",
    ),
];

/// What the customer asked for, in turn.
pub const REMEDIES: [&str; 4] = [
    "Una disculpa y que no vuelva a pasar",
    "A call from the branch manager",
    "Reembolso de la comisión",
    "",
];
