//! The whole cycle report as one long-format CSV table, so a spreadsheet or a script can pivot
//! any section without parsing several files:
//!
//! `section,moment_position,moment_key,moment_name,item,figure,value,low,high,n`
//!
//! * `section` — `report` (what the table covers), `scorecard`, `priorities`, `ipa`,
//!   `consistency`, `gaps`, `complaints`, `complaint_estimates`, `action_plans`.
//! * `moment_*` — the moment of the current cycle a row is about; empty for rows about the
//!   whole service (gaps, Pareto causes, plan verdicts).
//! * `item` — what within the moment or section: empty for the figure itself, `previous`,
//!   `difference`, `p_value`, `direction` or `test` for a scorecard trend, a factor for a
//!   priority's contribution, and paths such as `site/norte`, `dimension/responsiveness`,
//!   `item/prompt_service`, `cause/Long queue`, `staff/12` or `plan/3`.
//! * `figure` — which number (`csat`, `nps`, `points`, `count`, `kept_percent`…).
//! * `value` — the number at full precision (or a word: a status, quadrant, verdict, test,
//!   date); `low`/`high` its 95% interval and `n` what it rests on, when it has them.
//!
//! Language-neutral on purpose: keys and codes, never translated labels.
use super::CycleReport;
use crate::error::AppError;
use touchpoint_core::{
    analytics::{DimensionGap, Figure, Gap, MomentScore},
    feedback::Estimate,
    improvement::{Count, PromiseRate},
};

pub const HEADER: [&str; 10] = [
    "section",
    "moment_position",
    "moment_key",
    "moment_name",
    "item",
    "figure",
    "value",
    "low",
    "high",
    "n",
];

/// The moment a row is about: (position, key, name).
type MomentCols<'a> = Option<(i32, &'a str, &'a str)>;

struct Table<'a> {
    report: &'a CycleReport,
    rows: Vec<[String; 10]>,
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

impl<'a> Table<'a> {
    /// The moment of the current cycle with this key, for the moment columns.
    fn moment(&self, key: &str) -> MomentCols<'a> {
        let cycle = self.report.cycle.as_ref()?;
        cycle
            .moments
            .iter()
            .find(|m| m.key == key)
            .map(|m| (m.position, m.key.as_str(), m.name.as_str()))
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        section: &str,
        m: MomentCols<'_>,
        item: &str,
        figure: &str,
        value: String,
        low: Option<f64>,
        high: Option<f64>,
        n: Option<u64>,
    ) {
        let (position, key, name) = match m {
            Some((p, k, n)) => (p.to_string(), k.to_string(), n.to_string()),
            None => Default::default(),
        };
        self.rows.push([
            section.to_string(),
            position,
            key,
            name,
            item.to_string(),
            figure.to_string(),
            value,
            opt(low),
            opt(high),
            opt(n),
        ]);
    }

    fn value(&mut self, section: &str, m: MomentCols<'_>, item: &str, figure: &str, v: String) {
        self.row(section, m, item, figure, v, None, None, None);
    }

    fn estimate(
        &mut self,
        section: &str,
        m: MomentCols<'_>,
        item: &str,
        figure: &str,
        e: &Estimate,
    ) {
        self.row(
            section,
            m,
            item,
            figure,
            e.value.to_string(),
            Some(e.low),
            Some(e.high),
            Some(e.n),
        );
    }

    fn meta(&mut self) {
        let r = self.report;
        let facts = [
            ("organisation", r.organisation.clone().unwrap_or_default()),
            ("service_key", r.service.key.clone()),
            ("service_name", r.service.name.clone()),
            ("cycle_version", opt(r.cycle.as_ref().map(|c| c.version))),
            ("period_from", r.period.from.to_string()),
            ("period_to", r.period.to.to_string()),
            ("previous_from", r.previous_period.from.to_string()),
            ("previous_to", r.previous_period.to.to_string()),
            ("site", opt(r.site.as_ref().map(|s| s.key.clone()))),
            ("generated_at", r.generated_at.to_rfc3339()),
        ];
        for (figure, v) in facts {
            self.value("report", None, "", figure, v);
        }
    }

    fn figure(&mut self, m: MomentCols<'_>, name: &str, f: &Figure) {
        const S: &str = "scorecard";
        self.estimate(S, m, "", name, &f.current);
        if let Some(t) = &f.trend {
            self.estimate(S, m, "previous", name, &t.previous);
            self.value(S, m, "difference", name, t.difference.to_string());
            self.value(S, m, "p_value", name, t.p_value.to_string());
            self.value(S, m, "direction", name, t.direction.as_str().into());
            self.value(S, m, "test", name, t.test.as_str().into());
        }
    }

    fn scorecard_moment(&mut self, s: &MomentScore) {
        const S: &str = "scorecard";
        let m = Some((s.position, s.key.as_str(), s.name.as_str()));
        self.value(S, m, "", "status", s.status.as_str().into());
        self.value(S, m, "", "answers", s.answers.to_string());
        let figures = [
            ("rating_mean", &s.rating_mean),
            ("effort_mean", &s.effort_mean),
            ("csat", &s.csat),
            ("nps", &s.nps),
            ("compliance", &s.compliance),
            ("audit_score", &s.audit_score),
        ];
        for (name, f) in figures {
            if let Some(f) = f {
                self.figure(m, name, f);
            }
        }
        self.value(S, m, "", "compliments", s.compliments.to_string());
        self.value(
            S,
            m,
            "",
            "compliments_per_1000",
            opt(s.compliments_per_1000),
        );
        self.value(S, m, "", "complaints", opt(s.complaints));
        self.value(S, m, "", "complaints_per_1000", opt(s.complaints_per_1000));
    }

    fn scorecard(&mut self) {
        if let Some(card) = &self.report.scorecard {
            for s in &card.moments {
                self.scorecard_moment(s);
            }
        }
    }

    fn priorities(&mut self) {
        const S: &str = "priorities";
        let Some(p) = &self.report.priorities else {
            return;
        };
        for x in &p.moments {
            let m = Some((x.position, x.key.as_str(), x.name.as_str()));
            self.value(S, m, "", "rank", x.rank.to_string());
            self.value(S, m, "", "score", x.score.to_string());
            self.row(
                S,
                m,
                "",
                "performance",
                opt(x.performance),
                None,
                None,
                Some(x.answers),
            );
            for c in &x.contributions {
                let f = c.factor.as_str();
                self.value(S, m, f, "points", c.points.to_string());
                self.value(S, m, f, "raw", opt(c.raw));
                self.value(S, m, f, "normalised", c.normalised.to_string());
                self.value(S, m, f, "weight", c.weight.to_string());
            }
            if let Some(w) = x.worst_site {
                let item = format!("site/{}", self.report.site_key(w.site_id));
                let v = w.mean.to_string();
                self.row(S, m, &item, "worst_site_mean", v, None, None, Some(w.n));
            }
            self.value(S, m, "", "complaints", x.complaints.to_string());
        }
    }

    fn ipa(&mut self) {
        const S: &str = "ipa";
        let Some(ipa) = &self.report.ipa else { return };
        self.value(S, None, "", "performance_split", opt(ipa.performance_split));
        self.value(S, None, "", "importance_split", opt(ipa.importance_split));
        for p in &ipa.points {
            let m = Some((p.position, p.key.as_str(), p.name.as_str()));
            if let Some(e) = &p.performance {
                self.estimate(S, m, "", "performance", e);
            }
            if let Some(i) = &p.importance {
                let method = i.method.as_str();
                let v = i.value.to_string();
                self.row(S, m, method, "importance", v, i.low, i.high, Some(i.n));
            }
            self.value(S, m, "", "quadrant", opt(p.quadrant.map(|q| q.as_str())));
        }
    }

    fn consistency(&mut self) {
        const S: &str = "consistency";
        let Some(c) = &self.report.consistency else {
            return;
        };
        for x in &c.moments {
            let m = Some((x.position, x.key.as_str(), x.name.as_str()));
            self.row(S, m, "", "mean", opt(x.mean), None, None, Some(x.n));
            self.value(S, m, "", "site_sd", opt(x.site_spread.sd));
            self.value(S, m, "", "week_sd", opt(x.week_spread.sd));
            self.value(S, m, "", "staff_sd", opt(x.staff_spread.sd));
            let share = opt(x.share_sites_meeting_target);
            self.value(S, m, "", "share_sites_meeting_target", share);
            let flag = x.good_but_inconsistent.to_string();
            self.value(S, m, "", "good_but_inconsistent", flag);
            for s in &x.sites {
                let item = format!("site/{}", self.report.site_key(s.site_id));
                let v = s.mean.to_string();
                self.row(S, m, &item, "mean", v, None, None, Some(s.n));
            }
        }
    }

    fn gap(&mut self, item: &str, g: &Gap) {
        const S: &str = "gaps";
        self.row(
            S,
            None,
            item,
            "gap",
            g.value.to_string(),
            g.low,
            g.high,
            Some(g.n),
        );
        self.value(S, None, item, "expectation", g.expectation.to_string());
        self.value(S, None, item, "perception", g.perception.to_string());
    }

    fn dimensions(&mut self, prefix: &str, dims: &[DimensionGap]) {
        for d in dims {
            let item = format!("{prefix}dimension/{}", d.servqual.as_str());
            self.gap(&item, &d.gap);
            if let Some(i) = &d.importance {
                self.estimate("gaps", None, &item, "importance", i);
            }
        }
    }

    fn gaps(&mut self) {
        let Some(g) = &self.report.gaps else { return };
        for i in &g.items {
            self.gap(&format!("item/{}", i.code), &i.gap);
        }
        self.dimensions("", &g.dimensions);
        self.value("gaps", None, "overall", "unweighted", opt(g.unweighted));
        self.value("gaps", None, "overall", "weighted", opt(g.weighted));
        for s in &g.by_site {
            let prefix = format!("site/{}/", self.report.site_key(s.site_id));
            self.dimensions(&prefix, &s.dimensions);
            let site = prefix.trim_end_matches('/');
            self.value("gaps", None, site, "unweighted", opt(s.unweighted));
            self.value("gaps", None, site, "weighted", opt(s.weighted));
        }
    }

    fn counts(&mut self, kind: &str, counts: &[Count]) {
        const S: &str = "complaints";
        for c in counts {
            let key = c.key.as_deref().unwrap_or("not_recorded");
            let m = if kind == "moment" {
                self.moment(key)
            } else {
                None
            };
            let item = format!("{kind}/{key}");
            self.value(S, m, &item, "count", c.count.to_string());
            self.value(S, m, &item, "share", c.share.to_string());
        }
    }

    fn promises(&mut self, kind: &str, rates: &[PromiseRate]) {
        const S: &str = "complaints";
        for r in rates {
            let key = match (kind, r.key.as_deref()) {
                (_, None) => "not_recorded".to_string(),
                ("site", Some(id)) => id
                    .parse::<i64>()
                    .map_or(id.to_string(), |id| self.report.site_key(id)),
                (_, Some(k)) => k.to_string(),
            };
            let m = if kind == "moment" {
                self.moment(&key)
            } else {
                None
            };
            let item = if kind.is_empty() {
                "overall".to_string()
            } else {
                format!("{kind}/{key}")
            };
            self.value(S, m, &item, "kept", r.kept.to_string());
            self.value(S, m, &item, "broken", r.broken.to_string());
            if let Some(e) = &r.kept_percent {
                self.estimate(S, m, &item, "kept_percent", e);
            }
        }
    }

    fn complaints(&mut self) {
        const S: &str = "complaints";
        let a = &self.report.complaints;
        self.value(S, None, "", "total", a.complaints.to_string());
        self.counts("moment", &a.by_moment);
        self.counts("dimension", &a.by_dimension);
        let sites: Vec<Count> = a
            .by_site
            .iter()
            .map(|s| Count {
                key: s.site_id.map(|id| self.report.site_key(id)),
                count: s.count,
                share: s.share,
            })
            .collect();
        self.counts("site", &sites);
        for b in &a.pareto {
            let item = format!("cause/{}", b.cause);
            self.value(S, None, &item, "count", b.count.to_string());
            self.value(S, None, &item, "share", b.share.to_string());
            let cumulative = b.cumulative_share.to_string();
            self.value(S, None, &item, "cumulative_share", cumulative);
            self.value(S, None, &item, "vital_few", b.vital_few.to_string());
        }
        self.value(S, None, "", "cause_unknown", a.cause_unknown.to_string());
        self.promises("", std::slice::from_ref(&a.promises));
        self.promises("moment", &a.promises_by_moment);
        self.promises("site", &a.promises_by_site);
        self.promises("staff", &a.promises_by_assignee);

        const E: &str = "complaint_estimates";
        let e = &a.estimates;
        let estimates = [
            ("silent_dissatisfied", e.silent_dissatisfied),
            ("dissatisfied", e.dissatisfied),
            ("told_by_dissatisfied", e.told_by_dissatisfied),
            ("told_by_satisfied", e.told_by_satisfied),
            ("satisfied_complainants", e.satisfied_complainants as f64),
        ];
        for (figure, v) in estimates {
            self.value(E, None, "estimate", figure, v.to_string());
        }
        let s = &e.assumptions;
        let assumptions = [
            ("silent_per_complaint", s.silent_per_complaint),
            ("told_by_dissatisfied", s.told_by_dissatisfied),
            ("told_by_satisfied", s.told_by_satisfied),
        ];
        for (figure, v) in assumptions {
            self.value(E, None, "assumption", figure, v.to_string());
        }
    }

    fn plans(&mut self) {
        const S: &str = "action_plans";
        for o in &self.report.action_plans {
            let p = &o.plan;
            let item = format!("plan/{}", p.id);
            self.value(S, None, &item, "title", p.title.clone());
            self.value(S, None, &item, "status", p.status.as_str().into());
            self.value(S, None, &item, "start_date", p.start_date.to_string());
            self.value(S, None, &item, "due_date", p.due_date.to_string());
            self.value(S, None, &item, "judged_on", o.judged_on.to_string());
            let Some(ba) = &o.before_after else {
                self.value(S, None, &item, "verdict", String::new());
                continue;
            };
            self.value(S, None, &item, "verdict", ba.verdict.as_str().into());
            for mb in &ba.moments {
                let m = self.moment(&mb.moment_key);
                self.value(S, m, &item, "verdict", mb.verdict.as_str().into());
                for f in &mb.figures {
                    let kind = f.figure.as_str();
                    if let Some(e) = &f.before {
                        self.estimate(S, m, &item, &format!("{kind}_before"), e);
                    }
                    if let Some(e) = &f.after {
                        self.estimate(S, m, &item, &format!("{kind}_after"), e);
                    }
                    let d = opt(f.difference);
                    self.value(S, m, &item, &format!("{kind}_difference"), d);
                    let p = opt(f.p_value);
                    self.value(S, m, &item, &format!("{kind}_p_value"), p);
                    let v = f.verdict.as_str().into();
                    self.value(S, m, &item, &format!("{kind}_verdict"), v);
                }
            }
        }
    }
}

/// The report as CSV bytes (UTF-8, header first).
pub fn long_table(report: &CycleReport) -> Result<Vec<u8>, AppError> {
    let mut t = Table {
        report,
        rows: Vec::new(),
    };
    t.meta();
    t.scorecard();
    t.priorities();
    t.ipa();
    t.consistency();
    t.gaps();
    t.complaints();
    t.plans();
    let fail = |e: csv::Error| AppError::Internal(format!("report csv: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).map_err(fail)?;
    for mut r in t.rows {
        // Names, causes and titles are typed by people: never let a spreadsheet run one.
        r.iter_mut().for_each(crate::api::response_export::defuse);
        w.write_record(&r).map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(format!("report csv: {e}")))
}
