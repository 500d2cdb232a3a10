"""A logging.Handler for a site that keeps its old probes: their lines go to the gateway's /v1/logs."""
import logging
import re

# Kibotics' own lines: a numeric code, then " | " fields (README "Importing history"). Other records
# of the same logger are not shipped: an arbitrary message may hold anything.
LINE = re.compile(r"^\s*\d+ \| ")


class LogHandler(logging.Handler):
    """Add to LOGGING's handlers for the logger the old probes write to, e.g.
    `{"class": "kibotics_analytics.handler.LogHandler"}`. The naive times in the lines are read in
    LOG_TIMEZONE (default TIME_ZONE). With PSEUDONYM_SECRET the user field becomes its pseudonym."""

    def emit(self, record):
        try:
            from .conf import conf

            c = conf()
            if not c.ENABLED:
                return
            line = record.getMessage()
            if not LINE.match(line) or "\n" in line:
                return
            if c.PSEUDONYM_SECRET:
                line = pseudonymise_line(line, c.PSEUDONYM_SECRET)
            from .client import client

            client().enqueue("log", c.LOG_TIMEZONE, line)
        except Exception:  # noqa: BLE001 — logging.Handler's contract: never raise from emit
            self.handleError(record)


def pseudonymise_line(line, secret):
    from .events import pseudonym

    fields = line.split(" | ")
    if fields[0].strip() in ("1", "2", "3", "4") and len(fields) > 2 and fields[2].strip() not in ("", "AnonymusUser", "AnonymousUser"):
        fields[2] = pseudonym(fields[2].strip(), secret)
    return " | ".join(fields)
