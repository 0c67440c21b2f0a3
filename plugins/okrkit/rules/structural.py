"""OKR001–009 as registry entries: the structural problems of `okrkit.problems`.

Their English documentation lives beside their messages in `okrkit.problems`;
the Traditional Chinese documentation is here, so that `okr rule OKR003
--lang zh-TW` and the site's rule pages exist in both languages.
"""

from __future__ import annotations

from okrkit import problems
from okrkit.findings import Severity
from okrkit.rules import Rule

DOC_ZH: dict[str, str] = {
    "OKR001": """YAML 語法錯誤

**說明**:檔案不是格式正確的 YAML:語法錯誤、以 Tab 縮排、一個檔案裡有多份文件、
使用明確的標籤(tag),或巢狀層級深到任何 OKR 檔案都用不到。

**原因**:檔案無法解析,其他檢查都無從進行。

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
    "OKR002": """不符合結構定義(schema)

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
    "OKR003": """重複的鍵

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
    "OKR004": """YAML 錨點或別名

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
    "OKR005": """重複的 id

**說明**:同一份表中的兩個目標、同一個目標的兩個關鍵結果、兩個團隊、兩個策略主題或
兩位成員使用了相同的 id。

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
    "OKR006": """找不到引用的對象

**說明**:`parent`、`strategy`、`team`、`contributors`、團隊的 `parent` 或負責人指向
不存在的對象(另一份表中的目標、org.yaml 中的策略主題或團隊、組織列出成員時
`people` 中的成員),或未定義的週期,或上層目標所屬週期不包含本週期。

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
    "OKR007": """檔案路徑與內容不符

**說明**:OKR 表必須位於 `okrs/<週期>/<團隊>.yaml`,且檔案中的 `cycle` 與 `team`
必須與路徑一致。

**原因**:路徑是人與網站找到一份表的方式;複製來卻仍寫著別的團隊的檔案,會默默以
錯誤的名義回報進度。

**錯誤示範**:`okrs/2026-Q1/sales.yaml` 的內容寫著 `team: marketing`。

**正確示範**:`okrs/2026-Q1/marketing.yaml` 的內容寫著 `team: marketing`。
""",
    "OKR008": """檔案過大

**說明**:檔案大於 `max_file_bytes`(預設 1 MiB)。

**原因**:一份表只有少數幾個目標;這麼大的檔案必定是失誤(貼上的匯出資料、自動產生的
內容),而且會拖慢每一次 hook 的執行。

**錯誤示範**:一份 10 MB 的 `okrs/2026-Q1/marketing.yaml`。

**正確示範**:每個團隊每個週期一份表,每份只有幾 KB。
""",
    "OKR009": """不是 UTF-8 文字

**說明**:檔案不是有效的 UTF-8(或無法讀取)。

**原因**:YAML 檔案使用 UTF-8;以 Big5 或 UTF-16 儲存的檔案,在網站與審閱時會顯示成亂碼。

**錯誤示範**:以 Big5 儲存的 OKR 表。

**正確示範**:同一份表以 UTF-8 儲存(可以有 BOM)。
""",
}

RULES: dict[str, Rule] = {
    p.code: Rule(code=p.code, name=p.name, severity=Severity.ERROR, scope="structure",
                 messages=p.messages, doc=p.doc.strip() + "\n",
                 doc_zh=DOC_ZH[p.code].strip() + "\n")
    for p in problems.ALL
}
