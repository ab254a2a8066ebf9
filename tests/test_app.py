"""The Streamlit app through streamlit.testing.v1.AppTest, on the mini corpus with the fake embedder."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document as DocxDocument
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from rag.config import Settings
from rag.feedback import FeedbackStore
from rag.index import build_index, current_generation, index_status
from tests.conftest import FakeEmbedder

APP = str(Path(__file__).resolve().parent.parent / "app_streamlit.py")


def plain(markdown: str) -> str:
    """Markdown source as the reader sees it (the app escapes document text with backslashes)."""
    return markdown.replace("\\", "")


@pytest.fixture
def app_env(mini_settings: Settings, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch) -> Settings:
    # The app reads its settings from RAG_* variables and builds its embedder from them; here, the fake one.
    monkeypatch.setattr("rag.index.get_embedder", lambda settings: fake_embedder)
    for name, value in {
        "RAG_CORPUS_DIR": mini_settings.corpus_dir,
        "RAG_INDEX_DIR": mini_settings.index_dir,
        "RAG_DATA_DIR": mini_settings.data_dir,
        "RAG_CHUNK_TOKENS": mini_settings.chunk_tokens,
        "RAG_CHUNK_OVERLAP": mini_settings.chunk_overlap,
    }.items():
        monkeypatch.setenv(name, str(value))
    return mini_settings


@pytest.fixture
def built(app_env: Settings, fake_embedder: FakeEmbedder) -> Settings:
    build_index(app_env, embedder=fake_embedder, progress=False)
    return app_env


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def test_question_answer_citation_and_follow_up(built: Settings) -> None:
    at = start()
    assert at.title[0].value == "Spørg CSR-rapporterne"
    ask(at, "Hvad var sygefraværet i 2024?")
    user, bot = at.chat_message[0], at.chat_message[1]
    assert (user.name, bot.name) == ("user", "assistant")
    assert plain(user.markdown[0].value) == "Hvad var sygefraværet i 2024?"
    assert plain(bot.markdown[0].value) == "Sygefravær, korttids (under 30 dage) var 2,64 % i 2024 [1]."
    (citation,) = bot.expander
    assert plain(citation.label) == "[1] Mini CSR-rapport 2024 · Appendiks"
    quote = citation.markdown[0].value
    assert ":orange-background[**2,64**]" in quote and plain(quote).startswith("Enhed Mål 2024 2024 2023 2022")

    ask(at, "og året før?")
    follow = at.chat_message[3]
    assert plain(follow.caption[0].value) == "Opfattet som: «Hvad var sygefraværet i 2023?»"
    assert plain(follow.markdown[0].value) == "Sygefravær, korttids (under 30 dage) var 3,27 % i 2023 [1]."
    assert ":orange-background[**3,27**]" in follow.expander[0].markdown[0].value
    assert len(at.session_state["turns"]) == 2


def test_scope_follow_up_and_sidebar_filters(built: Settings) -> None:
    at = start()
    ask(at, "Hvad var sygefraværet i 2024?")
    ask(at, "hvad med Norge?")
    norway = at.chat_message[3]
    assert plain(norway.caption[0].value) == "Opfattet som: «Hvad var sygefraværet i 2024?» — Norge: Mini Norge"
    assert norway.info[0].value == "Det kan jeg ikke finde i rapporterne."  # the Norwegian report has no such table

    at.sidebar.button(key="clear-chat").click().run()
    assert at.session_state["turns"] == []
    org = at.sidebar.multiselect(key="f_orgs")
    assert org.options == ["Mini Danmark", "Mini Norge"]
    org.set_value(["Mini Norge"]).run()
    ask(at, "Hvor mange lokasjoner har selskapet i Norge?")
    answer = at.chat_message[1]
    assert "13 lokasjoner" in plain(answer.markdown[0].value)
    assert all("Mini rapport etter åpenhetsloven 2023" in plain(e.label) for e in answer.expander)

    ask(at, "Hvad var sygefraværet i 2024?")  # filtered to Norway: the Danish table is out of reach
    assert at.chat_message[3].info[0].value == "Det kan jeg ikke finde i rapporterne."


def test_index_status_in_sidebar(built: Settings) -> None:
    at = start()
    status = plain(at.sidebar.expander[0].markdown[0].value)
    assert status.startswith("**2** dokumenter · **10** afsnit · **6** tal  \nModel: `fake-hash-64`  \nBygget: 20")
    assert status.endswith(" UTC")


def test_feedback_is_stored_with_comment(built: Settings) -> None:
    at = start()
    ask(at, "Hvad var sygefraværet i 2024?")
    turn_id = at.session_state["turns"][0].id
    at.feedback[0].set_value(0).run()  # 👎
    store = FeedbackStore(built.data_dir / "feedback.sqlite")
    (row,) = store.all()
    assert (row.answer_id, row.rating, row.comment) == (turn_id, -1, "")
    assert row.citations[0].doc_id == "mini-csr-2024" and row.question == "Hvad var sygefraværet i 2024?"
    at.text_input(key=f"fb-{turn_id}-comment").set_value("Jeg ville også se langtidsfraværet").run()
    (row,) = store.all()
    assert (row.rating, row.comment) == (-1, "Jeg ville også se langtidsfraværet")
    assert at.chat_message[1].caption[-1].value == "Tak – din vurdering er gemt."


def test_drafting_downloads(built: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    # Record what the download buttons hand to Streamlit's (real) media storage: the bytes a user downloads.
    served: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self: MemoryMediaFileStorage, data: str | bytes, mimetype: str, kind: Any,
                  filename: str | None = None) -> str:
        if isinstance(data, bytes) and filename:
            served[filename] = data
        return original(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    at = start()
    at.sidebar.radio(key="mode").set_value("Udkast").run()
    at.text_area(key="draft-instruction").set_value("Skriv et kort afsnit om vores klimaindsats i 2024")
    at.button(key="draft-go").click().run()
    assert not at.exception and not at.error
    (preview,) = [plain(m.value) for m in at.main.markdown if m.value.startswith("#")]
    assert preview.startswith("#### Udkast: klimaindsats i 2024\n\nDet har sænket strømforbruget markant")
    assert "\n#### Tal brugt i udkastet\n" in preview
    assert "Nøgletal for 2024: Strømforbrug: 1.234 MWh [2]." in preview
    labels = [b.label for b in at.download_button]
    assert labels == ["Hent som Markdown", "Hent som Word (DOCX)"]
    assert sorted(served) == ["udkast-klimaindsats-i-2024.docx", "udkast-klimaindsats-i-2024.md"]
    md = served["udkast-klimaindsats-i-2024.md"].decode("utf-8")
    assert md.startswith("# Udkast: klimaindsats i 2024\n\nDet har sænket strømforbruget markant")
    assert "Strømforbrug: 1.234 MWh[^2]." in md
    assert "| Strømforbrug | 2024 | 1.234 MWh | 1.400 MWh (2023) | [^2] |" in md
    assert "[^2]: Mini CSR-rapport 2024, Appendiks: »Enhed Mål 2024 2024 2023 2022 … Strømforbrug MWh" in md
    doc = DocxDocument(io.BytesIO(served["udkast-klimaindsats-i-2024.docx"]))
    assert doc.paragraphs[0].text == "Udkast: klimaindsats i 2024"
    assert [c.text for c in doc.tables[0].rows[1].cells] == ["Strømforbrug", "2024", "1.234 MWh",
                                                             "1.400 MWh (2023)", "[2]"]


def test_missing_index_is_built_on_first_start(app_env: Settings) -> None:
    assert not app_env.index_dir.exists()
    at = start()
    assert index_status(app_env) == "fresh"
    assert at.title[0].value == "Spørg CSR-rapporterne"  # after the build the app reran into the chat


def test_library_errors_are_friendly_messages(built: Settings) -> None:
    generation = current_generation(built.index_dir)
    assert generation is not None
    (generation / "chunks.jsonl").write_text("{not json", encoding="utf-8")
    at = start()
    assert plain(at.error[0].value).startswith("Indekset kan ikke bruges – klik «Genopbyg indeks» i sidepanelet.")
    assert "Run `rag index` to rebuild it" in plain(at.error[0].value)

    build_index(built, embedder=FakeEmbedder(), progress=False)
    at = start()
    ask(at, "Hvad " + "meget " * 120 + "?")
    assert plain(at.error[0].value).startswith("Spørgsmålet kan ikke stilles sådan.")
    assert at.session_state["turns"] == []


def test_upload_adds_a_report_and_asks_before_replacing(built: Settings) -> None:
    text = "Grøn rapport 2024\n\nVi plantede 300 træer ved hospitalet i Odense i 2024.\n".encode()
    at = start()
    at.sidebar.file_uploader(key="upload").set_value(("grøn rapport.txt", text, "text/plain")).run()
    at.sidebar.button(key="upload-go").click().run()
    assert not at.exception and not at.error
    assert (built.corpus_dir / "grøn-rapport.txt").read_bytes() == text
    assert plain(at.toast[0].value).startswith("grøn-rapport.txt er tilføjet. 3 documents")
    assert plain(at.sidebar.expander[0].markdown[0].value).startswith("**3** dokumenter")
    ask(at, "Hvor mange træer plantede vi ved hospitalet i Odense?")
    assert "300 træer" in plain(at.chat_message[1].markdown[0].value)

    changed = text.replace(b"300", b"400")
    at.sidebar.file_uploader(key="upload").set_value(("grøn rapport.txt", changed, "text/plain")).run()
    at.sidebar.button(key="upload-go").click().run()
    assert at.sidebar.checkbox(key="overwrite-ok").label == "grøn-rapport.txt findes allerede – erstat den"
    assert plain(at.sidebar.warning[0].value).startswith("grøn-rapport.txt findes allerede. Sæt flueben ovenfor")
    assert (built.corpus_dir / "grøn-rapport.txt").read_bytes() == text  # nothing replaced without asking
    at.sidebar.checkbox(key="overwrite-ok").check().run()
    at.sidebar.button(key="upload-go").click().run()
    assert (built.corpus_dir / "grøn-rapport.txt").read_bytes() == changed


def test_upload_of_a_wrong_file_is_a_friendly_error(built: Settings) -> None:
    at = start()
    at.sidebar.file_uploader(key="upload").set_value(("rapport.pdf", b"<html>no pdf</html>", "application/pdf"))
    at.run()
    at.sidebar.button(key="upload-go").click().run()
    message = plain(at.sidebar.error[0].value)
    assert message.startswith("Det lykkedes ikke. (rapport.pdf is named .pdf but is not a PDF")
    names = sorted(p.name for p in built.corpus_dir.iterdir())
    assert names == ["manifest.toml", "mini-csr-2024.txt", "mini-no-2023.txt"]


@pytest.mark.llm
def test_llm_backend_streams_the_gated_answer_then_citations(built: Settings, fake_embedder: FakeEmbedder,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """With `llm_backend = llamacpp` (real Gemma-3-270m), the app answers with the gated model answer.

    AppTest sees the page once the script has run, not the steps of `st.write_stream`; what it checks is that
    the streamed text stands as the answer (exactly the gated answer `LLMAnswerer` gives, not the evidence-first
    one), followed by the citations as the evidence-first path renders them. The escaping of the streamed
    pieces is tested in tests/test_chat.py.
    """
    from rag.answer import Answerer
    from rag.chat import citation_label, cited_figures, escape_markdown, highlight_quote
    from rag.config import load_settings
    from rag.index import load_index
    from rag.llm import chat_model_from_settings
    from rag.llm_answer import LLMAnswerer
    from tests.test_llm import GEMMA, _need

    if not GEMMA.is_file():
        _need(f"{GEMMA} is missing")
    monkeypatch.setenv("RAG_LLM_BACKEND", "llamacpp")
    monkeypatch.setenv("RAG_LLM_MODEL", str(GEMMA))
    settings = load_settings()  # what the app reads
    index = load_index(settings.index_dir, settings, fake_embedder)
    question = "Hvor mange nye sygeplejersker blev ansat i 2024?"
    evidence = Answerer(index, settings).ask(question)
    expected = LLMAnswerer(index, settings, chat_model_from_settings(settings)).ask(question)
    assert expected.answer != evidence.answer  # the model's answer, or the fallback with its note

    at = AppTest.from_file(APP, default_timeout=300).run()
    assert not at.exception, at.exception
    assert "gemma-3-270m-q4_k_m.gguf" in plain(at.sidebar.caption[-1].value)
    ask(at, question)
    bot = at.chat_message[1]
    # the answer once (the streamed text stands; it is not written again), then one quote per citation
    assert bot.markdown[0].value == escape_markdown(expected.answer)
    assert len(bot.markdown) == 1 + len(expected.citations)
    assert [e.label for e in bot.expander] == [citation_label(c.n, c.title, c.page, c.section, "da")
                                               for c in expected.citations]
    assert [e.markdown[0].value for e in bot.expander] == [
        highlight_quote(c.quote, cited_figures(expected.answer, c.n)) for c in expected.citations]
    assert at.session_state["turns"][0].answer.answer == expected.answer

    # No evidence: the model is not asked, and the abstention shows as a notice, as without a model.
    ask(at, "Hvor mange vindmøller ejer hospitalet i Grønland?")
    assert at.chat_message[3].info[0].value == "Det kan jeg ikke finde i rapporterne."
    assert not at.chat_message[3].markdown
