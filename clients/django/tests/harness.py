"""The real parts the tests run against: Debian's influxd (1.6.7) on free ports in a temp dir, started
by the Node suites' test kit (packages/test-kit), and the gateway (`kibotics-analytics serve` from
../../ingest) as a child process."""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
INGEST = os.path.join(REPO, "ingest")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, probe, timeout=30.0, every=0.05):
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = probe()
            if value:
                return value
        except Exception as err:  # noqa: BLE001
            last = err
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}{': ' + repr(last) if last else ''}")
        time.sleep(every)


def http(method, url, body=None, headers=None, timeout=10):
    request = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


class Influxd:
    """influxd as the Node suites start it: the test kit (@kibotics/test-kit/influxd-main) writes its
    configuration, starts it and prints where it answers; closing the kit's stdin stops it."""

    def __init__(self):
        self.child = subprocess.Popen(
            ["node", "--import", "tsx", "--input-type=module", "-e", "await import('@kibotics/test-kit/influxd-main')"],
            cwd=HERE,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.child.stdout.readline()
        if not line:
            raise RuntimeError(f"the test kit could not start influxd (exit {self.child.wait()}): see its output above")
        started = json.loads(line)
        self.port, self.dir = started["port"], started["dir"]

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def rows(self, q, db="kibotics"):
        """The rows of a query as dicts, across series, with the series' tags merged in."""
        status, body = http("POST", f"{self.url}/query?" + urllib.parse.urlencode({"db": db, "q": q, "epoch": "ms"}))
        answer = json.loads(body)
        first = answer.get("results", [{}])[0]
        if answer.get("error") or first.get("error"):
            raise RuntimeError(f"InfluxQL error for {q}: {answer.get('error') or first.get('error')}")
        out = []
        for s in first.get("series", []):
            for v in s["values"]:
                out.append({**s.get("tags", {}), **dict(zip(s["columns"], v))})
        return out

    def clear(self, db="kibotics"):
        """Every point gone (between tests); the database and its retention policies stay."""
        status, body = http(
            "POST", f"{self.url}/query?" + urllib.parse.urlencode({"db": db, "q": "DROP SERIES FROM /.*/"})
        )
        if status != 200 or b'"error"' in body:
            raise RuntimeError(f"could not clear InfluxDB: {status} {body[:300]!r}")

    def stop(self):
        self.child.stdin.close()
        self.child.wait()


class Gateway:
    """The gateway as its own process; stop() and start() again keep its port and DATA_DIR (an outage)."""

    def __init__(self, influx_url, env=None):
        self.port = free_port()
        self.data_dir = tempfile.mkdtemp(prefix="gateway-")
        self.env = {
            **os.environ,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "DATA_DIR": self.data_dir,
            "INFLUX_URL": influx_url,
            "LOG_LEVEL": "warn",
            "STATS_INTERVAL_S": "0",
            "FLUSH_INTERVAL_MS": "50",
            **(env or {}),
        }
        self.child = None
        self.log = os.path.join(self.data_dir, "gateway.log")
        self.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        out = open(self.log, "ab")
        self.child = subprocess.Popen(
            ["node", "--import", "tsx", "src/cli.ts", "serve"], cwd=INGEST, env=self.env, stdout=out, stderr=out
        )
        out.close()

        def up():
            if self.child.poll() is not None:
                raise RuntimeError(f"gateway exited {self.child.returncode}: {open(self.log).read()[-2000:]}")
            return http("GET", f"{self.url}/healthz")[0] == 200

        wait_for("the gateway to listen", up, 60)

    def stop(self):
        if self.child and self.child.poll() is None:
            self.child.terminate()
            self.child.wait()
        self.child = None

    def drained(self, timeout=30):
        def empty():
            h = json.loads(http("GET", f"{self.url}/healthz")[1])
            return h["spool"]["lines"] == 0 and h["spool"]["rollups"] == 0

        wait_for("the gateway's spool to drain", empty, timeout, 0.1)

    def destroy(self):
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)


RUNNING = {}
