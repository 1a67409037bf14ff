//! The Pareto chart of root causes as a server-rendered SVG: bars (complaints per cause,
//! largest first, left axis) and the cumulative % line (right axis) with its value at every
//! point, a dashed 80% line, and the "vital few" bars drawn solid while the rest are outlined
//! — so it reads in print and without colour. Causes beyond [`MAX_BARS`] are merged into one
//! last bar so labels stay legible; the table under the chart lists every cause.
use crate::pages::journey_svg::escape;
use std::fmt::Write;
use touchpoint_core::improvement::ParetoBar;

const W: f64 = 760.0;
const H: f64 = 400.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 56.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 50.0;
/// Most bars drawn; the rest become one "other causes" bar.
pub const MAX_BARS: usize = 10;
/// Most characters per label line under a bar (two lines at most).
const LABEL_CHARS: usize = 16;
/// Fewest characters per label line, however many bars share the width.
const MIN_LABEL_CHARS: usize = 6;
/// Width of an average character of the 11-unit label font, in chart units.
const LABEL_CHAR_WIDTH: f64 = 6.3;

/// What the chart draws for one bar.
struct Bar {
    label: String,
    count: u64,
    cumulative: f64,
    vital: bool,
}

fn bars(pareto: &[ParetoBar], others: &str) -> Vec<Bar> {
    let mut out: Vec<Bar> = pareto
        .iter()
        .take(if pareto.len() > MAX_BARS {
            MAX_BARS - 1
        } else {
            MAX_BARS
        })
        .map(|b| Bar {
            label: b.cause.clone(),
            count: b.count,
            cumulative: b.cumulative_share,
            vital: b.vital_few,
        })
        .collect();
    if pareto.len() > MAX_BARS {
        let rest = &pareto[MAX_BARS - 1..];
        out.push(Bar {
            label: others.replace("{n}", &rest.len().to_string()),
            count: rest.iter().map(|b| b.count).sum(),
            cumulative: 100.0,
            vital: false,
        });
    }
    out
}

/// Characters a label line may hold under a bar `slot` units wide, so that neighbouring
/// labels never run into each other (ten bars leave room for about nine).
fn label_chars(slot: f64) -> usize {
    ((slot - 6.0) / LABEL_CHAR_WIDTH)
        .floor()
        .clamp(MIN_LABEL_CHARS as f64, LABEL_CHARS as f64) as usize
}

/// Up to two lines of at most `max` characters, broken at spaces, "…" when cut.
fn label_lines(label: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in label.split_whitespace() {
        let last = lines.last_mut().expect("one line");
        if last.is_empty() {
            last.push_str(word);
        } else if last.chars().count() + 1 + word.chars().count() <= max {
            last.push(' ');
            last.push_str(word);
        } else {
            lines.push(word.to_string());
        }
    }
    let cut = lines.len() > 2;
    lines.truncate(2);
    for (i, line) in lines.iter_mut().enumerate() {
        let too_long = line.chars().count() > max;
        if too_long || (cut && i == 1) {
            let kept: String = line.chars().take(max - 1).collect();
            *line = format!("{}…", kept.trim_end());
        }
    }
    lines
}

/// Texts the chart needs, in the page's language.
pub struct ParetoLabels<'a> {
    pub title: &'a str,
    pub complaints_axis: &'a str,
    pub cumulative_axis: &'a str,
    pub others: &'a str,
    /// Formats a percentage for the reader's language.
    pub percent: &'a dyn Fn(f64) -> String,
}

pub fn render(pareto: &[ParetoBar], l: &ParetoLabels<'_>) -> String {
    let bars = bars(pareto, l.others);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="pareto-svg" viewBox="0 0 {W} {H}" role="img" aria-labelledby="pareto-title" xmlns="http://www.w3.org/2000/svg"><title id="pareto-title">{}</title>"#,
        escape(l.title)
    );
    let (x0, x1, y0, y1) = (LEFT, W - RIGHT, H - BOTTOM, TOP);
    let max = bars.iter().map(|b| b.count).max().unwrap_or(1).max(1);
    // Whole-number ticks on the count axis, at most five steps.
    let step = (max as f64 / 5.0).ceil().max(1.0) as u64;
    let top = max.div_ceil(step) * step;
    let y_count = |c: f64| y0 - (y0 - y1) * c / top as f64;
    let y_pct = |p: f64| y0 - (y0 - y1) * p / 100.0;

    // Axes, gridlines and ticks.
    let _ = write!(
        s,
        r##"<g class="pareto-axes" font-size="12" fill="#334155"><line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="#334155"/><line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="#334155"/><line x1="{x1}" y1="{y0}" x2="{x1}" y2="{y1}" stroke="#334155"/>"##
    );
    let mut tick = 0;
    while tick <= top {
        let y = y_count(tick as f64);
        let _ = write!(
            s,
            r##"<line x1="{x0}" y1="{y:.1}" x2="{x1}" y2="{y:.1}" stroke="#e2e8f0"/><text x="{:.1}" y="{:.1}" text-anchor="end">{tick}</text>"##,
            x0 - 6.0,
            y + 4.0
        );
        tick += step;
    }
    for p in [0.0, 20.0, 40.0, 60.0, 80.0, 100.0] {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}">{}</text>"#,
            x1 + 6.0,
            y_pct(p) + 4.0,
            escape(&(l.percent)(p))
        );
    }
    let _ = write!(
        s,
        r#"<text transform="translate(14 {:.1}) rotate(-90)" text-anchor="middle">{}</text><text transform="translate({:.1} {:.1}) rotate(90)" text-anchor="middle">{}</text></g>"#,
        (y0 + y1) / 2.0,
        escape(l.complaints_axis),
        W - 10.0,
        (y0 + y1) / 2.0,
        escape(l.cumulative_axis)
    );
    // The 80% line the vital few reach.
    let y80 = y_pct(80.0);
    let _ = write!(
        s,
        r##"<line class="pareto-80" x1="{x0}" y1="{y80:.1}" x2="{x1}" y2="{y80:.1}" stroke="#64748b" stroke-dasharray="6 4"/>"##
    );
    if bars.is_empty() {
        s.push_str("</svg>");
        return s;
    }

    let slot = (x1 - x0) / bars.len() as f64;
    let width = (slot * 0.62).min(64.0);
    let chars = label_chars(slot);
    let mut points = Vec::new();
    for (i, b) in bars.iter().enumerate() {
        let cx = x0 + slot * (i as f64 + 0.5);
        let y = y_count(b.count as f64);
        let (fill, stroke, ink) = if b.vital {
            ("#1d4ed8", "#1e3a8a", "#ffffff")
        } else {
            ("#ffffff", "#1d4ed8", "#1e3a8a")
        };
        let _ = write!(
            s,
            r##"<g class="pareto-bar"><title>{}: {} ({})</title><rect x="{:.1}" y="{y:.1}" width="{width:.1}" height="{:.1}" fill="{fill}" stroke="{stroke}" stroke-width="2"/><text x="{cx:.1}" y="{:.1}" text-anchor="middle" font-size="13" font-weight="700" fill="{ink}">{}</text>"##,
            escape(&b.label),
            b.count,
            escape(&(l.percent)(b.cumulative)),
            cx - width / 2.0,
            (y0 - y).max(0.0),
            // Inside the top of the bar, so the cumulative line above never covers it.
            (y + 17.0).min(y0 - 4.0),
            b.count
        );
        for (j, line) in label_lines(&b.label, chars).iter().enumerate() {
            let _ = write!(
                s,
                r##"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="#334155">{}</text>"##,
                y0 + 16.0 + 13.0 * j as f64,
                escape(line)
            );
        }
        s.push_str("</g>");
        points.push((cx, y_pct(b.cumulative), b.cumulative));
    }
    let path: Vec<String> = points
        .iter()
        .map(|(x, y, _)| format!("{x:.1},{y:.1}"))
        .collect();
    let _ = write!(
        s,
        r##"<g class="pareto-line"><polyline points="{}" fill="none" stroke="#b91c1c" stroke-width="2.5"/>"##,
        path.join(" ")
    );
    for (x, y, p) in &points {
        let _ = write!(
            s,
            r##"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="#b91c1c"/><text x="{:.1}" y="{:.1}" font-size="12" font-weight="600" fill="#7f1d1d" stroke="#ffffff" stroke-width="3" paint-order="stroke" text-anchor="start">{}</text>"##,
            x - 4.0,
            y - 4.0,
            x + 7.0,
            y - 7.0,
            escape(&(l.percent)(*p))
        );
    }
    s.push_str("</g></svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(cause: &str, count: u64, cumulative: f64, vital: bool) -> ParetoBar {
        ParetoBar {
            cause: cause.into(),
            count,
            share: 0.0,
            cumulative_share: cumulative,
            vital_few: vital,
        }
    }

    fn labels<'a>(percent: &'a dyn Fn(f64) -> String) -> ParetoLabels<'a> {
        ParetoLabels {
            title: "Causes <b>",
            complaints_axis: "Complaints",
            cumulative_axis: "Cumulative %",
            others: "{n} other causes",
            percent,
        }
    }

    #[test]
    fn labels_wrap_on_two_lines_and_are_cut_with_an_ellipsis() {
        assert_eq!(
            label_lines("Too few cashiers at lunchtime", LABEL_CHARS),
            ["Too few cashiers", "at lunchtime"]
        );
        assert_eq!(
            label_lines("Queue numbers are never called out loud", LABEL_CHARS),
            ["Queue numbers", "are never calle…"]
        );
        assert_eq!(
            label_lines("Supercalifragilisticexpialidocious", LABEL_CHARS),
            ["Supercalifragil…"]
        );
        assert_eq!(
            label_lines("Too few cashiers at lunchtime", 9),
            ["Too few", "cashiers…"]
        );
    }

    #[test]
    fn labels_narrow_as_bars_crowd_so_they_never_overlap() {
        let plot = W - LEFT - RIGHT;
        for n in 1..=MAX_BARS {
            let slot = plot / n as f64;
            let chars = label_chars(slot);
            assert!(
                chars as f64 * LABEL_CHAR_WIDTH <= slot - 6.0 || chars == MIN_LABEL_CHARS,
                "{n} bars: {chars} characters in {slot:.1} units"
            );
        }
        assert_eq!(
            label_chars(plot / 4.0),
            LABEL_CHARS,
            "few bars keep long labels"
        );
        assert_eq!(label_chars(plot / MAX_BARS as f64), 9);
    }

    #[test]
    fn the_chart_escapes_text_and_merges_the_tail() {
        let pct = |p: f64| format!("{p:.0}%");
        let many: Vec<ParetoBar> = (0..12)
            .map(|i| bar(&format!("<cause {i}>"), 12 - i, (i + 1) as f64 * 8.0, i < 3))
            .collect();
        let svg = render(&many, &labels(&pct));
        assert!(svg.contains("Causes &lt;b&gt;") && !svg.contains("<cause"));
        assert_eq!(svg.matches(r#"<g class="pareto-bar">"#).count(), MAX_BARS);
        assert!(svg.contains("3 other causes"), "{svg}");
        assert_eq!(
            svg.matches(r##"fill="#1d4ed8" stroke="#1e3a8a""##).count(),
            3,
            "vital few solid"
        );
        let empty = render(&[], &labels(&pct));
        assert!(empty.ends_with("</svg>") && !empty.contains("pareto-bar"));
    }
}
