"""The JSON Schemas in schema/ (the format contract, DESIGN "The file format").

Each schema is checked against the draft-07 metaschema and for editor hover
text; the demo data in okrs/ and the fixtures in tests/resources/schema/ are
validated three ways, by `jsonschema` in-process, by the real `check-jsonschema`
command (what the `okr-schema` hook and editors rely on) and by `okr validate
--schema KIND`, and all must agree. Files are read by okrkit's own strict
loader, the one every command uses.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from jsonschema import Draft7Validator

from okrkit import yamlload
from okrkit.cli import main
from paths import REPO_ROOT
from skipping import skip_or_fail

ROOT = REPO_ROOT
SCHEMA_DIR = ROOT / "schema"
OKRS_DIR = ROOT / "okrs"
FIXTURES_DIR = ROOT / "tests" / "resources" / "schema"
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")
OKR = Path(sys.executable).with_name("okr")

SCHEMA_NAMES = ("okr", "org", "config")
DRAFT_07 = "http://json-schema.org/draft-07/schema#"
# Fixture file name prefix -> schema name.
FIXTURE_PREFIXES = {"sheet-": "okr", "org-": "org", "config-": "config"}
# The one object allowed to stay open: a rule's options are checked by the
# linter against the rule's declared OPTIONS, not by the schema.
OPEN_OBJECTS = {
    ("config", "/definitions/ruleOptions"),
    # `measure:` dispatches on `from` to one closed form per source (if/then)
    ("okr", "/definitions/measure"),
    # maps whose keys are the user's names: CSV columns, HTTP headers, GA4 dimensions
    ("okr", "/definitions/measureCsv/properties/where"),
    ("okr", "/definitions/measureJson/properties/headers"),
    ("okr", "/definitions/measureGa4/properties/filter"),
}
SHARED_DEFINITIONS = ("slug", "personId", "date", "cycleId")


# --------------------------------------------------------------------- loading


def load_yaml(path: Path) -> Any:
    """The file's data as okrkit reads it; every fixture must at least load cleanly."""
    doc, findings = yamlload.load_bytes(str(path), path.read_bytes())
    assert doc is not None and findings == [], [f"{f.pos}: {f.message()}" for f in findings]
    return doc.data


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
    )
    return schema


@functools.cache
def get_validator(name: str) -> Draft7Validator:
    return Draft7Validator(load_schema(name), format_checker=Draft7Validator.FORMAT_CHECKER)


# ----------------------------------------------------------------------- cases


class Case(NamedTuple):
    path: Path
    schema: str
    valid: bool

    @property
    def id(self) -> str:
        return self.path.relative_to(ROOT).as_posix()


def _schema_for_fixture(path: Path) -> str:
    for prefix, schema in FIXTURE_PREFIXES.items():
        if path.name.startswith(prefix):
            return schema
    raise AssertionError(f"{path}: fixture names start with one of {sorted(FIXTURE_PREFIXES)}")


def _demo_files() -> list[Path]:
    return sorted(OKRS_DIR.glob("*/*.yaml"))


def collect_cases() -> list[Case]:
    cases = [Case(OKRS_DIR / "org.yaml", "org", True)]
    cases += [Case(path, "okr", True) for path in _demo_files()]
    for verdict in ("good", "bad"):
        for path in sorted((FIXTURES_DIR / verdict).glob("*.yaml")):
            cases.append(Case(path, _schema_for_fixture(path), verdict == "good"))
    return cases


CASES = collect_cases()


# ------------------------------------------------------------- schema walking


def walk(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Yield every (JSON pointer, value) in a JSON document, depth first."""
    yield pointer, node
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from walk(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{pointer}/{index}")


def iter_subschemas(schema: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Yield every subschema reachable through (pattern)properties, definitions, items and co."""
    stack: list[tuple[str, Mapping[str, Any]]] = [("", schema)]
    while stack:
        pointer, node = stack.pop()
        yield pointer, node
        for keyword in ("properties", "patternProperties", "definitions"):
            for key, child in node.get(keyword, {}).items():
                stack.append((f"{pointer}/{keyword}/{key}", child))
        for keyword in ("items", "additionalProperties", "propertyNames"):
            child = node.get(keyword)
            if isinstance(child, Mapping):
                stack.append((f"{pointer}/{keyword}", child))


def _described_subschemas(schema: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The subschemas an editor shows as hover text: properties, pattern properties, definitions."""
    for pointer, node in iter_subschemas(schema):
        parent_keyword = pointer.rsplit("/", 2)[-2] if pointer.count("/") >= 2 else ""
        if parent_keyword in {"properties", "patternProperties", "definitions"}:
            yield pointer, node


def _is_object_schema(node: Mapping[str, Any]) -> bool:
    return node.get("type") == "object" or "properties" in node or "patternProperties" in node


# --------------------------------------------------------------- schema tests


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_passes_draft7_metaschema(name: str) -> None:
    schema = load_schema(name)
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == DRAFT_07
    assert schema["$id"] == f"https://okrkit.dev/schema/{name}.schema.json"
    assert schema["title"].strip()
    assert schema["description"].strip()
    assert schema["type"] == "object"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_property_has_a_description(name: str) -> None:
    missing = [
        pointer
        for pointer, node in _described_subschemas(load_schema(name))
        if not str(node.get("description", "")).strip()
    ]
    assert missing == []


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_object_is_closed(name: str) -> None:
    open_objects = [
        pointer
        for pointer, node in iter_subschemas(load_schema(name))
        if _is_object_schema(node)
        and node.get("additionalProperties") is not False
        and (name, pointer) not in OPEN_OBJECTS
    ]
    assert open_objects == []


def test_rule_options_stay_open() -> None:
    options = load_schema("config")["definitions"]["ruleOptions"]
    assert options["additionalProperties"] is True
    assert get_validator("config").is_valid({"rules": {"OKR503": {"stale_days": 14}}})


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_enum_values_are_documented(name: str) -> None:
    undocumented = [
        f"{pointer}: {value}"
        for pointer, node in iter_subschemas(load_schema(name))
        for value in node.get("enum", ())
        if f"`{value}`" not in node.get("description", "")
    ]
    assert undocumented == []


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_refs_point_at_definitions(name: str) -> None:
    schema = load_schema(name)
    refs = {value for pointer, value in walk(schema) if pointer.endswith("/$ref")}
    assert refs
    for ref in refs:
        assert ref.startswith("#/definitions/"), ref
        assert ref.removeprefix("#/definitions/") in schema["definitions"], ref


def test_shared_definitions_are_identical() -> None:
    for definition in SHARED_DEFINITIONS:
        versions = {
            json.dumps(load_schema(name)["definitions"][definition], sort_keys=True)
            for name in SCHEMA_NAMES
            if definition in load_schema(name)["definitions"]
        }
        assert len(versions) == 1, definition


@pytest.mark.parametrize(
    ("definition", "value", "valid"),
    [
        ("slug", "brand-awareness", True),
        ("slug", "q1", True),
        ("slug", "a" * 64, True),
        ("slug", "a" * 65, False),
        ("slug", "brand--awareness", False),
        ("slug", "-brand", False),
        ("slug", "brand\n", False),
        ("personId", "mei.wang@example.com", True),
        ("personId", ".mei", False),
        ("date", "2026-02-28", True),
        ("date", "2026-02-30", False),
        ("date", "2026-2-28", False),
        ("cycleId", "2026", True),
        ("cycleId", "2026-H2", True),
        ("cycleId", "2026-Q4", True),
        ("cycleId", "FY23-Q1", True),
        ("cycleId", "2026-Q0", False),
        ("cycleId", "26-Q1", False),
        ("cycleId", "F" * 33, False),
        ("objectiveRef", "2026/company/grow-online", True),
        ("objectiveRef", "FY23-Q1/sales/increase-sales", True),
        ("objectiveRef", "2026/company", False),
        ("objectiveRef", "2026/Company/grow-online", False),
    ],
)
def test_definition_patterns(definition: str, value: str, valid: bool) -> None:
    schema = load_schema("okr")
    subschema = {"definitions": schema["definitions"], "$ref": f"#/definitions/{definition}"}
    validator = Draft7Validator(subschema, format_checker=Draft7Validator.FORMAT_CHECKER)
    assert validator.is_valid(value) is valid


def test_check_jsonschema_accepts_the_schemas() -> None:
    _require_check_jsonschema()
    paths = [str(SCHEMA_DIR / f"{name}.schema.json") for name in SCHEMA_NAMES]
    proc = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--check-metaschema", "--color", "never", *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ---------------------------------------------------------- loader behaviour


def test_loader_keeps_dates_as_strings_and_yaml_12_booleans() -> None:
    text = "due: 2026-03-31\nbad: 2025-13-45\ndone: true\nno: no\noff: off\n"
    doc, findings = yamlload.load_text("t.yaml", text)
    assert findings == [] and doc is not None
    assert doc.data == {
        "due": "2026-03-31",
        "bad": "2025-13-45",
        "done": True,
        "no": "no",
        "off": "off",
    }


# ------------------------------------------------------- files: both verdicts


def test_fixture_counts() -> None:
    good = [case for case in CASES if case.path.parent == FIXTURES_DIR / "good"]
    bad = [case for case in CASES if case.path.parent == FIXTURES_DIR / "bad"]
    assert len(good) >= 8
    assert len(bad) >= 15
    for verdicts in (good, bad):
        assert {case.schema for case in verdicts} == set(SCHEMA_NAMES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_jsonschema_verdict(case: Case) -> None:
    errors = [
        f"{error.json_path}: {error.message}"
        for error in get_validator(case.schema).iter_errors(load_yaml(case.path))
    ]
    if case.valid:
        assert errors == []
    else:
        assert errors, f"{case.id} should be invalid against {case.schema}.schema.json"


def _require_check_jsonschema() -> None:
    if not CHECK_JSONSCHEMA.exists():
        skip_or_fail(f"check-jsonschema is not installed next to {sys.executable}")


@functools.cache
def _check_jsonschema_failures(schema: str) -> frozenset[Path]:
    """Files the real `check-jsonschema --schemafile` rejects: one run per schema, not per file."""
    files = [case.path for case in CASES if case.schema == schema]
    proc = subprocess.run(
        [
            str(CHECK_JSONSCHEMA),
            "--schemafile",
            str(SCHEMA_DIR / f"{schema}.schema.json"),
            "--output-format",
            "json",
            "--color",
            "never",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode in {0, 1}, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    failures = frozenset(
        Path(error["filename"]) for error in report["errors"] + report["parse_errors"]
    )
    assert (proc.returncode == 1) == bool(failures), proc.stdout + proc.stderr
    return failures


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_check_jsonschema_verdict(case: Case) -> None:
    _require_check_jsonschema()
    rejected = case.path in _check_jsonschema_failures(case.schema)
    assert rejected is not case.valid


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_okr_validate_agrees_with_check_jsonschema(case: Case,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """`okr validate --schema KIND` (through `main`) gives check-jsonschema's verdict."""
    _require_check_jsonschema()
    code = main(["validate", "--schema", case.schema, str(case.path)])
    out, err = capsys.readouterr()
    assert err == ""
    rejected_by_check_jsonschema = case.path in _check_jsonschema_failures(case.schema)
    assert (code == 1) is rejected_by_check_jsonschema is (not case.valid)
    assert code in (0, 1)
    if code == 0:
        assert out == ""
    else:  # every finding is an OKR002 with a position in this file
        shown = Path(case.path).relative_to(Path.cwd()) if case.path.is_relative_to(
            Path.cwd()) else case.path
        for line in out.splitlines():
            assert re.match(rf"{re.escape(str(shown))}:\d+:\d+: OKR002 ", line), line


@pytest.mark.parametrize("schema", SCHEMA_NAMES)
def test_okr_console_script_agrees_with_check_jsonschema(schema: str) -> None:
    """The installed `okr` script, in a subprocess, on every file of one schema at once."""
    _require_check_jsonschema()
    files = [case.path for case in CASES if case.schema == schema]
    proc = subprocess.run([str(OKR), "validate", "--schema", schema, "--format", "json",
                           *map(str, files)], capture_output=True, text=True, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the bad fixtures
    assert proc.stderr == ""
    rejected = {Path(row["path"]).resolve() for row in json.loads(proc.stdout)}
    assert rejected == set(_check_jsonschema_failures(schema))
    assert rejected == {case.path for case in CASES if case.schema == schema and not case.valid}


# --------------------------------------------------------------- demo data


def test_demo_files_start_with_a_schema_modeline() -> None:
    files = [OKRS_DIR / "org.yaml", *_demo_files()]
    for path in files:
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first_line)
        assert match, path
        target = (path.parent / match.group(1)).resolve()
        expected = "org" if path.name == "org.yaml" else "okr"
        assert target == SCHEMA_DIR / f"{expected}.schema.json", path


def test_demo_references_resolve() -> None:
    """Owners, teams, themes and parents used in okrs/ exist: the demo must lint clean of OKR006."""
    org = load_yaml(OKRS_DIR / "org.yaml")
    people = {person["id"] for person in org["people"]}
    teams = {team["id"] for team in org["teams"]}
    themes = {theme["id"] for theme in org["strategy"]}
    for team in org["teams"]:
        assert team["lead"] in people
        assert set(team.get("members", ())) <= people
        assert team.get("parent", "company") in teams
    sheets = {path: load_yaml(path) for path in _demo_files()}
    objective_refs = {
        f"{sheet['cycle']}/{sheet['team']}/{objective['id']}"
        for sheet in sheets.values()
        for objective in sheet["objectives"]
    }
    for path, sheet in sheets.items():
        assert (sheet["cycle"], sheet["team"]) == (path.parent.name, path.stem)
        assert sheet["owner"] in people
        for objective in sheet["objectives"]:
            assert objective["owner"] in people, objective["id"]
            assert set(objective.get("strategy", ())) <= themes, objective["id"]
            assert objective.get("parent", next(iter(objective_refs))) in objective_refs
            for kr in objective["key_results"]:
                assert kr["owner"] in people, kr["id"]
                assert set(kr.get("contributors", ())) <= teams | people, kr["id"]
                for initiative in kr.get("initiatives", ()):
                    assert initiative.get("owner", sheet["owner"]) in people
