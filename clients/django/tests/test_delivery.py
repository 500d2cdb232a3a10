"""Delivery under the gateway's refusals, against a real gateway with small limits."""
import os
import re
import tempfile
import time

from django.test import SimpleTestCase

from kibotics_analytics.client import Client
from kibotics_analytics.conf import Settings
from kibotics_analytics.events import now_iso
from kibotics_analytics.sender import Retry

from . import harness


def visits(n, path):
    return [
        {"type": "visit", "id": f"{path}-{i}", "time": now_iso(), "path": path, "client_ip": "203.0.113.9"}
        for i in range(n)
    ]


class Limits(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.influx = harness.RUNNING["influx"]
        # 413 above 10 events a request; 429 with Retry-After above 2 requests a second.
        cls.gateway = harness.Gateway(cls.influx.url, {"MAX_EVENTS_PER_REQUEST": "10", "RATE_LIMIT_RPS": "2"})
        cls.dir = tempfile.mkdtemp(prefix="ka-delivery-")

    @classmethod
    def tearDownClass(cls):
        cls.gateway.destroy()
        super().tearDownClass()

    def make_client(self, **given):
        settings = {
            "URL": self.gateway.url,
            "SPOOL_PATH": os.path.join(self.dir, f"{self.id()}.sqlite3"),
            "FLUSH_INTERVAL": 0.05,
            "RETRY_MAX": 2.0,
            **given,
        }
        return Client(Settings(settings))

    def test_batches_are_halved_on_413_and_retries_wait_for_retry_after(self):
        c = self.make_client(BATCH_SIZE=64)
        attempts = []
        send = c.sender.send

        def recorded(kind, route, bodies):
            at = time.monotonic()
            try:
                result = send(kind, route, bodies)
                attempts.append((at, len(bodies), "ok", None))
                return result
            except Retry as err:
                attempts.append((at, len(bodies), "retry", err.after))
                raise
            except Exception as err:
                attempts.append((at, len(bodies), type(err).__name__, None))
                raise

        c.sender.send = recorded
        for e in visits(100, "/limits/"):
            c.enqueue("event", "", e)
        self.assertTrue(c.flush(60), c.stats())
        self.gateway.drained()
        [row] = self.influx.rows("""SELECT count("count") FROM visit WHERE "path" = '/limits/'""")
        self.assertEqual(row["count"], 100)
        self.assertEqual(c.stats()["delivered"], 100)
        self.assertIn("TooLarge", [a[2] for a in attempts])
        self.assertTrue(all(n <= 10 for at, n, outcome, _ in attempts if outcome == "ok"))
        waits = [(a, b) for a, b in zip(attempts, attempts[1:]) if a[2] == "retry" and a[3] is not None]
        self.assertTrue(waits, f"the gateway never answered 429: {attempts}")
        for (at, _, _, after), (next_at, *_rest) in waits:
            self.assertGreaterEqual(next_at - at, after - 0.05, "retried before Retry-After")

    def test_a_full_spool_drops_new_events_counted_and_never_raises(self):
        dead = f"http://127.0.0.1:{harness.free_port()}"
        c = self.make_client(URL=dead, SPOOL_MAX_EVENTS=5)
        for e in visits(20, "/full/"):
            c.enqueue("event", "", e)  # never raises
        self.assertFalse(c.flush(1.5))
        self.assertEqual(c.stats().get("dropped_spool_full"), 15)
        self.assertEqual(c.stats().get("spooled"), 5)


class BadSettings(SimpleTestCase):
    def test_a_bad_setting_is_refused_naming_the_key_and_the_fix(self):
        from django.core.exceptions import ImproperlyConfigured

        cases = [
            ({"URL": "http://g", "TOKN": "x"}, "KIBOTICS_ANALYTICS: unknown key 'TOKN'"),
            ({}, "KIBOTICS_ANALYTICS['URL']: is required"),
            ({"URL": "gateway:8080"}, "must start with http:// or https://"),
            ({"URL": "http://g", "BATCH_SIZE": 0}, "KIBOTICS_ANALYTICS['BATCH_SIZE']: must be a positive integer"),
            ({"URL": "http://g", "PSEUDONYM_SECRET": "short"}, "at least 16 characters"),
            ({"URL": "http://g", "TRUSTED_PROXIES": ["10.0.0.0/33"]}, "'10.0.0.0/33' is not an address or network"),
        ]
        for given, message in cases:
            with self.assertRaisesRegex(ImproperlyConfigured, re.escape(message)):
                Settings(given)
