"""One HTTP request to the gateway, and what its answer means for the batch (typed, with the retry decision)."""
import email.utils
import json
import time
import urllib.error
import urllib.parse
import urllib.request


class Retry(Exception):
    """Nothing was stored: send the same batch again after at least `after` seconds (Retry-After) or the backoff."""

    def __init__(self, reason, after=None):
        super().__init__(reason)
        self.after = after


class TooLarge(Exception):
    """413: the gateway refuses a body this big; smaller batches may pass."""


class Refused(Exception):
    """The gateway will never take these (400): drop them, counted."""


def retry_after(value, now=None):
    """Seconds from a Retry-After header: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Sender:
    def __init__(self, url, token, timeout):
        self.url = url
        self.token = token
        self.timeout = timeout

    def send(self, kind, route, bodies):
        """Posts events (kind 'event': dicts) or log lines (kind 'log': str, route = their zone).

        Returns the number the gateway rejected one by one (permanently). Raises Retry, TooLarge or Refused.
        """
        if kind == "event":
            data = json.dumps(bodies, separators=(",", ":")).encode()
            url, ctype = f"{self.url}/v1/events", "application/json"
        else:
            data = "\n".join(bodies).encode() + b"\n"
            url, ctype = (
                f"{self.url}/v1/logs?{urllib.parse.urlencode({'timezone': route})}",
                "text/plain; charset=utf-8",
            )
        headers = {"Content-Type": ctype, "User-Agent": "kibotics-analytics-django"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = _json(response.read())
                status = response.status
        except urllib.error.HTTPError as err:
            status = err.code
            answer = _json(err.read())
            if status == 413:
                raise TooLarge() from None
            if status == 400:
                raise Refused(_first_error(answer)) from None
            # 401/403 (a wrong TOKEN) are retried too: fixing the setting must not have lost the events.
            raise Retry(
                f"gateway answered {status}: {_first_error(answer)}", retry_after(err.headers.get("Retry-After"))
            ) from None
        except (urllib.error.URLError, OSError, TimeoutError) as err:
            raise Retry(f"gateway unreachable: {getattr(err, 'reason', err)}") from None
        if status // 100 != 2:
            raise Retry(f"gateway answered {status}")
        rejected = answer.get("rejected", []) if isinstance(answer, dict) else []
        # Log lines the gateway skips on purpose (blank, unknown code) are not failures.
        return sum(1 for r in rejected if not str(r.get("error", "")).startswith("skipped"))


def _json(raw):
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return None


def _first_error(answer):
    if isinstance(answer, dict):
        rejected = answer.get("rejected") or []
        if rejected:
            return rejected[0].get("error", "")
        return answer.get("error", "")
    return ""
