#!/usr/bin/env python3
"""Runs the package's tests with Django's test runner against a real InfluxDB and a real gateway.

Use Debian's interpreter (its python3-django): `/usr/bin/python3 runtests.py [test labels]`.
"""
import os
import signal
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def main():
    from tests import harness

    # A SIGTERM (a CI timeout, npm stopped) still runs the finally below: no orphaned influxd or gateway.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = tempfile.mkdtemp(prefix="kibotics-django-")
    influx = harness.Influxd()
    try:
        gateway = harness.Gateway(influx.url)
    except BaseException:
        influx.stop()
        raise
    os.environ.update(
        {
            "KA_GATEWAY_URL": gateway.url,
            "KA_SPOOL": os.path.join(work, "spool.sqlite3"),
            "KA_TEST_DB": os.path.join(work, "db.sqlite3"),
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "PYTHONPATH": HERE + os.pathsep + os.environ.get("PYTHONPATH", ""),
        }
    )
    harness.RUNNING.update(influx=influx, gateway=gateway, work=work)
    try:
        import django
        from django.conf import settings
        from django.test.utils import get_runner

        django.setup()
        runner = get_runner(settings)(verbosity=2)
        failures = runner.run_tests(sys.argv[1:] or ["tests"])
    finally:
        from kibotics_analytics import client

        if client._client is not None:
            client._client.shutdown()  # before its spool's directory goes
            client.reset_client()
        gateway.destroy()
        influx.stop()
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
