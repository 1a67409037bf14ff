#!/usr/bin/env python3
"""Reference computation of the cycle scorecard, standard library only.

Usage: scorecard_reference.py DATASET.csv FROM TO [SITE [STAFF]]   ("" = no filter)

DATASET.csv has one row per piece of raw evidence, exported by the Rust test that also
stored it through Touchpoint:  kind,day,site,moment_key,value,staff  with kind one of rating, nps,
effort, servqual (value unused), measurement (value 1 met / 0 not met), visit (value: the
moment's audit score 0-100) and compliment (value unused). Days are UTC (YYYY-MM-DD).

Prints JSON: {moment_key: {figure: {value, low, high, n, trend}}, ...} plus answers,
compliments, compliments_per_1000 and blind_spot per moment. It recomputes everything from
the raw rows (no roll-ups), so it checks the roll-ups, the key matching across cycle versions,
the period split and the statistics at once. Conventions shared with touchpoint-core:
95% intervals; the t quantile comes from the same 3-decimal table for df <= 30 and 1.96
beyond; a single value's mean interval is the whole scale; intervals are clipped to the scale.
"""
import csv
import datetime
import json
import math
import statistics
import sys

Z95 = 1.959963984540054
T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
       2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069,
       2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
SCALES = {"rating": (1, 5), "effort": (1, 7), "audit": (0, 100)}


def t95(df):
    return T95[df - 1] if df <= 30 else 1.96


def bounded(value, low, high, n, lo, hi):
    return {"value": value, "low": min(max(low, lo), hi, value),
            "high": max(min(max(high, lo), hi), value), "n": n}


def mean_estimate(xs, scale):
    if not xs:
        return None
    lo, hi = scale
    m = math.fsum(xs) / len(xs)
    if len(xs) == 1:
        return bounded(m, lo, hi, 1, lo, hi)
    half = t95(len(xs) - 1) * math.sqrt(statistics.variance(xs) / len(xs))
    return bounded(m, m - half, m + half, len(xs), lo, hi)


def wilson_percent(successes, n):
    if n == 0:
        return None
    p, z2 = successes / n, Z95 * Z95
    den = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / den
    half = Z95 / den * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    e = bounded(p, centre - half, centre + half, n, 0.0, 1.0)
    return {k: (v * 100 if k != "n" else v) for k, v in e.items()}


def nps_parts(scores):
    n = len(scores)
    pro = sum(1 for s in scores if s >= 9) / n
    det = sum(1 for s in scores if s <= 6) / n
    score = pro - det
    return score, max((pro + det - score * score) / n, 0.0)


def nps_estimate(scores):
    if not scores:
        return None
    score, var = nps_parts(scores)
    half = Z95 * math.sqrt(var)
    e = bounded(score, score - half, score + half, len(scores), -1.0, 1.0)
    return {k: (v * 100 if k != "n" else v) for k, v in e.items()}


# --- p-values: the normal tail from math.erfc; Student's t from the incomplete beta. ---
def beta_cf(a, b, x):
    tiny, eps = 1e-300, 1e-16
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        if abs(d * c - 1) < eps:
            break
    return h


def t_two_sided_p(t, df):
    x = df / (df + t * t)
    a, b = df / 2, 0.5
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                     + a * math.log(x) + b * math.log(1 - x))
    if x < (a + 1) / (a + b + 2):
        return front * beta_cf(a, b, x) / a
    return 1 - front * beta_cf(b, a, 1 - x) / b


def z_two_sided_p(z):
    return math.erfc(abs(z) / math.sqrt(2))


def trend(test, cur, prev, stat, p, df=None):
    diff = cur["value"] - prev["value"]
    significant = p < 0.05
    direction = "no_change" if not significant else ("up" if diff > 0 else "down")
    return {"test": test, "previous": prev["value"], "difference": diff, "statistic": stat,
            "degrees_of_freedom": df, "p_value": p, "direction": direction}


def z_of(diff, se):
    if se > 0:
        return diff / se, z_two_sided_p(diff / se)
    return (0.0, 1.0) if diff == 0 else (None, 0.0)


def proportion_trend(x1, n1, x2, n2, cur, prev):
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z, p = z_of(x1 / n1 - x2 / n2, se)
    return trend("two_proportion_z", cur, prev, z, p)


def welch_trend(xs, ys, cur, prev):
    if len(xs) < 2 or len(ys) < 2:
        return None
    a, b = statistics.variance(xs) / len(xs), statistics.variance(ys) / len(ys)
    diff = math.fsum(xs) / len(xs) - math.fsum(ys) / len(ys)
    if a + b == 0:
        z, p = z_of(diff, 0.0)
        return trend("welch_t", cur, prev, z, p)
    t = diff / math.sqrt(a + b)
    df = (a + b) ** 2 / (a * a / (len(xs) - 1) + b * b / (len(ys) - 1))
    return trend("welch_t", cur, prev, t, t_two_sided_p(t, df), df)


def nps_trend(xs, ys, cur, prev):
    (s1, v1), (s2, v2) = nps_parts(xs), nps_parts(ys)
    z, p = z_of(s1 - s2, math.sqrt(v1 + v2))
    return trend("nps_difference_z", cur, prev, z, p)


def figures(now, before):
    """now/before: {kind: [values]} of one moment in the current and previous period."""
    out = {}
    for kind, name in (("rating", "rating_mean"), ("effort", "effort_mean"),
                       ("visit", "audit_score")):
        scale = SCALES["audit" if kind == "visit" else kind]
        cur, prev = mean_estimate(now[kind], scale), mean_estimate(before[kind], scale)
        if cur:
            out[name] = dict(cur, trend=prev and welch_trend(now[kind], before[kind], cur, prev))
    sat = lambda xs: sum(1 for s in xs if s >= 4)
    cur, prev = wilson_percent(sat(now["rating"]), len(now["rating"])), \
        wilson_percent(sat(before["rating"]), len(before["rating"]))
    if cur:
        out["csat"] = dict(cur, trend=prev and proportion_trend(
            sat(now["rating"]), len(now["rating"]), sat(before["rating"]),
            len(before["rating"]), cur, prev))
    cur, prev = nps_estimate(now["nps"]), nps_estimate(before["nps"])
    if cur:
        out["nps"] = dict(cur, trend=prev and nps_trend(now["nps"], before["nps"], cur, prev))
    met = lambda xs: sum(1 for v in xs if v == 1)
    cur = wilson_percent(met(now["measurement"]), len(now["measurement"]))
    prev = wilson_percent(met(before["measurement"]), len(before["measurement"]))
    if cur:
        out["compliance"] = dict(cur, trend=prev and proportion_trend(
            met(now["measurement"]), len(now["measurement"]), met(before["measurement"]),
            len(before["measurement"]), cur, prev))
    return out


def main():
    path, start, end = sys.argv[1], sys.argv[2], sys.argv[3]
    # Optional filters: a site id and a staff id ("" for none). Measurements name no staff
    # member, so a staff filter leaves compliance out, as the product does.
    site = sys.argv[4] or None if len(sys.argv) > 4 else None
    staff = sys.argv[5] or None if len(sys.argv) > 5 else None
    day = datetime.date.fromisoformat
    start, end = day(start), day(end)
    length = (end - start).days + 1
    prev_end = start - datetime.timedelta(days=1)
    prev_start = prev_end - datetime.timedelta(days=length - 1)
    kinds = ("rating", "nps", "effort", "servqual", "measurement", "visit", "compliment")
    data = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if site is not None and row["site"] != site:
                continue
            if staff is not None and row["staff"] != staff:
                continue
            d = day(row["day"])
            if start <= d <= end:
                period = "now"
            elif prev_start <= d <= prev_end:
                period = "before"
            else:
                continue
            moment = data.setdefault(row["moment_key"], {
                "now": {k: [] for k in kinds}, "before": {k: [] for k in kinds}})
            value = float(row["value"]) if row["value"] else None
            if row["kind"] in ("rating", "nps", "effort", "measurement"):
                value = int(value)
            moment[period][row["kind"]].append(value)
    result = {}
    for key, m in sorted(data.items()):
        now = m["now"]
        answers = sum(len(now[k]) for k in ("rating", "nps", "effort", "servqual"))
        compliments = len(now["compliment"])
        result[key] = {
            "answers": answers,
            "compliments": compliments,
            "compliments_per_1000": compliments * 1000 / answers if answers else None,
            "blind_spot": answers == 0 and not now["measurement"] and not now["visit"]
            and compliments == 0,
            "figures": figures(now, m["before"]),
        }
    json.dump(result, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
