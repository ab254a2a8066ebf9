"""Start `bench/serve_gguf.py` (a real OpenAI-compatible server for one GGUF file) on a free local port.

Shared by the openai-backend test and `bench/llm_eval.py`, which both need a server that is really listening.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVE = Path(__file__).resolve().parent / "serve_gguf.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(model: Path, alias: str, timeout_s: float = 120) -> Iterator[str]:
    """Yield the server's /v1 URL once it lists `alias` as its model; stop the server afterwards.

    Raises RuntimeError when the server exits or does not answer within `timeout_s`.
    """
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(SERVE), str(model), str(port), alias], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
                    if json.load(response)["data"][0]["id"] != alias:
                        raise RuntimeError(f"the server on {url} does not serve {alias}")
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server for {model} did not come up on {url}") from None
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
