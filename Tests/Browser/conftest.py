"""Fixtures of the console's browser tests: a real `shiftlog serve` on a real socket, and
Debian's chromium driven by Playwright (no browser download: `executable_path`)."""

import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import tempfile
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("SHIFTLOG_BINARY", ROOT / ".build" / "debug" / "shiftlog"))
CHROMIUM = os.environ.get("SHIFTLOG_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = pathlib.Path(os.environ.get("SHIFTLOG_SCREENSHOTS", ROOT / ".build" / "browser-screenshots"))


class Service:
    """One `shiftlog serve` in a temporary folder, with an API key (which also opens the
    worker routes the tests call in the workers' place). The loop runs once an hour, so
    nothing is spawned behind the test's back: workers exist only when a test registers them,
    as whim's workers do, over HTTP."""

    def __init__(self, api_key="browser-test-key-7f3a", extra_env=None):
        self.folder = tempfile.mkdtemp(prefix="shiftlog-browser-")
        self.api_key = api_key
        self.env = dict(os.environ)
        self.env.pop("API_KEY", None)
        self.env.update({
            "PORT": "0", "LOOP_INTERVAL_MS": "3600000", "RECONCILE_INTERVAL_SECONDS": "0",
            "MAX_WORKERS": "20", "COOLDOWN_SECONDS": "0", "STALE_THRESHOLD": "1",
            "RETRY_BACKOFF_SECONDS": "1", "LOG_LEVEL": "warning", "WORKER_COMMAND": "sleep 600",
        })
        if api_key:
            self.env["API_KEY"] = api_key
            self.env["HOST"] = "127.0.0.1"
        self.env.update(extra_env or {})
        self._start()

    def _start(self):
        self.process = subprocess.Popen(
            [str(BINARY), "serve", "--path", self.folder + "/data", "--runtime", "process"],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if "listening on port" not in line:
            self.process.kill()
            raise RuntimeError("shiftlog serve did not start: " + line + self.process.stderr.read())
        self.port = int(line.split("listening on port ")[1].split(",")[0])
        self.base = f"http://127.0.0.1:{self.port}"

    def restart(self):
        """Stops the service (SIGTERM: its streams are closed) and starts it again on the same
        log and port, as an operator's restart does."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        self.env["PORT"] = str(self.port)
        self._start()

    def api(self, method, path, body=None, headers=None):
        """Calls the service's API as another client would (not through the page)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.api_key:
            request.add_header("X-API-Key", self.api_key)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def add(self, repo="acme/web", spec="Fix the login form", **fields):
        status, answer = self.api("POST", "/api/work", {"repo": repo, "spec": spec, **fields})
        assert status == 201, answer
        return answer["id"]

    def register(self, item):
        status, answer = self.api("POST", "/api/worker/register", {"workItemId": item})
        assert status == 201, answer
        return answer["workerId"]

    def heartbeat(self, worker, iteration):
        status, answer = self.api("POST", f"/api/worker/{worker}/heartbeat", {"iteration": iteration})
        assert status == 200, answer

    def item(self, item):
        status, answer = self.api("GET", f"/api/work/{item}")
        assert status == 200, answer
        return answer

    def stop(self, keep_folder=False):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            if not keep_folder:
                shutil.rmtree(self.folder, ignore_errors=True)


class ReadOnlyConsole:
    """`shiftlog console --path COPY --port 0`: the pages over a log no service runs."""

    def __init__(self, path):
        self.process = subprocess.Popen(
            [str(BINARY), "console", "--path", path, "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        match = re.match(r"shiftlog console: (http://127\.0\.0\.1:\d+)/ \(read-only, ", line)
        if not match:
            self.process.kill()
            raise RuntimeError("shiftlog console did not start: " + line + self.process.stderr.read())
        self.base = match.group(1)

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()


@pytest.fixture
def service():
    running = Service()
    yield running
    running.stop()


def sign_in(page, service):
    """Signs `page`'s browser in to the console with the service's key."""
    page.goto(service.base + "/sign-in")
    page.fill("#key", service.api_key)
    page.click("main button[type=submit]")
    page.wait_for_url(service.base + "/")


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A page in a fresh context, collecting console errors and uncaught exceptions; a test
    ends by asserting there were none (`page.errors`)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


def screenshot(page, name):
    """Saves a screenshot of the whole page to the screenshots folder."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
