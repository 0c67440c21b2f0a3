"""Inline suppressions in the YAML, and their own findings OKR901–903.

    # okr: disable-next-line OKR301 -- 與財務確認過的保守目標
    target: 103   # okr: disable-line OKR301,OKR302 -- reason
    # okr: disable-file OKR603 -- reason

The comments come from `Document.comments` (found by the loader from the YAML
tokens, so a `#` inside a quoted or block string is not one). A finding's line
is the line where its value starts; a line where a value written below its key
starts also counts as the key's line, so a comment on `target:` covers it.
A `disable-next-line` covers the next line on which YAML content starts
(blank and comment-only lines are skipped); when that line starts a list item
that is a mapping or a list (an objective, a key result), it covers the whole
item, nested items included, the way hadolint's comment covers the whole next
instruction: people write the comment above the thing they mean, while a rule
reports at the value it judges (OKR301 at `target:`). On a scalar line it
stays that one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from okrkit.findings import Finding, Pos, Severity, render
from okrkit.rules import Rule
from okrkit.yamlload import Document

KINDS = ("disable-next-line", "disable-line", "disable-file")
_SPLIT_RE = re.compile(r"[,\s]+")

NO_REASON = Rule(
    code="OKR901", name="suppression-without-reason", severity=Severity.ERROR,
    scope="suppression",
    messages={
        "default": {"en": "suppression of {codes} gives no reason: add ' -- why' after the codes",
                    "zh-TW": "停用 {codes} 未說明原因:請在代碼後加上「 -- 原因」"},
    },
    doc="""Suppression without a reason

**What**: an inline suppression (`# okr: disable-line`, `disable-next-line` or
`disable-file`) that does not say why, after ` -- `.

**Why**: a silenced finding is a decision somebody made; the reason tells a
reviewer (and the team next quarter) that it was deliberate. The seed's
practice 公開透明的溝通 (communicate openly) applies to exceptions too.

**Bad**:

```yaml
    target: 103  # okr: disable-line OKR301
```

**Good**:

```yaml
    target: 103  # okr: disable-line OKR301 -- 與財務確認過的保守目標
```
""",
    doc_zh="""停用檢查卻未說明原因

**說明**:行內停用(`# okr: disable-line`、`disable-next-line` 或 `disable-file`)
沒有在 ` -- ` 之後說明原因。

**原因**:停用一項檢查是某人做的決定;寫下原因,審閱者(以及下一季的團隊)才知道
這是刻意的。文章所說的「公開透明的溝通」同樣適用於例外。

**錯誤示範**:

```yaml
    target: 103  # okr: disable-line OKR301
```

**正確示範**:

```yaml
    target: 103  # okr: disable-line OKR301 -- 與財務確認過的保守目標
```
""",
)

UNKNOWN_CODE = Rule(
    code="OKR902", name="unknown-code", severity=Severity.ERROR, scope="suppression",
    messages={
        "default": {"en": "unknown rule code '{code}' in a suppression",
                    "zh-TW": "停用註解中有未知的規則代碼「{code}」"},
        "not-suppressible": {"en": "{code} cannot be suppressed inline",
                             "zh-TW": "{code} 不能以行內註解停用"},
        "directive": {"en": "unknown suppression '{directive}': use disable-next-line, "
                            "disable-line or disable-file",
                      "zh-TW": "未知的停用指令「{directive}」:請使用 disable-next-line、"
                               "disable-line 或 disable-file"},
        "no-codes": {"en": "'{directive}' names no rule code: list the codes to disable",
                     "zh-TW": "「{directive}」沒有指定規則代碼:請列出要停用的代碼"},
    },
    doc="""Unknown code in a suppression

**What**: an `# okr:` comment that is not one of `disable-next-line`,
`disable-line`, `disable-file`, that names no code, or that names a code that
does not exist (a typo such as `OKR31`) or cannot be suppressed (OKR901–903).

**Why**: a misspelt suppression silences nothing, and the finding it was
meant for keeps coming back without anybody seeing why.

**Bad**:

```yaml
    target: 103  # okr: disable-line OKR31 -- 與財務確認過的保守目標
```

**Good**:

```yaml
    target: 103  # okr: disable-line OKR301 -- 與財務確認過的保守目標
```
""",
    doc_zh="""停用註解中的代碼無法辨識

**說明**:`# okr:` 註解不是 `disable-next-line`、`disable-line`、`disable-file`
之一、沒有列出代碼,或列出的代碼不存在(例如打錯成 `OKR31`)或不能停用(OKR901–903)。

**原因**:拼錯的停用註解什麼也沒停用,原本要停用的問題會一直出現,卻沒人看得出原因。

**錯誤示範**:

```yaml
    target: 103  # okr: disable-line OKR31 -- 與財務確認過的保守目標
```

**正確示範**:

```yaml
    target: 103  # okr: disable-line OKR301 -- 與財務確認過的保守目標
```
""",
)

UNUSED = Rule(
    code="OKR903", name="unused-suppression", severity=Severity.WARNING, scope="suppression",
    messages={
        "default": {"en": "unused suppression: no {code} finding here",
                    "zh-TW": "多餘的停用註解:這裡沒有 {code} 的問題"},
    },
    doc="""Unused suppression

**What**: an inline suppression names a code that has no finding on the line
(or in the list item, or the file) it covers, although that rule ran. A
`disable-next-line` above a list item (an objective, a key result) covers the
whole item, nested key results included; above a scalar line, that line only.

**Why**: the problem was fixed, or the comment sits on the wrong line; either
way a stale suppression would hide the next real finding there.

**Bad**:

```yaml
    target: 130  # okr: disable-line OKR301 -- 保守目標(但 +30% 並不保守)
```

**Good**:

```yaml
    target: 130
```
""",
    doc_zh="""多餘的停用註解

**說明**:行內停用註解所列的代碼,在它涵蓋的那一行(或那個清單項目、整個檔案)沒有任何
問題,而該規則確實有執行。寫在清單項目(目標、關鍵結果)上方的 `disable-next-line`
涵蓋整個項目,包括其中的關鍵結果;寫在純量的行上方時,只涵蓋那一行。

**原因**:問題已經修正,或註解放錯了行;無論哪一種,留著的停用註解都會遮住那裡下一個
真正的問題。

**錯誤示範**:

```yaml
    target: 130  # okr: disable-line OKR301 -- 保守目標(但 +30% 並不保守)
```

**正確示範**:

```yaml
    target: 130
```
""",
)

RULES: dict[str, Rule] = {r.code: r for r in (NO_REASON, UNKNOWN_CODE, UNUSED)}


@dataclass(frozen=True, slots=True)
class Suppression:
    """One parsed `# okr:` comment."""

    kind: str
    codes: tuple[str, ...]
    reason: str
    pos: Pos
    lines: frozenset[int] | None  # the lines it covers; None: the whole file

    def covers(self, lines: Iterable[int]) -> bool:
        return self.lines is None or not self.lines.isdisjoint(lines)


def _finding(rule: Rule, pos: Pos, variant: str = "default", **params: str) -> Finding:
    return Finding(pos, rule.code, rule.severity, render(rule.messages[variant], params), params)


def parse(doc: Document, known: frozenset[str]) -> tuple[list[Suppression], list[Finding]]:
    """The suppressions of one document, and the findings about malformed ones."""
    suppressions: list[Suppression] = []
    findings: list[Finding] = []
    starts: list[int] | None = None
    for comment in doc.comments:
        pos = Pos(doc.path, comment.line, comment.col)
        body = comment.text.split(":", 1)[1] if ":" in comment.text else ""
        head, dashes, reason = body.partition("--")
        words = head.split(None, 1)
        directive = words[0] if words else ""
        if directive not in KINDS:
            findings.append(_finding(UNKNOWN_CODE, pos, "directive", directive=directive))
            continue
        codes = tuple(c for c in _SPLIT_RE.split(words[1] if len(words) > 1 else "") if c)
        if not codes:
            findings.append(_finding(UNKNOWN_CODE, pos, "no-codes", directive=directive))
            continue
        good = []
        for code in codes:
            if code not in known:
                findings.append(_finding(UNKNOWN_CODE, pos, code=code))
            elif code in RULES:
                findings.append(_finding(UNKNOWN_CODE, pos, "not-suppressible", code=code))
            else:
                good.append(code)
        if not dashes or not reason.strip():
            findings.append(_finding(NO_REASON, pos, codes=",".join(codes)))
        if not good:
            continue
        lines: frozenset[int] | None
        if directive == "disable-file":
            lines = None
        elif directive == "disable-line":
            lines = frozenset((comment.line,))
        else:
            if starts is None:
                starts = sorted({line for line, _ in doc.values.values()}
                                | {line for line, _ in doc.keys.values()})
            following = next((line for line in starts if line > comment.line), None)
            lines = frozenset(() if following is None else _item_lines(doc, following))
        suppressions.append(Suppression(directive, tuple(good), reason.strip(), pos, lines))
    return suppressions, findings


def _item_lines(doc: Document, line: int) -> frozenset[int]:
    """`line`, or every line of the list item (a mapping or list) that starts on it."""
    items = [jpath for jpath, (at, _) in doc.values.items()
             if at == line and jpath and isinstance(jpath[-1], int)]
    if not items:
        return frozenset((line,))
    item = min(items, key=len)  # `- - a`: the outer item
    node = doc.data
    try:
        for step in item:
            node = node[step]
    except (KeyError, IndexError, TypeError):  # a document the loader half-read
        return frozenset((line,))
    if not isinstance(node, (dict, list)):
        return frozenset((line,))
    size = len(item)
    return frozenset(at for table in (doc.values, doc.keys) for jpath, (at, _) in table.items()
                     if jpath[:size] == item)


def _key_lines(doc: Document) -> dict[int, int]:
    """Line where a value starts → its key's line, for values written below their key."""
    found: dict[int, int] = {}
    for jpath, (key_line, _) in doc.keys.items():
        value = doc.values.get(jpath)
        if value is not None and value[0] != key_line:
            found.setdefault(value[0], key_line)
    return found


@dataclass(frozen=True, slots=True)
class Applied:
    kept: list[Finding]
    suppressed: list[tuple[Finding, str]]  # with the reason given
    findings: list[Finding]  # OKR901–903


def apply(findings: Sequence[Finding], docs: Mapping[str, Document], *,
          known: frozenset[str], ran: Mapping[str, frozenset[str]]) -> Applied:
    """Drop the findings that a suppression in their file covers.

    `ran`: path → the codes whose checks ran on that file; a suppression of
    another code is not reported as unused (its rule was deselected).
    """
    by_path: dict[str, list[Suppression]] = {}
    own: list[Finding] = []
    for path, doc in docs.items():
        if doc.comments:
            by_path[path], bad = parse(doc, known)
            own += bad
    if not by_path:
        return Applied(list(findings), [], own)
    key_lines = {path: _key_lines(docs[path]) for path in by_path}
    used: set[tuple[int, str]] = set()
    kept: list[Finding] = []
    suppressed: list[tuple[Finding, str]] = []
    for finding in findings:
        suppressions = by_path.get(finding.pos.path)
        if not suppressions:
            kept.append(finding)
            continue
        lines = {finding.pos.line}
        key_line = key_lines[finding.pos.path].get(finding.pos.line)
        if key_line is not None:
            lines.add(key_line)
        match = next((s for s in suppressions if finding.code in s.codes and s.covers(lines)),
                     None)
        if match is None:
            kept.append(finding)
        else:
            used.add((id(match), finding.code))
            suppressed.append((finding, match.reason))
    for path, suppressions in by_path.items():
        for s in suppressions:
            for code in s.codes:
                if (id(s), code) not in used and code in ran.get(path, frozenset()):
                    own.append(_finding(UNUSED, s.pos, code=code))
    return Applied(kept, suppressed, own)
