"""A real-shaped OKR set with its history: a release team that tracks a whole release by
weekly confidence, a community team with people as contributors and a count without a
baseline ("Get 75 posts on the forum": 7 of 75), three quarters:

- 2026-Q1 ended and graded (scores on every key result, a retrospective per objective);
- 2026-Q2 ended without grades (OKR502: the site shows provisional grades);
- 2026-Q3 active on `TODAY`.

Every sheet is rewritten whole at each commit from the values below (`_sheets`), by
fixed people on fixed dates, so pages are the same on every run. `CONFIDENCE` is the
nine weekly confidence check-ins of 2026-Q1/release/ship-3-0/release-on-time, and
`RELEASE_CHECKINS` what each of those commits holds.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

TODAY = dt.date(2026, 7, 10)  # 2026-Q3 active, 2026-Q2 just ended without grades
TODAY_Q1_JUST_GRADED = dt.date(2026, 4, 10)  # 2026-Q2 active, 2026-Q1 graded
TODAY_ALL_ENDED = dt.date(2026, 10, 10)  # no active cycle: 2026-Q3 ended, not graded

MARTIN = "Martin <martin@example.com>"
ALEX = "Alex <alex@example.com>"
LIN = "林怡君 <lin@example.com>"

ORG = """\
name: Open Forge
description: A real-shaped OKR set for okrkit's report cards and trends.
strategy:
  - id: quality
    title: Ship reliable releases
  - id: community
    title: 壯大社群
teams:
  - id: release
    name: Release team
    lead: martin
  - id: community
    name: 社群組
    lead: alex
people:
  - id: martin
    name: Martin
  - id: alex
    name: Alex
  - id: lin
    name: 林怡君
"""

# (date, confidence, open blockers) of the nine weekly release check-ins in 2026-Q1
RELEASE_CHECKINS = [
    ("2026-01-05", 0.5, 40), ("2026-01-12", 0.55, 36), ("2026-01-19", 0.6, 36),
    ("2026-01-26", 0.5, 30), ("2026-02-02", 0.6, 24), ("2026-02-09", 0.7, 24),
    ("2026-02-16", 0.8, 16), ("2026-02-23", 0.85, 10), ("2026-03-02", 0.9, 6),
]
CONFIDENCE = [c for _, c, _ in RELEASE_CHECKINS]


def _v(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _score(graded: bool, score: float) -> str:
    return f"\n        score: {score}" if graded else ""


def _retro(graded: bool, text: str) -> str:
    return f"    retrospective: {text}\n" if graded else ""


def release_q1(v: dict[str, Any]) -> str:
    confidence = "" if v["confidence"] is None else f"\n        confidence: {v['confidence']}"
    graded = v.get("graded", False)
    return f"""\
cycle: 2026-Q1
team: release
owner: martin
objectives:
  - id: ship-3-0
    title: Ship release 3.0 on time
    owner: martin
    kind: committed
    strategy: [quality]
    key_results:
      - id: release-on-time
        title: Publish 3.0 by 31 March
        metric: release published
        direction: milestone
        current: {_v(v['released'])}{confidence}
        owner: martin{_score(graded, 1.0)}
      - id: blockers
        title: Close all 40 release blockers
        metric: open release blockers
        source: issue tracker
        unit: blockers
        direction: decrease
        baseline: 40
        target: 0
        current: {v['blockers']}
        owner: martin{_score(graded, 0.9)}
{_retro(graded, "Shipped on 30 March; four blockers moved to 3.0.1.")}\
  - id: docs
    title: 讓使用手冊跟上 3.0
    owner: lin
    kind: aspirational
    strategy: [quality]
    key_results:
      - id: guide-pages
        title: Rewrite 20 user guide pages
        metric: pages rewritten
        unit: pages
        baseline: 0
        target: 20
        current: {v['pages']}
        owner: lin{_score(graded, 0.65)}
      - id: translations
        title: 將手冊翻譯成 3 種語言
        metric: 已翻譯語言數
        unit: languages
        baseline: 0
        target: 3
        current: {v['languages']}
        owner: lin{_score(graded, 0.33)}
{_retro(graded, "Pages went well; translators were busy with the website.")}"""


def community_q1(v: dict[str, Any]) -> str:
    graded = v.get("graded", False)
    return f"""\
cycle: 2026-Q1
team: community
owner: alex
objectives:
  - id: forum
    title: Bring people to the forum
    owner: alex
    kind: aspirational
    strategy: [community]
    key_results:
      - id: members
        title: Grow forum members from 200 to 400
        metric: forum members
        unit: members
        baseline: 200
        target: 400
        current: {v['members']}
        owner: alex{_score(graded, 0.65)}
      - id: meetups
        title: Host 6 meetups
        metric: meetups held
        unit: meetups
        baseline: 0
        target: 6
        current: {v['meetups']}
        owner: alex{_score(graded, 1.0)}
{_retro(graded, "Meetups filled up; member growth slowed after February.")}"""


def release_q2(v: dict[str, Any]) -> str:
    return f"""\
cycle: 2026-Q2
team: release
owner: martin
objectives:
  - id: ship-3-1
    title: Ship 3.1 with fewer regressions
    owner: martin
    kind: committed
    strategy: [quality]
    key_results:
      - id: regressions
        title: Cut open regressions from 12 to 3
        metric: open regressions
        unit: regressions
        direction: decrease
        baseline: 12
        target: 3
        current: {v['regressions']}
        confidence: {v['confidence']}
        owner: martin
      - id: ci-time
        title: Cut CI time from 40 to 20 minutes
        metric: CI duration
        unit: min
        direction: decrease
        baseline: 40
        target: 20
        current: {v['ci']}
        owner: martin
"""


def community_q2(v: dict[str, Any]) -> str:
    return f"""\
cycle: 2026-Q2
team: community
owner: alex
objectives:
  - id: forum-activity
    title: A forum people talk in
    owner: alex
    kind: aspirational
    strategy: [community]
    key_results:
      - id: forum-posts
        title: Get 75 posts on the forum
        metric: forum posts
        unit: posts
        target: 75
        current: {v['posts']}
        owner: alex
        contributors: [martin, alex]
      - id: answered
        title: Answer 90% of questions within a day
        metric: questions answered within a day
        unit: "%"
        baseline: 60
        target: 90
        current: {v['answered']}
        owner: alex
"""


def release_q3(v: dict[str, Any]) -> str:
    return f"""\
cycle: 2026-Q3
team: release
owner: martin
objectives:
  - id: ship-4-0
    title: Ship 4.0 by September
    owner: martin
    kind: committed
    strategy: [quality]
    key_results:
      - id: features-done
        title: Finish 8 planned 4.0 features
        metric: features merged
        unit: features
        baseline: 0
        target: 8
        current: {v['features']}
        confidence: {v['confidence']}
        owner: martin
      - id: beta-testers
        title: Recruit 50 beta testers
        metric: beta testers
        unit: testers
        baseline: 0
        target: 50
        current: {v['testers']}
        owner: martin
        contributors: [community, lin]
"""


def community_q3(v: dict[str, Any]) -> str:
    return f"""\
cycle: 2026-Q3
team: community
owner: alex
objectives:
  - id: contributors
    title: 培養新的貢獻者
    owner: alex
    kind: aspirational
    strategy: [community]
    key_results:
      - id: first-prs
        title: 30 first-time contributors merge a pull request
        metric: first-time contributors
        unit: people
        baseline: 0
        target: 30
        current: {v['first_prs']}
        confidence: {v['confidence']}
        owner: alex
        contributors: [release]
      - id: mentors
        title: Grow mentors from 4 to 10
        metric: mentors
        unit: mentors
        baseline: 4
        target: 10
        current: {v['mentors']}
        owner: lin
"""


def make_real_history(repo: Any) -> dict[str, str]:
    """Commit the set's history into `repo`; the sha of each named step."""
    shas: dict[str, str] = {}
    release = {"released": False, "confidence": None, "blockers": 40, "pages": 0,
               "languages": 0}
    community = {"members": 200, "meetups": 0}
    q1r, q1c = "okrs/2026-Q1/release.yaml", "okrs/2026-Q1/community.yaml"
    repo.write("okrs/org.yaml", ORG)
    repo.write(q1r, release_q1(release))
    repo.write(q1c, community_q1(community))
    shas["plan-q1"] = repo.commit("okrs: plan 2026-Q1", author=MARTIN,
                                  date="2025-12-20T10:00:00+00:00")
    for n, (day, confidence, blockers) in enumerate(RELEASE_CHECKINS):
        release.update(confidence=confidence, blockers=blockers)
        if n == 4:
            release["pages"] = 8
        repo.write(q1r, release_q1(release))
        shas[f"release-{n + 1}"] = repo.commit(f"checkin: release week {n + 1}", author=MARTIN,
                                               date=f"{day}T09:00:00+00:00")
        if n == 5:  # a community check-in between two release ones
            community.update(members=280, meetups=3)
            repo.write(q1c, community_q1(community))
            shas["community-1"] = repo.commit("checkin: forum", author=ALEX,
                                              date="2026-02-10T12:00:00+00:00")
    release.update(released=True, blockers=4, pages=13, languages=1)
    repo.write(q1r, release_q1(release))
    repo.commit("checkin: 3.0 is out", author=MARTIN, date="2026-03-30T18:00:00+00:00")
    community.update(members=330, meetups=6)
    repo.write(q1c, community_q1(community))
    repo.commit("checkin: forum at quarter end", author=ALEX, date="2026-03-31T18:00:00+00:00")
    # 2026-Q2 planned before it starts
    q2r, q2c = "okrs/2026-Q2/release.yaml", "okrs/2026-Q2/community.yaml"
    repo.write(q2r, release_q2({"regressions": 12, "confidence": 0.7, "ci": 40}))
    repo.write(q2c, community_q2({"posts": 0, "answered": 60}))
    repo.commit("okrs: plan 2026-Q2", author=MARTIN, date="2026-03-28T10:00:00+00:00")
    repo.write(q1r, release_q1({**release, "graded": True}))
    repo.write(q1c, community_q1({**community, "graded": True}))
    shas["grade-q1"] = repo.commit("okrs: grade 2026-Q1", author=MARTIN,
                                   date="2026-04-02T10:00:00+00:00")
    repo.write(q2r, release_q2({"regressions": 8, "confidence": 0.6, "ci": 30}))
    repo.commit("checkin: 3.1 regressions", author=MARTIN, date="2026-05-15T09:00:00+00:00")
    repo.write(q2c, community_q2({"posts": 7, "answered": 70}))
    repo.commit("checkin: forum posts", author=ALEX, date="2026-05-20T09:00:00+00:00")
    repo.write(q2r, release_q2({"regressions": 5, "confidence": 0.5, "ci": 26}))
    repo.commit("checkin: 3.1 at quarter end", author=MARTIN, date="2026-06-29T09:00:00+00:00")
    # 2026-Q3: active on TODAY
    q3r, q3c = "okrs/2026-Q3/release.yaml", "okrs/2026-Q3/community.yaml"
    repo.write(q3r, release_q3({"features": 0, "confidence": 0.6, "testers": 0}))
    repo.write(q3c, community_q3({"first_prs": 0, "confidence": 0.5, "mentors": 4}))
    repo.commit("okrs: plan 2026-Q3", author=LIN, date="2026-06-26T10:00:00+00:00")
    repo.write(q3r, release_q3({"features": 2, "confidence": 0.7, "testers": 12}))
    repo.commit("checkin: 4.0 features", author=MARTIN, date="2026-07-06T09:00:00+00:00")
    repo.write(q3c, community_q3({"first_prs": 4, "confidence": 0.6, "mentors": 5}))
    repo.commit("checkin: first contributors", author=ALEX, date="2026-07-08T09:00:00+00:00")
    return shas
