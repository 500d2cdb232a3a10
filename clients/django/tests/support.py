import os
import statistics
import subprocess
import sys
import time

import kibotics_analytics

from . import harness

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def influx():
    return harness.RUNNING["influx"]


def gateway():
    return harness.RUNNING["gateway"]


def delivered():
    """Everything this process queued is at the gateway, and the gateway has written it to InfluxDB."""
    assert kibotics_analytics.flush(30), f"not delivered in 30 s: {kibotics_analytics.stats()}"
    gateway().drained()
    stats = kibotics_analytics.stats()
    assert not stats.get("rejected") and not any(k.startswith("dropped") for k in stats), stats


def rows(q):
    return influx().rows(q)


def child(*args, env=None, timeout=60):
    """Runs tests/child.py in another process of the same site; returns its completed process."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return subprocess.run(
        [sys.executable, "-m", "tests.child", *args],
        cwd=here,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def timed(fn, n):
    out = []
    for i in range(n):
        t = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - t)
    return {"median_ms": statistics.median(out) * 1000, "max_ms": max(out) * 1000}
