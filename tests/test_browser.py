"""End to end in a real headless Chromium: ask, check the cited cell, open the document view, in Danish and Norwegian.

Drives Debian's chromium through chromedriver's W3C WebDriver HTTP API with the standard library only, so
the test needs no Python browser package: `scripts/install_browser.sh` installs chromium + chromium-driver.
Screenshots at 1280×800 and 390×844 are kept in tests/artifacts/; at both sizes the page must not scroll
sideways and must show none of Streamlit's own English texts (`rag.app.i18n.STREAMLIT_ENGLISH`).
"""

from __future__ import annotations

import base64
import io
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

import numpy as np
import pytest

from rag.app.i18n import DA, NB, english_on_page
from rag.config import Settings
from tests.conftest import FIXTURES
from tests.pdf_report import cell_box, write_report

ENTER = "\ue007"  # the WebDriver key code for Enter
ESCAPE = "\ue00c"
PROJECT = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT / "tests" / "artifacts"
CHROMIUM = os.environ.get("RAG_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("RAG_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")
# Flags for a closed network and a root user: no sandbox, no GPU, no background calls home.
CHROME_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
    "--disable-dev-shm-usage", "--window-size=1280,800", "--lang=da-DK",
]
DESKTOP = (1280, 800)
PHONE = (390, 844)

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

    def url(self) -> str:
        return str(self.cmd("GET", "/url"))

    def run(self, script: str, *args: Any) -> Any:
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def viewport(self, width: int, height: int) -> None:
        """A true device viewport (CSS pixels), phone-like below 500 px."""
        self.cmd("POST", "/goog/cdp/execute", {"cmd": "Emulation.setDeviceMetricsOverride", "params": {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500}})

    def find_all(self, css: str) -> list[str]:
        found = self.cmd("POST", "/elements", {"using": "css selector", "value": css})
        return [next(iter(el.values())) for el in found]

    def text(self, element: str) -> str:
        """Visible text without Material icon ligatures ("keyboard_arrow_right", "smart_toy" lines)."""
        raw = str(self.cmd("GET", f"/element/{element}/text"))
        return without_icons(raw)

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


def without_icons(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not re.fullmatch(r"[a-z_]+", line.strip()))


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """The app on 127.0.0.1 serving the fixture corpus plus a printed PDF report, indexed with the real e5 model."""
    from rag.index import build_index

    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpus", corpus)
    write_report(corpus / "groen-klinik-2024.pdf")
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


def test_app_in_a_real_browser(app_url: str, browser: Browser) -> None:
    try:
        check_danish(app_url, browser)
        check_norwegian(app_url, browser)
    except Exception:
        browser.screenshot(ARTIFACTS / "browser-failure.png")
        print(f"\nscreenshot of the failure: {ARTIFACTS / 'browser-failure.png'}")  # noqa: T201
        raise


# --- steps -------------------------------------------------------------------------------------------

CHAT_INPUT = "textarea[data-testid='stChatInputTextArea']"
DETAILS = "[data-testid='stChatMessage'] [data-testid='stExpanderDetails']"


def ask(browser: Browser, question: str, citations: int) -> float:
    box = wait_for(lambda: browser.find_all(CHAT_INPUT), 120, "the chat input")[0]
    before = len(browser.find_all("[data-testid='stChatMessage']"))
    started = time.monotonic()
    browser.type(box, question + ENTER)

    def answered() -> bool:
        if not idle(browser):
            return False
        messages = browser.find_all("[data-testid='stChatMessage']")
        return len(messages) >= before + 2 and len(
            browser.find_all("[data-testid='stChatMessage'] [data-testid='stExpander'] summary")) >= citations

    wait_for(answered, 120, f"an answer to {question!r}")
    return time.monotonic() - started


def idle(browser: Browser) -> bool:
    """The script has finished its run and nothing on the page is left over from the previous one."""
    return bool(browser.run(
        "const app = document.querySelector(\"[data-testid='stApp']\");"
        "return !!app && app.getAttribute('data-test-script-state') === 'notRunning'"
        " && !document.querySelector(\"[data-stale='true'], [data-testid='stSpinner']\");"))


def page_text(browser: Browser) -> str:
    return without_icons(str(browser.run("return document.body.innerText;")))


def check_layout(browser: Browser, size: tuple[int, int], name: str, language_table: dict[str, str],
                 other_table: dict[str, str]) -> None:
    """At one window size: no sideways scrolling, no Streamlit English, the interface in one language; a screenshot."""
    browser.viewport(*size)
    time.sleep(1.0)  # let the layout settle after the resize
    wait_for(lambda: idle(browser), 60, "the app to finish its run")
    widths = browser.run("return [document.documentElement.scrollWidth, document.body.scrollWidth, "
                         "window.innerWidth];")
    assert widths[2] == size[0], widths
    assert max(widths[0], widths[1]) <= widths[2], f"{name}: the page scrolls sideways {widths}"
    text = page_text(browser)
    assert english_on_page(text) == [], f"{name}: Streamlit English on the page: {english_on_page(text)}"
    assert language_table["chat_placeholder"] in str(browser.run(
        "return document.querySelector(\"textarea[data-testid='stChatInputTextArea']\").placeholder;"))
    foreign = [v for k, v in other_table.items() if v != language_table[k] and "{" not in v and len(v) > 6
               and v in text]
    assert foreign == [], f"{name}: strings of the other language: {foreign}"
    shot = ARTIFACTS / f"browser-{name}.png"
    browser.screenshot(shot)
    assert shot.stat().st_size > 10_000


def marked_fraction(png: bytes, box: tuple[float, float, float, float]) -> float:
    """The share of highlight-coloured pixels inside a box of millimetres on a drawn A4 page."""
    from PIL import Image

    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    per_mm = image.shape[1] / 210.0
    x0, top, x1, bottom = (round(v * per_mm) for v in box)
    region = image[top:bottom, x0:x1]
    r, g, b = region[..., 0], region[..., 1], region[..., 2]
    return float(((r > 200) & (g > 150) & (g < 245) & (b < 180)).mean())


def check_document_view(app_url: str, browser: Browser) -> None:
    """The cited cell marked in the small table; "Vis i dokumentet" opens page 2 with that cell highlighted."""
    highlighted = [browser.text(e) for e in browser.find_all(f"{DETAILS} strong")]
    assert highlighted == ["5.120"]
    buttons = [b for b in browser.find_all(f"{DETAILS} button") if DA["show_in_document"] in browser.text(b)]
    assert len(buttons) == 1, [browser.text(b) for b in browser.find_all(f"{DETAILS} button")]
    button = buttons[0]
    browser.click(button)
    dialog = "[role='dialog']"
    wait_for(lambda: len(browser.find_all(f"{dialog} img")) >= 2, 60, "the document view")
    captions = [browser.text(c) for c in browser.find_all(f"{dialog} [data-testid='stCaptionContainer']")]
    assert captions[0] == "Side 2 af 3", captions
    sources = browser.run("return Array.from(document.querySelectorAll(\"[role='dialog'] img\"))"
                          ".map(i => i.currentSrc || i.src);")
    with urllib.request.urlopen(sources[-1], timeout=30) as response:  # the whole page
        page = response.read()
    cell = cell_box(0, 3)
    assert marked_fraction(page, (cell.x0, cell.top, cell.x1, cell.bottom)) > 0.2
    for other in (cell_box(0, 4), cell_box(0, 0), cell_box(1, 3)):  # the next year, the label, the row below
        assert marked_fraction(page, (other.x0, other.top, other.x1, other.bottom)) == 0.0
    browser.screenshot(ARTIFACTS / "browser-document-da-1280.png")
    browser.viewport(*PHONE)
    time.sleep(1.0)
    browser.screenshot(ARTIFACTS / "browser-document-da-390.png")
    widths = browser.run("return [document.documentElement.scrollWidth, window.innerWidth];")
    assert widths[0] <= widths[1], f"the document view scrolls sideways on a phone {widths}"
    browser.viewport(*DESKTOP)
    browser.cmd("POST", "/actions", {"actions": [{"type": "key", "id": "k", "actions": [
        {"type": "keyDown", "value": ESCAPE}, {"type": "keyUp", "value": ESCAPE}]}]})
    wait_for(lambda: not browser.find_all(dialog), 20, "the document view to close")


def check_danish(app_url: str, browser: Browser) -> None:
    browser.viewport(*DESKTOP)
    browser.get(app_url)
    wait_for(lambda: browser.find_all(CHAT_INPUT), 120, "the chat input")
    assert wait_for(lambda: browser.find_all("h1"), 30, "the title") and DA["title"] in page_text(browser)
    seconds = ask(browser, "Hvad var vandforbruget i 2024?", citations=1)
    messages = [browser.text(m) for m in browser.find_all("[data-testid='stChatMessage']")]
    assert messages[0] == "Hvad var vandforbruget i 2024?"
    assert "5.120" in messages[1]
    links = browser.run("return Array.from(document.querySelectorAll(\"[data-testid='stChatMessage'] a\"))"
                        ".map(a => a.getAttribute('href'));")
    assert any(re.fullmatch(r"#kilde-[0-9a-f]+-1", str(h)) for h in links), links  # [1] jumps to its source
    check_document_view(app_url, browser)
    # a trend answer adds a table and a chart; both must fit a phone too (checked below)
    ask(browser, "Hvordan har sygefraværet udviklet sig fra 2022 til 2024?", citations=2)
    wait_for(lambda: browser.find_all("[data-testid='stChatMessage'] [data-testid='stVegaLiteChart'] canvas, "
                                      "[data-testid='stChatMessage'] [data-testid='stVegaLiteChart'] svg"),
             30, "the trend chart")
    assert f"**{DA['trend']}" not in page_text(browser) and f"{DA['trend']}: Sygefravær" in page_text(browser)
    # the upload zone is open, so its (replaced) texts are on the page too
    (upload,) = [e for e in browser.find_all("[data-testid='stSidebar'] [data-testid='stExpander'] summary")
                 if browser.text(e) == DA["upload"]]
    browser.click(upload)
    wait_for(lambda: browser.find_all("[data-testid='stFileUploaderDropzone']"), 20, "the upload zone")
    check_layout(browser, DESKTOP, "da-1280", DA, NB)
    # a reload keeps the conversation (its id is in the address)
    address = browser.url()
    assert re.search(r"[?&]samtale=[0-9a-f]{16}", address), address
    browser.viewport(*PHONE)
    browser.get(address)
    wait_for(lambda: len(browser.find_all("[data-testid='stChatMessage']")) >= 2, 120, "the restored conversation")
    check_layout(browser, PHONE, "da-390", DA, NB)
    print(f"\nanswer shown {seconds:.1f} s after pressing Enter")  # noqa: T201


def check_norwegian(app_url: str, browser: Browser) -> None:
    browser.viewport(*DESKTOP)
    browser.get(app_url)  # a new conversation: the interface follows the first question's language
    ask(browser, "Hvor mange lokasjoner har selskapet i Norge?", citations=1)
    wait_for(lambda: NB["title"] in page_text(browser), 60, "the Norwegian interface")
    assert "13 lokasjoner" in page_text(browser)
    check_layout(browser, DESKTOP, "nb-1280", NB, DA)
    browser.viewport(*PHONE)
    browser.get(browser.url())
    wait_for(lambda: len(browser.find_all("[data-testid='stChatMessage']")) >= 2, 120, "the restored conversation")
    check_layout(browser, PHONE, "nb-390", NB, DA)
