//! The journey map: a cycle's moments as numbered nodes on a flow that snakes through rows of
//! `cols` nodes, drawn as inline SVG on the server. Critical moments get an outer ring and a
//! "Critical" tag (and a red node when no scorecard colours it), so the mark never rests on
//! colour alone. With a scorecard, each node is filled by its status (green, amber, red,
//! grey; blind spots grey and hatched) and its tooltip names the status. All text is escaped.
use super::texts::Texts;
use std::fmt::Write;
use touchpoint_core::{analytics::Status, channel::Channel};

/// What the map needs to know about one moment.
pub struct Node<'a> {
    pub position: i32,
    pub name: &'a str,
    pub channel: Channel,
    pub critical: bool,
    /// The scorecard status and its label, when the map is coloured by a scorecard.
    pub status: Option<(Status, &'a str)>,
}

/// Node fill and number colour of a status.
fn status_fill(status: Status, p: &str) -> (String, &'static str) {
    let fill = match status {
        Status::Good => "#15803d",
        Status::Watch => "#b45309",
        Status::Poor => "#b91c1c",
        Status::Unrated => "#64748b",
        Status::BlindSpot => return (format!("url(#{p}-hatch)"), "#0f172a"),
    };
    (fill.to_string(), "#fff")
}

const CELL_W: i32 = 150;
const CELL_H: i32 = 176;
const PAD_X: i32 = 28;
const PAD_Y: i32 = 12;
const R: i32 = 22;
const LINE_CHARS: usize = 17;
const MAX_LINES: usize = 3;

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Greedy word wrap into at most `MAX_LINES` lines; the last one ends in "…" when cut.
pub fn wrap(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let mut word: String = word.to_string();
        while word.chars().count() > LINE_CHARS {
            let head: String = word.chars().take(LINE_CHARS).collect();
            word = word.chars().skip(LINE_CHARS).collect();
            if !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
            }
            lines.push(head);
        }
        let fits = cur.chars().count() + 1 + word.chars().count() <= LINE_CHARS;
        if cur.is_empty() {
            cur = word;
        } else if fits {
            cur.push(' ');
            cur.push_str(&word);
        } else {
            lines.push(std::mem::replace(&mut cur, word));
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.len() > MAX_LINES {
        lines.truncate(MAX_LINES);
        let last = &mut lines[MAX_LINES - 1];
        let kept: String = last.chars().take(LINE_CHARS - 1).collect();
        *last = format!("{kept}…");
    }
    lines
}

fn center(i: usize, cols: usize) -> (i32, i32) {
    let row = i / cols;
    let j = i % cols;
    let col = if row.is_multiple_of(2) {
        j
    } else {
        cols - 1 - j
    };
    (
        PAD_X + col as i32 * CELL_W + CELL_W / 2,
        PAD_Y + row as i32 * CELL_H + 44,
    )
}

fn symbols(p: &str) -> String {
    let icons: [(&str, &str); 8] = [
        (
            "in_person",
            r#"<circle cx="8" cy="5" r="2.6"/><path d="M3 14.5c0-3 2.2-5.2 5-5.2s5 2.2 5 5.2"/>"#,
        ),
        (
            "phone",
            r#"<path d="M5.2 2.2H3.6a1.1 1.1 0 0 0-1.1 1.2c.5 5.6 4.6 9.7 10.2 10.2a1.1 1.1 0 0 0 1.2-1.1v-1.6l-2.7-1.1-1.4 1.4a7.5 7.5 0 0 1-3.4-3.4l1.4-1.4z"/>"#,
        ),
        (
            "email",
            r#"<rect x="2" y="3.5" width="12" height="9" rx="1.2"/><path d="M2.5 4.5 8 8.7l5.5-4.2"/>"#,
        ),
        (
            "web",
            r#"<circle cx="8" cy="8" r="6"/><ellipse cx="8" cy="8" rx="2.6" ry="6"/><path d="M2 8h12"/>"#,
        ),
        (
            "app",
            r#"<rect x="4.5" y="1.5" width="7" height="13" rx="1.5"/><path d="M7 12.3h2"/>"#,
        ),
        ("chat", r#"<path d="M2.5 3h11v7.5h-6L4.5 13v-2.5h-2z"/>"#),
        (
            "mail",
            r#"<path d="M2.5 13.5V7.5a3 3 0 0 1 6 0v6zM8.5 7.5h5v6h-5M11 7.5V3h2.2"/>"#,
        ),
        (
            "self_service",
            r#"<rect x="3.5" y="1.5" width="9" height="8" rx="1"/><path d="M8 9.5v4.5M5 14.5h6M6 5.5h4"/>"#,
        ),
    ];
    let mut s = String::new();
    for (name, body) in icons {
        let _ = write!(
            s,
            r#"<symbol id="{p}-ch-{name}" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round">{body}</symbol>"#
        );
    }
    s
}

/// Render the map with `cols` nodes per row; `prefix` keeps element ids unique on the page.
pub fn render(t: &Texts, title: &str, nodes: &[Node<'_>], cols: usize, prefix: &str) -> String {
    let cols = cols.max(1).min(nodes.len().max(1));
    let rows = nodes.len().div_ceil(cols).max(1);
    let width = PAD_X * 2 + cols as i32 * CELL_W;
    let height = PAD_Y * 2 + rows as i32 * CELL_H - 12;
    let p = escape(prefix);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="journey-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="group" aria-labelledby="{p}-title"><title id="{p}-title">{}</title><defs>{}<pattern id="{p}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#e2e8f0"/><line x1="0" y1="0" x2="0" y2="6" stroke="#94a3b8" stroke-width="2.5"/></pattern><marker id="{p}-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#64748b"/></marker></defs>"##,
        escape(title),
        symbols(&p)
    );
    // Connectors first, so nodes sit on top of them.
    for i in 1..nodes.len() {
        let (x1, y1) = center(i - 1, cols);
        let (x2, y2) = center(i, cols);
        if y1 == y2 {
            let dir = if x2 > x1 { 1 } else { -1 };
            let _ = write!(
                s,
                r##"<line x1="{}" y1="{y1}" x2="{}" y2="{y2}" stroke="#94a3b8" stroke-width="2" marker-end="url(#{p}-arrow)"/>"##,
                x1 + dir * (R + 4),
                x2 - dir * (R + 8),
            );
        } else {
            let right = (i / cols) % 2 == 1;
            let bulge = if right {
                x1 + CELL_W / 2 + 8
            } else {
                x1 - CELL_W / 2 - 8
            };
            let edge = if right { R + 4 } else { -(R + 4) };
            let _ = write!(
                s,
                r##"<path d="M{} {y1}C{bulge} {y1} {bulge} {y2} {} {y2}" fill="none" stroke="#94a3b8" stroke-width="2" stroke-dasharray="0" marker-end="url(#{p}-arrow)"/>"##,
                x1 + edge,
                x2 + edge + if right { 4 } else { -4 },
            );
        }
    }
    for (i, n) in nodes.iter().enumerate() {
        let (cx, cy) = center(i, cols);
        let channel = t.channel(n.channel);
        let mut label = format!("{}. {} — {}", n.position, n.name, channel);
        if n.critical {
            label = format!("{label} — {}", t.critical);
        }
        if let Some((_, status)) = n.status {
            label = format!("{label} — {status}");
        }
        let _ = write!(
            s,
            r##"<a href="#moment-{}" class="node{}"><title>{}</title>"##,
            n.position,
            if n.critical { " node-critical" } else { "" },
            escape(&label)
        );
        if n.critical {
            let tag = escape(&t.critical.to_uppercase());
            let _ = write!(
                s,
                r##"<circle cx="{cx}" cy="{cy}" r="{}" fill="none" stroke="#b91c1c" stroke-width="2" stroke-dasharray="4 3"/><rect x="{}" y="{}" width="76" height="18" rx="9" fill="#b91c1c"/><text x="{cx}" y="{}" text-anchor="middle" font-size="10.5" font-weight="700" fill="#fff" letter-spacing=".06em">{tag}</text>"##,
                R + 7,
                cx - 38,
                cy - R - 30,
                cy - R - 17,
            );
        }
        let (fill, ink) = match n.status {
            Some((status, _)) => status_fill(status, &p),
            None if n.critical => ("#b91c1c".to_string(), "#fff"),
            None => ("#1e40af".to_string(), "#fff"),
        };
        let _ = write!(
            s,
            r##"<circle class="node-dot" cx="{cx}" cy="{cy}" r="{R}" fill="{fill}" stroke="#fff" stroke-width="3"/><text x="{cx}" y="{}" text-anchor="middle" font-size="16" font-weight="700" fill="{ink}">{}</text>"##,
            cy + 6,
            n.position
        );
        let lines = wrap(n.name);
        for (k, line) in lines.iter().enumerate() {
            let _ = write!(
                s,
                r##"<text x="{cx}" y="{}" text-anchor="middle" font-size="13" font-weight="600" fill="#0f172a">{}</text>"##,
                cy + R + 22 + k as i32 * 16,
                escape(line)
            );
        }
        let cy_channel = cy + R + 22 + MAX_LINES as i32 * 16 + 4;
        let text_w = channel.chars().count() as i32 * 6 + 8;
        let total = 16 + text_w;
        let x0 = cx - total / 2;
        let _ = write!(
            s,
            r##"<use href="#{p}-ch-{}" x="{x0}" y="{}" width="14" height="14" color="#475569"/><text x="{}" y="{cy_channel}" font-size="11.5" fill="#475569">{}</text></a>"##,
            n.channel.as_str(),
            cy_channel - 11,
            x0 + 18,
            escape(channel)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{i18n::Lang, pages::texts::texts};

    #[test]
    fn wraps_and_truncates_names() {
        assert_eq!(wrap("Wait for the turn"), ["Wait for the turn"]);
        assert_eq!(
            wrap("Greet the cashier and hand over"),
            ["Greet the cashier", "and hand over"]
        );
        let long = wrap("one two three four five six seven eight nine ten eleven twelve");
        assert_eq!(long.len(), 3);
        assert!(long[2].ends_with('…'));
    }

    #[test]
    fn escapes_text_and_marks_critical() {
        let nodes = [
            Node {
                position: 1,
                name: "<script>alert(1)</script>",
                channel: Channel::Web,
                critical: false,
                status: None,
            },
            Node {
                position: 2,
                name: "Paid",
                channel: Channel::InPerson,
                critical: true,
                status: None,
            },
        ];
        let svg = render(texts(Lang::Es), "Mapa & <ciclo>", &nodes, 7, "w");
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("Mapa &amp; &lt;ciclo&gt;"));
        assert!(svg.contains("CRÍTICO"));
        assert!(svg.contains("Presencial"));
        assert_eq!(svg.matches("node-critical").count(), 1);
    }

    #[test]
    fn a_scorecard_colours_nodes_and_hatches_blind_spots() {
        let node = |position, status| Node {
            position,
            name: "Wait",
            channel: Channel::InPerson,
            critical: position == 2,
            status: Some(status),
        };
        let nodes = [
            node(1, (Status::Good, "On target")),
            node(2, (Status::Poor, "Below target")),
            node(3, (Status::BlindSpot, "Blind spot")),
        ];
        let svg = render(texts(Lang::En), "Map", &nodes, 7, "w");
        assert!(svg.contains(r##"fill="#15803d""##));
        assert!(svg.contains(r##"fill="url(#w-hatch)""##));
        assert!(svg.contains(r#"<pattern id="w-hatch""#));
        assert!(svg.contains("3. Wait — In person — Blind spot</title>"));
        assert!(svg.contains("2. Wait — In person — Critical — Below target</title>"));
    }
}
