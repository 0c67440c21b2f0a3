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
    objectives = data.get("objectives")
    return Sheet(
        cycle_id=str(data["cycle"]),
        team=data["team"],
        owner=data.get("owner"),
        objectives=tuple([_objective(doc, o, ("objectives", i))
                          for i, o in enumerate(objectives)]) if objectives else (),
        notes=data.get("notes"),
        src=Source(doc, ()),
    )


# Built for every sheet of the tree and for every version the history reads
# (a key result in 30 µs was a tenth of a warm lint): one `get` bound per
# mapping, lists built as lists, and nothing built for a list that is absent.


def _objective(doc: Document, data: dict[str, Any], jpath: JPath) -> Objective:
    get = data.get
    key_results = get("key_results")
    return Objective(
        id=data["id"],
        title=data["title"],
        description=get("description"),
        owner=get("owner"),
        kind=get("kind", "aspirational"),
        strategy=tuple(get("strategy") or ()),
        parent=get("parent"),
        weight=float(get("weight", 1.0)),
        key_results=tuple([_key_result(doc, kr, (*jpath, "key_results", i))
                           for i, kr in enumerate(key_results)]) if key_results else (),
        score=get("score"),
        retrospective=get("retrospective"),
        notes=get("notes"),
        src=Source(doc, jpath),
    )


def _key_result(doc: Document, data: dict[str, Any], jpath: JPath) -> KeyResult:
    get = data.get
    initiatives = get("initiatives")
    revisions = get("revisions")
    measure = get("measure")
    return KeyResult(
        id=data["id"],
        title=data["title"],
        metric=get("metric"),
        source=get("source"),
        unit=get("unit"),
        direction=get("direction", "increase"),
        baseline=get("baseline"),
        target=get("target"),
        current=get("current"),
        confidence=get("confidence"),
        due=get("due"),
        owner=get("owner"),
        contributors=tuple(get("contributors") or ()),
        initiatives=tuple([
            Initiative(i["title"], bool(i.get("done", False)), i.get("owner"), i.get("link"),
                       Source(doc, (*jpath, "initiatives", n)))
            for n, i in enumerate(initiatives)]) if initiatives else (),
        weight=float(get("weight", 1.0)),
        score=get("score"),
        notes=get("notes"),
        revisions=tuple([
            Revision(r["date"], r["field"], r.get("from"), r.get("to"), r["reason"],
                     Source(doc, (*jpath, "revisions", n)))
            for n, r in enumerate(revisions)]) if revisions else (),
        src=Source(doc, jpath),
        measure=(Measure(measure["from"], measure, Source(doc, (*jpath, "measure")))
                 if isinstance(measure, dict) else None),
    )
