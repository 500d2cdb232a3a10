"""Embedding: the template tag, and the Grafana auth view behind a real nginx (auth_request)."""
import http.server
import os
import re
import shutil
import subprocess
import tempfile
import threading
from unittest import mock

from django.contrib.auth.models import User
from django.template import Context, Template
from django.test import LiveServerTestCase, SimpleTestCase, override_settings

from kibotics_analytics import embed

from . import harness

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "examples", "nginx-kibotics.conf")
PANELS_MD = os.path.join(harness.REPO, "provisioning", "panels.md")

# A dashboard with names and one without, as the provisioning marks them.
MANIFEST = {
    "kibotics-user": {
        "title": "Kibotics user",
        "slug": "kibotics-user",
        "showsUserNames": True,
        "variables": ["user"],
        "panels": {"Sessions": 1},
    },
    "kibotics-groups": {
        "title": "Kibotics groups",
        "slug": "kibotics-groups",
        "showsUserNames": False,
        "variables": ["group", "bot"],
        "panels": {"Logins": 2},
    },
    "kibotics-unsaid": {
        "title": "Kibotics unsaid",
        "slug": "kibotics-unsaid",
        "showsUserNames": None,
        "variables": [],
        "panels": {"X": 3},
    },
}


EMBEDS = {**__import__("django.conf").conf.settings.KIBOTICS_ANALYTICS, "GRAFANA_EMBED_USER": "kibotics-embed"}


class TemplateTag(SimpleTestCase):
    def test_every_panel_of_the_generated_list_renders_the_url_provisioning_publishes(self):
        published = set(re.findall(r"`(/d-solo/[^`]+)`", open(PANELS_MD, encoding="utf-8").read()))
        rendered = set()
        for uid, d in embed.manifest().items():
            for title in d["panels"]:
                url = embed.panel_url(uid, title)
                rendered.add(url[len("/grafana") :].split("&from=")[0])
        self.assertEqual(rendered, published)

    def test_the_tag_renders_an_iframe_with_range_theme_language_zone_and_class(self):
        uid = next(u for u, d in embed.manifest().items() if "group" in d["variables"])
        title = next(iter(embed.manifest()[uid]["panels"]))
        html = Template(
            '{% load kibotics_analytics %}{% kibotics_panel uid title time_from="now-7d" theme="dark" lang="es" tz="Europe/Madrid" group=g %}'
        ).render(Context({"uid": uid, "title": title, "g": "1ESO-A & B"}))
        self.assertIn('<iframe src="/grafana/d-solo/' + uid + "/", html)
        for part in [
            "from=now-7d",
            "to=now",
            "theme=dark",
            "lang=es-ES",
            "timezone=Europe%2FMadrid",
            "var-group=1ESO-A+%26+B",
            f"panelId={embed.manifest()[uid]['panels'][title]}",
        ]:
            self.assertIn(part, html.replace("&amp;", "&"))

    def test_unknown_dashboards_panels_and_variables_are_refused_with_what_exists(self):
        with self.assertRaisesRegex(embed.UnknownPanel, "dashboard: 'nope' is not provisioned"):
            embed.panel_url("nope", "x")
        uid = next(iter(embed.manifest()))
        with self.assertRaisesRegex(embed.UnknownPanel, "panel: .* has no panel 'nope' \\(its panels: "):
            embed.panel_url(uid, "nope")
        with self.assertRaisesRegex(embed.UnknownPanel, "variable: .* has no variable 'colour'"):
            embed.panel_url(uid, next(iter(embed.manifest()[uid]["panels"])), variables={"colour": "red"})


class RealManifest(SimpleTestCase):
    """The provisioning's own flags (not the test manifest below) decide."""

    def test_every_dashboard_says_whether_it_shows_names(self):
        for uid, d in embed.manifest().items():
            self.assertIsInstance(d["showsUserNames"], bool, uid)

    @override_settings(KIBOTICS_ANALYTICS=EMBEDS)
    def test_the_embed_user_reaches_exactly_the_dashboards_without_names(self):
        from django.contrib.auth.models import AnonymousUser

        for uid, d in embed.manifest().items():
            uri = f"/grafana/d-solo/{uid}/{d['slug']}?panelId={next(iter(d['panels'].values()))}"
            expected = (True, "kibotics-embed") if d["showsUserNames"] is False else (False, None)
            self.assertEqual(embed.decide(AnonymousUser(), uri), expected, uid)
        self.assertTrue(any(d["showsUserNames"] is False for d in embed.manifest().values()))
        self.assertTrue(any(d["showsUserNames"] for d in embed.manifest().values()))


class Recorder(http.server.BaseHTTPRequestHandler):
    """Stands in for Grafana (which cannot run here): answers 200 and records what nginx proxied."""

    seen = []

    def do_GET(self):
        Recorder.seen.append({"path": self.path, "user": self.headers.get("X-WEBAUTH-USER")})
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"grafana")

    def log_message(self, *args):
        pass


@mock.patch("kibotics_analytics.embed.manifest", lambda: MANIFEST)
class NginxAuth(LiveServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grafana = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
        threading.Thread(target=cls.grafana.serve_forever, daemon=True).start()
        cls.dir = tempfile.mkdtemp(prefix="nginx-")
        # Under root (CI) nginx's workers run as an unprivileged user: they must reach its temp dirs.
        os.chmod(cls.dir, 0o755)
        cls.port = harness.free_port()
        site = open(EXAMPLE).read()
        site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{cls.server_thread.port};")
        site = site.replace("server 127.0.0.1:3000;", f"server 127.0.0.1:{cls.grafana.server_address[1]};")
        site = site.replace("listen 80;", f"listen 127.0.0.1:{cls.port};")
        with open(os.path.join(cls.dir, "kibotics.conf"), "w") as f:
            f.write(site)
        with open(os.path.join(cls.dir, "nginx.conf"), "w") as f:
            f.write(
                f"""pid {cls.dir}/nginx.pid;
error_log {cls.dir}/error.log;
events {{}}
http {{
  access_log off;
  client_body_temp_path {cls.dir}/body; proxy_temp_path {cls.dir}/proxy; fastcgi_temp_path {cls.dir}/fcgi;
  uwsgi_temp_path {cls.dir}/uwsgi; scgi_temp_path {cls.dir}/scgi;
  include {cls.dir}/kibotics.conf;
}}
"""
            )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        cls.nginx = subprocess.Popen(
            [nginx, "-p", cls.dir, "-c", f"{cls.dir}/nginx.conf", "-e", f"{cls.dir}/error.log", "-g", "daemon off;"],
            stderr=subprocess.PIPE,
        )
        harness.wait_for(
            "nginx to listen",
            lambda: cls.nginx.poll() is None and harness.http("GET", f"http://127.0.0.1:{cls.port}/health")[0] == 200,
            20,
        )

    @classmethod
    def tearDownClass(cls):
        cls.nginx.terminate()
        cls.nginx.wait()
        cls.grafana.shutdown()
        shutil.rmtree(cls.dir, ignore_errors=True)
        super().tearDownClass()

    def setUp(self):
        Recorder.seen.clear()
        User.objects.create_user("pupil", password="pw")
        User.objects.create_user("teacher", password="pw", is_staff=True)

    def get(self, path, user=None, headers=None):
        headers = dict(headers or {})
        if user:
            self.client.login(username=user, password="pw")
            headers["Cookie"] = f"sessionid={self.client.cookies['sessionid'].value}"
        status, _ = harness.http("GET", f"http://127.0.0.1:{self.port}{path}", headers=headers)
        return status, (Recorder.seen[-1] if Recorder.seen else None)

    def test_without_an_embed_user_only_staff_reach_grafana(self):
        for user in (None, "pupil"):
            for path in (
                "/grafana/d-solo/kibotics-groups/kibotics-groups?panelId=2",
                "/grafana/d-solo/kibotics-user/kibotics-user?panelId=1",
                "/grafana/api/ds/query",
            ):
                self.assertEqual(self.get(path, user), (403, None), f"{user or 'anonymous'} reached {path}")
        status, seen = self.get(
            "/grafana/d-solo/kibotics-user/kibotics-user?panelId=1&var-user=ana", "teacher", {"X-WEBAUTH-USER": "admin"}
        )
        self.assertEqual(status, 200)
        self.assertEqual(
            seen, {"path": "/grafana/d-solo/kibotics-user/kibotics-user?panelId=1&var-user=ana", "user": "teacher"}
        )

    @override_settings(KIBOTICS_ANALYTICS=EMBEDS)
    def test_dashboards_with_names_are_for_staff_only(self):
        for user in (None, "pupil"):
            Recorder.seen.clear()
            for path in (
                "/grafana/d/kibotics-user/kibotics-user",
                "/grafana/d-solo/kibotics-user/kibotics-user?panelId=1",
                "/grafana/api/dashboards/uid/kibotics-user",
                "/grafana/apis/dashboard.grafana.app/v1beta1/namespaces/default/dashboards/kibotics-user",
                "/grafana/d-solo/kibotics-unsaid/kibotics-unsaid?panelId=3",  # does not say: counts as names
                "/grafana/d-solo/kibotics-nope/x",
            ):
                self.assertEqual(self.get(path, user), (403, None), f"{user or 'anonymous'} reached {path}")
        status, seen = self.get("/grafana/d-solo/kibotics-user/kibotics-user?panelId=1&var-user=ana", "teacher")
        self.assertEqual((status, seen["user"]), (200, "teacher"))

    @override_settings(KIBOTICS_ANALYTICS=EMBEDS)
    def test_class_embeds_without_names_are_open_as_the_embed_user(self):
        for user in (None, "pupil"):
            status, seen = self.get(
                "/grafana/d-solo/kibotics-groups/kibotics-groups?panelId=2&var-group=1ESO-A",
                user,
                {"X-WEBAUTH-USER": "admin"},
            )
            self.assertEqual(status, 200)
            # Not staff: Grafana sees the embed user, never the browser's forged header.
            self.assertEqual(seen["user"], "kibotics-embed")
        self.assertEqual(self.get("/grafana/public/build/app.js")[0], 200)
        self.assertEqual(self.get("/grafana/api/search?query=")[0], 403)
        self.assertEqual(self.get("/grafana/api/users")[0], 403)
