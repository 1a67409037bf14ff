//! Where the demo organization serves and who serves there.
use touchpoint_core::user::Role;

pub struct DemoSite {
    pub key: &'static str,
    pub name: &'static str,
    pub city: &'static str,
    pub timezone: &'static str,
    /// The site manager's mailbox: told when a promise made at the site is broken.
    pub manager_email: &'static str,
    /// `(name, job role)` of each staff member.
    pub staff: &'static [(&'static str, &'static str)],
}

pub const SITES: [DemoSite; 4] = [
    DemoSite {
        key: "centro",
        name: "Banco Andino — Centro",
        city: "Bogotá",
        timezone: "America/Bogota",
        manager_email: "camilo.herrera@centro.demo.example",
        staff: &[
            ("Lucía Restrepo", "Cashier"),
            ("Andrés Gómez", "Cashier"),
            ("Valentina Ortiz", "Floor host"),
            ("Camilo Herrera", "Branch manager"),
        ],
    },
    DemoSite {
        key: "norte",
        name: "Banco Andino — Norte",
        city: "Medellín",
        timezone: "America/Bogota",
        manager_email: "gerencia@norte.demo.example",
        staff: &[
            ("Juliana Mejía", "Cashier"),
            ("Santiago Vélez", "Teller"),
            ("Natalia Cárdenas", "Floor host"),
        ],
    },
    DemoSite {
        key: "aeropuerto",
        name: "Banco Andino — Aeropuerto",
        city: "Lima",
        timezone: "America/Lima",
        manager_email: "jorge.huaman@aeropuerto.demo.example",
        staff: &[
            ("Rosa Quispe", "Cashier"),
            ("Diego Salazar", "Cashier"),
            ("Martín Paredes", "Teller"),
            ("Carmen Flores", "Security guard"),
            ("Jorge Huamán", "Branch manager"),
        ],
    },
    DemoSite {
        key: "hotel-reforma",
        name: "Hotel Paseo Reforma",
        city: "Ciudad de México",
        timezone: "America/Mexico_City",
        manager_email: "sofia.mendoza@hotel-reforma.demo.example",
        staff: &[
            ("Fernanda Ríos", "Receptionist"),
            ("Alejandro Núñez", "Receptionist"),
            ("Mariana Torres", "Reservations agent"),
            ("Luis Ramírez", "Bellhop"),
            ("Sofía Mendoza", "Front office manager"),
        ],
    },
];

/// Domain of the demo logins.
pub const LOGIN_DOMAIN: &str = "touchpoint.local";

/// One login per role: `(local part of the email, display name, role)`.
pub const LOGINS: [(&str, &str, Role); 5] = [
    ("admin", "Demo Administrator", Role::Admin),
    ("manager", "Demo Service Manager", Role::Manager),
    ("agent", "Demo Complaints Agent", Role::Agent),
    ("auditor", "Demo Mystery Shopper", Role::Auditor),
    ("viewer", "Demo Viewer", Role::Viewer),
];

/// Email of a staff member at a demo site (`lucia.restrepo@centro.demo.example`).
pub fn staff_email(name: &str, site_key: &str) -> String {
    let mut local = String::new();
    for c in name.chars().flat_map(fold_accent) {
        match c {
            'a'..='z' => local.push(c),
            ' ' if !local.ends_with('.') => local.push('.'),
            _ => {}
        }
    }
    format!("{local}@{site_key}.demo.example")
}

fn fold_accent(c: char) -> impl Iterator<Item = char> {
    let folded = match c {
        'á' | 'Á' => 'a',
        'é' | 'É' => 'e',
        'í' | 'Í' => 'i',
        'ó' | 'Ó' => 'o',
        'ú' | 'Ú' | 'ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        other => other,
    };
    folded.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_site_has_three_to_five_staff() {
        for s in &SITES {
            assert!((3..=5).contains(&s.staff.len()), "{}", s.key);
        }
    }

    #[test]
    fn every_site_has_a_manager_to_escalate_to() {
        for s in &SITES {
            assert!(
                touchpoint_core::user::looks_like_email(s.manager_email),
                "{}",
                s.key
            );
        }
        // Where the manager is on the staff list, the mailbox is theirs.
        assert_eq!(
            SITES[0].manager_email,
            staff_email("Camilo Herrera", SITES[0].key)
        );
    }

    #[test]
    fn staff_emails_are_plain_ascii() {
        assert_eq!(
            staff_email("Martín Paredes", "aeropuerto"),
            "martin.paredes@aeropuerto.demo.example"
        );
        assert_eq!(
            staff_email("Alejandro Núñez", "hotel-reforma"),
            "alejandro.nunez@hotel-reforma.demo.example"
        );
    }
}
