"""UI strings of the site, in English and Traditional Chinese, with the same placeholders."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from okrkit import i18n
from okrkit.findings import SEVERITY_NAMES

STRINGS: Mapping[str, Mapping[str, str]] = {
    # page and nav titles
    "overview": {"en": "Overview", "zh-TW": "總覽"},
    "cycle-title": {"en": "Cycle {cycle}", "zh-TW": "{cycle} 週期"},
    "team-title": {"en": "{team} · {cycle}", "zh-TW": "{team} · {cycle}"},
    "alignment": {"en": "Alignment", "zh-TW": "目標對齊"},
    "alignment-title": {"en": "Alignment · {cycle}", "zh-TW": "目標對齊 · {cycle}"},
    "changes": {"en": "What changed", "zh-TW": "變更紀錄"},
    "changes-title": {"en": "What changed · {cycle}", "zh-TW": "變更紀錄 · {cycle}"},
    "lint": {"en": "Lint health", "zh-TW": "檢查結果"},
    "rules": {"en": "Rule reference", "zh-TW": "規則說明"},
    "teams": {"en": "Teams", "zh-TW": "團隊"},
    "cycles": {"en": "Cycles", "zh-TW": "週期"},
    # statuses and kinds
    "status-on_track": {"en": "On track", "zh-TW": "進度正常"},
    "status-at_risk": {"en": "At risk", "zh-TW": "有風險"},
    "status-off_track": {"en": "Off track", "zh-TW": "落後"},
    "status-unknown": {"en": "No data", "zh-TW": "無資料"},
    "kind-committed": {"en": "committed", "zh-TW": "承諾型"},
    "kind-aspirational": {"en": "aspirational", "zh-TW": "挑戰型"},
    "done": {"en": "done", "zh-TW": "已完成"},
    "not-done": {"en": "not done", "zh-TW": "未完成"},
    "at-least": {"en": "at least {value}", "zh-TW": "至少 {value}"},
    "at-most": {"en": "at most {value}", "zh-TW": "至多 {value}"},
    # fields
    "baseline": {"en": "Baseline", "zh-TW": "基準值"},
    "current": {"en": "Current", "zh-TW": "目前值"},
    "target": {"en": "Target", "zh-TW": "目標值"},
    "confidence": {"en": "Confidence", "zh-TW": "信心度"},
    "status": {"en": "Status", "zh-TW": "狀態"},
    "owner": {"en": "Owner", "zh-TW": "負責人"},
    "due": {"en": "Due", "zh-TW": "截止日"},
    "source": {"en": "Data source", "zh-TW": "資料來源"},
    "metric": {"en": "Metric", "zh-TW": "指標"},
    "contributors": {"en": "Contributors", "zh-TW": "協作團隊與成員"},
    "initiatives": {"en": "Initiatives", "zh-TW": "行動方案"},
    "progress": {"en": "Progress", "zh-TW": "進度"},
    "score": {"en": "Score", "zh-TW": "評分"},
    "retrospective": {"en": "Retrospective", "zh-TW": "回顧"},
    "notes": {"en": "Notes", "zh-TW": "備註"},
    "strategy": {"en": "Strategy", "zh-TW": "戰略主題"},
    "parent": {"en": "Contributes to", "zh-TW": "對齊上層目標"},
    "children": {"en": "Contributing objectives", "zh-TW": "對齊的下層目標"},
    "kind": {"en": "Kind", "zh-TW": "類型"},
    "team": {"en": "Team", "zh-TW": "團隊"},
    "objectives": {"en": "Objectives", "zh-TW": "目標"},
    "key-result": {"en": "Key result", "zh-TW": "關鍵結果"},
    "edit": {"en": "Edit this file", "zh-TW": "編輯此檔案"},
    "edit-hint": {"en": "Check in by editing {path}", "zh-TW": "編輯 {path} 即可更新進度"},
    "elapsed": {"en": "{value} of the cycle has gone ({start} – {end})",
                "zh-TW": "週期已過 {value}({start} – {end})"},
    # revisions and goal posts
    "revisions": {"en": "Goal posts moved", "zh-TW": "目標調整"},
    "revision-line": {"en": "{date}: {field} {old} → {new}. Reason: {reason}",
                      "zh-TW": "{date}:{field} {old} → {new}。原因:{reason}"},
    "original-target": {"en": "Original target {old}, revised to {new}",
                        "zh-TW": "原目標 {old},修訂為 {new}"},
    "goal-posts-moved": {"en": "goal posts moved", "zh-TW": "目標被調整"},
    "no-reason": {"en": "no reason recorded", "zh-TW": "未記錄原因"},
    # ended cycles, grades and trends (report cards; a key result without a baseline)
    "no-baseline": {"en": "none (no baseline: counted from 0)",
                    "zh-TW": "無(沒有基準值:以 0 起算)"},
    "outcome-met": {"en": "Met", "zh-TW": "達成"},
    "outcome-partly": {"en": "Partly met", "zh-TW": "部分達成"},
    "outcome-missed": {"en": "Missed", "zh-TW": "未達成"},
    "outcome-unknown": {"en": "No grade", "zh-TW": "無評分"},
    "report-card": {"en": "Report card · {cycle}", "zh-TW": "成績單 · {cycle}"},
    "last-results": {"en": "Last cycle's results · {cycle}", "zh-TW": "上個週期的成果 · {cycle}"},
    "ended-on": {"en": "Ended on {end}", "zh-TW": "已於 {end} 結束"},
    "provisional-title": {"en": "Not graded yet (OKR502)", "zh-TW": "尚未評分(OKR502)"},
    "provisional-body": {"en": "{cycle} ended on {end} without grades: the grades shown are "
                               "computed from progress and provisional. Record them with okr "
                               "score {cycle} --write, and a retrospective per objective.",
                         "zh-TW": "{cycle} 已於 {end} 結束,但尚未評分:顯示的評分由進度計算而來,"
                                  "僅供參考。請以 okr score {cycle} --write 記錄評分,並為每個"
                                  "目標寫下回顧。"},
    "provisional": {"en": "provisional", "zh-TW": "暫定"},
    "cycle-grade": {"en": "Cycle grade", "zh-TW": "週期評分"},
    "grade": {"en": "Grade", "zh-TW": "評分"},
    "verdict": {"en": "Verdict", "zh-TW": "評語"},
    "outcomes": {"en": "Key results by outcome", "zh-TW": "關鍵結果最終結果"},
    "team-grades": {"en": "Grades by team", "zh-TW": "各團隊評分"},
    "retrospectives": {"en": "Retrospectives", "zh-TW": "回顧"},
    "confidence-trend": {"en": "Confidence over time", "zh-TW": "信心度變化"},
    "confidence-chart-label": {"en": "{kr}: confidence from {start} to {end}, {count} check-ins",
                               "zh-TW": "{kr}:{start} 至 {end} 的信心度,共 {count} 次更新"},
    "confidence-chart-description": {
        "en": "On track from a confidence of {on_track}. Latest confidence {value} on {date}: "
              "{where}.",
        "zh-TW": "信心度達 {on_track} 即為進度正常。最新信心度 {value}({date}):{where}。"},
    "confidence-above": {"en": "at or above that level", "zh-TW": "已達此水準"},
    "confidence-below": {"en": "below that level", "zh-TW": "低於此水準"},
    "confidence-data": {"en": "Confidence data", "zh-TW": "信心度數據"},
    "confidence-on-track": {"en": "On track from", "zh-TW": "進度正常門檻"},
    "progress-trend": {"en": "Overall progress over the cycle", "zh-TW": "週期內的整體進度"},
    "progress-data": {"en": "Progress data", "zh-TW": "進度數據"},
    "progress-chart-description": {"en": "Latest overall progress {value} on {date}: {where}.",
                                   "zh-TW": "最新整體進度 {value}({date}):{where}。"},
    "progress-chart-label": {"en": "{name}: overall progress from {start} to {end} against the "
                                   "ideal line from 0% to 100%",
                             "zh-TW": "{name}:{start} 至 {end} 的整體進度與從 0% 到 100% 的"
                                      "理想進度線"},
    # timeline and changes
    "timeline": {"en": "Change timeline", "zh-TW": "變更時間軸"},
    "when": {"en": "When", "zh-TW": "時間"},
    "who": {"en": "Who", "zh-TW": "修改者"},
    "commit": {"en": "Commit", "zh-TW": "提交"},
    "change": {"en": "Change", "zh-TW": "變更"},
    "checkin": {"en": "check-in", "zh-TW": "進度更新"},
    "plan-change": {"en": "plan change", "zh-TW": "計畫變更"},
    "measured": {"en": "measured ({source})", "zh-TW": "自動量測({source})"},
    "measured-from": {"en": "Measured from", "zh-TW": "自動量測來源"},
    "added": {"en": "added", "zh-TW": "新增"},
    "no-changes": {"en": "No changes recorded in git for this cycle.",
                   "zh-TW": "git 中沒有這個週期的變更紀錄。"},
    "week-of": {"en": "Week of {date}", "zh-TW": "{date} 當週"},
    "checkins-omitted": {"en": "{count} older check-ins are not listed: see okr log or git log.",
                         "zh-TW": "另有 {count} 筆較早的進度更新未列出:"
                                  "請用 okr log 或 git log 查看。"},
    "plan-changes": {"en": "Plan changes", "zh-TW": "計畫變更"},
    "checkins": {"en": "Check-ins", "zh-TW": "進度更新"},
    "structure-changes": {"en": "Objectives and key results added, removed or renamed",
                          "zh-TW": "新增、刪除或改名的目標與關鍵結果"},
    "event-objective-added": {"en": "objective added", "zh-TW": "新增目標"},
    "event-objective-removed": {"en": "objective removed", "zh-TW": "刪除目標"},
    "event-objective-renamed": {"en": "objective renamed", "zh-TW": "目標改名"},
    "event-objective-reparented": {"en": "objective re-aligned", "zh-TW": "目標改變對齊"},
    "event-kr-added": {"en": "key result added", "zh-TW": "新增關鍵結果"},
    "event-kr-removed": {"en": "key result removed", "zh-TW": "刪除關鍵結果"},
    "event-kr-renamed": {"en": "key result renamed", "zh-TW": "關鍵結果改名"},
    "event-sheet-added": {"en": "sheet added", "zh-TW": "新增 OKR 表"},
    "event-sheet-removed": {"en": "sheet removed", "zh-TW": "刪除 OKR 表"},
    "event-sheet-renamed": {"en": "sheet renamed", "zh-TW": "OKR 表改名"},
    "event-parse-error": {"en": "file could not be read", "zh-TW": "檔案無法讀取"},
    # accessible names (screen readers): a progress bar's "<title>: 65%, On track"
    "progress-name": {"en": "{title}: {value}, {status}", "zh-TW": "{title}:{value},{status}"},
    "progress-name-plain": {"en": "{title}: {value}", "zh-TW": "{title}:{value}"},
    "print-footer": {"en": "{org} · data as of {date}", "zh-TW": "{org} · 資料日期 {date}"},
    # charts
    "chart-label": {"en": "{kr}: values from {start} to {end} against the ideal line from "
                          "{baseline} to {target}",
                    "zh-TW": "{kr}:{start} 至 {end} 的數值與從 {baseline} 到 {target} "
                             "的理想進度線"},
    "chart-description": {"en": "Baseline {baseline}, target {target} by {end}. Latest value "
                                "{value} on {date}: {where}.",
                          "zh-TW": "基準值 {baseline},目標值 {target}(截止 {end})。最新數值 "
                                   "{value}({date}):{where}。"},
    "chart-ahead": {"en": "on or ahead of the ideal line ({ideal} expected that day)",
                    "zh-TW": "達到或超前理想進度線(當天應達 {ideal})"},
    "chart-behind": {"en": "behind the ideal line ({ideal} expected that day)",
                     "zh-TW": "落後理想進度線(當天應達 {ideal})"},
    "chart-holds": {"en": "the target level is met", "zh-TW": "已達目標水準"},
    "chart-misses": {"en": "the target level is not met", "zh-TW": "未達目標水準"},
    "chart-data": {"en": "Chart data", "zh-TW": "圖表數據"},
    "chart-value": {"en": "Value", "zh-TW": "數值"},
    "chart-ideal-value": {"en": "Ideal line", "zh-TW": "理想進度線"},
    "chart-actual": {"en": "actual", "zh-TW": "實際"},
    "chart-ideal": {"en": "ideal", "zh-TW": "理想進度"},
    "chart-today": {"en": "today", "zh-TW": "今天"},
    # notices
    "no-history": {"en": "No git history: charts and change timelines need the git log. "
                         "{reason}",
                   "zh-TW": "沒有 git 歷史紀錄:圖表與變更時間軸需要 git log。{reason}"},
    "history-notice": {"en": "Git history", "zh-TW": "Git 歷史紀錄"},
    "shallow": {"en": "Shallow clone: the history starts at the oldest commit fetched, so "
                      "earlier check-ins are missing. Fetch the full history "
                      "(fetch-depth: 0) for complete charts.",
                "zh-TW": "淺層複製(shallow clone):歷史只從取得的最早提交開始,較早的進度更新"
                         "不會顯示。請取得完整歷史(fetch-depth: 0)以顯示完整圖表。"},
    "dirty": {"en": "Uncommitted changes: the values shown are those in the working tree; "
                    "charts and timelines show committed check-ins only.",
              "zh-TW": "有尚未提交的變更:頁面顯示工作目錄中的數值;圖表與時間軸只包含已提交的"
                       "進度更新。"},
    # dashboard
    "overall-progress": {"en": "Overall progress", "zh-TW": "整體進度"},
    "status-counts": {"en": "Key results by status", "zh-TW": "關鍵結果狀態"},
    "team-progress": {"en": "Progress by team", "zh-TW": "各團隊進度"},
    "needs-attention": {"en": "Needs attention", "zh-TW": "需要關注"},
    "at-risk-krs": {"en": "{count} {count:key result|key results} at risk or off track",
                    "zh-TW": "{count} 個關鍵結果有風險或落後"},
    "stale-count": {"en": "{count} {count:key result|key results} without a recent check-in",
                    "zh-TW": "{count} 個關鍵結果久未更新進度"},
    "latest-changes": {"en": "Latest changes", "zh-TW": "最新變更"},
    "all-changes": {"en": "All changes in {cycle}", "zh-TW": "{cycle} 的所有變更"},
    "no-cycle": {"en": "There are no OKR sheets yet: add one under okrs/<cycle>/<team>.yaml.",
                 "zh-TW": "還沒有任何 OKR 表:請新增 okrs/<週期>/<團隊>.yaml。"},
    "current-cycle": {"en": "Current cycle: {cycle}", "zh-TW": "目前週期:{cycle}"},
    "other-cycles": {"en": "Other cycles", "zh-TW": "其他週期"},
    "sheet-count": {"en": "{teams} {teams:team|teams}, {objectives} "
                          "{objectives:objective|objectives}, {krs} {krs:key result|key results}",
                    "zh-TW": "{teams} 個團隊、{objectives} 個目標、{krs} 個關鍵結果"},
    "no-krs": {"en": "No key results.", "zh-TW": "沒有關鍵結果。"},
    "nothing-at-risk": {"en": "No key result is at risk or off track.",
                        "zh-TW": "沒有關鍵結果有風險或落後。"},
    "last-checkin": {"en": "Last check-in", "zh-TW": "最後更新"},
    "check-in": {"en": "Check in", "zh-TW": "更新進度"},
    "check-in-hint": {"en": "Open the check-in form on GitHub: no git or YAML needed",
                      "zh-TW": "在 GitHub 開啟進度更新表單:不需要 git 或 YAML"},
    "check-in-title": {"en": "Check-in: {title}", "zh-TW": "更新進度:{title}"},
    "check-in-cli": {"en": "or, in a clone:", "zh-TW": "或在本機的儲存庫中:"},
    # alignment
    "alignment-intro": {"en": "From the strategy themes in org.yaml through the objectives "
                              "that serve them to the team objectives that contribute "
                              "(parent:).",
                        "zh-TW": "從 org.yaml 的戰略主題,到服務這些主題的目標,再到對齊它們的"
                                 "團隊目標(parent:)。"},
    "unaligned": {"en": "Not aligned to a strategy theme", "zh-TW": "未對齊戰略主題"},
    "no-objectives": {"en": "No objectives.", "zh-TW": "沒有目標。"},
    # lint
    "findings-by-rule": {"en": "Findings by rule", "zh-TW": "依規則統計"},
    "findings-by-team": {"en": "Findings by team", "zh-TW": "依團隊統計"},
    "all-findings": {"en": "All findings", "zh-TW": "所有檢查結果"},
    "no-findings": {"en": "No findings: every sheet passes the linter.",
                    "zh-TW": "沒有任何問題:所有 OKR 表都通過檢查。"},
    "findings-omitted": {"en": "{count} more {count:finding is|findings are} not listed: "
                               "run okr lint.",
                         "zh-TW": "另有 {count} 筆未列出:請執行 okr lint。"},
    "silenced-findings": {"en": "Silenced findings", "zh-TW": "已停用的檢查結果"},
    "silenced-intro": {"en": "{count} {count:finding is|findings are} silenced by an "
                             "# okr: disable comment in its sheet, each with the reason "
                             "written there.",
                       "zh-TW": "有 {count} 筆檢查結果由 OKR 表中的 # okr: disable 註解停用,"
                                "下表列出註解中寫明的原因。"},
    "silenced-reason": {"en": "Reason", "zh-TW": "原因"},
    **{f"severity-{label}": {lang: SEVERITY_NAMES[lang][label] for lang in SEVERITY_NAMES}
       for label in ("error", "warning", "info")},
    "rule": {"en": "Rule", "zh-TW": "規則"},
    "count": {"en": "Count", "zh-TW": "數量"},
    "where": {"en": "Where", "zh-TW": "位置"},
    "message": {"en": "Message", "zh-TW": "訊息"},
    "organisation": {"en": "organisation (org.yaml)", "zh-TW": "組織(org.yaml)"},
    "lint-summary": {"en": "{errors} {errors:error|errors}, {warnings} "
                           "{warnings:warning|warnings}, {infos} info",
                     "zh-TW": "{errors} 個錯誤、{warnings} 個警告、{infos} 個提示"},
    # rules
    "rules-intro": {"en": "Every code okr lint and okr validate can report, with what it "
                          "checks, why, and a bad and a good example.",
                    "zh-TW": "okr lint 與 okr validate 可能回報的每個代碼:檢查什麼、為什麼,"
                             "以及錯誤與正確的範例。"},
    "default-severity": {"en": "Default severity", "zh-TW": "預設嚴重度"},
    "code": {"en": "Code", "zh-TW": "代碼"},
    # other repositories' OKRs (plugin option `include:`)
    "included": {"en": "Other repositories", "zh-TW": "其他儲存庫"},
    "included-title": {"en": "{org} (from {name})", "zh-TW": "{org}(來自 {name})"},
    "included-lead": {"en": "Read-only: exported on {date} by another okrkit site, {source}. "
                            "Edit these OKRs in their own repository.",
                      "zh-TW": "唯讀:由另一個 okrkit 網站 {source} 於 {date} 匯出。"
                               "請到它們自己的儲存庫修改這些 OKR。"},
    "included-open": {"en": "on its site", "zh-TW": "在原網站"},
    "key-results": {"en": "Key results", "zh-TW": "關鍵結果"},
    # the other fields a change cell names (issue 14: "title:", "direction: at_least →
    # increase" were shown untranslated), and the directions' values
    "field-title": {"en": "Title", "zh-TW": "標題"},
    "field-direction": {"en": "Direction", "zh-TW": "方向"},
    "field-unit": {"en": "Unit", "zh-TW": "單位"},
    "direction-increase": {"en": "increase", "zh-TW": "提升"},
    "direction-decrease": {"en": "decrease", "zh-TW": "降低"},
    "direction-at_least": {"en": "at least", "zh-TW": "至少維持"},
    "direction-at_most": {"en": "at most", "zh-TW": "至多維持"},
    "direction-milestone": {"en": "milestone", "zh-TW": "里程碑"},
}


class _Plural(string.Formatter):
    """`{count:key result|key results}`: the singular for 1, else the plural (English);
    a placeholder without `|` is formatted as usual."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return one if value == 1 else many
        return super().format_field(value, format_spec)


_PLURAL = _Plural()


def choose(option: str | None, theme_language: str | None) -> str:
    """The plugin's `lang` option, then `theme.language`, then English."""
    for candidate in (option, theme_language):
        found = i18n.normalize(candidate)
        if found is not None:
            return found
    return "en"


class Strings:
    """The UI strings of one language: `t("cycle-title", cycle="2026-Q1")`."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in ("en", "zh-TW") else "en"

    def __call__(self, key: str, **params: object) -> str:
        text = STRINGS[key][self.lang]
        if not params:
            return text
        # str.format is C; string.Formatter (for the plural choice) walks each field in
        # Python, and a site formats hundreds of thousands of strings
        return _PLURAL.format(text, **params) if "|" in text else text.format(**params)
