"""Kibotics' events from a Django site to a real gateway and a real InfluxDB."""
import json
import logging
import sqlite3
import subprocess
import time
from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.test import Client, TransactionTestCase

import kibotics_analytics
from kibotics_analytics.conf import conf

from .support import FIREFOX, GOOGLEBOT, child, delivered, gateway, rows, timed
from . import harness


class Base(TransactionTestCase):
    def setUp(self):
        delivered()
        # Each test reads only its own points (dropping series between tests makes InfluxDB 1.6
        # lose the next writes to the same series).
        self.t0 = int(time.time() * 1000) - 1

    def points(self, measurement, where=None, select="*"):
        return rows(
            f'SELECT {select} FROM "{measurement}" WHERE time >= {self.t0}ms' + (f" AND {where}" if where else "")
        )


class Events(Base):
    def setUp(self):
        super().setUp()
        self.ana = User.objects.create_user("ana", password="pw")
        group, _ = Group.objects.get_or_create(name="1ESO-A")
        self.ana.groups.add(group)

    def browser(self, ua=FIREFOX):
        return Client(HTTP_USER_AGENT=ua, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")

    def test_login_then_logout_is_a_session_with_its_duration(self):
        c = self.browser()
        self.assertEqual(c.post("/login", {"username": "ana", "password": "pw"}).status_code, 200)
        time.sleep(1.2)
        self.assertEqual(c.get("/logout").status_code, 200)
        delivered()
        [start] = self.points("session_start", """"user" = 'ana'""")
        [end] = self.points("session_end", """"user" = 'ana'""")
        self.assertEqual(start["group"], "1ESO-A")
        self.assertEqual(start["browser"], "Firefox")
        self.assertEqual(end["reason"], "logout")
        self.assertGreaterEqual(end["duration_s"], 1.2)
        self.assertLess(end["duration_s"], 10)

    def test_a_simulation_started_in_a_view_and_ended_from_another_process_is_paired(self):
        c = self.browser()
        c.post("/login", {"username": "ana", "password": "pw"})
        sim_id = c.get("/simulation/follow-line/start").json()["id"]
        time.sleep(1.1)
        ended = child("end", sim_id)
        self.assertEqual(ended.returncode, 0, ended.stdout + ended.stderr)
        delivered()
        [end] = self.points("simulation_end", """"exercise" = 'follow-line'""")
        self.assertEqual(
            (end["user"], end["group"], end["simulation_type"], end["host"]), ("ana", "1ESO-A", "websim", "sim-3")
        )
        self.assertGreaterEqual(end["duration_s"], 1.0)

    def test_an_end_reported_for_a_user_pairs_with_their_latest_open_simulation(self):
        c = self.browser()
        c.post("/login", {"username": "ana", "password": "pw"})
        c.get("/simulation/maze/start")
        ended = child("end-user", "ana", "maze", "websim")
        self.assertEqual(ended.returncode, 0, ended.stdout + ended.stderr)
        delivered()
        [end] = self.points("simulation_end", """"exercise" = 'maze'""")
        self.assertIsNotNone(end["duration_s"])
        # Nothing open is left to end twice.
        self.assertFalse(kibotics_analytics.simulation_ended("ana", "maze", None))

    def test_a_view_that_raises_is_an_error_event_without_request_data(self):
        c = self.browser()
        c.raise_request_exception = False
        self.assertEqual(c.get("/boom?token=secret").status_code, 500)
        delivered()
        [error] = self.points("error")
        self.assertEqual((error["status"], error["path"], error["message"]), ("500", "/boom", "ZeroDivisionError"))

    def test_values_past_the_gateways_limits_are_clipped_to_them_and_the_event_is_stored(self):
        # The limits come from contract.json, generated from the gateway's own declaration: a value
        # the gateway would refuse (and with it the whole event) is cut to its limit instead.
        self.browser(ua=FIREFOX + " x" * 3000).get("/exercise/44/?" + "q" * 5000)
        delivered()
        self.assertEqual([v["path"] for v in self.points("visit")], ["/exercise/<int:pk>/"])
        with self.assertRaisesRegex(ValueError, "^type: 'exercise_saved' is not an event type"):
            kibotics_analytics.events.event("exercise_saved")

    def test_visits_by_route_for_browsers_and_crawlers_and_none_for_skipped_paths(self):
        self.browser().get("/exercise/42/")
        self.browser(GOOGLEBOT).get("/exercise/43/")
        self.browser().get("/")
        self.browser().get("/health")
        self.browser().get("/admin/login/")
        self.browser().get("/no-such-page")
        delivered()
        visits = self.points("visit")
        self.assertEqual(
            sorted((v["path"], v["bot"]) for v in visits),
            [("/", "false"), ("/exercise/<int:pk>/", "false"), ("/exercise/<int:pk>/", "true")],
            visits,
        )
        for v in visits:
            self.assertIsNone(v.get("user"))

    def test_the_client_address_comes_from_the_proxy_header_only_behind_a_trusted_proxy(self):
        from django.test import RequestFactory

        from kibotics_analytics.events import client_ip

        f = RequestFactory()
        self.assertEqual(
            client_ip(f.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")), "203.0.113.9"
        )
        self.assertEqual(
            client_ip(f.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")), "198.51.100.7"
        )
        self.assertEqual(
            client_ip(f.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 127.0.0.1")), "203.0.113.9"
        )

    def test_old_format_log_lines_reach_the_gateway_through_the_logging_handler(self):
        from zoneinfo import ZoneInfo
        from datetime import datetime, timezone

        now = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=1)
        madrid = now.astimezone(ZoneInfo("Europe/Madrid")).strftime("%d/%m/%Y %H:%M:%S")
        logging.getLogger("kibotics.probes").info("1 | %s | luis | 198.51.100.2 | %s", madrid, FIREFOX)
        logging.getLogger("kibotics.probes").info("not a Kibotics line: ignored")
        delivered()
        [start] = self.points("session_start", """"user" = 'luis'""")
        # The line's naive time was read in TIME_ZONE (Madrid), not as UTC.
        self.assertEqual(start["time"] // 1000, int(now.timestamp()))


class OldErrorLines(Base):
    def test_old_error_lines_become_error_events_timed_by_the_record_unless_the_app_reports_errors(self):
        from unittest import mock

        probe = logging.getLogger("kibotics.probes")
        probe.error("5 | 500 Internal Server Error")  # the app is installed: got_request_exception reports errors
        with mock.patch("django.apps.apps.is_installed", lambda name: name != "kibotics_analytics"):
            before = time.time()
            probe.error("5 | 503 Service Unavailable")
        delivered()
        [error] = self.points("error")
        self.assertEqual((error["status"], error["message"]), ("503", "503 Service Unavailable"))
        self.assertAlmostEqual(error["time"] / 1000, before, delta=2)


class Pseudonyms(Base):
    def test_with_a_secret_no_name_leaves_the_site_and_sessions_still_pair(self):
        from django.test import override_settings

        from kibotics_analytics.events import pseudonym

        secret = "a-secret-of-20-chars"
        User.objects.create_user("zoe", password="pw")
        from django.conf import settings

        with override_settings(KIBOTICS_ANALYTICS={**settings.KIBOTICS_ANALYTICS, "PSEUDONYM_SECRET": secret}):
            c = Client(HTTP_USER_AGENT=FIREFOX)
            c.post("/login", {"username": "zoe", "password": "pw"})
            c.get("/logout")
            logging.getLogger("kibotics.probes").info(
                "2 | %s | zoe | 198.51.100.2 | %s", "01/12/2026 10:00:00", FIREFOX
            )
            delivered()
        self.assertEqual(self.points("session_start", """"user" = 'zoe'"""), [])
        [end] = self.points("session_end", f""""user" = '{pseudonym("zoe", secret)}' AND "reason" = 'logout'""")
        self.assertIsNotNone(end["duration_s"])
        [line] = rows(
            f"""SELECT * FROM session_end WHERE "user" = '{pseudonym("zoe", secret)}' AND time < {self.t0}ms"""
        )
        self.assertNotIn("zoe", json.dumps(line))

    def test_the_same_pseudonyms_as_the_gateway(self):
        from kibotics_analytics.events import pseudonym

        names = ["ana", "José María", "Zoë_ß", "x" * 150, "名前"]
        secret = "a-secret-of-20-chars"
        script = (
            "import { userIds } from 'kibotics-analytics/enrich/pseudonym';"
            f"const f = userIds('hmac', {json.dumps(secret)});"
            f"console.log(JSON.stringify({json.dumps(names)}.map(f)));"
        )
        out = subprocess.run(
            ["node", "--conditions=source", "--import", "tsx", "--input-type=module", "-e", script],
            cwd=harness.HERE,
            capture_output=True,
            text=True,
            check=True,
        )
        self.assertEqual([pseudonym(n, secret) for n in names], json.loads(out.stdout))


class Outage(Base):
    def test_gateway_down_for_a_while_every_event_arrives_and_pages_stay_fast(self):
        c = Client(HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="203.0.113.9")
        up = timed(lambda i: c.get(f"/exercise/{i}/"), 30)
        delivered()
        gateway().stop()
        try:
            down = timed(lambda i: c.get(f"/exercise/{i}/"), 100)
            time.sleep(2)  # several failed attempts: the backoff is running
            with sqlite3.connect(conf().SPOOL_PATH) as db:
                spooled = [b for (b,) in db.execute("SELECT body FROM outbox")]
            self.assertGreater(len(spooled), 0)
            # Children's addresses never reach the disk.
            self.assertEqual(sum("client_ip" in b or "203.0.113.9" in b for b in spooled), 0, "an address was spooled")
        finally:
            gateway().start()
        delivered()
        print(f"\n  page times, gateway up: {up}; gateway down: {down}")
        # Generous: a page must never wait for the gateway (its TIMEOUT is 5 s).
        self.assertLess(down["max_ms"], 1000)
        [count] = self.points("visit", select='count("count")')
        self.assertEqual(count["count"], 130)


class Restart(Base):
    def test_events_queued_when_django_stops_are_delivered_after_the_next_start(self):
        # Its own spool: this process's thread must not be the one that delivers them.
        restarted = {"KA_EXIT_TIMEOUT": "0", "KA_SPOOL": harness.RUNNING["work"] + "/restart.sqlite3"}
        gateway().stop()
        try:
            # Exits at once: what the thread has not spooled yet is spooled by the exit hook.
            run = child("visits", "25", env=restarted)
            self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        finally:
            gateway().start()
        after = child("deliver", env=restarted)
        self.assertEqual(after.returncode, 0, after.stdout + after.stderr)
        gateway().drained()
        [count] = self.points("visit", select='count("count")')
        self.assertEqual(count["count"], 25)


class OtherGateway(Base):
    """Ends carry their start's time (`started_at`): they pair on a gateway that never saw the start."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = harness.Gateway(harness.RUNNING["influx"].url)

    @classmethod
    def tearDownClass(cls):
        cls.other.destroy()
        super().tearDownClass()

    def test_a_simulation_ended_through_another_gateway_is_paired(self):
        User.objects.create_user("eva", password="pw")
        c = Client(HTTP_USER_AGENT=FIREFOX)
        c.post("/login", {"username": "eva", "password": "pw"})
        sim_id = c.get("/simulation/drone-race/start").json()["id"]
        delivered()
        time.sleep(1.1)
        ended = child("end", sim_id, env={"KA_GATEWAY_URL": self.other.url})
        self.assertEqual(ended.returncode, 0, ended.stdout + ended.stderr)
        self.other.drained()
        [end] = self.points("simulation_end", """"exercise" = 'drone-race'""")
        self.assertGreaterEqual(end["duration_s"], 1.0)


class ExpiredSessions(Base):
    def test_expired_sessions_are_reported_as_inactivity_with_their_duration(self):
        from datetime import timedelta

        from django.conf import settings
        from django.contrib.sessions.models import Session
        from django.core.management import call_command
        from django.utils import timezone

        User.objects.create_user("leo", password="pw")
        c = Client(HTTP_USER_AGENT=FIREFOX)
        c.post("/login", {"username": "leo", "password": "pw"})
        # Logged in long ago, last saved 90 s later, then left until it expired (SESSION_COOKIE_AGE after that save).
        from kibotics_analytics.events import now_iso
        from kibotics_analytics.signals import SESSION_KEY

        session = Session.objects.get()
        data = session.get_decoded()
        login_at = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE + 100)
        data[SESSION_KEY]["started_at"] = now_iso(login_at)
        session.session_data = Session.objects.encode(data)
        session.expire_date = login_at + timedelta(seconds=90 + settings.SESSION_COOKIE_AGE)
        session.save()
        out = __import__("io").StringIO()
        call_command("kibotics_expired_sessions", stdout=out)
        self.assertIn("1 expired session(s) reported", out.getvalue())
        self.assertFalse(Session.objects.exists())
        delivered()
        [end] = rows(
            f"""SELECT * FROM session_end WHERE "user" = 'leo' AND time >= {int(login_at.timestamp() * 1000)}ms"""
        )
        self.assertEqual(end["reason"], "inactivity")
        self.assertAlmostEqual(end["duration_s"], 90, delta=2)


class NeverBreaksAPage(Base):
    def test_an_unusable_spool_costs_the_events_not_the_page(self):
        from django.conf import settings
        from django.test import override_settings

        from kibotics_analytics import client as client_module

        broken = {**settings.KIBOTICS_ANALYTICS, "SPOOL_PATH": "/nonexistent-dir/kibotics_analytics.sqlite3"}
        client_module.reset_client()
        try:
            with override_settings(KIBOTICS_ANALYTICS=broken), self.assertLogs("kibotics_analytics", "ERROR") as logs:
                c = Client(HTTP_USER_AGENT=FIREFOX)
                self.assertEqual(c.get("/exercise/7/").status_code, 200)
                self.assertEqual(c.post("/login", {"username": "nobody", "password": "x"}).status_code, 403)
            self.assertIn("could not record an event", "\n".join(logs.output))
        finally:
            client_module.reset_client()
