"""The grid registry: the 1+1+N structure (grid, grid party branch, instructor, inspector, N informants)."""

from __future__ import annotations

import pandas as pd

STRUCTURE_COLUMNS = ["communities", "grids", "branches", "members", "instructors", "inspectors", "informants"]


def _filled(series: pd.Series) -> pd.Series:
    """Text present and not blank."""
    return series.notna() & (series.astype("string").str.strip() != "")


def grid_structure(grids: pd.DataFrame, by: str = "unit") -> pd.DataFrame:
    """Per unit (``by="unit"``) or per community (``by="community"``): how many
    communities, grids, grids with a party branch, party members, grids with an
    instructor, grids with an inspector, and informants in all.
    """
    keys = ["unit"] if by == "unit" else ["unit", "community"]
    if grids.empty:
        return pd.DataFrame(columns=[*keys, *STRUCTURE_COLUMNS])
    work = grids.assign(
        _branch=_filled(grids["branch"]),
        _instructor=_filled(grids["instructor"]),
        _inspector=_filled(grids["inspector"]),
        _community_key=grids["unit"] + "\u0000" + grids["community"],
    )
    out = work.groupby(keys, as_index=False, sort=True).agg(
        communities=("_community_key", "nunique"),
        grids=("grid", "size"),
        branches=("_branch", "sum"),
        members=("members", lambda s: s.fillna(0).sum()),
        instructors=("_instructor", "sum"),
        inspectors=("_inspector", "sum"),
        informants=("informants", lambda s: s.fillna(0).sum()),
    )
    return out.astype({c: "int64" for c in STRUCTURE_COLUMNS})


def grids_missing(grids: pd.DataFrame) -> pd.DataFrame:
    """Grids without a party branch or without an instructor, with what is missing in Chinese."""
    branch, instructor = _filled(grids["branch"]), _filled(grids["instructor"])
    missing = grids[~branch | ~instructor].copy()
    missing["missing"] = [
        "、".join(w for w, ok in (("网格党支部", b), ("党建指导员", i)) if not ok)
        for b, i in zip(branch[missing.index], instructor[missing.index], strict=True)
    ]
    return missing[["unit", "community", "grid", "missing"]].reset_index(drop=True)
