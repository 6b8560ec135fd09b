#!/usr/bin/env python3
"""analyze.py WORK PACKAGES V1_SCORES OUT — every number of docs/validity.md, into OUT (JSON).

Inputs (WORK): scores-withheld.jsonl, scores-cut.jsonl, scores-current.jsonl (score.py),
labels.json (labels.py); PACKAGES: tools/validity/packages.tsv (only counted); V1_SCORES:
tools/validity/v1-scores.tsv (the "before").

Conventions
* One row per crate name (crates.io compares names lower case with '-' == '_'); where Debian ships
  several versions of a crate the highest is kept.
* AUC = the probability that a crate with the label ranks riskier than one without (ties 1/2).
  Scores (higher = safer: the Trust Score, every dimension) are negated first, so AUC > 0.5 means
  "a lower score, more advisories": the score works. Source signals are used as they are (higher
  = riskier); a protective signal shows AUC < 0.5. A dimension that is null for a crate (no
  evidence) ranks as neutral, at the median of the crates where it is scored.
* 95% CI: percentile bootstrap over crates, BOOT resamples drawn once from SEED and shared by every
  predictor of a sample; differences between two predictors are paired (same resamples).
* Held out: the v2 recipe's points are fitted on 9 folds and scored on the 10th (stratified
  10-fold cross-validation, strata = the four label combinations), REPEATS times with seeds SEED,
  SEED+1, ...; the AUC is that of the pooled out-of-fold scores.
Nothing here reads a clock or iterates a set or dictionary in an order that reaches the output.
"""
import json
import math
import os
import re
import sys

import numpy as np
from scipy.optimize import minimize
from scipy.stats import rankdata

CUT = "2023-06-10"          # Debian 12 "bookworm" released (docs/validity.md says why this day)
SEED = 20230610
BOOT = 2000
FOLDS = 10
REPEATS = 5
TARGETS = {"memory_safety": 0.80, "vulnerability": 0.76}
LABELS = ["memory_safety", "vulnerability"]
DIMS = ["security", "maintenance", "popularity", "quality", "community", "transparency", "reliability", "privacy"]
RECIPE = ["any_unsafe", "unsafe_impls", "size"]
V1_WEIGHTS = {"security": 0.25, "maintenance": 0.20, "popularity": 0.10, "quality": 0.15, "community": 0.10,
              "transparency": 0.10, "reliability": 0.05, "privacy": 0.05}   # methodology v1 (docs/methodology.md, section 6)


def log(*a):
    print("[analyze]", *a, file=sys.stderr, flush=True)


def norm(name):
    return name.lower().replace("-", "_")


def vkey(v):
    """Semver order: build metadata ignored, a pre-release before its release."""
    core, _, pre = v.split("+")[0].partition("-")
    nums = tuple(int(x) for x in core.split("."))
    pre_key = (1,) if not pre else (0,) + tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return nums + (pre_key,)


def r4(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 4)


# --- AUC and the bootstrap ---------------------------------------------------------------------
def auc(y, s):
    y = np.asarray(y, bool)
    n1, n0 = int(y.sum()), int((~y).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    r = rankdata(s)
    return float((r[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


class Boot:
    """BOOT resamples of a sample of n crates, drawn once from a seed."""

    def __init__(self, n, seed):
        self.idx = np.random.default_rng(seed).integers(0, n, size=(BOOT, n))

    def aucs(self, y, s):
        y = np.asarray(y, bool)[self.idx]
        r = rankdata(np.asarray(s, float)[self.idx], axis=1)
        n1 = y.sum(1)
        n0 = y.shape[1] - n1
        ok = (n1 > 0) & (n0 > 0)
        return (((r * y).sum(1) - n1 * (n1 + 1) / 2) / np.where(ok, n1 * n0, 1))[ok]

    def row(self, y, s):
        a = self.aucs(y, s)
        return {"auc": r4(auc(y, s)), "lo": r4(np.percentile(a, 2.5)), "hi": r4(np.percentile(a, 97.5))}

    def diff(self, y, s1, s2):
        d = self.aucs(y, s1) - self.aucs(y, s2)
        return {"diff": r4(auc(y, s1) - auc(y, s2)), "lo": r4(np.percentile(d, 2.5)), "hi": r4(np.percentile(d, 97.5))}


def neutral(score):
    """A dimension score as a risk ranking: negated, null at the median of the scored crates."""
    s = np.asarray(score, float)
    if np.isnan(s).all():
        return None
    return -np.where(np.isnan(s), np.nanmedian(s), s)


# --- the v2 recipe: sign-constrained logistic regression turned into points ---------------------
def fit_logit(X, y, l2=1.0):
    """Logistic regression whose coefficients can only add risk (>= 0), small L2 penalty, on
    standardised columns; returns the coefficients per raw unit."""
    X, y = np.asarray(X, float), np.asarray(y, float)
    mu, sd = X.mean(0), X.std(0)
    sd[sd == 0] = 1
    Z = (X - mu) / sd

    def f(w):
        t = w[0] + Z @ w[1:]
        p = 1 / (1 + np.exp(-t))
        loss = np.sum(np.logaddexp(0, t) - y * t) + 0.5 * l2 * w[1:] @ w[1:]
        return loss, np.concatenate([[np.sum(p - y)], Z.T @ (p - y) + l2 * w[1:]])

    w0 = np.zeros(X.shape[1] + 1)
    w0[0] = math.log(max(y.mean(), 1e-3) / max(1 - y.mean(), 1e-3))
    res = minimize(f, w0, jac=True, method="L-BFGS-B", bounds=[(None, None)] + [(0, None)] * X.shape[1])
    return res.x[1:] / sd


def fit_points(X, y):
    """docs/methodology.md's procedure: whole points with the 99th percentile of the training risk
    at 80 points lost ("full scale"), then halved (the scale does not change the ranking; halved,
    the verdict thresholds separate crates instead of calling every large crate "avoid")."""
    betas = fit_logit(X, y)
    risk = np.asarray(X, float) @ betas
    q = np.percentile(risk, 99)
    return np.round(betas * (80.0 / q if q > 0 else 0.0)) / 2


def round1(x):
    """Half up to one decimal, as the library rounds."""
    return np.floor(np.asarray(x, float) * 10 + 0.5) / 10


def security_score(X, points):
    """As the library computes it: each signal's points to one decimal, base 100 minus their sum,
    clamped to 0-100."""
    return np.clip(100 - round1(np.asarray(X, float) * points).sum(1), 0, 100)


def stratified_folds(strata, seed):
    rng = np.random.default_rng(seed)
    fold = np.empty(len(strata), int)
    for s in np.unique(strata):
        ids = np.flatnonzero(strata == s)
        rng.shuffle(ids)
        fold[ids] = np.arange(len(ids)) % FOLDS
    return fold


def cross_validate(X, y_fit, strata, seed):
    oof = np.full(len(y_fit), np.nan)
    tables = []
    fold = stratified_folds(strata, seed)
    for f in range(FOLDS):
        tr, te = fold != f, fold == f
        pts = fit_points(X[tr], y_fit[tr])
        oof[te] = security_score(X[te], pts)
        tables.append(pts)
    return oof, tables


# --- reading the reports ------------------------------------------------------------------------
def load_jsonl(path):
    with open(path) as f:
        return {(r["name"], r["version"]): r for r in map(json.loads, f)}


def dimension(report, name):
    return next(d for d in report["dimensions"] if d["name"] == name)


def security_signals(report):
    """The recipe's inputs as the library read them: {any_unsafe, unsafe_impls, size}, raw values,
    and the points the library gave each (to read the shipped table from the reports)."""
    sig = {s["signal"]: s for s in dimension(report, "security")["signals"]}
    src = report["signals"]["source"]
    items = sig["unsafe_code"]["value"]
    impls = sig["unsafe_impls"]["value"] if "unsafe_impls" in sig else 0   # absent with #![forbid(unsafe_code)]
    return {"unsafe_items": items, "any_unsafe": int(items > 0 and not src.get("forbids_unsafe")),
            "unsafe_impls": impls, "size": sig["size"]["value"],
            "points": {k: sig[s]["points"] for k, s in (("any_unsafe", "unsafe_code"), ("unsafe_impls", "unsafe_impls"),
                                                         ("size", "size")) if s in sig}}


def recipe_matrix(inputs):
    """Columns of the recipe: any unsafe (0/1), log10(1 + unsafe impls), max(0, log10(lines/100))."""
    return np.array([[x["any_unsafe"], math.log10(1 + x["unsafe_impls"]), max(0.0, math.log10(max(x["size"], 1) / 100))]
                     for x in inputs])


def shipped_points(inputs):
    """The shipped table, read back from the reports: the points per unit of each column (median
    over the crates where the column is not 0; the library rounds each signal to one decimal)."""
    X = recipe_matrix(inputs)
    out = []
    for j, k in enumerate(RECIPE):
        ratios = [-x["points"][k] / X[i, j] for i, x in enumerate(inputs) if X[i, j] > 0.5 and k in x["points"]]
        out.append(round(float(np.median(ratios)), 1))
    return np.array(out)


def source_signals(reports):
    """Every scalar of the scanner's group (signals.source), each capability as a flag, and three
    derived from them: unsafe items (blocks + fns + impls + traits, the library's unsafe_code
    value), any unsafe, unsafe items per 1,000 lines."""
    srcs = [r["signals"]["source"] for r in reports]
    keys = sorted({k for s in srcs for k, v in s.items() if isinstance(v, (bool, int, float)) and k != "path"})
    cols = {}
    for k in keys:
        v = np.array([float(s[k]) if isinstance(s.get(k), (bool, int, float)) else np.nan for s in srcs])
        cols[k] = v
    for cap in sorted({c for s in srcs for c in s.get("capabilities", [])}):
        cols["capability: " + cap] = np.array([float(cap in s.get("capabilities", [])) for s in srcs])
    sec = [security_signals(r) for r in reports]
    items = np.array([float(x["unsafe_items"]) for x in sec])
    cols["unsafe items (unsafe_code)"] = items
    cols["any unsafe"] = np.array([float(x["any_unsafe"]) for x in sec])
    lines = np.array([float(x["size"]) for x in sec])
    cols["unsafe items per 1,000 lines"] = 1000 * items / np.maximum(lines, 1)
    return cols


def signal_rows(boot, Y, cols):
    rows = {}
    for name, v in cols.items():
        have = ~np.isnan(v)
        x = np.where(have, v, np.nanmedian(v)) if have.any() else v
        binary = set(np.unique(v[have])) <= {0.0, 1.0}
        rows[name] = {"crates_with_value": int(have.sum()), "crates_with_flag": int(np.nansum(v)) if binary else None}
        rows[name].update({l: boot.row(Y[l], x) for l in LABELS})
    return rows


def dimension_scores(reports):
    """{dimension: scores (NaN where null)} and {dimension: weight} of the reports."""
    scores = {d: np.array([np.nan if dimension(r, d)["score"] is None else dimension(r, d)["score"] for r in reports])
              for d in DIMS}
    return scores, {d: dimension(reports[0], d)["weight"] for d in DIMS}


def dimension_rows(boot, Y, scores, weights):
    rows = {}
    for d in DIMS:
        have = ~np.isnan(scores[d])
        row = {"weight": weights[d], "scored": int(have.sum()),
               "labelled_among_scored": {l: int(Y[l][have].sum()) for l in LABELS}}
        risk = neutral(scores[d])
        if risk is not None:
            row.update({l: boot.row(Y[l], risk) for l in LABELS})
        rows[d] = row
    return rows


def size_stratified(boot, Y, lines, preds):
    """AUC within quintiles of lines of code (weighted by the pairs each quintile contributes):
    what a predictor knows beyond size. CI from the first 500 resamples."""
    edges = np.quantile(lines, [0.2, 0.4, 0.6, 0.8])
    stratum = np.searchsorted(edges, lines, side="right")

    def strat(y, s, st):
        num = den = 0.0
        for k in range(5):
            m = st == k
            n1, n0 = y[m].sum(), (~y[m]).sum()
            if n1 and n0:
                num += auc(y[m], s[m]) * n1 * n0
                den += n1 * n0
        return num / den

    out = []
    for name, s in preds:
        row = {"name": name}
        for l in LABELS:
            vals = [strat(Y[l][i], s[i], stratum[i]) for i in boot.idx[:500]]
            row[l] = {"auc": r4(strat(Y[l], s, stratum)), "lo": r4(np.percentile(vals, 2.5)), "hi": r4(np.percentile(vals, 97.5))}
        out.append(row)
    return {"quintile_edges_lines": [r4(e) for e in edges], "rows": out}


def main():
    work, packages_path, v1_path, out_path = sys.argv[1:5]
    with open(packages_path) as f:
        packages = sum(1 for line in f if line.strip() and not line.startswith("#"))
    np.seterr(over="ignore")
    withheld = load_jsonl(os.path.join(work, "scores-withheld.jsonl"))
    cut = load_jsonl(os.path.join(work, "scores-cut.jsonl"))
    current = load_jsonl(os.path.join(work, "scores-current.jsonl"))
    with open(os.path.join(work, "labels.json")) as f:
        lab = json.load(f)
    with open(v1_path) as f:
        lines_ = [l.rstrip("\n").split("\t") for l in f if not l.startswith("#")]
    v1 = {(c[0], c[1]): [float(x) if x else np.nan for x in c[2:]] for c in lines_}

    # --- the sample: one row per crate name, its highest Debian version -----------------------
    best = {}
    for key in withheld:
        k = norm(key[0])
        if k not in best or vkey(key[1]) > vkey(best[k][1]):
            best[k] = key
    keys = [best[k] for k in sorted(best)]
    n = len(keys)
    W = [withheld[k]["report"] for k in keys]
    advs = {k: [a for a in lab["crates"].get(norm(k[0]), []) if not a["withdrawn"]] for k in keys}
    Y = {l: np.array([any(a[l] for a in advs[k]) for k in keys]) for l in LABELS}
    either = Y["memory_safety"] | Y["vulnerability"]
    affecting_now = {k: {a["id"] for a in current[k]["report"]["signals"].get("advisories", [])} for k in keys}
    Y_shipped = {l: np.array([any(a[l] and a["id"] in affecting_now[k] for a in advs[k]) for k in keys]) for l in LABELS}
    log(f"{n} crates ({len(withheld) - n} older versions of the same crates dropped); "
        f"memory-safety {Y['memory_safety'].sum()}, vulnerability {Y['vulnerability'].sum()}")
    res = {"meta": {"crates_scored": len(withheld), "crates": n, "older_versions_dropped": len(withheld) - n,
                    "packages": packages,
                    "methodology_version": W[0]["methodology"]["version"],
                    "advisory_db_commit": lab["advisory_db_commit"], "advisories_in_db": lab["advisories"],
                    "boot": BOOT, "seed": SEED, "folds": FOLDS, "repeats": REPEATS, "cut": CUT,
                    "renamed_directories": sum(withheld[k]["scanned_from"] == "renamed" for k in withheld)}}
    res["counts"] = {l: {"crates": int(Y[l].sum()), "base_rate": r4(Y[l].mean()),
                         "affecting_shipped_version": int(Y_shipped[l].sum())} for l in LABELS}
    res["counts"]["either"] = {"crates": int(either.sum()), "base_rate": r4(either.mean())}
    res["counts"]["both"] = int((Y["memory_safety"] & Y["vulnerability"]).sum())
    res["counts"]["any_advisory"] = int(sum(bool(advs[k]) for k in keys))
    res["counts"]["verdicts_withheld"] = {v: sum(r["verdict"]["level"] == v for r in W)
                                          for v in ("safe", "caution", "warning", "avoid", "unknown")}

    boot = Boot(n, SEED)
    trust_v2 = np.array([np.nan if r["trust_score"] is None else r["trust_score"] for r in W])
    assert not np.isnan(trust_v2).any(), "every crate has a Trust Score from its source"
    missing_v1 = [k for k in keys if k not in v1]
    assert not missing_v1, f"no v1 score for {missing_v1[:5]}"
    V1 = np.array([v1[k] for k in keys])
    trust_v1 = V1[:, 0]

    # --- before (v1) and after (v2, in sample) on the whole sample ----------------------------
    log("whole-sample tables")
    res["v1"] = {"trust_score": {l: boot.row(Y[l], -trust_v1) for l in LABELS},
                 "dimensions": dimension_rows(boot, Y, {d: V1[:, j + 1] for j, d in enumerate(DIMS)}, V1_WEIGHTS)}
    res["v2_in_sample"] = {"trust_score": {l: boot.row(Y[l], -trust_v2) for l in LABELS},
                           "dimensions": dimension_rows(boot, Y, *dimension_scores(W))}
    cols = source_signals(W)
    res["signals"] = signal_rows(boot, Y, cols)
    inputs = [security_signals(r) for r in W]
    X = recipe_matrix(inputs)
    lines = np.array([float(x["size"]) for x in inputs])
    res["size_baseline"] = {l: boot.row(Y[l], lines) for l in LABELS}

    # The recipe re-implemented here must give the library's own security score with its points.
    shipped = shipped_points(inputs)
    security_v2 = np.array([dimension(r, "security")["score"] for r in W])
    gap = float(np.max(np.abs(security_score(X, shipped) - security_v2)))
    assert gap <= 0.05, f"the recipe here differs from the library's security score by {gap}"
    res["shipped_points"] = {"points": dict(zip(RECIPE, [float(p) for p in shipped])), "max_abs_difference_from_library": r4(gap)}

    # --- held out: the v2 recipe fitted on training folds only --------------------------------
    log("held-out: 10-fold cross-validation x 5 repeats")
    strata = Y["memory_safety"].astype(int) * 2 + Y["vulnerability"].astype(int)
    repeats, tables, oof0 = [], [], None
    for rep in range(REPEATS):
        oof, tabs = cross_validate(X, either, strata, SEED + rep)
        if rep == 0:
            oof0 = oof
        repeats.append({l: auc(Y[l], -oof) for l in LABELS})
        tables += tabs
    tables = np.array(tables)
    held = {}
    for l in LABELS:
        per = [r[l] for r in repeats]
        held[l] = boot.row(Y[l], -oof0)
        held[l].update({"repeats": [r4(x) for x in per], "mean": r4(np.mean(per)), "min": r4(min(per)), "max": r4(max(per)),
                        "minus_size": boot.diff(Y[l], -oof0, lines), "minus_v1": boot.diff(Y[l], -oof0, -trust_v1),
                        "target": TARGETS[l], "margin": r4(held[l]["auc"] - TARGETS[l]),
                        "met": bool(held[l]["auc"] >= TARGETS[l]), "met_by_every_repeat": bool(min(per) >= TARGETS[l])})
    res["held_out"] = held
    res["held_out_points"] = {k: {"min": float(tables[:, j].min()), "max": float(tables[:, j].max())} for j, k in enumerate(RECIPE)}
    whole = fit_points(X, either)
    res["whole_sample_fit"] = dict(zip(RECIPE, [float(p) for p in whole]))
    res["size_stratified"] = size_stratified(boot, Y, lines, [
        ("Trust Score v1", -trust_v1), ("Trust Score v2 (held out)", -oof0), ("Trust Score v2 (as shipped, in sample)", -trust_v2),
        ("any unsafe", X[:, 0]), ("unsafe impls", X[:, 1])])
    res["score_distribution"] = {"v1": {p: r4(np.percentile(trust_v1, p)) for p in (5, 25, 50, 75, 95)},
                                 "v2": {p: r4(np.percentile(trust_v2, p)) for p in (5, 25, 50, 75, 95)}}

    # --- prospective ---------------------------------------------------------------------------
    log("prospective")
    res["prospective"] = prospective(keys, withheld, cut, current, lab, advs, trust_v1, X, shipped)

    with open(out_path, "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
        f.write("\n")
    log(f"wrote {out_path}")


def id_year(aid):
    m = re.match(r"RUSTSEC-(\d{4})-", aid)
    return int(m.group(1)) if m else None


def known_at_cut(a):
    """Known at the cut: dated on or before it (the engine's rule: an advisory dated on its now's
    day counts), and not numbered after 2023 (a RUSTSEC-2024 id with an earlier date was published
    later; the engine reads only the date, so analyze checks no such advisory reaches a report)."""
    y = id_year(a["id"])
    return a["date"] <= CUT and (y is None or y <= 2023)


def prospective(keys, withheld, cut, current, lab, advs, trust_v1, X_all, shipped):
    # Packages whose newest changelog entry is after the cut were rebuilt from later source.
    keep = [i for i, k in enumerate(keys) if withheld[k]["changelog_date"] <= CUT]
    dropped = sorted(f"{withheld[keys[i]]['package']} {withheld[keys[i]]['deb_version']} ({withheld[keys[i]]['changelog_date']})"
                     for i in range(len(keys)) if withheld[keys[i]]["changelog_date"] > CUT)
    K = [keys[i] for i in keep]
    n = len(K)
    C = [cut[k]["report"] for k in K]
    by_id = {a["id"]: a for v in lab["crates"].values() for a in v}

    # Nothing known only after the cut may enter a predictor: every advisory any report names
    # (affecting the version, its history, findings, caps) was known at the cut, and the engine's
    # view of each crate's pre-cut advisories is the one labels.json gives.
    named, mismatch = set(), []
    for k, r in zip(K, C):
        ids = {a["id"] for a in r["signals"].get("advisories", [])}
        ids |= set((r["signals"].get("history") or {}).get("advisories", []))
        ids |= {f["id"] for f in r["findings"] if f.get("id", "").startswith("RUSTSEC-")}
        ids |= {c["id"] for c in r["caps"] if c.get("id")}
        late = sorted(i for i in ids if not known_at_cut(by_id[i]))
        assert not late, f"{k}: the report at the cut names advisories published after it: {late}"
        named |= ids
        pre = {a["id"] for a in advs[k] if known_at_cut(a)}
        if ids != pre:
            mismatch.append((k, sorted(ids ^ pre)))
    assert not mismatch, f"the engine's pre-cut advisories differ from labels.json: {mismatch[:5]}"

    post = {k: [a for a in advs[k] if not known_at_cut(a)] for k in K}
    Y = {l: np.array([any(a[l] for a in post[k]) for k in K]) for l in LABELS}
    aff = {k: {a["id"] for a in current[k]["report"]["signals"].get("advisories", [])} for k in K}
    Ys = {l: np.array([any(a[l] and a["id"] in aff[k] for a in post[k]) for k in K]) for l in LABELS}
    pre_lab = {l: np.array([any(a[l] for a in advs[k] if known_at_cut(a)) for k in K]) for l in LABELS}
    n_pre = np.array([sum(known_at_cut(a) for a in advs[k]) for k in K], float)
    history = np.array([len((r["signals"].get("history") or {}).get("advisories", [])) for r in C], float)
    affecting = np.array([len(r["signals"].get("advisories", [])) for r in C], float)
    out = {"crates": n, "excluded_rebuilt_after_cut": dropped,
           "newest_changelog_kept": max(withheld[k]["changelog_date"] for k in K),
           "advisories_known_at_cut": int(sum(sum(known_at_cut(a) for a in advs[k]) for k in K)),
           "advisories_after_cut": int(sum(len(post[k]) for k in K)),
           "advisories_named_in_reports": len(named),
           "crates_with_history": int((history > 0).sum()), "crates_affected_at_cut": int((affecting > 0).sum()),
           "counts": {l: {"crates": int(Y[l].sum()), "base_rate": r4(Y[l].mean()),
                          "affecting_shipped_version": int(Ys[l].sum())} for l in LABELS}}

    idx = np.array(keep)
    X = X_all[idx]
    lines = np.array([float(security_signals(withheld[k]["report"])["size"]) for k in K])
    trust_cut = np.array([r["trust_score"] for r in C], float)
    trust_w = np.array([withheld[k]["report"]["trust_score"] for k in K], float)
    # The recipe refitted on what was known at the cut: labels = advisories dated by the cut.
    pts_pre = fit_points(X, pre_lab["memory_safety"] | pre_lab["vulnerability"])
    refit = security_score(X, pts_pre)
    hist_pts = [-s["points"] / math.log2(1 + s["value"]) for r in C for s in dimension(r, "security")["signals"]
                if s["signal"] == "advisory_history" and s["value"] > 0]
    hist_pts = round(float(np.median(hist_pts)), 1)
    refit_hist = np.clip(refit - hist_pts * np.log2(1 + history), 0, 100)
    out["refit_points"] = dict(zip(RECIPE, [float(p) for p in pts_pre]))
    out["history_points"] = hist_pts

    boot = Boot(n, SEED + 1)
    preds = [("Trust Score v1, source only", -trust_v1[idx]),
             ("Trust Score v2, source only (advisories withheld)", -trust_w),
             ("**v2 recipe refitted on pre-cut labels** (source signals only)", -refit),
             ("the same + the shipped history points", -refit_hist),
             ("Trust Score v2 at the cut, as shipped", -trust_cut),
             ("advisory_history: earlier advisories of the crate", history),
             ("advisories affecting the shipped version, known at the cut", affecting),
             ("size: lines of code", lines)]
    out["rows"] = []   # a list: the table's order
    for name, s in preds:
        row = {"name": name}
        row.update({l: boot.row(Y[l], s) for l in LABELS})
        row.update({l + "_shipped": boot.row(Ys[l], s) for l in LABELS})
        out["rows"].append(row)
    out["minus_size"] = {"refit": {l: boot.diff(Y[l], -refit, lines) for l in LABELS},
                         "shipped": {l: boot.diff(Y[l], -trust_cut, lines) for l in LABELS}}
    out["dimensions_at_cut"] = dimension_rows(boot, Y, *dimension_scores(C))
    return out


if __name__ == "__main__":
    main()
