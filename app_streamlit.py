"""Streamlit chat over the CSR reports, in Danish or Norwegian: ask, follow up, check citations, draft, rate.

A thin layer of widgets. Interface strings live in rag.app.i18n, citation views in rag.app.citations, the
document view in rag.app.document, the conversation across reloads in rag.app.history; conversation rules in
rag.app.chat, drafting in rag.app.draft, ratings in rag.app.feedback, uploads in rag.app.uploads. Start with
`streamlit run app_streamlit.py`; settings come from rag.toml / RAG_* variables. With `llm_backend` set, answers
are written by the language model and streamed sentence by sentence as they pass the grounding gate.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from rag.answer import Answerer
from rag.answer.retrieve import Filters
from rag.app.chat import Turn, escape_markdown, escaped_stream, resolve_question, scope_organisations
from rag.app.citations import (
    DocumentText,
    answer_export,
    answer_trends,
    citation_heading,
    cited_cells,
    linked_answer,
    marked_figures,
    row_facts,
    row_table,
    squash,
    text_context,
)
from rag.app.document import PageView, pdf_view, section_view, source_file
from rag.app.draft import Draft, build_draft, check_draft, draft_docx, draft_markdown
from rag.app.feedback import FeedbackStore, default_db_path
from rag.app.history import (
    HistoryError,
    HistoryStore,
    default_history_path,
    new_conversation_id,
    valid_conversation_id,
)
from rag.app.i18n import EXAMPLES, LANGUAGE_NAMES, LANGUAGES, interface_language, streamlit_css, t
from rag.app.uploads import MAX_UPLOAD_MB, add_to_corpus, safe_filename
from rag.config import LLMBackendName, Settings, load_settings
from rag.errors import (
    EmbedderError,
    FeedbackError,
    IndexBusyError,
    IndexError_,
    IndexWriteError,
    QuestionError,
    RagError,
    UploadError,
    UploadExistsError,
)
from rag.index import Index, build_index, index_status, load_index
from rag.types import Answer, Citation, DocMeta, Fact, Language

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger("rag.app")
CONVERSATION_PARAM = "samtale"


# --- pipeline ----------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def load_answerer(settings: Settings) -> Answerer:
    """The model and index, loaded once per process and shared by every session."""
    return Answerer(load_index(settings.index_dir, settings), settings)


@st.cache_resource(show_spinner=False)
def load_chat_model(settings: Settings) -> BaseChatModel | None:
    """The language model the settings choose (None: evidence-first), set up once per process."""
    from rag.answer.llm import chat_model_from_settings

    return chat_model_from_settings(settings)


@st.cache_resource(show_spinner=False, max_entries=32)
def document_text(_index: Index, generation: str, doc_id: str) -> DocumentText:
    """A document's text from the index's chunks, once per index generation."""
    return DocumentText.from_chunks(doc_id, _index.chunks)


@st.cache_data(show_spinner=False, max_entries=64)
def page_view(path: str, modified: float, citation: str, facts: str) -> PageView | None:
    """The cited PDF page with the passage marked, drawn once per file version, citation and cited cells."""
    cited = tuple(Fact.from_dict(f) for f in json.loads(facts))
    return pdf_view(Path(path), Citation(**json.loads(citation)), cited)


def uses_llm(settings: Settings) -> bool:
    return settings.llm_backend is not LLMBackendName.NONE


def lang() -> Language:
    language: Language = st.session_state.get("lang", "da")
    return language


def friendly(exc: RagError, language: Language | None = None) -> str:
    """A library error as one line in the interface language; the library's own words follow as details."""
    language = language or lang()
    if isinstance(exc, QuestionError):
        key = "err_question"
    elif isinstance(exc, IndexBusyError):
        key = "err_busy"
    elif isinstance(exc, IndexWriteError):
        key = "err_write"
    elif isinstance(exc, IndexError_):
        key = "err_index"
    elif isinstance(exc, EmbedderError):
        key = "err_model"
    elif isinstance(exc, UploadError):
        key = "err_upload"
    elif isinstance(exc, FeedbackError):
        key = "err_feedback"
    else:
        key = "err_generic"
    return f"{t(language, key)}.  \n{t(language, 'err_details')}: {escape_markdown(str(exc))}"


def remaining(elapsed: float, done: int, total: int, language: Language = "da") -> str:
    """'ca. 3 min tilbage' from the pace so far; '' while too early to tell or nearly done."""
    if done <= 0 or done >= total or elapsed < 2:
        return ""
    seconds = elapsed / done * (total - done)
    if seconds < 10:
        return ""
    if seconds >= 90:
        return " – " + t(language, "left_min", n=f"{seconds / 60:.0f}")
    return " – " + t(language, "left_s", n=f"{seconds:.0f}")


def progress_callback(bar: Any, language: Language) -> Callable[[str, int, int], None]:
    started: dict[str, float] = {}

    def update(stage: str, done: int, total: int) -> None:
        elapsed = time.monotonic() - started.setdefault(stage, time.monotonic())
        counts = f" ({done}/{total}){remaining(elapsed, done, total, language)}" if total else " …"
        label = t(language, f"progress_{stage}") if f"progress_{stage}" in _PROGRESS else stage
        bar.progress(min(done / total, 1.0) if total else 0.0, text=f"{label}{counts}")

    return update


_PROGRESS = {f"progress_{s}" for s in ("waiting", "reading", "embedding", "saved", "done")}


def rebuild(settings: Settings, embedder: Any = None) -> None:
    language = lang()
    bar = st.progress(0.0, text=t(language, "rebuilding"))
    try:
        report = build_index(settings, embedder=embedder, progress=False, on_progress=progress_callback(bar, language))
    except RagError as exc:
        st.error(friendly(exc))
        return
    load_answerer.clear()
    st.session_state["flash"] = ("rebuilt", {"docs": report.documents})
    st.rerun()


def ensure_index(settings: Settings) -> Answerer | None:
    """The loaded pipeline; builds the index first when there is none (first start on the bundled corpus)."""
    status = index_status(settings)
    if status == "missing":
        st.info(t(lang(), "no_index", folder=escape_markdown(str(settings.corpus_dir))))
        rebuild(settings)
        return None
    try:
        with st.spinner(t(lang(), "loading")):
            return load_answerer(settings)
    except RagError as exc:
        st.error(friendly(exc))
        if st.button(t(lang(), "rebuild"), key="rebuild-broken"):
            rebuild(settings)
        return None


# --- conversation and language -----------------------------------------------------------------------


def history_store(settings: Settings) -> HistoryStore:
    return HistoryStore(default_history_path(Path(settings.data_dir)))


def restore_conversation(settings: Settings) -> None:
    """The conversation named in the page address, restored once per browser session (or a new one)."""
    conversation = st.query_params.get(CONVERSATION_PARAM)
    if not valid_conversation_id(conversation):
        conversation = new_conversation_id()
        st.query_params[CONVERSATION_PARAM] = conversation
    if st.session_state.get("conversation") == conversation:
        return
    st.session_state["conversation"] = conversation
    language: Language | None = None
    turns: list[Turn] = []
    try:
        restored = history_store(settings).load(str(conversation))
        language, turns = restored.language, list(restored.turns)
    except HistoryError as exc:
        log.warning("%s", exc)
    st.session_state["turns"] = turns
    st.session_state["lang_chosen"] = language is not None
    if language is None and turns:
        language = turns[0].language
    st.session_state["lang"] = language or interface_language(st.context.locale)


def remember(settings: Settings, turn: Turn) -> None:
    try:
        history_store(settings).append(st.session_state["conversation"], turn)
    except HistoryError as exc:
        log.warning("%s", exc)


def choose_language(settings: Settings) -> None:
    """Widget callback: the language picked in the sidebar, kept for the conversation."""
    st.session_state["lang"] = st.session_state["ui_lang"]
    st.session_state["lang_chosen"] = True
    try:
        history_store(settings).set_language(st.session_state["conversation"], st.session_state["lang"])
    except HistoryError as exc:
        log.warning("%s", exc)


def new_conversation() -> None:
    """Widget callback: start an empty conversation under a new address (the old one stays stored)."""
    conversation = new_conversation_id()
    st.query_params[CONVERSATION_PARAM] = conversation
    st.session_state["conversation"] = conversation
    st.session_state["turns"] = []
    st.session_state.pop("draft", None)


def local_time(iso: str, language: Language) -> str:
    """An index build time (UTC, ISO) in the reader's time zone: "1. december 2026 kl. 07:35"."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    try:
        zone = ZoneInfo(st.context.timezone) if st.context.timezone else None
    except (ZoneInfoNotFoundError, ValueError):
        zone = None
    moment = moment.astimezone(zone)
    month = t(language, "months").split()[moment.month - 1]
    return t(language, "when", day=moment.day, month=month, year=moment.year, time=moment.strftime("%H:%M"))


# --- sidebar -----------------------------------------------------------------------------------------


def sidebar(settings: Settings, answerer: Answerer) -> tuple[str, Filters]:
    language = lang()
    index = answerer.index
    docs: list[DocMeta] = sorted(index.documents.values(), key=lambda d: (-(d.year or 0), d.title))
    with st.sidebar:
        st.header(t(language, "sidebar_header"))
        if st.session_state.get("ui_lang") != language:
            st.session_state["ui_lang"] = language
        st.radio(t(language, "ui_language"), LANGUAGES, format_func=LANGUAGE_NAMES.get, key="ui_lang",
                 horizontal=True, on_change=choose_language, args=(settings,))
        mode = st.radio(t(language, "mode"), ["chat", "draft"], horizontal=True, key="mode",
                        format_func=lambda m: t(language, f"mode_{m}"), help=t(language, "mode_help"))
        st.subheader(t(language, "filters"))
        titles = {d.doc_id: d.title for d in docs}
        doc_ids = st.multiselect(t(language, "f_docs"), list(titles), format_func=lambda d: titles[d], key="f_docs",
                                 placeholder=t(language, "f_docs_all"))
        orgs = st.multiselect(t(language, "f_orgs"), sorted({d.organisation for d in docs if d.organisation}),
                              key="f_orgs", placeholder=t(language, "f_orgs_all"))
        years = st.multiselect(t(language, "f_years"), sorted({d.year for d in docs if d.year}, reverse=True),
                               key="f_years", placeholder=t(language, "f_years_all"))
        languages = st.multiselect(t(language, "f_langs"), sorted({d.language for d in docs}), key="f_langs",
                                   format_func=lambda code: LANGUAGE_NAMES.get(code, code),
                                   placeholder=t(language, "f_langs_all"))
        st.button(t(language, "new_chat"), key="clear-chat", width="stretch", on_click=new_conversation)
        index_panel(settings, answerer)
        with st.expander(t(language, "upload"), expanded=bool(st.session_state.get("upload_open"))):
            upload_form(settings, answerer)
        if uses_llm(settings):
            st.caption(t(language, "llm_note"))
    filters = Filters(doc_ids=tuple(doc_ids), organisations=tuple(orgs), years=tuple(years),
                      languages=tuple(languages))
    return mode, filters


def index_panel(settings: Settings, answerer: Answerer) -> None:
    language = lang()
    index = answerer.index
    status = index_status(settings)
    with st.expander(t(language, "index"), expanded=status in ("stale", "damaged")):
        counts = t(language, "index_counts", docs=len(index.documents), chunks=len(index.chunks),
                   facts=len(index.facts))
        built = local_time(str(index.manifest.get("built_at", "")), language)
        st.markdown(counts + (f"  \n{t(language, 'index_built', when=built)}" if built else ""))
        if status == "stale":
            st.warning(t(language, "index_stale"))
        elif status == "damaged":
            st.warning(t(language, "index_damaged"))
        if st.button(t(language, "rebuild"), key="rebuild", width="stretch"):
            rebuild(settings, index.embedder)


def upload_form(settings: Settings, answerer: Answerer) -> None:
    language = lang()
    text_mb = min(MAX_UPLOAD_MB, settings.max_file_mb)
    pdf_mb = min(MAX_UPLOAD_MB, settings.max_pdf_mb)
    sizes = (t(language, "upload_size", mb=f"{pdf_mb:g}") if text_mb == pdf_mb
             else t(language, "upload_sizes", pdf=f"{pdf_mb:g}", text=f"{text_mb:g}"))
    st.caption(t(language, "upload_help", sizes=sizes))
    round_ = st.session_state.setdefault("upload_round", 0)
    upload = st.file_uploader(t(language, "upload_label"), type=["pdf", "txt", "md"], key=f"upload-{round_}")
    if upload is None:
        return
    try:
        target = safe_filename(upload.name)
    except RagError as exc:
        st.error(friendly(exc))
        return
    overwrite = False
    if (settings.corpus_dir / target).exists():
        st.warning(t(language, "upload_exists", name=escape_markdown(target)))
        overwrite = st.checkbox(t(language, "upload_replace"), key=f"overwrite-{round_}")
    if not st.button(t(language, "upload_go"), key=f"upload-go-{round_}", width="stretch", type="primary"):
        return
    bar = st.progress(0.0, text=t(language, "upload_checking"))
    try:
        result = add_to_corpus(upload.name, upload.getvalue(), settings, overwrite=overwrite,
                               on_progress=progress_callback(bar, language), embedder=answerer.index.embedder)
    except UploadExistsError:
        bar.empty()
        st.warning(t(language, "upload_confirm"))
        return
    except RagError as exc:
        bar.empty()
        st.error(friendly(exc))
        return
    load_answerer.clear()
    st.session_state["upload_round"] = round_ + 1  # a fresh, empty upload field
    st.session_state["upload_open"] = True
    key = "upload_replaced" if result.replaced else "upload_added"
    st.session_state["flash"] = (key, {"name": result.path.name, "skipped": list(result.skipped)})
    st.rerun()


def show_flash(answerer: Answerer) -> None:
    """The outcome of the last rebuild or upload, in plain words, once."""
    flash = st.session_state.pop("flash", None)
    if not flash:
        return
    language = lang()
    key, values = flash
    docs = len(answerer.index.documents)
    target = st.sidebar
    if key == "rebuilt":
        target.success(t(language, "rebuilt", docs=docs))
        return
    target.success(t(language, key, name=escape_markdown(values["name"]), docs=docs))
    for reason in values.get("skipped", ()):
        target.warning(t(language, "upload_skipped", reason=escape_markdown(reason)))


# --- answers and citations ---------------------------------------------------------------------------


def render_answer(turn: Turn, answerer: Answerer, settings: Settings, store: FeedbackStore,
                  note_shown: bool = False, text_shown: bool = False) -> None:
    """The answer with linked [n] markers, a trend's table and chart, its sources, export and rating."""
    answer = turn.answer
    if answer is None:
        return
    language = lang()
    if turn.rewritten and not note_shown:
        st.caption(understood_as(turn, language))
    if not text_shown:
        if answer.abstained:
            st.info(escape_markdown(answer.answer))
        else:
            st.markdown(linked_answer(answer.answer, anchor(turn)))
    trend_view(answer, answerer.index.facts, language, turn.id)
    for citation in answer.citations:
        citation_view(turn, citation, answerer, settings)
    if not answer.abstained:
        export_view(turn, answer, language)
    feedback_widget(turn, store)


def anchor(turn: Turn) -> str:
    return f"kilde-{turn.id or 'x'}"


def understood_as(turn: Turn, language: Language) -> str:
    note = t(language, "understood_as", question=turn.question)
    if turn.scope is not None:
        orgs = ", ".join(turn.scope.organisations) or t(language, "scope_none")
        note += f" — {turn.scope.label}" if orgs == turn.scope.label else f" — {turn.scope.label}: {orgs}"
    return escape_markdown(note)


def citation_view(turn: Turn, citation: Citation, answerer: Answerer, settings: Settings) -> None:
    """One source: an anchor for the answer's [n] link, then the cited cell in its row or the sentence in context."""
    language = lang()
    answer = turn.answer
    assert answer is not None
    st.markdown(f'<div id="{anchor(turn)}-{citation.n}"></div>', unsafe_allow_html=True)
    row = row_facts(citation, answerer.index.facts, answer.facts)
    cited = cited_cells(answer, citation, row) if row else []
    with st.expander(escape_markdown(citation_heading(citation, language)), expanded=len(answer.citations) == 1):
        table = row_table(row, cited, language)
        if table is not None:
            if table.title:
                st.caption(escape_markdown(table.title))
            st.markdown(table.markdown())
        elif row:
            st.markdown(marked_figures(squash(row[0].source_text), cited))
        else:
            context = text_context(citation, document_text(answerer.index, answerer.index.generation,
                                                           citation.doc_id))
            st.markdown(context.markdown())
        if st.button(t(language, "show_in_document"), key=f"doc-{turn.id}-{citation.n}", icon=":material/article:"):
            document_dialog(citation, cited, answerer, settings)


def document_dialog(citation: Citation, cited: list[Fact], answerer: Answerer, settings: Settings) -> None:
    language = lang()

    @st.dialog(citation.title, width="large")
    def show() -> None:
        path = source_file(settings.corpus_dir, citation.doc_id)
        if path is None:
            st.warning(t(language, "document_missing", title=escape_markdown(citation.title)))
            return
        if path.suffix.lower() == ".pdf" and citation.page:
            pdf_page(path, citation, cited, language)
            return
        view = section_view(citation, document_text(answerer.index, answerer.index.generation, citation.doc_id),
                            answerer.index.chunks)
        if citation.section:
            st.caption(t(language, "document_section", section=escape_markdown(citation.section)))
        with st.container(height=420, border=True):
            st.markdown(view.markdown() if view else escape_markdown(citation.quote))

    show()


def pdf_page(path: Path, citation: Citation, cited: list[Fact], language: Language) -> None:
    facts = json.dumps([f.to_dict() for f in cited], ensure_ascii=False)
    view = page_view(str(path), path.stat().st_mtime, json.dumps(citation.to_dict(), ensure_ascii=False), facts)
    if view is None:
        st.warning(t(language, "passage_not_found"))
        return
    st.caption(t(language, "document_page", page=view.page, pages=view.pages))
    if view.excerpt is not None:
        st.image(view.excerpt, caption=t(language, "document_excerpt", page=view.page), width="content")
    else:
        st.info(t(language, "passage_not_found"))
    st.image(view.image, caption=t(language, "whole_page", page=view.page), width="stretch")


def trend_view(answer: Answer, facts: list[Fact], language: Language, key: str) -> None:
    """A trend answer's series as a small table (year, value, source) and a line chart."""
    import altair as alt

    for i, trend in enumerate(answer_trends(answer, facts, language)):
        unit = f" ({trend.unit})" if trend.unit else ""
        st.markdown(f"**{t(language, 'trend')}: {escape_markdown(trend.label + unit)}**")
        rows = [f"| {t(language, 'trend_year')} | {t(language, 'trend_value')} | {t(language, 'trend_source')} |",
                "|---|---|---|"]
        rows += [f"| {p.year} | {escape_markdown(p.text)} | {escape_markdown(p.source)} |" for p in trend.points]
        st.markdown("\n".join(rows))
        data = [{"year": p.year, "value": p.value, "text": p.text} for p in trend.points]
        year, value = t(language, "trend_year"), t(language, "trend_value")
        chart = (
            alt.Chart(alt.Data(values=data))
            .mark_line(point=True)
            .encode(
                x=alt.X("year:O", title=year, axis=alt.Axis(labelAngle=0)),
                y=alt.Y("value:Q", title=value + unit, scale=alt.Scale(zero=False)),
                tooltip=[alt.Tooltip("year:O", title=year), alt.Tooltip("text:N", title=value)],
            )
            .properties(height=220)
        )
        st.altair_chart(chart, width="stretch", key=f"trend-{key}-{i}")


def export_view(turn: Turn, answer: Answer, language: Language) -> None:
    """Copy or download the answer with its sources, ready to paste into a mail or a document."""
    text = answer_export(turn.asked, answer, language)
    left, right = st.columns(2)
    with left.popover(t(language, "copy"), width="stretch", icon=":material/content_copy:"):
        st.caption(t(language, "copy_help"))
        st.code(text, language=None, wrap_lines=True)
    right.download_button(t(language, "download_answer"), text, file_name=f"svar-{turn.id or 'x'}.md",
                          mime="text/markdown", key=f"dl-{turn.id}", on_click="ignore", width="stretch",
                          icon=":material/download:")


def save_feedback(turn_id: str, store: FeedbackStore) -> None:
    """Widget callback: store the rating (and comment) of one answer; runs only when the user changes them."""
    rating = st.session_state.get(f"fb-{turn_id}")
    turn = next((t for t in st.session_state.get("turns", []) if t.id == turn_id), None)
    if rating is None or turn is None or turn.answer is None:
        return
    comment = st.session_state.get(f"fb-{turn_id}-comment", "")
    try:
        store.record(turn_id, turn.answer, 1 if rating == 1 else -1, comment)
        st.session_state[f"fb-{turn_id}-saved"] = True
    except RagError as exc:
        st.session_state["feedback_error"] = friendly(exc)


def feedback_widget(turn: Turn, store: FeedbackStore) -> None:
    language = lang()
    key = f"fb-{turn.id}"
    rating = st.feedback("thumbs", key=key, on_change=save_feedback, args=(turn.id, store))
    error = st.session_state.pop("feedback_error", None)
    if error:
        st.error(error)
    if rating is None:
        return
    st.text_input(t(language, "feedback_comment"), key=f"{key}-comment",
                  placeholder=t(language, "feedback_placeholder"), on_change=save_feedback, args=(turn.id, store))
    if st.session_state.get(f"{key}-saved"):
        st.caption(t(language, "feedback_saved"))


# --- asking ------------------------------------------------------------------------------------------


def stream_answer(turn: Turn, settings: Settings, answerer: Answerer, filters: Filters | None) -> tuple[Turn, bool]:
    """Ask the language model, showing its gated sentences as they come; whether the shown text stands as the answer.

    The text stays when it is the final answer as `render_answer` would show it; otherwise (an abstention, shown
    as a notice) it is cleared for `render_answer` to show the answer.
    """
    from rag.answer.llm_answer import LLMAnswerer

    language = lang()
    if turn.rewritten:
        st.caption(understood_as(turn, language))
    llm = LLMAnswerer(answerer.index, settings, load_chat_model(settings), evidence=answerer)
    placeholder = st.empty()
    try:
        with placeholder.container(), st.spinner(t(language, "searching_llm")):
            shown = st.write_stream(escaped_stream(llm.stream(turn.question, filters=filters)))
    except RagError:
        placeholder.empty()
        raise
    answer = llm.last_answer
    assert answer is not None  # set when the stream ends
    stands = not answer.abstained and shown == escape_markdown(answer.answer)
    if not stands:
        placeholder.empty()
    return turn.with_answer(answer, uuid.uuid4().hex[:12]), stands


def ask_turn(message: str, answerer: Answerer, filters: Filters, settings: Settings) -> tuple[Turn, bool] | None:
    """The message resolved against the conversation and answered; True when the answer was streamed in place."""
    turns: list[Turn] = st.session_state["turns"]
    docs = list(answerer.index.documents.values())
    turn = resolve_question(message, turns, docs, answerer.index.newest_year)
    orgs = scope_organisations(filters.organisations, turn.scope)
    if orgs is None:
        st.warning(t(lang(), "scope_conflict"))
        return None
    scoped = Filters(filters.doc_ids, orgs, filters.years, filters.languages)
    if uses_llm(settings):
        return stream_answer(turn, settings, answerer, scoped if scoped.active else None)
    with st.spinner(t(lang(), "searching")):
        answer = answerer.ask(turn.question, filters=scoped if scoped.active else None)
    return turn.with_answer(answer, uuid.uuid4().hex[:12]), False


def pick_example(question: str) -> None:
    st.session_state["pending"] = question


def intro(language: Language) -> None:
    st.markdown(t(language, "intro"))
    st.caption(t(language, "examples"))
    for i, question in enumerate(EXAMPLES[language]):
        st.button(question, key=f"example-{i}", on_click=pick_example, args=(question,), type="tertiary",
                  icon=":material/chat:")


def chat_page(answerer: Answerer, filters: Filters, store: FeedbackStore, settings: Settings) -> None:
    language = lang()
    st.title(t(language, "title"))
    turns: list[Turn] = st.session_state.setdefault("turns", [])
    message = st.chat_input(t(language, "chat_placeholder"), key="chat") or st.session_state.pop("pending", None)
    if not turns and not message:
        intro(language)
    for turn in turns:
        with st.chat_message("user"):
            st.markdown(escape_markdown(turn.asked))
        with st.chat_message("assistant"):
            render_answer(turn, answerer, settings, store)
    if not message:
        return
    with st.chat_message("user"):
        st.markdown(escape_markdown(message))
    with st.chat_message("assistant"):
        try:
            asked = ask_turn(message, answerer, filters, settings)
        except RagError as exc:
            st.error(friendly(exc))
            return
        if asked is None:
            return
        new_turn, streamed = asked
        turns.append(new_turn)
        remember(settings, new_turn)
        if len(turns) == 1 and not st.session_state.get("lang_chosen") and new_turn.language != language:
            st.session_state["lang"] = new_turn.language  # the interface follows the first question's language
            st.rerun()
        render_answer(new_turn, answerer, settings, store, note_shown=uses_llm(settings), text_shown=streamed)


# --- drafting ----------------------------------------------------------------------------------------


def draft_page(answerer: Answerer, filters: Filters) -> None:
    language = lang()
    st.title(t(language, "draft_title"))
    st.markdown(t(language, "draft_intro"))
    if st.session_state.get("draft-lang") != language:
        st.session_state["draft-instruction"] = t(language, "draft_default")
        st.session_state["draft-lang"] = language
    instruction = st.text_area(t(language, "draft_instruction"), key="draft-instruction", height=80)
    if st.button(t(language, "draft_go"), type="primary", key="draft-go"):
        try:
            with st.spinner(t(language, "drafting")):
                new_draft = build_draft(instruction, answerer.index, answerer.retriever,
                                        filters if filters.active else None)
        except RagError as exc:
            st.error(friendly(exc))
            return
        st.session_state["draft"] = new_draft
        st.session_state["draft_files"] = {"md": draft_markdown(new_draft), "docx": draft_docx(new_draft)}
    draft: Draft | None = st.session_state.get("draft")
    if draft is None:
        return
    if draft.empty:
        st.info(escape_markdown(draft_markdown(draft).splitlines()[-1]))
        return
    problems = check_draft(draft)
    if problems:
        st.error(t(language, "draft_problems", problems=escape_markdown("; ".join(problems))))
    files = st.session_state["draft_files"]
    stem = "udkast-" + "".join(ch if ch.isalnum() else "-" for ch in draft.topic.lower())[:40].strip("-")
    left, right = st.columns(2)
    left.download_button(t(language, "draft_md"), data=files["md"], file_name=f"{stem}.md", mime="text/markdown",
                         key="dl-md", width="stretch", on_click="ignore")
    right.download_button(t(language, "draft_docx"), data=files["docx"], file_name=f"{stem}.docx",
                          mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                          key="dl-docx", width="stretch", on_click="ignore")
    with st.container(border=True):
        # the preview with smaller headings than the page's own title
        preview = draft_markdown(draft, footnotes=False)
        st.markdown("###" + preview.replace("\n## ", "\n#### "))


# --- page --------------------------------------------------------------------------------------------


def main() -> None:
    try:
        settings = load_settings()
    except RagError as exc:
        st.set_page_config(page_title=t("da", "page_title"), page_icon="📗", layout="wide")
        st.error(friendly(exc, "da"))
        return
    restore_conversation(settings)
    language = lang()
    st.set_page_config(page_title=t(language, "page_title"), page_icon="📗", layout="wide")
    st.html(streamlit_css(language))
    answerer = ensure_index(settings)
    if answerer is None:
        return
    mode, filters = sidebar(settings, answerer)
    show_flash(answerer)
    store = FeedbackStore(default_db_path(Path(settings.data_dir)))
    if mode == "draft":
        draft_page(answerer, filters)
    else:
        chat_page(answerer, filters, store, settings)


main()
