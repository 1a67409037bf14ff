//! Daily roll-ups of scores: aggregated in memory per key, then upserted once per key in the
//! transaction that writes the responses, so dashboards are exact without reading raw rows.
use crate::{errors::Db, feedback_rows as rows};
use chrono::NaiveDate;
use sqlx::{PgPool, Postgres, QueryBuilder, postgres::PgArguments, query::Query};
use std::{collections::BTreeMap, sync::LazyLock};
use touchpoint_core::{
    StoreResult, ValidationErrors,
    feedback::{
        AnswerValue,
        records::{NewResponse, ResponseRecord, RollupPart, RollupQuery, RollupRow, StoredAnswer},
    },
};

/// Highest score a histogram holds (NPS goes up to 10).
const MAX_SCORE: i32 = 10;

/// One roll-up row's key. `moment_id` and `site_id` are 0 when absent. Ordered, so every
/// transaction upserts keys in the same order and concurrent writers cannot deadlock.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    survey_id: i64,
    question_code: String,
    part: &'static str,
    moment_id: i64,
    site_id: i64,
    /// 0 in the per-site map.
    staff_id: i64,
    day: NaiveDate,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Acc {
    count: i64,
    sum: i64,
    sum_sq: i64,
    histogram: [i64; 11],
}

/// Roll-up increments of a set of responses: per site (staff members summed), and per staff
/// member for the responses that name one.
#[derive(Debug, Default)]
pub(crate) struct Rollups {
    site: BTreeMap<Key, Acc>,
    staff: BTreeMap<Key, Acc>,
}

/// `Invalid` if a score cannot be rolled up (outside 0..=10); validation upstream keeps
/// scores inside their question's scale, so this only guards the histogram.
pub(crate) fn check_scores(r: &NewResponse) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    for (i, a) in r.answers.iter().enumerate() {
        let scores = match a.value {
            AnswerValue::Score(s) => vec![s],
            AnswerValue::Servqual {
                expectation,
                perception,
            } => vec![expectation, perception],
            _ => continue,
        };
        if scores.iter().any(|s| !(0..=MAX_SCORE).contains(s)) {
            errors.push(
                format!("answers[{i}].value"),
                format!("scores must be between 0 and {MAX_SCORE}"),
            );
        }
    }
    errors.into_result(())
}

impl Rollups {
    /// Add `r`'s scores: one row per score, two per servqual pair, none for other answers.
    /// The day is the UTC date of `submitted_at`. Call only after [`check_scores`].
    pub(crate) fn add(&mut self, r: &NewResponse) {
        self.add_answers(
            r.survey_id,
            r.submitted_at.date_naive(),
            r.site_id,
            r.staff_id,
            &r.answers,
        );
    }

    /// Add the scores of one stored response (the rebuild reads them back).
    pub(crate) fn add_stored(&mut self, r: &ResponseRecord) {
        self.add_answers(
            r.survey_id,
            r.submitted_at.date_naive(),
            r.site_id,
            r.staff_id,
            &r.answers,
        );
    }

    fn add_answers(
        &mut self,
        survey_id: i64,
        day: NaiveDate,
        site_id: Option<i64>,
        staff_id: Option<i64>,
        answers: &[StoredAnswer],
    ) {
        for a in answers {
            let parts: &[(RollupPart, i32)] = match a.value {
                AnswerValue::Score(s) => &[(RollupPart::Score, s)],
                AnswerValue::Servqual {
                    expectation,
                    perception,
                } => &[
                    (RollupPart::Expectation, expectation),
                    (RollupPart::Perception, perception),
                ],
                _ => &[],
            };
            for &(part, score) in parts {
                let key = Key {
                    survey_id,
                    question_code: a.question_code.clone(),
                    part: rows::part_str(part),
                    moment_id: a.moment_id.unwrap_or(0),
                    site_id: site_id.unwrap_or(0),
                    staff_id: 0,
                    day,
                };
                if let Some(staff_id) = staff_id {
                    let staff_key = Key {
                        staff_id,
                        ..key.clone()
                    };
                    self.staff.entry(staff_key).or_default().add(score);
                }
                self.site.entry(key).or_default().add(score);
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.site.is_empty()
    }

    /// Bind the 20 arrays of [`upsert_sql`]'s parameters then the 21 of
    /// [`upsert_staff_sql`]'s, in order.
    pub(crate) fn bind<'q>(
        &self,
        q: Query<'q, Postgres, PgArguments>,
    ) -> Query<'q, Postgres, PgArguments> {
        let q = bind_map(q, &self.site, false);
        bind_map(q, &self.staff, true)
    }
}

impl Acc {
    fn add(&mut self, score: i32) {
        let s = i64::from(score);
        self.count += 1;
        self.sum += s;
        self.sum_sq += s * s;
        if let Some(bucket) = usize::try_from(score)
            .ok()
            .and_then(|i| self.histogram.get_mut(i))
        {
            *bucket += 1;
        }
    }
}

fn bind_map<'q>(
    mut q: Query<'q, Postgres, PgArguments>,
    map: &BTreeMap<Key, Acc>,
    with_staff: bool,
) -> Query<'q, Postgres, PgArguments> {
    {
        let keys = map.keys();
        q = q
            .bind(keys.clone().map(|k| k.survey_id).collect::<Vec<_>>())
            .bind(
                keys.clone()
                    .map(|k| k.question_code.clone())
                    .collect::<Vec<_>>(),
            )
            .bind(keys.clone().map(|k| k.part).collect::<Vec<_>>())
            .bind(keys.clone().map(|k| k.moment_id).collect::<Vec<_>>())
            .bind(keys.clone().map(|k| k.site_id).collect::<Vec<_>>())
            .bind(keys.map(|k| k.day).collect::<Vec<_>>());
        let accs = map.values();
        q = q
            .bind(accs.clone().map(|a| a.count).collect::<Vec<_>>())
            .bind(accs.clone().map(|a| a.sum).collect::<Vec<_>>())
            .bind(accs.clone().map(|a| a.sum_sq).collect::<Vec<_>>());
        for h in 0..=10 {
            q = q.bind(accs.clone().map(|a| a.histogram[h]).collect::<Vec<_>>());
        }
        if with_staff {
            q = q.bind(map.keys().map(|k| k.staff_id).collect::<Vec<_>>());
        }
        q
    }
}

const HISTOGRAM: [&str; 11] = [
    "h0", "h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8", "h9", "h10",
];

/// The per-site upsert of [`Rollups::bind`]'s first 20 arrays, numbered from `$first`;
/// `guard` is appended to the row source (e.g. `WHERE EXISTS (SELECT 1 FROM r)` inside a
/// larger statement).
pub(crate) fn upsert_sql(first: usize, guard: &str) -> String {
    table_upsert_sql("response_rollups", false, first, guard)
}

/// The per-staff upsert of [`Rollups::bind`]'s last 21 arrays, numbered from `$first`.
pub(crate) fn upsert_staff_sql(first: usize, guard: &str) -> String {
    table_upsert_sql("response_staff_rollups", true, first, guard)
}

/// Parameters of [`upsert_sql`] then [`upsert_staff_sql`].
pub(crate) const SITE_PARAMS: usize = 20;

fn table_upsert_sql(table: &str, with_staff: bool, first: usize, guard: &str) -> String {
    let p = |i: usize| format!("${}", first + i);
    let mut arrays = vec![
        format!("{}::bigint[]", p(0)),
        format!("{}::text[]", p(1)),
        format!("{}::text[]", p(2)),
        format!("{}::bigint[]", p(3)),
        format!("{}::bigint[]", p(4)),
        format!("{}::date[]", p(5)),
    ];
    arrays.extend((6..20).map(|i| format!("{}::bigint[]", p(i))));
    let (staff_column, staff_key) = if with_staff {
        arrays.push(format!("{}::bigint[]", p(20)));
        (", staff_id", "staff_id, ")
    } else {
        ("", "")
    };
    let sums = ["count", "sum", "sum_sq"]
        .into_iter()
        .chain(HISTOGRAM)
        .map(|c| format!("{c} = {table}.{c} + EXCLUDED.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "INSERT INTO {table} (survey_id, question_code, part, moment_id, site_id, \
           day, count, sum, sum_sq, {}{staff_column}) \
         SELECT * FROM UNNEST({}) {guard} \
         ON CONFLICT (survey_id, {staff_key}question_code, part, moment_id, site_id, day) \
         DO UPDATE SET {sums}",
        HISTOGRAM.join(", "),
        arrays.join(", ")
    )
}

/// Write `rollups` with `conn` (the responses' transaction).
pub(crate) async fn upsert(conn: &mut sqlx::PgConnection, rollups: &Rollups) -> StoreResult<()> {
    if rollups.is_empty() {
        return Ok(());
    }
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "WITH s AS ({}) {}",
            upsert_staff_sql(SITE_PARAMS + 1, ""),
            upsert_sql(1, "")
        )
    });
    rollups
        .bind(sqlx::query(SQL.as_str()))
        .execute(conn)
        .await
        .db()?;
    Ok(())
}

/// Roll-up rows matching `q`, ordered by day, question, part (score, expectation,
/// perception), moment, site (absent ones first: they are 0), then survey.
pub(crate) async fn query(pool: &PgPool, q: &RollupQuery) -> StoreResult<Vec<RollupRow>> {
    let mut qb = filtered(rows::ROLLUP_SELECT, q);
    qb.push(
        " ORDER BY u.day, u.question_code COLLATE \"C\", \
         array_position(ARRAY['score', 'expectation', 'perception'], u.part), u.moment_id, \
         u.site_id, u.survey_id",
    );
    fetch(pool, qb).await
}

/// `q`'s roll-ups summed over days by PostgreSQL: one row per survey, question, part, moment
/// and site, dated with its first day (its hash aggregate makes this cheap, so there is no
/// per-month table to keep on the write path here).
pub(crate) async fn totals(pool: &PgPool, q: &RollupQuery) -> StoreResult<Vec<RollupRow>> {
    let histogram = (0..=10)
        .map(|h| format!("sum(u.h{h})::bigint"))
        .collect::<Vec<_>>()
        .join(", ");
    let select = format!(
        "SELECT u.survey_id, u.question_code, u.part, u.moment_id, u.site_id, \
           min(u.day) AS day, sum(u.count)::bigint AS count, sum(u.sum)::bigint AS sum, \
           sum(u.sum_sq)::bigint AS sum_sq, ARRAY[{histogram}] AS histogram"
    );
    let mut qb = filtered(&select, q);
    qb.push(" GROUP BY u.survey_id, u.question_code, u.part, u.moment_id, u.site_id");
    fetch(pool, qb).await
}

/// `select` from the table `q` reads (alias `u`) with `q`'s filters.
fn filtered<'a>(select: &str, q: &'a RollupQuery) -> QueryBuilder<'a, Postgres> {
    // The per-staff table holds only what names a staff member; without a staff filter the
    // per-site table answers (the same figures summed over staff and the unnamed).
    let table = if q.staff_id.is_some() {
        "response_staff_rollups"
    } else {
        "response_rollups"
    };
    let mut qb = QueryBuilder::<Postgres>::new(format!("{select} FROM {table} u"));
    qb.push(" WHERE TRUE");
    if let Some(id) = q.survey_id {
        qb.push(" AND u.survey_id = ").push_bind(id);
    }
    if let Some(code) = &q.question_code {
        qb.push(" AND u.question_code = ").push_bind(code.clone());
    }
    if let Some(id) = q.moment_id {
        qb.push(" AND u.moment_id = ").push_bind(id);
    }
    if let Some(id) = q.site_id {
        qb.push(" AND u.site_id = ").push_bind(id);
    }
    if let Some(id) = q.staff_id {
        qb.push(" AND u.staff_id = ").push_bind(id);
    }
    if let Some(from) = q.from {
        qb.push(" AND u.day >= ").push_bind(from);
    }
    if let Some(to) = q.to {
        qb.push(" AND u.day <= ").push_bind(to);
    }
    qb
}

async fn fetch(pool: &PgPool, mut qb: QueryBuilder<'_, Postgres>) -> StoreResult<Vec<RollupRow>> {
    let found = qb.build().fetch_all(pool).await.db()?;
    found
        .iter()
        .map(rows::rollup)
        .collect::<Result<Vec<_>, _>>()
        .db()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use touchpoint_core::feedback::{
        QuestionKind,
        records::{ResponseSource, StoredAnswer},
    };

    fn answer(code: &str, kind: QuestionKind, value: AnswerValue) -> StoredAnswer {
        StoredAnswer {
            question_code: code.into(),
            kind,
            moment_id: Some(7),
            dimension: None,
            value,
        }
    }

    fn response(hour: u32, answers: Vec<StoredAnswer>) -> NewResponse {
        NewResponse {
            survey_id: 1,
            survey_version_id: 1,
            source: ResponseSource::Api,
            external_id: None,
            idempotency_key: None,
            link_id: None,
            submitted_at: Utc.with_ymd_and_hms(2026, 1, 15, hour, 0, 0).unwrap(),
            customer: None,
            site_id: None,
            staff_id: None,
            language: "en".into(),
            answers,
        }
    }

    #[test]
    fn scores_aggregate_per_key_and_servqual_makes_two_rows() {
        let mut r = Rollups::default();
        r.add(&response(
            9,
            vec![
                answer("csat", QuestionKind::Rating, AnswerValue::Score(4)),
                answer("why", QuestionKind::Text, AnswerValue::Text("ok".into())),
                answer(
                    "sq",
                    QuestionKind::Servqual,
                    AnswerValue::Servqual {
                        expectation: 6,
                        perception: 3,
                    },
                ),
            ],
        ));
        r.add(&response(
            23,
            vec![answer("csat", QuestionKind::Rating, AnswerValue::Score(2))],
        ));
        assert_eq!(r.site.len(), 3);
        assert!(r.staff.is_empty());
        let csat = r
            .site
            .iter()
            .find(|(k, _)| k.question_code == "csat")
            .unwrap();
        assert_eq!((csat.0.moment_id, csat.0.site_id), (7, 0));
        let mut histogram = [0; 11];
        histogram[2] = 1;
        histogram[4] = 1;
        let want = Acc {
            count: 2,
            sum: 6,
            sum_sq: 20,
            histogram,
        };
        assert_eq!(csat.1, &want);
        let parts: Vec<&str> = r
            .site
            .keys()
            .filter(|k| k.question_code == "sq")
            .map(|k| k.part)
            .collect();
        assert_eq!(parts, ["expectation", "perception"]);
    }

    #[test]
    fn out_of_range_scores_are_refused() {
        let bad = response(
            9,
            vec![answer("nps", QuestionKind::Nps, AnswerValue::Score(11))],
        );
        assert_eq!(
            check_scores(&bad).unwrap_err().first_field(),
            Some("answers[0].value")
        );
        let sql = upsert_sql(14, "WHERE TRUE");
        assert!(sql.contains("$14::bigint[]") && sql.contains("$33::bigint[]"));
        assert!(!sql.contains("$34"));
    }
}
