"""End to end in a real headless Chromium: start the app, type a question, see the answer and its citation.

Drives Debian's chromium through chromedriver's W3C WebDriver HTTP API with the standard library only, so
the test needs no Python browser package: `scripts/install_browser.sh` installs chromium + chromium-driver.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from rag.config import Settings
from tests.conftest import FIXTURES

ENTER = "\ue007"  # the WebDriver key code for Enter
PROJECT = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT / "tests" / "artifacts"
CHROMIUM = os.environ.get("RAG_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("RAG_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")
# Flags for a closed network and a root user: no sandbox, no GPU, no background calls home.
CHROME_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
    "--disable-dev-shm-usage", "--window-size=1400,1000",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.model,
    pytest.mark.skipif(
        not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()) and not os.environ.get("RAG_REQUIRE_BROWSER"),
        reason=f"Chromium not installed ({CHROMIUM}, {CHROMEDRIVER}); run scripts/install_browser.sh",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except (OSError, urllib.error.URLError, WebDriverError):
            value = None
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class WebDriverError(Exception):
    """chromedriver answered with an error."""


class Browser:
    """The few W3C WebDriver commands this test needs, over chromedriver's local HTTP port."""

    def __init__(self, port: int, profile: Path) -> None:
        self.base = f"http://127.0.0.1:{port}"
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": CHROMIUM, "args": [*CHROME_ARGS, f"--user-data-dir={profile}"]}}}}
        self.session = self._call("POST", "/session", caps)["sessionId"]

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body or {}).encode() if method == "POST" else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())["value"]
        except urllib.error.HTTPError as exc:
            raise WebDriverError(exc.read().decode(errors="replace")[:500]) from exc

    def cmd(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self._call(method, f"/session/{self.session}{path}", body)

    def get(self, url: str) -> None:
        self.cmd("POST", "/url", {"url": url})

    def find_all(self, css: str) -> list[str]:
        found = self.cmd("POST", "/elements", {"using": "css selector", "value": css})
        return [next(iter(el.values())) for el in found]

    def text(self, element: str) -> str:
        """Visible text without Material icon ligatures ("keyboard_arrow_right", "smart_toy" lines)."""
        raw = str(self.cmd("GET", f"/element/{element}/text"))
        return "\n".join(line for line in raw.splitlines() if not re.fullmatch(r"[a-z_]+", line))

    def type(self, element: str, text: str) -> None:
        self.cmd("POST", f"/element/{element}/value", {"text": text})

    def click(self, element: str) -> None:
        self.cmd("POST", f"/element/{element}/click")

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self.cmd("GET", "/screenshot")))

    def quit(self) -> None:
        try:
            self._call("DELETE", f"/session/{self.session}")
        except (OSError, WebDriverError):
            pass


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """The app on 127.0.0.1 serving a small index of the fixture corpus built with the real e5 model."""
    from rag.index import build_index

    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpus", corpus)
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data")
    build_index(settings, progress=False)
    port = free_port()
    env = {**os.environ, "RAG_CORPUS_DIR": str(corpus), "RAG_INDEX_DIR": str(settings.index_dir),
           "RAG_DATA_DIR": str(settings.data_dir)}
    log = (tmp_path / "streamlit.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(PROJECT / "app_streamlit.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok", 60,
                 "the Streamlit server")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    port = free_port()
    driver = subprocess.Popen([CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=2).status == 200, 30,
                 "chromedriver")
        b = Browser(port, tmp_path / "chrome-profile")
        try:
            yield b
        finally:
            b.quit()
    finally:
        driver.terminate()
        driver.wait(timeout=20)


def test_question_in_a_real_browser(app_url: str, browser: Browser) -> None:
    try:
        check_chat(app_url, browser)
    except AssertionError:
        browser.screenshot(ARTIFACTS / "browser-failure.png")
        print(f"\nscreenshot of the failure: {ARTIFACTS / 'browser-failure.png'}")  # noqa: T201
        raise


def check_chat(app_url: str, browser: Browser) -> None:
    browser.get(app_url)
    box = wait_for(lambda: browser.find_all("textarea[data-testid='stChatInputTextArea']"), 120, "the chat input")[0]
    started = time.monotonic()
    browser.type(box, "Hvad var sygefraværet i 2024?" + ENTER)

    def answer_with_citation() -> list[str]:
        if browser.find_all("[data-testid='stSpinner']"):
            return []
        return [e for e in browser.find_all("[data-testid='stChatMessage'] [data-testid='stExpander'] summary")
                if browser.text(e).startswith("[1]")]

    (citation,) = wait_for(answer_with_citation, 120, "an answer with citation [1]")
    seconds = time.monotonic() - started
    messages = [browser.text(m) for m in browser.find_all("[data-testid='stChatMessage']")]
    assert messages[0] == "Hvad var sygefraværet i 2024?"
    assert messages[1].startswith("Sygefravær, korttids (under 30 dage) var 2,64 % i 2024 [1].")
    assert browser.text(citation) == "[1] Mini CSR-rapport 2024 · Appendiks"
    browser.click(citation)
    details = "[data-testid='stChatMessage'] [data-testid='stExpanderDetails']"
    quote = wait_for(lambda: [t for e in browser.find_all(details) if "2,64" in (t := browser.text(e))], 20,
                     "the opened citation")[0]
    assert quote.startswith("Enhed Mål 2024 2024 2023 2022")
    highlighted = [browser.text(e) for e in browser.find_all(f"{details} strong")]
    assert highlighted == ["2,64"]
    shot = ARTIFACTS / "browser-chat.png"
    browser.screenshot(shot)
    assert shot.stat().st_size > 10_000
    print(f"\nscreenshot: {shot}\nanswer shown {seconds:.1f} s after pressing Enter")  # noqa: T201
