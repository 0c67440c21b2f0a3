"""The ga4 source: Google's official client (REST transport) against a local stand-in.

Google's service cannot be reached from here, so a local HTTP server on
127.0.0.1 plays it: it implements `runReport` as Google's public reference
documents it (POST /v1beta/properties/{id}:runReport, a RunReportRequest in,
a RunReportResponse or a google.rpc error out) and the OAuth token endpoint a
service-account key names (`token_uri`). The client is pointed at it with
OKR_GA4_ENDPOINT; the credentials are a real service-account key file made by
the test, found through GOOGLE_APPLICATION_CREDENTIALS as in production. What
the client sends (metric, date range, filter, the signed-in token) is asserted.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes  # google-auth brings cryptography
from cryptography.hazmat.primitives.asymmetric import padding

from okrkit.sources import measure
from okrkit.sources.base import Context, MeasureError
from sources.servers import LocalHTTP, Reply, Request

PROPERTY = "123456789"
KEYS: list[Any] = []  # the service account's private key, to check the client's signature
RUN_REPORT = f"/v1beta/properties/{PROPERTY}:runReport"


def _report(value: str | None) -> bytes:
    """A RunReportResponse with one metric column and one row (none when value is None)."""
    body: dict[str, object] = {
        "metricHeaders": [{"name": "sessions", "type": "TYPE_INTEGER"}],
        "rowCount": 0 if value is None else 1,
        "metadata": {"currencyCode": "TWD", "timeZone": "Asia/Taipei"},
        "kind": "analyticsData#runReport",
    }
    if value is not None:
        body["rows"] = [{"metricValues": [{"value": value}]}]
    return json.dumps(body).encode()


@pytest.fixture(scope="module")
def key_file(tmp_path_factory: pytest.TempPathFactory, http_server: LocalHTTP) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    KEYS.append(key)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    http_server.route("/token", Reply(body=json.dumps(
        {"access_token": "ya29.stand-in", "expires_in": 3600, "token_type": "Bearer"}
    ).encode()))
    path = tmp_path_factory.mktemp("ga4") / "service-account.json"
    path.write_text(json.dumps({
        "type": "service_account", "project_id": "okr-demo", "private_key_id": "k1",
        "private_key": pem, "client_email": "okr-measure@okr-demo.iam.gserviceaccount.com",
        "client_id": "1", "token_uri": http_server.url + "/token",
    }))
    return path


@pytest.fixture
def ga4_ctx(ctx: Context, key_file: Path, http_server: LocalHTTP,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[Context]:
    # the client reads GOOGLE_APPLICATION_CREDENTIALS from the process environment
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    yield Context(ctx.root, ctx.cycle_start, ctx.cycle_end, ctx.today,
                  {"OKR_GA4_ENDPOINT": http_server.url})


def _sent(http_server: LocalHTTP) -> Request:
    return next(r for r in reversed(http_server.requests)
                if r.path.split("?")[0] == RUN_REPORT)


def test_run_report_request_and_response(ga4_ctx: Context, http_server: LocalHTTP) -> None:
    http_server.route(RUN_REPORT, Reply(body=_report("13900")))
    spec = {"from": "ga4", "property": PROPERTY, "metric": "sessions", "date_range": "cycle",
            "filter": {"sessionDefaultChannelGroup": "Organic Search"}}
    assert measure(spec, ga4_ctx) == Decimal(13900)
    request = _sent(http_server)
    assert request.method == "POST"
    assert json.loads(request.body) == {
        "metrics": [{"name": "sessions"}],
        "dateRanges": [{"startDate": "2026-01-01", "endDate": "today"}],
        "dimensionFilter": {"filter": {
            "fieldName": "sessionDefaultChannelGroup",
            # the REST transport asks for enums as numbers ($alt=json;enum-encoding=int)
            "stringFilter": {"matchType": 1, "value": "Organic Search"}}},
    }
    assert "enum-encoding" in urllib.parse.unquote(request.path)
    # signed in with the key file's service account: a token from its token_uri, or a
    # JWT the client signed itself with that key
    headers = {k.lower(): v for k, v in request.headers.items()}
    scheme, _, token = headers["authorization"].partition(" ")
    assert scheme == "Bearer"
    if token != "ya29.stand-in":  # a JWT signed with the key file's private key
        signed, _, signature = token.rpartition(".")
        KEYS[0].public_key().verify(_b64(signature), signed.encode(), padding.PKCS1v15(),
                                    hashes.SHA256())
        claims = json.loads(_b64(signed.split(".")[1]))
        assert claims["iss"] == "okr-measure@okr-demo.iam.gserviceaccount.com"
        assert claims["aud"] == "https://analyticsdata.googleapis.com/"


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_two_filters_are_anded_and_named_ranges(ga4_ctx: Context, http_server: LocalHTTP
                                                ) -> None:
    http_server.route(RUN_REPORT, Reply(body=_report("412.5")))
    spec = {"from": "ga4", "property": PROPERTY, "metric": "conversions",
            "date_range": "last_28_days", "filter": {"country": "Taiwan", "deviceCategory":
                                                     "mobile"}}
    assert measure(spec, ga4_ctx) == Decimal("412.5")
    sent = json.loads(_sent(http_server).body)
    assert sent["dateRanges"] == [{"startDate": "28daysAgo", "endDate": "yesterday"}]
    assert [e["filter"]["fieldName"] for e in
            sent["dimensionFilter"]["andGroup"]["expressions"]] == ["country", "deviceCategory"]


def test_no_rows_is_zero(ga4_ctx: Context, http_server: LocalHTTP) -> None:
    http_server.route(RUN_REPORT, Reply(body=_report(None)))
    assert measure({"from": "ga4", "property": PROPERTY, "metric": "sessions"}, ga4_ctx) == 0


def test_permission_denied(ga4_ctx: Context, http_server: LocalHTTP) -> None:
    http_server.route(RUN_REPORT, Reply(403, json.dumps({"error": {
        "code": 403, "status": "PERMISSION_DENIED",
        "message": "User does not have sufficient permissions for this property."}}).encode()))
    with pytest.raises(MeasureError) as caught:
        measure({"from": "ga4", "property": PROPERTY, "metric": "sessions"}, ga4_ctx)
    assert caught.value.code == "permission-denied"
    assert caught.value.message("en") == (
        f"permission denied on GA4 property {PROPERTY}: add the service account as a Viewer "
        "of the property (User does not have sufficient permissions for this property.)")


def test_no_credentials(ctx: Context, http_server: LocalHTTP, tmp_path: Path,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "missing.json"))
    with pytest.raises(MeasureError) as caught:
        measure({"from": "ga4", "property": PROPERTY, "metric": "sessions"},
                Context(ctx.root, ctx.cycle_start, ctx.cycle_end, ctx.today,
                        {"OKR_GA4_ENDPOINT": http_server.url}))
    assert caught.value.code == "no-credentials"


def test_a_missing_extra_is_one_line_naming_it(ctx: Context,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "google.analytics.data_v1beta", None)
    with pytest.raises(MeasureError) as caught:
        measure({"from": "ga4", "property": PROPERTY, "metric": "sessions"}, ctx)
    assert caught.value.message("en") == (
        "the ga4 source needs google-analytics-data: pip install 'okrkit[ga4]'")
