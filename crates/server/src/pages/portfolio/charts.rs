//! The portfolio's charts as server-rendered SVG: the Pareto chart of the ranking and the
//! statuses month by month. Text in them is escaped; sizes are in a viewBox so they scale to
//! the page and print sharp.
use crate::pages::journey_svg::escape;
use touchpoint_core::portfolio::{
    CustomerStatus, Money, RankedCustomer, RankedRow, money::format_percent,
};

/// Bars drawn before the rest are folded into one "others" bar.
pub const MAX_BARS: usize = 30;
const W: f64 = 760.0;
const H: f64 = 320.0;
const LEFT: f64 = 96.0;
const RIGHT: f64 = 48.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 96.0;

struct Bar {
    label: String,
    sales: i64,
    cumulative_hundredths: i64,
}

fn bars(top: &[RankedCustomer], rows: &[RankedRow], others: &str) -> Vec<Bar> {
    let mut out: Vec<Bar> = top
        .iter()
        .take(MAX_BARS)
        .map(|r| Bar {
            label: if r.name.is_empty() {
                r.reference.clone()
            } else {
                r.name.clone()
            },
            sales: r.sales.minor(),
            cumulative_hundredths: r.cumulative_hundredths,
        })
        .collect();
    if rows.len() > MAX_BARS {
        let rest: i64 = rows[MAX_BARS..].iter().map(|r| r.sales.minor()).sum();
        out.push(Bar {
            label: others.replace("{n}", &(rows.len() - MAX_BARS).to_string()),
            sales: rest,
            cumulative_hundredths: rows.last().map_or(0, |r| r.cumulative_hundredths),
        });
    }
    out
}

/// Bars of each customer's sales (highest first) and the cumulative-share line, with a dashed
/// line at `threshold` hundredths of a percent.
///
/// `top` is the first [`MAX_BARS`] rows with their names (each gets a bar), `rows` the whole
/// ranking (the rest are folded into one bar).
pub fn pareto(
    top: &[RankedCustomer],
    rows: &[RankedRow],
    threshold: i64,
    title: &str,
    others: &str,
) -> String {
    let bars = bars(top, rows, others);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let max = nice_ceiling(bars.iter().map(|b| b.sales).max().unwrap_or(0).max(1));
    let step = plot_w / bars.len().max(1) as f64;
    let y_pct = |h: i64| TOP + plot_h * (1.0 - h as f64 / 10_000.0);
    let mut s = format!(
        r#"<svg class="chart pareto" viewBox="0 0 {W} {H}" role="img" aria-labelledby="pareto-title" xmlns="http://www.w3.org/2000/svg"><title id="pareto-title">{}</title>"#,
        escape(title)
    );
    // Axes and gridlines at 0, 25, 50, 75, 100 % (right axis) and the sales scale (left).
    for q in 0..=4 {
        let y = TOP + plot_h * (1.0 - q as f64 / 4.0);
        s.push_str(&format!(
            r#"<line class="grid" x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text class="axis" x="{:.1}" y="{:.1}">{}%</text><text class="axis axis-left" x="{:.1}" y="{:.1}">{}</text>"#,
            W - RIGHT,
            W - RIGHT + 6.0,
            y + 4.0,
            q * 25,
            LEFT - 6.0,
            y + 4.0,
            escape(&Money::from_minor((max * q as f64 / 4.0).round() as i64).to_string()),
        ));
    }
    let mut line = String::new();
    for (i, b) in bars.iter().enumerate() {
        let x = LEFT + step * i as f64;
        let h = plot_h * (b.sales.max(0) as f64 / max);
        s.push_str(&format!(
            r#"<rect class="bar" x="{:.1}" y="{:.1}" width="{:.1}" height="{h:.1}"><title>{}: {}</title></rect>"#,
            x + step * 0.12,
            TOP + plot_h - h,
            step * 0.76,
            escape(&b.label),
            escape(&Money::from_minor(b.sales).to_string()),
        ));
        let cx = x + step / 2.0;
        let cy = y_pct(b.cumulative_hundredths);
        line.push_str(&format!("{}{cx:.1},{cy:.1}", if i == 0 { "" } else { " " }));
        s.push_str(&format!(
            r#"<circle class="point" cx="{cx:.1}" cy="{cy:.1}" r="3"><title>{}%</title></circle>"#,
            format_percent(b.cumulative_hundredths)
        ));
        let lx = cx;
        let ly = TOP + plot_h + 10.0;
        let mut label: String = b.label.chars().take(18).collect();
        if b.label.chars().count() > 18 {
            label.push('…');
        }
        s.push_str(&format!(
            r#"<text class="label label-end" transform="translate({lx:.1},{ly:.1}) rotate(-45)">{}</text>"#,
            escape(&label)
        ));
    }
    s.push_str(&format!(
        r#"<polyline class="cumulative" points="{line}"/>"#
    ));
    let ty = y_pct(threshold);
    s.push_str(&format!(
        r#"<line class="threshold" x1="{LEFT}" y1="{ty:.1}" x2="{:.1}" y2="{ty:.1}"/></svg>"#,
        W - RIGHT
    ));
    s
}

/// The smallest 1, 2, 2.5 or 5 × 10^k (in whole units, as ten-thousandths) at or above
/// `minor`, so the sales axis reads 0 / 7 500 / 15 000 rather than 0 / 7 500.75 / 15 001.5.
fn nice_ceiling(minor: i64) -> f64 {
    let units = (minor as f64 / 10_000.0).max(1.0);
    let magnitude = 10f64.powf(units.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|v| *v >= units)
        .unwrap_or(10.0 * magnitude);
    step * 10_000.0
}

/// One stacked bar per month: the share of customers in each status.
pub struct MonthBar {
    pub label: String,
    /// `(status, share in hundredths of a percent)`.
    pub shares: Vec<(CustomerStatus, i64)>,
}

pub fn status_class(s: CustomerStatus) -> &'static str {
    match s {
        CustomerStatus::Active => "st-active",
        CustomerStatus::Lost => "st-lost",
        CustomerStatus::Potential => "st-potential",
        CustomerStatus::Unknown => "st-unknown",
    }
}

pub fn statuses(
    months: &[MonthBar],
    title: &str,
    name: impl Fn(CustomerStatus) -> &'static str,
) -> String {
    let (w, h, left, bottom, top) = (760.0, 240.0, 40.0, 40.0, 12.0);
    let plot_h = h - bottom - top;
    let step = (w - left - 10.0) / months.len().max(1) as f64;
    let mut s = format!(
        r#"<svg class="chart statuses" viewBox="0 0 {w} {h}" role="img" aria-labelledby="statuses-title" xmlns="http://www.w3.org/2000/svg"><title id="statuses-title">{}</title>"#,
        escape(title)
    );
    for q in 0..=4 {
        let y = top + plot_h * (1.0 - q as f64 / 4.0);
        s.push_str(&format!(
            r#"<line class="grid" x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text class="axis axis-left" x="{:.1}" y="{:.1}">{}%</text>"#,
            w - 10.0,
            left - 4.0,
            y + 4.0,
            q * 25
        ));
    }
    for (i, m) in months.iter().enumerate() {
        let x = left + step * i as f64 + step * 0.15;
        let mut y = top + plot_h;
        for (status, share) in &m.shares {
            let bh = plot_h * (*share as f64 / 10_000.0);
            y -= bh;
            s.push_str(&format!(
                r#"<rect class="{}" x="{x:.1}" y="{y:.1}" width="{:.1}" height="{bh:.1}"><title>{} {}: {}%</title></rect>"#,
                status_class(*status),
                step * 0.7,
                escape(&m.label),
                name(*status),
                format_percent(*share)
            ));
        }
        s.push_str(&format!(
            r#"<text class="label label-center" x="{:.1}" y="{:.1}">{}</text>"#,
            x + step * 0.35,
            h - bottom + 16.0,
            escape(&m.label)
        ));
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use touchpoint_core::portfolio::{
        RankingSettings, rank,
        ranking::{CustomerIdentity, CustomerTotal},
    };

    fn total(id: i64, units: i64) -> CustomerTotal {
        CustomerTotal {
            customer_id: id,
            ref_order: id as u32,
            sales: Money::from_units(units),
        }
    }

    #[test]
    fn the_sales_axis_ends_on_a_round_number() {
        assert_eq!(nice_ceiling(30_003 * 10_000), 50_000.0 * 10_000.0);
        assert_eq!(nice_ceiling(20_500 * 10_000), 25_000.0 * 10_000.0);
        assert_eq!(nice_ceiling(9 * 10_000), 10.0 * 10_000.0);
        assert_eq!(nice_ceiling(1), 10_000.0);
    }

    #[test]
    fn names_are_escaped_and_the_tail_is_folded() {
        let totals: Vec<_> = (1..=40).map(|i| total(i, 100 - i)).collect();
        let r = rank(totals, &RankingSettings::default());
        let top: Vec<RankedCustomer> = r.rows[..MAX_BARS]
            .iter()
            .map(|row| {
                let name = if row.customer_id == 1 {
                    "<script>alert(1)</script>"
                } else {
                    "x"
                };
                let who = CustomerIdentity {
                    customer_id: row.customer_id,
                    reference: format!("C{}", row.customer_id),
                    name: name.into(),
                    status: CustomerStatus::Active,
                    segment: String::new(),
                    site_id: None,
                };
                RankedCustomer::new(row, who)
            })
            .collect();
        let svg = pareto(&top, &r.rows, 8000, "Pareto", "{n} others");
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("10 others"));
        assert_eq!(svg.matches("<rect class=\"bar\"").count(), 31);
    }
}
