"""`measure: {from: ga4, property, metric, date_range, filter}`: a Google Analytics 4 metric.

Google's official client (`google-analytics-data`, the `okrkit[ga4]` extra)
sends one `runReport` over its REST transport: the metric, one date range, and
the filter as an AND of exact string matches; no dimensions, so the report is
one row (none when there was no data: 0). Credentials are the client's own
(Application Default Credentials: `GOOGLE_APPLICATION_CREDENTIALS` names a
service account's key file). `OKR_GA4_ENDPOINT` points the client at another
endpoint (a proxy, or a test's stand-in).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from okrkit.sources.base import Context, MeasureError, MissingExtra, resolve, timeout_of, to_number

ENDPOINT_VARIABLE = "OKR_GA4_ENDPOINT"
_REQUEST_RE = re.compile(r"\A[A-Z]+ \S+: ")


def date_range(name: str, ctx: Context) -> tuple[str, str]:
    """(startDate, endDate) as GA4 takes them (YYYY-MM-DD, `today`, `NdaysAgo`)."""
    if name == "month":
        return ctx.today.replace(day=1).isoformat(), "today"
    if name.startswith("last_") and name.endswith("_days"):
        return f"{int(name[5:-5])}daysAgo", "yesterday"
    if name in ("today", "yesterday"):
        return name, name
    # the cycle: from its first day to today, or to its last day once it has ended
    end = ctx.cycle_end.isoformat() if ctx.today > ctx.cycle_end else "today"
    return ctx.cycle_start.isoformat(), end


def preload() -> None:
    import google.analytics.data_v1beta  # noqa: F401


def measure(spec: Mapping[str, Any], ctx: Context) -> Decimal:
    try:
        from google.analytics.data_v1beta import BetaAnalyticsDataClient
        from google.analytics.data_v1beta.types import (
            DateRange,
            Filter,
            FilterExpression,
            FilterExpressionList,
            Metric,
            RunReportRequest,
        )
        from google.api_core import exceptions as api_exceptions
        from google.api_core.client_options import ClientOptions
        from google.auth import exceptions as auth_exceptions
    except ImportError as err:
        raise MissingExtra("ga4", "google-analytics-data") from err
    prop = resolve(str(spec["property"]), ctx, "property")
    metric = str(spec["metric"])
    start, end = date_range(str(spec.get("date_range", "cycle")), ctx)
    filters = [FilterExpression(filter=Filter(
        field_name=str(name), string_filter=Filter.StringFilter(
            value=str(value), match_type=Filter.StringFilter.MatchType.EXACT)))
        for name, value in (spec.get("filter") or {}).items()]
    request = RunReportRequest(
        property=f"properties/{prop}", metrics=[Metric(name=metric)],
        date_ranges=[DateRange(start_date=start, end_date=end)])
    if len(filters) == 1:
        request.dimension_filter = filters[0]
    elif filters:
        request.dimension_filter = FilterExpression(
            and_group=FilterExpressionList(expressions=filters))
    endpoint = ctx.env.get(ENDPOINT_VARIABLE)
    options = ClientOptions(api_endpoint=endpoint) if endpoint else None
    timeout = timeout_of(spec)
    try:
        client = BetaAnalyticsDataClient(transport="rest", client_options=options)
        # no retries: a failure is reported now and the next scheduled run tries again
        response = client.run_report(request=request, timeout=timeout, retry=None)
    except auth_exceptions.DefaultCredentialsError as err:
        raise MeasureError(
            "no-credentials",
            "no Google credentials: set GOOGLE_APPLICATION_CREDENTIALS to a service "
            "account's key file",
            "沒有 Google 憑證:請把 GOOGLE_APPLICATION_CREDENTIALS 設為服務帳戶的金鑰檔") from err
    except auth_exceptions.GoogleAuthError as err:
        reason = _first_line(err)
        raise MeasureError("auth-failed", f"Google sign-in failed: {reason}",
                           f"Google 登入失敗:{reason}") from err
    except (api_exceptions.PermissionDenied, api_exceptions.Forbidden) as err:  # gRPC, REST
        raise MeasureError(
            "permission-denied",
            f"permission denied on GA4 property {prop}: add the service account as a "
            f"Viewer of the property ({_first_line(err.message)})",
            f"沒有 GA4 資源 {prop} 的權限:請把服務帳戶加為該資源的檢視者"
            f"({_first_line(err.message)})") from err
    except api_exceptions.GoogleAPICallError as err:
        code = getattr(err, "code", None)
        reason = _first_line(err.message)
        raise MeasureError("ga4-error", f"GA4 answered {code}: {reason}",
                           f"GA4 回應 {code}:{reason}") from err
    except api_exceptions.RetryError as err:  # pragma: no cover (retry=None above)
        raise MeasureError("timeout", f"GA4 did not answer within {timeout:g} s",
                           f"GA4 在 {timeout:g} 秒內沒有回應") from err
    except Exception as err:  # requests' connection errors and timeouts, under the client
        name = type(err).__name__
        if "Timeout" in name:
            raise MeasureError("timeout", f"GA4 did not answer within {timeout:g} s",
                               f"GA4 在 {timeout:g} 秒內沒有回應") from err
        if "Connection" in name:
            raise MeasureError("unreachable", f"cannot reach GA4: {_first_line(err)}",
                               f"無法連線到 GA4:{_first_line(err)}") from err
        raise
    if not response.rows:
        return Decimal(0)  # GA4 leaves the row out when there was nothing to count
    if len(response.rows) != 1 or not response.rows[0].metric_values:
        raise MeasureError("not-one-value", f"GA4 returned {len(response.rows)} rows for "
                                            f"{metric}, not one",
                           f"GA4 為 {metric} 傳回 {len(response.rows)} 列,而不是一列")
    return to_number(response.rows[0].metric_values[0].value, f"GA4's {metric}", ctx.unit)


def _first_line(value: object) -> str:
    # the REST transport starts its messages with "POST <url>: "
    text = _REQUEST_RE.sub("", str(value or "").strip()).splitlines()
    first = text[0] if text else ""
    return first if len(first) <= 200 else first[:197] + "..."


