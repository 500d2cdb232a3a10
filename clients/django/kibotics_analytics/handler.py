"""A logging.Handler for a site that keeps its old probes: their lines go to the gateway's /v1/logs."""
import logging
import re

# Kibotics' own lines: a numeric code, then " | " fields (README "Importing history"). Other records
# of the same logger are not shipped: an arbitrary message may hold anything.
LINE = re.compile(r"^\s*\d+ \| ")


class LogHandler(logging.Handler):
    """Add to LOGGING's handlers for the logger the old probes write to, e.g.
    `{"class": "kibotics_analytics.handler.LogHandler"}`. The naive times in the lines are read in
    LOG_TIMEZONE (default TIME_ZONE). With PSEUDONYM_SECRET the user field becomes its pseudonym.
    Error lines (`5 | …`, `6 | …`) become error events, unless the app is installed (its
    got_request_exception handler reports errors already)."""

    def emit(self, record):
        try:
            from .conf import conf

            c = conf()
            if not c.ENABLED:
                return
            line = record.getMessage()
            if not LINE.match(line) or "\n" in line:
                return
            from .client import client

            code = line.split(" | ", 1)[0].strip()
            if code in ("5", "6"):
                # Error lines carry no date: alone in a request the gateway cannot time them
                # ("skipped: no_time"), so they go as error events timed by the log record.
                # With the app installed, got_request_exception reports them already.
                from django.apps import apps

                if not apps.is_installed("kibotics_analytics"):
                    client().enqueue("event", "", error_event(line, record.created))
                return
            if c.PSEUDONYM_SECRET:
                line = pseudonymise_line(line, c.PSEUDONYM_SECRET)
            client().enqueue("log", c.LOG_TIMEZONE, line)
        except Exception:  # noqa: BLE001 — logging.Handler's contract: never raise from emit
            self.handleError(record)


def error_event(line, created):
    import datetime

    from .contract import clip
    from .events import event

    message = line.split(" | ", 1)[1].strip() if " | " in line else ""
    status = int(message[:3]) if message[:3].isdigit() and 100 <= int(message[:3]) <= 599 else 500
    at = datetime.datetime.fromtimestamp(created, datetime.timezone.utc)
    return event("error", at=at, status=status, message=clip("message", message or "500 Internal Server Error"))


def pseudonymise_line(line, secret):
    from .events import pseudonym

    fields = line.split(" | ")
    if (
        fields[0].strip() in ("1", "2", "3", "4")
        and len(fields) > 2
        and fields[2].strip() not in ("", "AnonymusUser", "AnonymousUser")
    ):
        fields[2] = pseudonym(fields[2].strip(), secret)
    return " | ".join(fields)
