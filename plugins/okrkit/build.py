"""Schema-valid documents → model values (the schema has checked every type)."""

from __future__ import annotations

from typing import Any

from okrkit.model import (
    Initiative,
    KeyResult,
    Measure,
    Objective,
    Org,
    Person,
    Revision,
    Sheet,
    Source,
    Team,
    Theme,
)
from okrkit.yamlload import Document, JPath


def org_from(doc: Document) -> Org:
    data: dict[str, Any] = doc.data
    return Org(
        name=data["name"],
        description=data.get("description") or "",
        themes=tuple(Theme(t["id"], t["title"], t.get("description") or "",
                           Source(doc, ("strategy", i)))
                     for i, t in enumerate(data.get("strategy") or ())),
        teams=tuple(Team(t["id"], t["name"], t.get("parent"), t.get("lead"),
                         tuple(t.get("members") or ()), Source(doc, ("teams", i)))
                    for i, t in enumerate(data.get("teams") or ())),
        people=tuple(Person(p["id"], p.get("name") or "", Source(doc, ("people", i)),
                            email=p.get("email") or "", github=p.get("github") or "")
                     for i, p in enumerate(data.get("people") or ())),
        src=Source(doc, ()),
    )


def sheet_from(doc: Document) -> Sheet:
    data: dict[str, Any] = doc.data
    return Sheet(
        cycle_id=str(data["cycle"]),
        team=data["team"],
        owner=data.get("owner"),
        objectives=tuple(_objective(doc, o, ("objectives", i))
                         for i, o in enumerate(data.get("objectives") or ())),
        notes=data.get("notes"),
        src=Source(doc, ()),
    )


def _objective(doc: Document, data: dict[str, Any], jpath: JPath) -> Objective:
    return Objective(
        id=data["id"],
        title=data["title"],
        description=data.get("description"),
        owner=data.get("owner"),
        kind=data.get("kind", "aspirational"),
        strategy=tuple(data.get("strategy") or ()),
        parent=data.get("parent"),
        weight=float(data.get("weight", 1.0)),
        key_results=tuple(_key_result(doc, kr, (*jpath, "key_results", i))
                          for i, kr in enumerate(data.get("key_results") or ())),
        score=data.get("score"),
        retrospective=data.get("retrospective"),
        notes=data.get("notes"),
        src=Source(doc, jpath),
    )


def _key_result(doc: Document, data: dict[str, Any], jpath: JPath) -> KeyResult:
    return KeyResult(
        id=data["id"],
        title=data["title"],
        metric=data.get("metric"),
        source=data.get("source"),
        unit=data.get("unit"),
        direction=data.get("direction", "increase"),
        baseline=data.get("baseline"),
        target=data.get("target"),
        current=data.get("current"),
        confidence=data.get("confidence"),
        due=data.get("due"),
        owner=data.get("owner"),
        contributors=tuple(data.get("contributors") or ()),
        initiatives=tuple(
            Initiative(i["title"], bool(i.get("done", False)), i.get("owner"), i.get("link"),
                       Source(doc, (*jpath, "initiatives", n)))
            for n, i in enumerate(data.get("initiatives") or ())),
        weight=float(data.get("weight", 1.0)),
        score=data.get("score"),
        notes=data.get("notes"),
        revisions=tuple(
            Revision(r["date"], r["field"], r.get("from"), r.get("to"), r["reason"],
                     Source(doc, (*jpath, "revisions", n)))
            for n, r in enumerate(data.get("revisions") or ())),
        src=Source(doc, jpath),
        measure=(Measure(m["from"], m, Source(doc, (*jpath, "measure")))
                 if isinstance(m := data.get("measure"), dict) else None),
    )
