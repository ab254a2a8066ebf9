"""Serve a GGUF model on an OpenAI-compatible HTTP endpoint with cyllama's pure-Python server (no streaming).

Usage: python bench/serve_gguf.py MODEL.gguf PORT [ALIAS]  → http://127.0.0.1:PORT/v1, model name ALIAS.
Prints "ready" once it listens. Used by the openai-backend test and `bench/llm_eval.py`.

Two fixes to cyllama 0.2.18's server: its slot reset forgets to clear the KV cache, so a second request on the
same slot would decode at position 0 over stale entries and return nothing; and it leaves llama.cpp's default of
4 threads, which busy-wait on 2 cores (slots get as many threads as this process may use, as `rag.answer.llm` does).

Known limits, not fixed here: it cannot stream (set `llm_streaming = false`); it applies stop sequences only
after generating `max_tokens`, so every answer costs the full 256 tokens; and it decodes the whole prompt as
one batch, so a prompt over 2048 tokens aborts the process (`GGML_ASSERT(n_tokens_all <= cparams.n_batch)`).
A larger `n_batch` avoids the abort but makes every token ~70x slower with Gemma's 262k vocabulary (the logits
buffer grows with it), so it is left at 2048.
"""

import os
import sys
import time
from typing import Any

import cyllama.llama.server.python as server

_reset = server.ServerSlot.reset
_init = server.ServerSlot.__init__


def _init_with_threads(self: server.ServerSlot, *args: Any, **kwargs: Any) -> None:
    _init(self, *args, **kwargs)
    threads = len(os.sched_getaffinity(0))
    self.context.set_n_threads(threads, threads)


def _reset_and_clear(self: server.ServerSlot) -> None:
    _reset(self)
    self.context.kv_cache_clear()


def main() -> None:
    server.ServerSlot.reset = _reset_and_clear
    server.ServerSlot.__init__ = _init_with_threads
    model, port = sys.argv[1], int(sys.argv[2])
    alias = sys.argv[3] if len(sys.argv) > 3 else "gemma-3-270m"
    config = server.ServerConfig(model_path=model, host="127.0.0.1", port=port, n_ctx=4096, n_gpu_layers=0,
                                 model_alias=alias)
    app = server.PythonServer(config)
    if not app.start():
        sys.exit("server did not start")
    print("ready", flush=True)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    main()
