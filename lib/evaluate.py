"""Score extracted indicators against a table of expected values written by reading the reports.

The match rule is the one ``shared/corpus/score.py`` uses, so a score here is comparable with the
corpus' own: a row matches an expected row of the same report and indicator when its value is
within 0.5 % (at least 0.01) of the expected value or of one of its ``accept`` alternatives; with
``strict`` the status must be equal too. Recall counts expected rows matched; precision counts
extracted rows (of catalogue indicators, in reports the expected table covers) that match one.

Expected tables in two layouts are read: the corpus layout (``accept``, ``note`` with
``JUDGEMENT CALL``) and the project's own seed tables (``tests/expected/indicators_*.csv``, where
``evidence`` ending in ``?`` marks a row that is neither required nor forbidden).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.catalogue import catalogue


@dataclass
class Score:
    per_report: pd.DataFrame  # report_id, expected, extracted, hit_expected, hit_extracted, precision, recall, f1
    misses: pd.DataFrame  # expected rows no extracted row matched
    extras: pd.DataFrame  # extracted rows that matched no expected row

    def totals(self) -> dict[str, float]:
        t = self.per_report[["expected", "extracted", "hit_expected", "hit_extracted"]].sum()
        p = t.hit_extracted / t.extracted if t.extracted else 0.0
        r = t.hit_expected / t.expected if t.expected else 0.0
        return {"expected": int(t.expected), "extracted": int(t.extracted), "precision": p, "recall": r,
                "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(0.01, 0.005 * abs(b))


def _accepts(row) -> list[float]:
    values = [float(row["value"])]
    for alt in str(row.get("accept", "") or "").split("|"):
        alt = alt.strip()
        if alt:
            values.append(float(alt.replace(",", "")))
    return values


def score(extracted: pd.DataFrame, expected: pd.DataFrame, strict: bool = False,
          skip_judgement_calls: bool = False) -> Score:
    """Score extracted indicator rows against expected rows (see the module docstring)."""
    exp = expected.copy()
    exp["report_id"] = exp["report_id"].astype(str).str.replace(r"\.(txt|html?|pdf|docx?)$", "", regex=True)
    note = exp.get("note", pd.Series("", index=exp.index)).fillna("").astype(str)
    evidence = exp.get("evidence", pd.Series("", index=exp.index)).fillna("").astype(str)
    exp["optional"] = note.str.startswith("JUDGEMENT CALL") & skip_judgement_calls | evidence.str.endswith("?")
    ext = extracted[extracted["report_id"].isin(set(exp["report_id"])) & extracted["indicator_id"].isin(catalogue())]
    hit_exp, hit_ext, only_optional = set(), set(), set()
    by_key = {k: g for k, g in exp.groupby(["report_id", "indicator_id"])}
    for i, row in ext.iterrows():
        cands = by_key.get((row["report_id"], row["indicator_id"]))
        if cands is None:
            continue
        matched = [j for j, e in cands.iterrows() if any(_close(float(row["value"]), v) for v in _accepts(e))
                   and (not strict or str(e["status"]) == str(row["status"]))]
        if matched:
            hit_exp.update(matched)
            required = [j for j in matched if not exp.at[j, "optional"]]
            (hit_ext if required else only_optional).add(i)
    counted_ext = ext.drop(index=list(only_optional))
    required = exp[~exp["optional"]]
    rows = []
    for rid in sorted(set(exp["report_id"])):
        e = required[required["report_id"] == rid]
        x = counted_ext[counted_ext["report_id"] == rid]
        he = sum(1 for j in e.index if j in hit_exp)
        hx = sum(1 for i in x.index if i in hit_ext)
        p = hx / len(x) if len(x) else (1.0 if not len(e) else 0.0)
        r = he / len(e) if len(e) else 1.0
        rows.append({"report_id": rid, "expected": len(e), "extracted": len(x), "hit_expected": he, "hit_extracted": hx,
                     "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0})
    return Score(pd.DataFrame(rows), required[~required.index.isin(hit_exp)],
                 counted_ext[~counted_ext.index.isin(hit_ext)])
