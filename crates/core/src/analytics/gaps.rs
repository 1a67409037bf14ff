//! SERVQUAL gaps (perception − expectation, both 1–7) per item and per SERVQUAL dimension,
//! overall and per site, from the roll-ups of the servqual parts.
//!
//! * Item gap = mean perception − mean expectation (exact from the roll-ups' sums); n = the
//!   pairs answered.
//! * Interval: roll-ups keep each part's sum of squares but not their cross products, so the
//!   variance of the paired difference is unknown. The interval uses its upper bound,
//!   Var(P − E) ≤ (s_P + s_E)² (Cauchy–Schwarz): a **conservative** 95% t interval, never
//!   narrower than the truth. It needs two pairs or more.
//! * Dimension gap = mean of its items' gaps (each item counts once, as in SERVQUAL); its
//!   conservative standard error is the mean of the items' standard errors.
//! * Stated importance: a **rating question with a quality dimension and no moment** (e.g.
//!   "How important is it to you that staff are courteous?", 1–5) is read as the importance
//!   the respondent gives that dimension's SERVQUAL group. The weighted gap is
//!   Σ importance_d × gap_d / Σ importance_d over the dimensions that have both.
use crate::{
    dimension::{Servqual, default_dimensions},
    feedback::{
        Estimate, Moments, QuestionKind, Scale,
        records::{RollupPart, RollupRow, SurveyVersion},
        stats,
    },
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// What the gap analysis needs to know about a survey question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GapQuestion {
    /// A servqual item; its dimension key when it has one.
    Item { dimension: Option<String> },
    /// A stated importance of a quality dimension (rating, dimension, no moment).
    Importance { dimension: String },
}

/// (survey id, question code) → role in the gap analysis; the newest version wins.
pub type GapQuestions = HashMap<(i64, String), GapQuestion>;

pub fn gap_questions(versions: &[SurveyVersion]) -> GapQuestions {
    let mut sorted: Vec<&SurveyVersion> = versions.iter().collect();
    sorted.sort_by_key(|v| (v.survey_id, v.version));
    let mut out = GapQuestions::new();
    for v in sorted {
        for q in &v.definition.questions {
            let role = match (q.kind, &q.dimension, &q.moment_key) {
                (QuestionKind::Servqual, d, _) => Some(GapQuestion::Item {
                    dimension: d.clone(),
                }),
                (QuestionKind::Rating, Some(d), None) => Some(GapQuestion::Importance {
                    dimension: d.clone(),
                }),
                _ => None,
            };
            let k = (v.survey_id, q.code.clone());
            match role {
                Some(r) => out.insert(k, r),
                None => out.remove(&k),
            };
        }
    }
    out
}

fn group_of(dimension: &str) -> Option<Servqual> {
    default_dimensions()
        .into_iter()
        .find(|d| d.key == dimension)
        .map(|d| d.servqual)
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Gap {
    /// Mean gap, −6…6 (negative: service falls short of expectations).
    pub value: f64,
    /// Conservative 95% interval; `None` below two pairs.
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub n: u64,
    pub expectation: f64,
    pub perception: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ItemGap {
    pub code: String,
    pub dimension: Option<String>,
    pub servqual: Option<Servqual>,
    pub gap: Gap,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DimensionGap {
    pub servqual: Servqual,
    pub items: usize,
    pub gap: Gap,
    /// Mean stated importance (1–5), when the survey asks it.
    pub importance: Option<Estimate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SiteGaps {
    pub site_id: i64,
    pub dimensions: Vec<DimensionGap>,
    pub unweighted: Option<f64>,
    pub weighted: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GapReport {
    /// Every answered item, by code.
    pub items: Vec<ItemGap>,
    /// In SERVQUAL order: tangibles, reliability, responsiveness, assurance, empathy.
    pub dimensions: Vec<DimensionGap>,
    /// Mean of the dimension gaps.
    pub unweighted: Option<f64>,
    /// Weighted by stated importance; `None` when no importance was asked.
    pub weighted: Option<f64>,
    pub by_site: Vec<SiteGaps>,
}

const GAP_SCALE: Scale = stats::GAP_SCALE;
const RATING: Scale = Scale { min: 1, max: 5 };

#[derive(Default)]
struct PartSums {
    expectation: Moments,
    perception: Moments,
}

fn moments(r: &RollupRow) -> Moments {
    Moments {
        count: r.count.max(0) as u64,
        sum: r.sum as f64,
        sum_sq: r.sum_sq as f64,
    }
}

fn item_gap(p: &PartSums) -> Option<(Gap, Option<f64>)> {
    let (e, q) = (p.expectation.mean()?, p.perception.mean()?);
    let n = p.expectation.count.min(p.perception.count);
    let value = q - e;
    let se = match (p.expectation.variance(), p.perception.variance()) {
        (Some(ve), Some(vp)) if n > 1 => Some((ve.sqrt() + vp.sqrt()) / (n as f64).sqrt()),
        _ => None,
    };
    let half = se.map(|s| stats::t95(n - 1) * s);
    let (lo, hi) = (f64::from(GAP_SCALE.min), f64::from(GAP_SCALE.max));
    let gap = Gap {
        value,
        low: half.map(|h| (value - h).clamp(lo, hi).min(value)),
        high: half.map(|h| (value + h).clamp(lo, hi).max(value)),
        n,
        expectation: e,
        perception: q,
    };
    Some((gap, se))
}

/// The report of one set of rows (all sites, or one site's rows).
struct Tally {
    items: BTreeMap<String, (Option<String>, PartSums)>,
    importance: HashMap<Servqual, Moments>,
}

fn tally<'a>(rows: impl Iterator<Item = &'a RollupRow>, questions: &GapQuestions) -> Tally {
    let mut t = Tally {
        items: BTreeMap::new(),
        importance: HashMap::new(),
    };
    for r in rows {
        match questions.get(&(r.survey_id, r.question_code.clone())) {
            Some(GapQuestion::Item { dimension }) => {
                let (_, sums) = t
                    .items
                    .entry(r.question_code.clone())
                    .or_insert_with(|| (dimension.clone(), PartSums::default()));
                match r.part {
                    RollupPart::Expectation => sums.expectation.merge(&moments(r)),
                    RollupPart::Perception => sums.perception.merge(&moments(r)),
                    RollupPart::Score => {}
                }
            }
            Some(GapQuestion::Importance { dimension }) if r.part == RollupPart::Score => {
                if let Some(g) = group_of(dimension) {
                    t.importance.entry(g).or_default().merge(&moments(r));
                }
            }
            _ => {}
        }
    }
    t
}

const GROUPS: [Servqual; 5] = [
    Servqual::Tangibles,
    Servqual::Reliability,
    Servqual::Responsiveness,
    Servqual::Assurance,
    Servqual::Empathy,
];

fn summarise(t: &Tally) -> (Vec<ItemGap>, Vec<DimensionGap>, Option<f64>, Option<f64>) {
    let mut items = Vec::new();
    let mut per_group: HashMap<Servqual, Vec<(Gap, Option<f64>)>> = HashMap::new();
    for (code, (dimension, sums)) in &t.items {
        let Some((gap, se)) = item_gap(sums) else {
            continue;
        };
        let servqual = dimension.as_deref().and_then(group_of);
        if let Some(g) = servqual {
            per_group.entry(g).or_default().push((gap, se));
        }
        items.push(ItemGap {
            code: code.clone(),
            dimension: dimension.clone(),
            servqual,
            gap,
        });
    }
    let dims: Vec<DimensionGap> = GROUPS
        .iter()
        .filter_map(|g| {
            let gaps = per_group.get(g)?;
            let k = gaps.len() as f64;
            let avg = |f: fn(&Gap) -> f64| gaps.iter().map(|(x, _)| f(x)).sum::<f64>() / k;
            let value = avg(|x| x.value);
            let se: Option<f64> = gaps.iter().map(|(_, s)| *s).sum::<Option<f64>>();
            let n = gaps.iter().map(|(x, _)| x.n).min().unwrap_or(0);
            let half = se.map(|s| stats::t95(n.saturating_sub(1)) * s / k);
            Some(DimensionGap {
                servqual: *g,
                items: gaps.len(),
                gap: Gap {
                    value,
                    low: half.map(|h| (value - h).max(f64::from(GAP_SCALE.min))),
                    high: half.map(|h| (value + h).min(f64::from(GAP_SCALE.max))),
                    n,
                    expectation: avg(|x| x.expectation),
                    perception: avg(|x| x.perception),
                },
                importance: t.importance.get(g).and_then(|m| stats::mean(m, RATING)),
            })
        })
        .collect();
    let unweighted = (!dims.is_empty())
        .then(|| dims.iter().map(|d| d.gap.value).sum::<f64>() / dims.len() as f64);
    let weighted_pairs: Vec<(f64, f64)> = dims
        .iter()
        .filter_map(|d| Some((d.importance?.value, d.gap.value)))
        .collect();
    let weight: f64 = weighted_pairs.iter().map(|(w, _)| w).sum();
    let weighted =
        (weight > 0.0).then(|| weighted_pairs.iter().map(|(w, g)| w * g).sum::<f64>() / weight);
    (items, dims, unweighted, weighted)
}

/// The gap report of the period's roll-up rows (the caller has already filtered by site and
/// period).
pub fn gaps(rows: &[RollupRow], questions: &GapQuestions) -> GapReport {
    let (items, dimensions, unweighted, weighted) = summarise(&tally(rows.iter(), questions));
    let mut sites: Vec<i64> = rows.iter().filter_map(|r| r.site_id).collect();
    sites.sort_unstable();
    sites.dedup();
    let by_site = sites
        .into_iter()
        .filter_map(|site| {
            let t = tally(rows.iter().filter(|r| r.site_id == Some(site)), questions);
            let (_, dimensions, unweighted, weighted) = summarise(&t);
            (!dimensions.is_empty()).then_some(SiteGaps {
                site_id: site,
                dimensions,
                unweighted,
                weighted,
            })
        })
        .collect();
    GapReport {
        items,
        dimensions,
        unweighted,
        weighted,
        by_site,
    }
}
