"""Structural problems OKR001–009: found by the loader, the schema and the tree.

Each entry is documented like a rule (the text after the title is its page in
`okr rule` and on the site), so every code a user can see has a page. The
SMART rules live in `okrkit.rules`; these are the ones that make a file
unreadable or inconsistent, always errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from okrkit.findings import Finding, Pos, Severity, render


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    name: str
    doc: str  # Markdown, English: `okr rule CODE` and the site's rule page
    messages: Mapping[str, Mapping[str, str]]  # variant -> lang -> template
    doc_zh: str = ""  # the same documentation in Traditional Chinese

    def finding(self, pos: Pos, variant: str = "default", **params: Any) -> Finding:
        return Finding(pos, self.code, Severity.ERROR, render(self.messages[variant], params),
                       params)


YAML_SYNTAX = Problem(
    "OKR001", "yaml-syntax",
    """YAML syntax error

**What**: the file is not well-formed YAML: a syntax error, a tab used for
indentation, more than one document, an explicit tag, nesting deeper than
any OKR file needs, or a merge conflict left unresolved (git's `<<<<<<<`,
`=======`, `|||||||` and `>>>>>>>` marker lines, reported at the first marker).

**Why**: nothing else can be checked until the file parses; a sheet in
conflict holds two versions of its values, so `okr checkin` refuses it too.

**Bad**:

```yaml
objectives:
	- id: grow   # a tab
```

**Good**:

```yaml
objectives:
  - id: grow
```
""",
    {
        "default": {"en": "invalid YAML: {problem}", "zh-TW": "YAML 語法錯誤:{problem}"},
        "tab": {"en": "tab character: indent with spaces",
                "zh-TW": "出現 Tab 字元:請以空白縮排"},
        "multiple-documents": {"en": "more than one YAML document in the file",
                               "zh-TW": "檔案中有多於一個 YAML 文件"},
        "tag": {"en": "explicit YAML tag {tag} is not allowed",
                "zh-TW": "不允許明確的 YAML 標籤 {tag}"},
        "too-deep": {"en": "nesting deeper than {limit} levels",
                     "zh-TW": "巢狀層級超過 {limit} 層"},
        "control-char": {"en": "control character {char} is not allowed",
                         "zh-TW": "不允許控制字元 {char}"},
        "line-separator": {"en": "unusual line break {char} ends the line for YAML: quote "
                                 "the text or remove it",
                           "zh-TW": "不常見的換行字元 {char} 會被 YAML 當成換行:請替文字加上"
                                    "引號或移除它"},
        "complex-key": {"en": "mapping keys must be plain scalars",
                        "zh-TW": "對應的鍵必須是純量"},
        "conflict": {"en": "unresolved merge conflict marker '{marker}': resolve the "
                           "conflict first",
                     "zh-TW": "未解決的合併衝突標記「{marker}」:請先解決衝突"},
        "unclosed-quote": {"en": "the quote opened here is never closed: add the closing quote",
                           "zh-TW": "此處開始的引號沒有結束:請補上結尾的引號"},
        "missing-colon": {"en": "expected 'key: value' on this line: a ':' and a space are "
                                "missing",
                          "zh-TW": "這一行應寫成「鍵: 值」:缺少冒號「:」與其後的空白"},
        "unclosed-list": {"en": "the list opened with '[' here is not closed with ']' (or a ',' "
                                "is missing)",
                          "zh-TW": "此處以「[」開始的清單沒有以「]」結束(或缺少逗號「,」)"},
        "unclosed-map": {"en": "the mapping opened with '{{' here is not closed with '}}' (or a "
                               "',' is missing)",
                         "zh-TW": "此處以「{{」開始的對應沒有以「}}」結束(或缺少逗號「,」)"},
        "colon-in-value": {"en": "': ' is not allowed here: quote a text that holds ': ', or "
                                 "check the indentation",
                           "zh-TW": "此處不能出現「: 」:文字中含有「: 」時請加上引號,或檢查縮排"},
        "indentation": {"en": "this line's indentation does not line up with the lines above",
                        "zh-TW": "這一行的縮排與上方各行對不齊"},
        "reserved-char": {"en": "a value cannot start with '{char}': put it in quotes",
                          "zh-TW": "值不能以「{char}」開頭:請加上引號"},
        "unknown-escape": {"en": "unknown escape after '\\' in double quotes: use single "
                                 "quotes, or write '\\\\'",
                           "zh-TW": "雙引號中「\\」後面的跳脫字元無效:請改用單引號,或寫成「\\\\」"},
        "fullwidth-colon": {"en": "full-width colon '：' after a key: type ':' and a space",
                            "zh-TW": "鍵後面是全形冒號「：」:請改用半形冒號「:」加一個空白"},
        "fullwidth-space": {"en": "full-width space (U+3000) where YAML needs ordinary spaces: "
                                  "indent and separate with ' '",
                            "zh-TW": "出現全形空白(U+3000):縮排與冒號後請使用半形空白"},
    },
    doc_zh="""YAML 語法錯誤

**說明**:檔案不是格式正確的 YAML:語法錯誤、以 Tab 縮排、一個檔案裡有多份文件、
使用明確的標籤(tag)、巢狀層級深到任何 OKR 檔案都用不到,或留有未解決的合併衝突
(git 的 `<<<<<<<`、`=======`、`|||||||`、`>>>>>>>` 標記行,回報於第一個標記)。

**原因**:檔案無法解析,其他檢查都無從進行;有衝突的表單同時含有兩個版本的數值,
所以 `okr checkin` 也會拒絕修改它。

**錯誤示範**:

```yaml
objectives:
	- id: grow   # Tab 縮排
```

**正確示範**:

```yaml
objectives:
  - id: grow
```
""",
)

SCHEMA = Problem(
    "OKR002", "schema",
    """Schema violation

**What**: the file does not match the JSON Schema of its kind (sheet, org or
config): a missing required key, an unknown key, a wrong type, a value out of
range, an id that is not a slug, a date that does not exist.

**Why**: the schema is the file format's contract; editors use it for
completion and hover help, and every other check relies on it.

**Bad**:

```yaml
due: 2025-13-45
confidence: 1.5
```

**Good**:

```yaml
due: 2026-03-31
confidence: 0.7
```
""",
    {
        "default": {"en": "{where}{problem}", "zh-TW": "{where}{problem_zh}"},
    },
    doc_zh="""不符合結構定義(schema)

**說明**:檔案不符合其種類(OKR 表、組織或設定檔)的 JSON Schema:缺少必要欄位、
未知的欄位、型別錯誤、數值超出範圍、id 不是 slug、日期不存在;設定檔中未知的規則
選項或型別錯誤的選項也屬此類。

**原因**:schema 是檔案格式的約定;編輯器靠它提供自動完成與說明,其他檢查也都以它為前提。

**錯誤示範**:

```yaml
due: 2025-13-45
confidence: 1.5
```

**正確示範**:

```yaml
due: 2026-03-31
confidence: 0.7
```
""",
)

DUPLICATE_KEY = Problem(
    "OKR003", "duplicate-key",
    """Duplicate key

**What**: the same key appears twice in one mapping.

**Why**: YAML parsers silently keep one of the two values, so an edit can be
lost without anybody noticing.

**Bad**:

```yaml
target: 60000
target: 55000
```

**Good**:

```yaml
target: 55000
```
""",
    {
        "default": {"en": "duplicate key '{key}' (first on line {first_line})",
                    "zh-TW": "重複的鍵「{key}」(第 {first_line} 行已出現)"},
    },
    doc_zh="""重複的鍵

**說明**:同一個對應(mapping)裡出現兩次相同的鍵。

**原因**:YAML 解析器會默默只保留其中一個值,修改可能在沒人察覺的情況下遺失。

**錯誤示範**:

```yaml
target: 60000
target: 55000
```

**正確示範**:

```yaml
target: 55000
```
""",
)

ALIAS = Problem(
    "OKR004", "alias",
    """YAML anchor or alias

**What**: the file uses a YAML anchor (`&name`) or alias (`*name`).

**Why**: OKR files are edited by hand and reviewed as diffs; a value shared
through an alias changes in places the diff does not show, and nested aliases
can blow up to gigabytes (the "billion laughs" attack).

**Bad**:

```yaml
owner: &lead mei
key_results:
  - owner: *lead
```

**Good**:

```yaml
owner: mei
key_results:
  - owner: mei
```
""",
    {
        "default": {"en": "YAML {kind} '{name}' is not allowed: write the value out",
                    "zh-TW": "不允許 YAML {kind_zh}「{name}」:請直接寫出值"},
    },
    doc_zh="""YAML 錨點或別名

**說明**:檔案使用了 YAML 錨點(`&name`)或別名(`*name`)。

**原因**:OKR 檔案是手動編輯、以差異(diff)審閱的;透過別名共用的值會在差異看不到的
地方改變,巢狀別名還可能膨脹成數 GB(「billion laughs」攻擊)。

**錯誤示範**:

```yaml
owner: &lead mei
key_results:
  - owner: *lead
```

**正確示範**:

```yaml
owner: mei
key_results:
  - owner: mei
```
""",
)

DUPLICATE_ID = Problem(
    "OKR005", "duplicate-id",
    """Duplicate id

**What**: two objectives of one sheet, two key results of one objective, two
teams, two strategy themes or two people share an id; or one team has two
sheets in one cycle (`marketing.yaml` beside `marketing.yml`).

**Why**: ids become URLs, anchors and history keys; a duplicate makes a
reference or a timeline ambiguous.

**Bad**:

```yaml
key_results:
  - id: visitors
  - id: visitors
```

**Good**:

```yaml
key_results:
  - id: unique-visitors
  - id: returning-visitors
```
""",
    {
        "default": {"en": "duplicate {what} id '{id}' (first at line {first_line})",
                    "zh-TW": "重複的{what_zh} id「{id}」(第 {first_line} 行已出現)"},
        "sheet": {"en": "a second sheet for team '{team}' in cycle '{cycle}' (first: {first})",
                  "zh-TW": "團隊「{team}」在週期「{cycle}」有第二份表(第一份:{first})"},
    },
    doc_zh="""重複的 id

**說明**:同一份表中的兩個目標、同一個目標的兩個關鍵結果、兩個團隊、兩個策略主題或
兩位成員使用了相同的 id;或同一個團隊在同一週期有兩份表(`marketing.yaml` 與
`marketing.yml` 並存)。

**原因**:id 會成為網址、錨點與歷史紀錄的鍵;重複的 id 讓引用與時間軸變得模稜兩可。

**錯誤示範**:

```yaml
key_results:
  - id: visitors
  - id: visitors
```

**正確示範**:

```yaml
key_results:
  - id: unique-visitors
  - id: returning-visitors
```
""",
)

UNRESOLVED_REFERENCE = Problem(
    "OKR006", "unresolved-reference",
    """Unresolved reference

**What**: a `parent`, `strategy`, `team`, `contributors`, team `parent` or an
owner names something that does not exist (an objective in another sheet, a
strategy theme or team in `org.yaml`, a person in `people` when the org lists
people; a contributor is a team or a person), or a cycle that is not defined,
or a parent objective whose cycle does not contain this one.

**Why**: alignment (SMART's *Relevant*) is only real if the link leads
somewhere.

**Bad**:

```yaml
parent: 2026/company/grow-onlin
```

**Good**:

```yaml
parent: 2026/company/grow-online
```
""",
    {
        "default": {"en": "unknown {what} '{ref}'", "zh-TW": "找不到{what_zh}「{ref}」"},
        "suggest": {"en": "unknown {what} '{ref}' (did you mean '{suggestion}'?)",
                    "zh-TW": "找不到{what_zh}「{ref}」(是否指「{suggestion}」?)"},
        "cycle-outside": {
            "en": "parent '{ref}' is in cycle {parent_cycle}, which does not contain {cycle}",
            "zh-TW": "上層目標「{ref}」所屬週期 {parent_cycle} 不包含 {cycle}",
        },
        "unknown-cycle": {"en": "unknown cycle '{ref}'", "zh-TW": "未定義的週期「{ref}」"},
        "no-org": {"en": "no org.yaml found beside the cycle folders: {what} '{ref}' "
                         "cannot be checked",
                   "zh-TW": "找不到 org.yaml:無法檢查{what_zh}「{ref}」"},
    },
    doc_zh="""找不到引用的對象

**說明**:`parent`、`strategy`、`team`、`contributors`、團隊的 `parent` 或負責人指向
不存在的對象(另一份表中的目標、org.yaml 中的策略主題或團隊、組織列出成員時
`people` 中的成員;協作者可以是團隊或成員),或未定義的週期,或上層目標所屬週期不包含本週期。

**原因**:只有連結真的指向某處,對齊(SMART 的「相關的」)才是真的。

**錯誤示範**:

```yaml
parent: 2026/company/grow-onlin
```

**正確示範**:

```yaml
parent: 2026/company/grow-online
```
""",
)

PATH_MISMATCH = Problem(
    "OKR007", "path-mismatch",
    """File path does not match its content

**What**: a sheet must live at `okrs/<cycle>/<team>.yaml`, and the `cycle` and
`team` inside it must agree with that path.

**Why**: the path is how people and the site find a sheet; a copied file that
still says another team would silently report under the wrong name.

**Bad**: `okrs/2026-Q1/sales.yaml` containing `team: marketing`.

**Good**: `okrs/2026-Q1/marketing.yaml` containing `team: marketing`.
""",
    {
        "default": {"en": "{field} '{inside}' does not match the file path ('{expected}')",
                    "zh-TW": "{field_zh}「{inside}」與檔案路徑不符(應為「{expected}」)"},
        "location": {"en": "a sheet belongs at <okrs>/<cycle>/<team>.yaml",
                     "zh-TW": "OKR 表應位於 <okrs>/<週期>/<團隊>.yaml"},
    },
    doc_zh="""檔案路徑與內容不符

**說明**:OKR 表必須位於 `okrs/<週期>/<團隊>.yaml`,且檔案中的 `cycle` 與 `team`
必須與路徑一致。

**原因**:路徑是人與網站找到一份表的方式;複製來卻仍寫著別的團隊的檔案,會默默以
錯誤的名義回報進度。

**錯誤示範**:`okrs/2026-Q1/sales.yaml` 的內容寫著 `team: marketing`。

**正確示範**:`okrs/2026-Q1/marketing.yaml` 的內容寫著 `team: marketing`。
""",
)

FILE_TOO_LARGE = Problem(
    "OKR008", "file-too-large",
    """File too large

**What**: the file is larger than `max_file_bytes` (default 1 MiB).

**Why**: a sheet is a handful of objectives; a file this size is a mistake
(a pasted export, a generated blob) and would slow every hook run.

**Bad**: a 10 MB `okrs/2026-Q1/marketing.yaml`.

**Good**: one sheet per team and cycle, a few kilobytes each.
""",
    {
        "default": {"en": "file is {size} bytes, over the limit of {limit}",
                    "zh-TW": "檔案大小 {size} 位元組,超過上限 {limit}"},
    },
    doc_zh="""檔案過大

**說明**:檔案大於 `max_file_bytes`(預設 1 MiB)。

**原因**:一份表只有少數幾個目標;這麼大的檔案必定是失誤(貼上的匯出資料、自動產生的
內容),而且會拖慢每一次 hook 的執行。

**錯誤示範**:一份 10 MB 的 `okrs/2026-Q1/marketing.yaml`。

**正確示範**:每個團隊每個週期一份表,每份只有幾 KB。
""",
)

ENCODING = Problem(
    "OKR009", "encoding",
    """Not UTF-8 text

**What**: the file is not valid UTF-8 (or cannot be read).

**Why**: YAML files are UTF-8; a file saved in Big5 or UTF-16 shows garbled
Chinese on the site and in review.

**Bad**: a sheet saved as Big5.

**Good**: the same sheet saved as UTF-8 (a byte-order mark is accepted).
""",
    {
        "default": {"en": "not valid UTF-8: byte 0x{byte} cannot be decoded",
                    "zh-TW": "不是有效的 UTF-8:位元組 0x{byte} 無法解碼"},
        "unreadable": {"en": "cannot read the file: {error}", "zh-TW": "無法讀取檔案:{error}"},
    },
    doc_zh="""不是 UTF-8 文字

**說明**:檔案不是有效的 UTF-8(或無法讀取)。

**原因**:YAML 檔案使用 UTF-8;以 Big5 或 UTF-16 儲存的檔案,在網站與審閱時會顯示成亂碼。

**錯誤示範**:以 Big5 儲存的 OKR 表。

**正確示範**:同一份表以 UTF-8 儲存(可以有 BOM)。
""",
)

ALL: tuple[Problem, ...] = (
    YAML_SYNTAX, SCHEMA, DUPLICATE_KEY, ALIAS, DUPLICATE_ID,
    UNRESOLVED_REFERENCE, PATH_MISMATCH, FILE_TOO_LARGE, ENCODING,
)
