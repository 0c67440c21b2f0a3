"""Other okrkit sites' exports (`include:` in the plugin): one site over many repositories.

Each include names another site's `api/v1/okrs.json` by URL (http or https) or by
path. It is fetched with a timeout and a size cap, parsed, and checked against
`schema/export.schema.json`; one that cannot be fetched or does not match is a
warning naming it (the MkDocs adapter logs it, so `--strict` fails) and the rest
of the site builds. Nothing fetched reaches a shell; it is rendered escaped.

Cross-repository alignment: `parent: <include>:<cycle>/<team>/<objective>`;
`check_parents` checks those against the included exports (OKR006).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from okrkit import problems, resources
from okrkit.findings import Finding
from okrkit.model import is_id

DEFAULT_TIMEOUT = 10.0  # seconds, per include
DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # the export of 800 sheets with history is ~12 MB


@dataclass(frozen=True, slots=True)
class Included:
    """One other repository's export, read-only beside the local OKRs."""

    name: str  # the include's name: `parent: <name>:<cycle>/<team>/<objective>`
    source: str  # the URL or path as configured
    site: str | None  # the other site's root URL, for links back; None for a path
    export: Mapping[str, Any] = field(repr=False)

    def objective(self, ref: str) -> tuple[Mapping[str, Any], Mapping[str, Any],
                                           Mapping[str, Any]] | None:
        """(cycle, sheet, objective) named by `<cycle>/<team>/<objective>` in this export."""
        parts = ref.split("/")
        if len(parts) != 3:
            return None
        for cycle in self.export["cycles"]:
            if cycle["id"] != parts[0]:
                continue
            for sheet in cycle["sheets"]:
                if sheet["team"] != parts[1]:
                    continue
                for objective in sheet["objectives"]:
                    if objective["id"] == parts[2]:
                        return cycle, sheet, objective
        return None

    def page_url(self, sheet: Mapping[str, Any], anchor: str | None = None) -> str | None:
        """The team's page on the other site; None when it cannot be linked."""
        page = sheet.get("page")
        if self.site is None or not isinstance(page, str) or "//" in page \
                or page.startswith("/") or ":" in page.split("/", 1)[0]:
            return None  # only a relative page under that site's root: never elsewhere
        return urljoin(self.site, page) + (f"#{anchor}" if anchor else "")


def _warning(name: str, source: str, en: str, zh: str) -> dict[str, str]:
    return {"en": f"include '{name}' ({source}): {en}",
            "zh-TW": f"引入的「{name}」({source}):{zh}"}


def _validator() -> Any:
    import fastjsonschema

    schema = json.loads(resources.schema_file("export").read_text(encoding="utf-8"))
    return fastjsonschema.compile(schema)


def fetch_includes(specs: Mapping[str, str], *, root: Path,
                   timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES
                   ) -> tuple[list[Included], list[dict[str, str]]]:
    """The includes that loaded, and a warning ({"en", "zh-TW"}) for each that did not."""
    found: list[Included] = []
    warnings: list[dict[str, str]] = []
    validate = None
    for name, source in specs.items():
        source = str(source)
        if not is_id(name):
            warnings.append(_warning(name, source, "the name must be an id (lowercase letters, "
                                     "digits and hyphens)", "名稱必須是 id(小寫英文字母、數字與"
                                     "連字號)"))
            continue
        try:
            raw, site = _read(source, root=root, timeout=timeout, max_bytes=max_bytes)
        except _Unavailable as err:
            warnings.append(_warning(name, source, err.en, err.zh))
            continue
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as err:
            warnings.append(_warning(name, source, f"not JSON ({err})", f"不是 JSON({err})"))
            continue
        if validate is None:
            validate = _validator()
        try:
            validate(data)
        except Exception as err:  # fastjsonschema.JsonSchemaException: its message says where
            warnings.append(_warning(name, source,
                                     f"does not follow schema/export.schema.json: {err}",
                                     f"不符合 schema/export.schema.json:{err}"))
            continue
        found.append(Included(name, source, site, data))
    return found, warnings


class _Unavailable(Exception):
    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en, self.zh = en, zh


def _read(source: str, *, root: Path, timeout: float, max_bytes: int) -> tuple[bytes, str | None]:
    """The bytes and the site's root URL (None for a file)."""
    scheme = urlsplit(source).scheme.lower()
    if scheme in ("http", "https"):
        request = urllib.request.Request(source, headers={"Accept": "application/json",
                                                          "User-Agent": "okrkit"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                raw = response.read(max_bytes + 1)
                final = response.geturl()
        except urllib.error.HTTPError as err:
            raise _Unavailable(f"HTTP {err.code}", f"HTTP {err.code}") from err
        except (urllib.error.URLError, OSError, TimeoutError) as err:
            reason = getattr(err, "reason", err)
            raise _Unavailable(f"cannot fetch it ({reason})", f"無法取得({reason})") from err
        if len(raw) > max_bytes:
            raise _Unavailable(f"larger than {max_bytes:,} bytes",
                               f"超過 {max_bytes:,} 位元組")
        # api/v1/okrs.json → the site's root, two folders up
        return raw, urljoin(final, "../../")
    if scheme and len(scheme) > 1:
        raise _Unavailable(f"unsupported scheme '{scheme}' (http, https or a path)",
                           f"不支援的協定「{scheme}」(http、https 或路徑)")
    path = (root / source).resolve()
    try:
        with path.open("rb") as f:
            raw = f.read(max_bytes + 1)
    except OSError as err:
        raise _Unavailable(f"cannot read it ({err.strerror or err})",
                           f"無法讀取({err.strerror or err})") from err
    if len(raw) > max_bytes:
        raise _Unavailable(f"larger than {max_bytes:,} bytes", f"超過 {max_bytes:,} 位元組")
    return raw, None


def check_parents(sheets: Sequence[Any], includes: Sequence[Included],
                  unavailable: Sequence[str] = ()) -> list[Finding]:
    """OKR006 for each `parent: <include>:<ref>` that the included export does not have.
    A parent in an include that did not load is not checked (its warning says why)."""
    by_name = {i.name: i for i in includes}
    findings = []
    for sheet in sheets:
        for objective in sheet.objectives:
            parent = objective.parent
            if not parent or ":" not in parent:
                continue
            name, _, ref = parent.partition(":")
            if name in unavailable:
                continue
            pos = objective.src.pos("parent")
            included = by_name.get(name)
            if included is None:
                findings.append(problems.UNRESOLVED_REFERENCE.finding(
                    pos, what="included site", what_zh="引入的網站", ref=name))
            elif included.objective(ref) is None:
                findings.append(problems.UNRESOLVED_REFERENCE.finding(
                    pos, what=f"objective in include '{name}'",
                    what_zh=f"引入的「{name}」中的目標", ref=ref))
    return findings
