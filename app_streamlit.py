"""Streamlit chat over the CSR reports: ask in Danish or Norwegian, follow up, check citations, draft, rate.

A thin layer: conversation rules live in rag.chat, drafting in rag.draft, ratings in rag.feedback, uploads in
rag.uploads. Start with `streamlit run app_streamlit.py`; settings come from rag.toml / RAG_* variables. With
`llm_backend` set (e.g. RAG_LLM_BACKEND=llamacpp), answers are written by the language model and streamed
sentence by sentence as they pass the grounding gate (rag.llm_answer); the citations follow when it is done.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from rag.answer import Answerer
from rag.chat import (
    Turn,
    citation_label,
    cited_figures,
    escape_markdown,
    escaped_stream,
    highlight_quote,
    interpretation_note,
    resolve_question,
    scope_organisations,
)
from rag.config import LLMBackendName, Settings, load_settings
from rag.draft import Draft, build_draft, check_draft, draft_docx, draft_markdown
from rag.errors import (
    EmbedderError,
    IndexBusyError,
    IndexError_,
    IndexWriteError,
    QuestionError,
    RagError,
    UploadExistsError,
)
from rag.feedback import FeedbackStore, default_db_path
from rag.index import build_index, index_status, load_index
from rag.retrieve import Filters
from rag.types import DocMeta
from rag.uploads import MAX_UPLOAD_MB, add_to_corpus, safe_filename

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger("rag.app")

EXAMPLES = (
    "Hvad var sygefraværet i 2025?",
    "Hvordan arbejder Aleris med diversitet?",
    "Hva gjør Aleris Helse for å følge opp leverandørene?",
)
LANGUAGE_NAMES = {"da": "Dansk", "nb": "Norsk"}


# --- pipeline ----------------------------------------------------------------------------------------


@st.cache_resource(show_spinner="Indlæser sprogmodel og indeks …")
def load_answerer(settings: Settings) -> Answerer:
    """The model and index, loaded once per process and shared by every session."""
    return Answerer(load_index(settings.index_dir, settings), settings)


@st.cache_resource(show_spinner="Forbereder sprogmodellen …")
def load_chat_model(settings: Settings) -> BaseChatModel | None:
    """The language model the settings choose (None: evidence-first), set up once per process."""
    from rag.llm import chat_model_from_settings

    return chat_model_from_settings(settings)


def uses_llm(settings: Settings) -> bool:
    return settings.llm_backend is not LLMBackendName.NONE


def friendly(exc: RagError) -> str:
    """A library error as a message for the user, with the library's own advice on what to do."""
    if isinstance(exc, QuestionError):
        lead = "Spørgsmålet kan ikke stilles sådan"
    elif isinstance(exc, IndexBusyError):
        lead = "Indekset bygges allerede et andet sted – prøv igen, når det er færdigt"
    elif isinstance(exc, IndexWriteError):
        lead = "Indekset kunne ikke gemmes; det hidtidige indeks bruges stadig"
    elif isinstance(exc, IndexError_):
        lead = "Indekset kan ikke bruges – klik «Genopbyg indeks» i sidepanelet"
    elif isinstance(exc, EmbedderError):
        lead = "Sprogmodellen kunne ikke indlæses"
    else:
        lead = "Det lykkedes ikke"
    return f"{lead}. ({escape_markdown(str(exc))})"


def remaining(elapsed: float, done: int, total: int) -> str:
    """'ca. 3 min tilbage' from the pace so far; '' while too early to tell or nearly done."""
    if done <= 0 or done >= total or elapsed < 2:
        return ""
    seconds = elapsed / done * (total - done)
    if seconds < 10:
        return ""
    return f" – ca. {seconds / 60:.0f} min tilbage" if seconds >= 90 else f" – ca. {seconds:.0f} s tilbage"


def progress_callback(bar: Any) -> Callable[[str, int, int], None]:
    labels = {"waiting": "Venter på, at en anden opbygning af indekset bliver færdig", "reading": "Læser rapporterne",
              "embedding": "Beregner vektorer", "saved": "Fil gemt", "done": "Færdig"}
    started: dict[str, float] = {}

    def update(stage: str, done: int, total: int) -> None:
        elapsed = time.monotonic() - started.setdefault(stage, time.monotonic())
        counts = f" ({done}/{total}){remaining(elapsed, done, total)}" if total else " …"
        bar.progress(min(done / total, 1.0) if total else 0.0, text=f"{labels.get(stage, stage)}{counts}")

    return update


def rebuild(settings: Settings, embedder: Any = None) -> None:
    bar = st.progress(0.0, text="Opdaterer indekset …")
    try:
        report = build_index(settings, embedder=embedder, progress=False, on_progress=progress_callback(bar))
    except RagError as exc:
        st.error(friendly(exc))
        return
    bar.progress(1.0, text="Indekset er opdateret")
    load_answerer.clear()
    st.session_state["flash"] = f"Indekset er opdateret: {report.summary()}"
    st.rerun()


def ensure_index(settings: Settings) -> Answerer | None:
    """The loaded pipeline; builds the index first when there is none (first start on the bundled corpus)."""
    status = index_status(settings)
    if status == "missing":
        st.info("Der er intet indeks endnu. Jeg bygger det nu ud fra rapporterne i "
                f"`{escape_markdown(str(settings.corpus_dir))}` – det tager et par minutter første gang.")
        rebuild(settings)
        return None
    try:
        return load_answerer(settings)
    except RagError as exc:
        st.error(friendly(exc))
        if st.button("Genopbyg indeks", key="rebuild-broken"):
            rebuild(settings)
        return None


# --- sidebar -----------------------------------------------------------------------------------------


def sidebar(settings: Settings, answerer: Answerer) -> tuple[str, Filters]:
    index = answerer.index
    docs: list[DocMeta] = sorted(index.documents.values(), key=lambda d: (-(d.year or 0), d.title))
    with st.sidebar:
        st.header("CSR-rapporter")
        mode = st.radio("Tilstand", ["Chat", "Udkast"], horizontal=True, key="mode",
                        help="Chat: stil spørgsmål. Udkast: få en tekst med fodnoter til kommunikation.")
        st.subheader("Filtre")
        titles = {d.doc_id: d.title for d in docs}
        doc_ids = st.multiselect("Dokument", list(titles), format_func=lambda d: titles[d], key="f_docs",
                                 placeholder="Alle dokumenter")
        orgs = st.multiselect("Organisation", sorted({d.organisation for d in docs if d.organisation}),
                              key="f_orgs", placeholder="Alle organisationer")
        years = st.multiselect("Rapportår", sorted({d.year for d in docs if d.year}, reverse=True), key="f_years",
                               placeholder="Alle år")
        languages = st.multiselect("Sprog", sorted({d.language for d in docs}), key="f_langs",
                                   format_func=lambda code: LANGUAGE_NAMES.get(code, code), placeholder="Alle sprog")
        if st.button("Ryd samtalen", key="clear-chat", use_container_width=True):
            st.session_state["turns"] = []
            st.session_state.pop("draft", None)

        status = index_status(settings)
        with st.expander("Indeks", expanded=status in ("stale", "damaged")):
            built = str(index.manifest.get("built_at", "?")).replace("T", " ").replace("+00:00", " UTC")
            st.markdown(
                f"**{len(index.documents)}** dokumenter · **{len(index.chunks)}** afsnit · "
                f"**{len(index.facts)}** tal  \n"
                f"Model: `{escape_markdown(str(index.manifest.get('embedder', '?')))}`  \n"
                f"Bygget: {escape_markdown(built)}"
            )
            if status == "stale":
                st.warning("Rapportmappen er ændret siden indekset blev bygget.")
            elif status == "damaged":
                st.warning("Indeksfilerne på disken er beskadigede (svarene her kommer fra den indlæste udgave). "
                           "Klik «Genopbyg indeks» for at reparere dem.")
            if st.button("Genopbyg indeks", key="rebuild", use_container_width=True):
                rebuild(settings, index.embedder)

        with st.expander("Tilføj rapport", expanded=False):
            upload_form(settings, answerer)
        if uses_llm(settings):
            from rag.llm import model_label

            st.caption(f"Svarene skrives af sprogmodellen `{escape_markdown(model_label(load_chat_model(settings)))}` "
                       "og kontrolleres mod kilderne; sætninger uden belæg fjernes.")
    filters = Filters(doc_ids=tuple(doc_ids), organisations=tuple(orgs), years=tuple(years),
                      languages=tuple(languages))
    return mode, filters


def upload_form(settings: Settings, answerer: Answerer) -> None:
    text_mb = min(MAX_UPLOAD_MB, settings.max_file_mb)
    pdf_mb = min(MAX_UPLOAD_MB, settings.max_pdf_mb)
    sizes = f"højst {pdf_mb:g} MB" if text_mb == pdf_mb else f"PDF højst {pdf_mb:g} MB, TXT/MD højst {text_mb:g} MB"
    st.caption(f"PDF, TXT eller MD, {sizes}. Filen lægges i rapportmappen, og kun den nye fil indekseres; "
               "går noget galt, beholdes den tidligere fil og det tidligere indeks.")
    upload = st.file_uploader("Vælg fil", type=["pdf", "txt", "md"], key="upload")
    if upload is None:
        return
    try:
        target = safe_filename(upload.name)
    except RagError as exc:
        st.error(friendly(exc))
        return
    overwrite = False
    if (settings.corpus_dir / target).exists():
        overwrite = st.checkbox(f"{escape_markdown(target)} findes allerede – erstat den", key="overwrite-ok")
    if st.button("Tilføj og opdater indeks", key="upload-go", use_container_width=True):
        bar = st.progress(0.0, text="Tjekker filen …")
        try:
            result = add_to_corpus(upload.name, upload.getvalue(), settings, overwrite=overwrite,
                                   on_progress=progress_callback(bar), embedder=answerer.index.embedder)
        except UploadExistsError as exc:
            st.warning(f"{escape_markdown(exc.target.name)} findes allerede. Sæt flueben ovenfor for at erstatte den.")
            return
        except RagError as exc:
            st.error(friendly(exc))
            return
        load_answerer.clear()
        st.session_state["flash"] = f"{result.path.name} er tilføjet. {result.summary}"
        st.rerun()


# --- chat --------------------------------------------------------------------------------------------


def render_answer(turn: Turn, store: FeedbackStore, note_shown: bool = False, text_shown: bool = False) -> None:
    """The answer, its citations and the rating; a streamed answer has shown its note and text already."""
    answer = turn.answer
    if answer is None:
        return
    note = interpretation_note(turn)
    if note and not note_shown:
        st.caption(escape_markdown(note))
    if not text_shown:
        (st.info if answer.abstained else st.markdown)(escape_markdown(answer.answer))
    for c in answer.citations:
        with st.expander(citation_label(c.n, c.title, c.page, c.section, answer.language)):
            st.markdown(highlight_quote(c.quote, cited_figures(answer.answer, c.n)))
            st.caption(f"Dokument: `{escape_markdown(c.doc_id)}`")
    feedback_widget(turn, store)


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
        st.session_state["flash"] = friendly(exc)


def feedback_widget(turn: Turn, store: FeedbackStore) -> None:
    key = f"fb-{turn.id}"
    rating = st.feedback("thumbs", key=key, on_change=save_feedback, args=(turn.id, store))
    if rating is None:
        return
    st.text_input("Kommentar (valgfri)", key=f"{key}-comment", placeholder="Hvad var godt eller forkert?",
                  on_change=save_feedback, args=(turn.id, store))
    if st.session_state.get(f"{key}-saved"):
        st.caption("Tak – din vurdering er gemt.")


def stream_answer(turn: Turn, settings: Settings, answerer: Answerer, filters: Filters | None) -> tuple[Turn, bool]:
    """Ask the language model, showing its gated sentences as they come; whether the shown text stands as the answer.

    The text stays when it is the final answer as `render_answer` would show it; otherwise (an abstention, shown
    as a notice) it is cleared for `render_answer` to show the answer.
    """
    from rag.llm_answer import LLMAnswerer

    note = interpretation_note(turn)
    if note:
        st.caption(escape_markdown(note))
    llm = LLMAnswerer(answerer.index, settings, load_chat_model(settings), evidence=answerer)
    placeholder = st.empty()
    try:
        with placeholder.container(), st.spinner("Søger i rapporterne, og sprogmodellen skriver …"):
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
        st.warning("Filteret i sidepanelet og spørgsmålet udelukker hinanden; fjern organisationsfilteret.")
        return None
    scoped = Filters(filters.doc_ids, orgs, filters.years, filters.languages)
    if uses_llm(settings):
        return stream_answer(turn, settings, answerer, scoped if scoped.active else None)
    with st.spinner("Søger i rapporterne …"):
        answer = answerer.ask(turn.question, filters=scoped if scoped.active else None)
    return turn.with_answer(answer, uuid.uuid4().hex[:12]), False


def chat_page(answerer: Answerer, filters: Filters, store: FeedbackStore, settings: Settings) -> None:
    st.title("Spørg CSR-rapporterne")
    turns: list[Turn] = st.session_state.setdefault("turns", [])
    if not turns:
        st.markdown("Stil et spørgsmål på dansk eller norsk. Hvert svar har nummererede kilder, som du kan åbne. "
                    "Du kan spørge videre, fx «og året før?» eller «hvad med Norge?».")
        st.caption("Eksempler: " + " · ".join(f"«{escape_markdown(q)}»" for q in EXAMPLES))
    for turn in turns:
        with st.chat_message("user"):
            st.markdown(escape_markdown(turn.asked))
        with st.chat_message("assistant"):
            render_answer(turn, store)
    message = st.chat_input("Stil et spørgsmål om rapporterne …")
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
        render_answer(new_turn, store, note_shown=uses_llm(settings), text_shown=streamed)


# --- drafting ----------------------------------------------------------------------------------------


def draft_page(answerer: Answerer, filters: Filters) -> None:
    st.title("Udkast til kommunikation")
    st.markdown("Beskriv emnet. Udkastet bygges af rapporternes egne sætninger og tal; hvert tal får en fodnote, "
                "og alle tal står i en tabel til sidst.")
    instruction = st.text_area("Hvad skal teksten handle om?", key="draft-instruction",
                               value="Skriv et kort afsnit om vores klimaindsats i 2025", height=80)
    if st.button("Lav udkast", type="primary", key="draft-go"):
        try:
            with st.spinner("Finder tal og citater …"):
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
        st.error("Udkastet har tal uden dækkende kilde: " + escape_markdown("; ".join(problems)))
    files = st.session_state["draft_files"]
    stem = "udkast-" + "".join(ch if ch.isalnum() else "-" for ch in draft.topic.lower())[:40].strip("-")
    c1, c2 = st.columns(2)
    c1.download_button("Hent som Markdown", data=files["md"], file_name=f"{stem}.md", mime="text/markdown",
                       key="dl-md", use_container_width=True)
    c2.download_button("Hent som Word (DOCX)", data=files["docx"], file_name=f"{stem}.docx",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       key="dl-docx", use_container_width=True)
    with st.container(border=True):
        # the preview with smaller headings than the page's own title
        preview = draft_markdown(draft, footnotes=False)
        st.markdown("###" + preview.replace("\n## ", "\n#### "))


# --- page --------------------------------------------------------------------------------------------


def main() -> None:
    st.set_page_config(page_title="Spørg CSR-rapporterne", page_icon="📗", layout="wide")
    try:
        settings = load_settings()
    except RagError as exc:
        st.error(friendly(exc))
        return
    answerer = ensure_index(settings)
    if answerer is None:
        return
    flash = st.session_state.pop("flash", None)
    if flash:
        st.toast(escape_markdown(flash))
    mode, filters = sidebar(settings, answerer)
    store = FeedbackStore(default_db_path(Path(settings.data_dir)))
    if mode == "Udkast":
        draft_page(answerer, filters)
    else:
        chat_page(answerer, filters, store, settings)


main()
