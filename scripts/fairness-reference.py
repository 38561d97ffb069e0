#!/usr/bin/env python3
"""Reference values for lib/fairness, computed naively from the documented formulas.

Independent of the TypeScript implementation on purpose: it works on lists of rows (no streaming
counters), recomputes every count from the rows for every metric, and follows the SageMaker Clarify
pages literally. Python 3.11 standard library only.

    python3 scripts/fairness-reference.py > test/fairness/reference.json

Pre-training: https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-measure-data-bias.html
Post-training: https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-measure-post-training-bias.html
"""

import csv
import hashlib
import json
import math
import re
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent.parent / "test" / "fairness" / "fixtures" / "loans.csv"
DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")

# The cases the test replays through lib/fairness: the label and predictions thresholds, the group
# attribute, and facets of all three kinds (a value, a numeric threshold, every value in turn).
CASES = [
    {
        "name": "loans",
        "label": "churned:>=0.5",
        "predictions": "score:>=0.5",
        "group": "region",
        "facets": ["gender=female", "age:>=40", "gender"],
        "categorical": ["zip"],
    },
    {
        "name": "loans-no-group",
        "label": "churned=1",
        "predictions": "score:>=0.6",
        "group": None,
        "facets": ["region=east"],
        "categorical": [],
    },
]


def missing(cell):
    return cell is None or cell.strip() == ""


def number(cell):
    s = cell.strip()
    return float(s) if DECIMAL.match(s) else None


def condition(spec):
    """(column, predicate) for 'col=value' or 'col:>=x'; predicate returns True/False/None."""
    m = re.match(r"^([^=:]+)(=|:)(.*)$", spec)
    column, sep, rest = m.group(1), m.group(2), m.group(3)
    if sep == "=":
        def equals(cell):
            if missing(cell):
                return None
            if cell.strip() == rest:
                return True
            x, v = number(cell), number(rest)
            return x is not None and v is not None and x == v
        return column, equals
    op = re.match(r"^(>=|<=|>|<)(.*)$", rest)
    sym, t = op.group(1), float(op.group(2))
    cmp = {">=": lambda x: x >= t, ">": lambda x: x > t, "<=": lambda x: x <= t, "<": lambda x: x < t}[sym]

    def threshold(cell):
        if missing(cell):
            return None
        x = number(cell)
        return None if x is None else cmp(x)
    return column, threshold


def kl(p, q):
    total = 0.0
    for pi, qi in zip(p, q):
        if pi == 0:
            continue
        if qi == 0:
            return None
        total += pi * math.log(pi / qi)
    return total


def ratio(num, den):
    return None if den == 0 else num / den


def diff(x, y):
    return None if x is None or y is None else x - y


def disparity(rows_in_group, in_d, outcome):
    """DD of one subgroup: share of d among the rejections minus its share among the acceptances."""
    rejected = [r for r in rows_in_group if not outcome(r)]
    accepted = [r for r in rows_in_group if outcome(r)]
    if not rejected or not accepted:
        return None
    return sum(1 for r in rejected if in_d(r)) / len(rejected) - sum(1 for r in accepted if in_d(r)) / len(accepted)


def conditional(rows, in_d, outcome, group):
    if group is None:
        return None
    values = sorted({r[group].strip() for r in rows if not missing(r[group])})
    num, n = 0.0, 0
    for g in values:
        sub = [r for r in rows if not missing(r[group]) and r[group].strip() == g]
        dd = disparity(sub, in_d, outcome)
        if dd is None:
            continue
        num += len(sub) * dd
        n += len(sub)
    return None if n == 0 else num / n


def metrics(rows, in_d, y, yhat, group):
    a = [r for r in rows if not in_d(r)]
    d = [r for r in rows if in_d(r)]
    na, nd = len(a), len(d)
    out = {"CI": (na - nd) / (na + nd)}
    qa = sum(1 for r in a if y(r)) / na
    qd = sum(1 for r in d if y(r)) / nd
    pa, pd = [1 - qa, qa], [1 - qd, qd]
    out["DPL"] = qa - qd
    out["KL"] = kl(pa, pd)
    mid = [(pa[i] + pd[i]) / 2 for i in range(2)]
    out["JS"] = 0.5 * (kl(pa, mid) + kl(pd, mid))
    out["LP"] = math.sqrt(sum((pa[i] - pd[i]) ** 2 for i in range(2)))
    out["TVD"] = 0.5 * sum(abs(pa[i] - pd[i]) for i in range(2))
    out["KS"] = max(abs(pa[i] - pd[i]) for i in range(2))
    out["CDD"] = conditional(rows, in_d, y, group)

    def cm(side):
        return {
            "TP": sum(1 for r in side if y(r) and yhat(r)),
            "FP": sum(1 for r in side if not y(r) and yhat(r)),
            "FN": sum(1 for r in side if y(r) and not yhat(r)),
            "TN": sum(1 for r in side if not y(r) and not yhat(r)),
        }
    A, D = cm(a), cm(d)
    qpa = sum(1 for r in a if yhat(r)) / na
    qpd = sum(1 for r in d if yhat(r)) / nd
    out["DPPL"] = qpa - qpd
    out["DI"] = ratio(qpd, qpa)
    out["DCAcc"] = diff(ratio(A["TP"] + A["FN"], A["TP"] + A["FP"]), ratio(D["TP"] + D["FN"], D["TP"] + D["FP"]))
    out["DCR"] = diff(ratio(D["TN"] + D["FP"], D["TN"] + D["FN"]), ratio(A["TN"] + A["FP"], A["TN"] + A["FN"]))
    out["SD"] = diff(ratio(D["TN"], D["TN"] + D["FP"]), ratio(A["TN"], A["TN"] + A["FP"]))
    out["RD"] = diff(ratio(A["TP"], A["TP"] + A["FN"]), ratio(D["TP"], D["TP"] + D["FN"]))
    out["DAR"] = diff(ratio(A["TP"], A["TP"] + A["FP"]), ratio(D["TP"], D["TP"] + D["FP"]))
    out["DRR"] = diff(ratio(D["TN"], D["TN"] + D["FN"]), ratio(A["TN"], A["TN"] + A["FN"]))
    out["AD"] = (A["TP"] + A["TN"]) / na - (D["TP"] + D["TN"]) / nd
    out["TE"] = diff(ratio(A["FP"], A["FN"]), ratio(D["FP"], D["FN"]))
    out["CDDPL"] = conditional(rows, in_d, yhat, group)
    # Generalized entropy, alpha = 2, benefit b = y' - y + 1 over every row.
    b = [(1 if yhat(r) else 0) - (1 if y(r) else 0) + 1 for r in rows]
    mu = sum(b) / len(b)
    out["GE"] = sum((bi / mu) ** 2 - 1 for bi in b) / (len(b) * 2 * 1)
    return out


def cramers_v(pairs):
    rows = sorted({x for x, _ in pairs})
    cols = sorted({f for _, f in pairs})
    k = min(len(rows), len(cols)) - 1
    if k < 1:
        return None
    n = len(pairs)
    chi2 = 0.0
    for x in rows:
        for f in cols:
            o = sum(1 for p in pairs if p == (x, f))
            e = sum(1 for p in pairs if p[0] == x) * sum(1 for p in pairs if p[1] == f) / n
            chi2 += (o - e) ** 2 / e
    return math.sqrt(chi2 / (n * k))


def correlation_ratio(pairs):
    values = [x for x, _ in pairs]
    mean = sum(values) / len(values)
    total = sum((x - mean) ** 2 for x in values)
    cats = sorted({f for _, f in pairs})
    if len(cats) < 2 or total == 0:
        return None
    between = 0.0
    for f in cats:
        xs = [x for x, g in pairs if g == f]
        m = sum(xs) / len(xs)
        between += len(xs) * (m - mean) ** 2
    return math.sqrt(between / total)


def run(case, header, data):
    ycol, y_pred = condition(case["label"])
    pcol, p_pred = condition(case["predictions"])
    rows = [r for r in data if y_pred(r[ycol]) is not None and p_pred(r[pcol]) is not None]
    y = lambda r: y_pred(r[ycol])  # noqa: E731
    yhat = lambda r: p_pred(r[pcol])  # noqa: E731
    facets, proxies = [], []
    for spec in case["facets"]:
        if "=" in spec or ":" in spec:
            fcol, f_pred = condition(spec)
            fr = [r for r in rows if f_pred(r[fcol]) is not None]
            key = lambda r, f_pred=f_pred, fcol=fcol: "d" if f_pred(r[fcol]) else "a"  # noqa: E731
            comparisons = [(spec, fr, lambda r, key=key: key(r) == "d")]
        else:
            fcol = spec
            fr = [r for r in rows if not missing(r[fcol])]
            key = lambda r, fcol=fcol: r[fcol].strip()  # noqa: E731
            counts = {}
            for r in fr:
                counts[key(r)] = counts.get(key(r), 0) + 1
            order = sorted(counts, key=lambda v: (-counts[v], v))
            comparisons = [(f"{fcol}={v}", fr, lambda r, v=v, key=key: key(r) == v) for v in order]
        for name, fr_rows, in_d in comparisons:
            facets.append({"facet": name, "metrics": metrics(fr_rows, in_d, y, yhat, case["group"])})
        for column in header:
            if column in (fcol, ycol, pcol):
                continue
            present = [r for r in fr if not missing(r[column])]
            if column not in case["categorical"] and all(number(r[column]) is not None for r in present):
                value = correlation_ratio([(number(r[column]), key(r)) for r in present])
                measure = "correlationRatio"
            else:
                value = cramers_v([(r[column].strip(), key(r)) for r in present])
                measure = "cramersV"
            proxies.append({"facet": spec, "column": column, "measure": measure, "value": value})
    return {"name": case["name"], "case": case, "facets": facets, "proxies": proxies}


def main():
    with FIXTURE.open(newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames
        data = list(reader)
    out = {
        "fixture": "test/fairness/fixtures/loans.csv",
        # The test checks it, so an edited fixture cannot be compared with stale reference values.
        "fixtureSha256": hashlib.sha256(FIXTURE.read_bytes()).hexdigest(),
        "cases": [run(c, header, data) for c in CASES],
    }
    print(json.dumps(out, indent=2, sort_keys=False))


if __name__ == "__main__":
    main()
