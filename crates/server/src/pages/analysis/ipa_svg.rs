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

/// An axis zoomed to the values it must show (points and split) with a margin, rounded to
/// its tick step and kept inside `[lo, hi]`: clustered moments stay readable.
#[derive(Clone, Copy)]
struct Axis {
    from: f64,
    to: f64,
    step: f64,
}

fn axis(values: &[f64], margin: f64, (lo, hi): (f64, f64), min_span: f64, fine: f64) -> Axis {
    let (min, max) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    if !min.is_finite() {
        return Axis {
            from: lo,
            to: hi,
            step: (hi - lo) / 5.0,
        };
    }
    let mut from = (((min - margin) / fine).floor() * fine).max(lo);
    let mut to = (((max + margin) / fine).ceil() * fine).min(hi);
    if to - from < min_span {
        let grow = (min_span - (to - from)) / 2.0;
        from = (from - grow).max(lo);
        to = (from + min_span).min(hi);
        from = from.min(to - min_span);
    }
    let step = if to - from > 6.0 * fine {
        2.0 * fine
    } else {
        fine
    };
    Axis { from, to, step }
}

pub fn render(t: &AnalysisTexts, title: &str, ipa: &Ipa) -> String {
    let both: Vec<(f64, f64)> = ipa
        .points
        .iter()
        .filter_map(|p| Some((p.performance?.value, p.importance?.value)))
        .collect();
    let mut xs: Vec<f64> = both.iter().map(|b| b.0).collect();
    let mut ys: Vec<f64> = both.iter().map(|b| b.1).collect();
    xs.extend(ipa.performance_split);
    ys.extend(ipa.importance_split);
    let ax = axis(&xs, 5.0, (0.0, 100.0), 20.0, 10.0);
    let ay = axis(&ys, 0.05, (-1.0, 1.0), 0.2, 0.1);
    let (pw, ph) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let sx = |v: f64| LEFT + (v.clamp(ax.from, ax.to) - ax.from) / (ax.to - ax.from) * pw;
    let sy = |v: f64| TOP + (1.0 - (v.clamp(ay.from, ay.to) - ay.from) / (ay.to - ay.from)) * ph;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="ipa-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-labelledby="ipa-title"><title id="ipa-title">{}</title><rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="#fff" stroke="#94a3b8"/>"##,
        escape(title)
    );
    let ticks = |a: Axis| {
        let n = ((a.to - a.from) / a.step).round() as i32;
        (0..=n).map(move |k| {
            let v = a.from + f64::from(k) * a.step;
            // No "-0.0" tick from rounding dust.
            if v.abs() < 1e-9 { 0.0 } else { v }
        })
    };
    for v in ticks(ax) {
        let x = sx(v);
        let _ = write!(
            s,
            r##"<line x1="{x}" y1="{TOP}" x2="{x}" y2="{}" stroke="#e2e8f0"/><text x="{x}" y="{}" text-anchor="middle" font-size="12" fill="#334155">{}</text>"##,
            TOP + ph,
            TOP + ph + 18.0,
            t.num(v, 0)
        );
    }
    for v in ticks(ay) {
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
    // Each label tries the right of its point, then the left, then rows above and below,
    // and takes the first place that overlaps no label already placed; a displaced label
    // gets a thin leader line back to its point.
    points.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut placed: Vec<(f64, f64, f64)> = Vec::new();
    for p in &points {
        let width = p.label.chars().count() as f64 * 6.8;
        let fits_right = p.x + 10.0 + width < W - 4.0;
        let fits_left = p.x - 10.0 - width > 4.0;
        let free = |lx: f64, ly: f64| {
            !placed
                .iter()
                .any(|(x, y, w)| (ly - y).abs() < LABEL_GAP && lx < x + w && *x < lx + width)
        };
        let candidates = (0..12).flat_map(|k: i32| {
            let dy = f64::from((k + 1) / 2) * LABEL_GAP * if k % 2 == 0 { 1.0 } else { -1.0 };
            [(true, dy), (false, dy)]
        });
        let (lx, ly) = candidates
            .filter(|(right, _)| if *right { fits_right } else { fits_left })
            .map(|(right, dy)| {
                let lx = if right {
                    p.x + 10.0
                } else {
                    p.x - 10.0 - width
                };
                (lx, (p.y + 4.0 + dy).clamp(TOP + 12.0, TOP + ph - 4.0))
            })
            .find(|(lx, ly)| free(*lx, *ly))
            .unwrap_or((p.x + 10.0, p.y + 4.0));
        placed.push((lx, ly, width));
        if (ly - p.y - 4.0).abs() > 1.0 {
            let end = if lx > p.x { lx - 2.0 } else { lx + width + 2.0 };
            let _ = write!(
                s,
                r##"<line x1="{}" y1="{}" x2="{end}" y2="{}" stroke="#94a3b8"/>"##,
                p.x,
                p.y,
                ly - 4.0
            );
        }
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
            svg.contains(">-0.3<"),
            "the axis reaches the negative correlation"
        );
    }
}
