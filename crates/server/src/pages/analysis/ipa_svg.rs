//! The importance–performance scatter as a server-rendered SVG: performance across (0–100),
//! importance up, dashed lines at the splits, the quadrant names written in each corner and
//! every point labelled with its number and name, so the chart reads in print and without
//! colour (critical moments are also drawn as diamonds, not only in red).
use super::texts::AnalysisTexts;
use crate::pages::journey_svg::escape;
use std::fmt::Write;
use touchpoint_core::analytics::Ipa;

const W: f64 = 760.0;
const H: f64 = 500.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 30.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 60.0;
const LABEL_GAP: f64 = 15.0;

struct Point {
    x: f64,
    y: f64,
    label: String,
    title: String,
    critical: bool,
}

/// Importance axis: from the lower of 0 and the smallest r (rounded down to a tenth) to 1.
fn importance_floor(ipa: &Ipa) -> f64 {
    let min = ipa
        .points
        .iter()
        .filter_map(|p| p.importance.map(|i| i.value))
        .fold(0.0f64, f64::min);
    (min * 10.0).floor() / 10.0
}

pub fn render(t: &AnalysisTexts, title: &str, ipa: &Ipa) -> String {
    let y0 = importance_floor(ipa);
    let (pw, ph) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let sx = |perf: f64| LEFT + perf.clamp(0.0, 100.0) / 100.0 * pw;
    let sy = |imp: f64| TOP + (1.0 - (imp.clamp(y0, 1.0) - y0) / (1.0 - y0)) * ph;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="ipa-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-labelledby="ipa-title"><title id="ipa-title">{}</title><rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="#fff" stroke="#94a3b8"/>"##,
        escape(title)
    );
    // Grid and tick labels every 20 points and every 0.2 of r.
    for k in 0..=5 {
        let x = sx(f64::from(k) * 20.0);
        let _ = write!(
            s,
            r##"<line x1="{x}" y1="{TOP}" x2="{x}" y2="{}" stroke="#e2e8f0"/><text x="{x}" y="{}" text-anchor="middle" font-size="12" fill="#334155">{}</text>"##,
            TOP + ph,
            TOP + ph + 18.0,
            k * 20
        );
    }
    let steps = ((1.0 - y0) / 0.2).round() as i32;
    for k in 0..=steps {
        let v = y0 + f64::from(k) * 0.2;
        let y = sy(v);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" y1="{y}" x2="{}" y2="{y}" stroke="#e2e8f0"/><text x="{}" y="{}" text-anchor="end" font-size="12" fill="#334155">{}</text>"##,
            LEFT + pw,
            LEFT - 8.0,
            y + 4.0,
            t.num(v, 1)
        );
    }
    let _ = write!(
        s,
        r##"<text x="{}" y="{}" text-anchor="middle" font-size="13" font-weight="600" fill="#0f172a">{}</text><text transform="translate(18 {}) rotate(-90)" text-anchor="middle" font-size="13" font-weight="600" fill="#0f172a">{}</text>"##,
        LEFT + pw / 2.0,
        H - 16.0,
        escape(t.ipa_axis_performance),
        TOP + ph / 2.0,
        escape(t.ipa_axis_importance)
    );
    if let (Some(ps), Some(is)) = (ipa.performance_split, ipa.importance_split) {
        let (x, y) = (sx(ps), sy(is));
        let _ = write!(
            s,
            r##"<line x1="{x}" y1="{TOP}" x2="{x}" y2="{}" stroke="#475569" stroke-width="1.5" stroke-dasharray="6 4"/><line x1="{LEFT}" y1="{y}" x2="{}" y2="{y}" stroke="#475569" stroke-width="1.5" stroke-dasharray="6 4"/>"##,
            TOP + ph,
            LEFT + pw
        );
        // Quadrant names in the corners: high importance is up, high performance right.
        let corners = [
            (LEFT + 8.0, TOP + 18.0, "start", t.concentrate_here),
            (LEFT + pw - 8.0, TOP + 18.0, "end", t.keep_up_the_good_work),
            (LEFT + 8.0, TOP + ph - 10.0, "start", t.low_priority),
            (LEFT + pw - 8.0, TOP + ph - 10.0, "end", t.possible_overkill),
        ];
        for (x, y, anchor, name) in corners {
            let _ = write!(
                s,
                r##"<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="13" font-weight="700" fill="#64748b" letter-spacing=".03em">{}</text>"##,
                escape(name)
            );
        }
    }
    let mut points: Vec<Point> = ipa
        .points
        .iter()
        .filter_map(|p| {
            let (imp, perf) = (p.importance?, p.performance?);
            let q = p.quadrant.map_or("", |q| t.quadrant(q));
            Some(Point {
                x: sx(perf.value),
                y: sy(imp.value),
                label: format!("{}. {}", p.position, p.name),
                title: format!(
                    "{}. {} — {} {}, {} r = {} — {q}",
                    p.position,
                    p.name,
                    t.performance,
                    t.num(perf.value, 1),
                    t.importance,
                    t.num(imp.value, 2)
                ),
                critical: p.critical,
            })
        })
        .collect();
    // Labels sit to the right of their point (left near the right edge) and are pushed down
    // when they would overlap a label already placed close by.
    points.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut placed: Vec<(f64, f64, f64)> = Vec::new();
    for p in &points {
        let width = p.label.chars().count() as f64 * 6.8;
        let right = p.x + 10.0 + width < W - 4.0;
        let lx = if right {
            p.x + 10.0
        } else {
            p.x - 10.0 - width
        };
        let mut ly = p.y + 4.0;
        while placed
            .iter()
            .any(|(x, y, w)| (ly - y).abs() < LABEL_GAP && lx < x + w && x < &(lx + width))
        {
            ly += LABEL_GAP;
        }
        placed.push((lx, ly, width));
        let mark = if p.critical {
            format!(
                r##"<path d="M{x} {}L{} {y}L{x} {}L{} {y}z" fill="#b91c1c" stroke="#fff" stroke-width="1.5"/>"##,
                p.y - 8.0,
                p.x + 8.0,
                p.y + 8.0,
                p.x - 8.0,
                x = p.x,
                y = p.y
            )
        } else {
            format!(
                r##"<circle cx="{}" cy="{}" r="6" fill="#1d4ed8" stroke="#fff" stroke-width="1.5"/>"##,
                p.x, p.y
            )
        };
        let _ = write!(
            s,
            r##"<g><title>{}</title>{mark}<text x="{lx}" y="{ly}" font-size="12" fill="#0f172a" stroke="#fff" stroke-width="3" paint-order="stroke">{}</text></g>"##,
            escape(&p.title),
            escape(&p.label)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::analysis::texts::analysis_texts;
    use touchpoint_core::{
        analytics::{Importance, ImportanceMethod, IpaPoint, Quadrant},
        feedback::Estimate,
    };

    fn point(position: i32, name: &str, perf: f64, imp: f64, q: Quadrant) -> IpaPoint {
        IpaPoint {
            key: format!("m{position}"),
            position,
            name: name.into(),
            critical: position == 1,
            performance: Some(Estimate {
                value: perf,
                low: perf - 5.0,
                high: perf + 5.0,
                n: 40,
            }),
            importance: Some(Importance {
                value: imp,
                low: None,
                high: None,
                n: 40,
                method: ImportanceMethod::PearsonOverallCsat,
            }),
            quadrant: Some(q),
        }
    }

    #[test]
    fn points_are_labelled_and_quadrants_named() {
        let ipa = Ipa {
            performance_split: Some(60.0),
            importance_split: Some(0.4),
            points: vec![
                point(1, "Wait <turn>", 30.0, 0.7, Quadrant::ConcentrateHere),
                point(2, "Get paid", 90.0, -0.2, Quadrant::PossibleOverkill),
                IpaPoint {
                    performance: None,
                    ..point(3, "Nothing", 0.0, 0.0, Quadrant::LowPriority)
                },
            ],
        };
        let svg = render(analysis_texts(crate::i18n::Lang::En), "IPA", &ipa);
        assert!(svg.contains("1. Wait &lt;turn&gt;") && svg.contains("2. Get paid"));
        assert!(!svg.contains("3. Nothing"), "unplotted points are left out");
        for name in [
            "Concentrate here",
            "Keep up the good work",
            "Low priority",
            "Possible overkill",
        ] {
            assert!(svg.contains(name), "{name}");
        }
        assert!(svg.contains("<path d=\"M"), "critical points are diamonds");
        assert!(
            svg.contains(">-0.2<"),
            "the axis reaches the negative correlation"
        );
    }
}
