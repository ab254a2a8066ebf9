"""The Streamlit app through streamlit.testing.v1.AppTest, on the mini corpus with the fake embedder."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document as DocxDocument
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from rag.app.chat import escape_markdown
from rag.app.feedback import FeedbackStore
from rag.app.i18n import DA, EXAMPLES, NB
from rag.config import Settings
from rag.index import build_index, current_generation, index_status
from tests.conftest import FakeEmbedder
from tests.pdf_report import write_report

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


def start(conversation: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if conversation:
        at.query_params["samtale"] = conversation
    at.run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def walk(node: Any) -> list[Any]:
    """Every element under a node of the app's tree, dialogs included."""
    out = [node]
    for child in getattr(node, "children", {}).values():
        out += walk(child)
    return out


def dialog(at: AppTest) -> Any:
    (found,) = [n for n in walk(at._tree) if getattr(n, "type", None) == "dialog"]
    return found


def test_question_answer_citation_and_follow_up(built: Settings) -> None:
    at = start()
    assert at.title[0].value == "Spørg CSR-rapporterne"
    ask(at, "Hvad var sygefraværet i 2024?")
    user, bot = at.chat_message[0], at.chat_message[1]
    assert (user.name, bot.name) == ("user", "assistant")
    assert plain(user.markdown[0].value) == "Hvad var sygefraværet i 2024?"
    turn = at.session_state["turns"][0]
    # the answer's wording belongs to rag.answer; here: it states the cited figure, and [1] links to the anchor
    assert "2,64 %" in turn.answer.answer and turn.answer.answer.endswith(" [1].")
    assert bot.markdown[0].value == escape_markdown(turn.answer.answer).replace(
        "\\[1\\]", f"[\\[1\\]](#kilde-{turn.id}-1)")
    turn_id = turn.id
    assert bot.markdown[1].value == f'<div id="kilde-{turn_id}-1"></div>'
    (citation,) = bot.expander
    assert plain(citation.label) == "[1] Mini CSR-rapport 2024 · Appendiks"
    # the cited row as a small table: header row, the row, only the cited cell marked (not the 30 of "under 30 dage")
    table = citation.markdown[0].value
    assert table.splitlines() == [
        "|   | Enhed | Mål 2024 | 2024 | 2023 | 2022 |",
        "|---|---|---|---|---|---|",
        "| Sygefravær, korttids \\(under 30 dage\\) | % | \\<2,5 | :orange-background[**2,64**] | 3,27 | 3,51 |",
    ]
    assert table.count(":orange-background") == 1
    assert citation.button[0].label == "Vis i dokumentet"

    ask(at, "og året før?")
    follow = at.chat_message[3]
    assert plain(follow.caption[0].value) == "Opfattet som: «Hvad var sygefraværet i 2023?»"
    assert "3,27 % i 2023" in at.session_state["turns"][1].answer.answer
    assert ":orange-background[**3,27**]" in follow.expander[0].markdown[0].value
    assert len(at.session_state["turns"]) == 2


def test_text_citation_shows_the_sentence_in_context_and_the_section(built: Settings) -> None:
    at = start()
    ask(at, "Hvor mange nye sygeplejersker blev ansat i 2024?")
    citation = at.chat_message[1].expander[0]
    # the quoted sentence marked, with the sentence before it as context
    assert citation.markdown[0].value == (
        ":gray[Medarbejderne giver hende mad hver morgen.] :orange-background[Vi har i 2024 ansat 12 nye "
        "sygeplejersker på vores hospitaler, og trivslen blandt medarbejderne er høj.]"
    )  # the next "sentence" is the heading of the next section: not context
    citation.button[0].click().run()
    view = dialog(at)
    texts = [getattr(n, "value", "") for n in walk(view)]
    assert any(str(x).startswith("Afsnittet «Vores medarbejdere»") for x in texts)
    section = next(str(x) for x in texts if "orange-background" in str(x))
    assert "Den hvide kat hedder Sjusk" in section and ":orange-background[**" in section


def test_pdf_citation_opens_the_page_with_the_cell_marked(app_env: Settings, fake_embedder: FakeEmbedder) -> None:
    write_report(app_env.corpus_dir / "groen-klinik-2024.pdf")
    build_index(app_env, embedder=fake_embedder, progress=False)
    at = start()
    ask(at, "Hvad var vandforbruget i 2024?")
    citation = at.chat_message[1].expander[0]
    assert plain(citation.label) == "[1] Grøn Klinik CSR-rapport 2024 · s. 2 · Miljødata"
    assert ":orange-background[**5.120**]" in citation.markdown[-1].value
    citation.button[0].click().run()
    assert not at.exception
    view = dialog(at)
    captions = [n.value for n in walk(view) if type(n).__name__ == "Caption"]
    assert captions[0] == "Side 2 af 3"
    images = [n for n in walk(view) if type(n).__name__ == "Image" or "image" in type(n).__name__.lower()]
    assert len(images) >= 1


def test_trend_answer_has_a_table_and_a_chart(built: Settings) -> None:
    at = start()
    ask(at, "Hvordan har sygefraværet udviklet sig fra 2022 til 2024?")
    bot = at.chat_message[1]
    values = [m.value for m in bot.markdown]
    assert plain(values[1]) == "**Udvikling: Sygefravær, korttids (under 30 dage) (%)**"
    assert plain(values[2]).splitlines() == [
        "| År | Værdi | Kilde |", "|---|---|---|",
        "| 2022 | 3,51 | [1] Mini CSR-rapport 2024 · Appendiks |",
        "| 2023 | 3,27 | [1] Mini CSR-rapport 2024 · Appendiks |",
        "| 2024 | 2,64 | [1] Mini CSR-rapport 2024 · Appendiks |",
    ]
    charts = [n for n in walk(bot) if "vega" in str(getattr(n, "proto", "")).lower()[:2000]
              or type(n).__name__ == "UnknownElement"]
    assert charts, "the trend chart is drawn"
    table = bot.expander[0].markdown[0].value
    assert table.count(":orange-background") == 3  # the three years the answer states


def test_answer_can_be_copied_and_downloaded_with_its_sources(built: Settings) -> None:
    at = start()
    ask(at, "Hvad var sygefraværet i 2024?")
    (code,) = at.chat_message[1].code
    answer = at.session_state["turns"][0].answer.answer
    assert code.value.rstrip("\n") == (
        f"## Spørgsmål\n\nHvad var sygefraværet i 2024?\n\n## Svar\n\n{answer}\n\n## Kilder\n\n"
        "1. Mini CSR-rapport 2024 · Appendiks: »Enhed Mål 2024 2024 2023 2022 … Sygefravær, korttids (under 30 dage) "
        "% <2,5 2,64 3,27 3,51«"
    )
    assert [b.label for b in at.chat_message[1].get("download_button")] == ["Hent svaret med kilder"]


def test_example_questions_are_clickable(built: Settings) -> None:
    at = start()
    labels = [b.label for b in at.button if b.key.startswith("example-")]
    assert labels == list(EXAMPLES["da"])
    at.button(key="example-0").click().run()
    assert [t.asked for t in at.session_state["turns"]] == ["Hvad var sygefraværet i 2025?"]


def test_conversation_survives_a_reload(built: Settings) -> None:
    at = start()
    ask(at, "Hvad var sygefraværet i 2024?")
    ask(at, "og året før?")
    conversation = at.query_params["samtale"]
    conversation = conversation[0] if isinstance(conversation, list) else conversation
    assert re.fullmatch(r"[0-9a-f]{16}", conversation)
    again = start(conversation)  # a new browser session on the same address
    assert [t.asked for t in again.session_state["turns"]] == ["Hvad var sygefraværet i 2024?", "og året før?"]
    assert "3,27 %" in plain(again.chat_message[3].markdown[0].value)
    again.sidebar.button(key="clear-chat").click().run()
    assert again.session_state["turns"] == [] and again.query_params["samtale"] != conversation
    assert start(conversation).session_state["turns"][1].asked == "og året før?"  # the old one is kept
    fresh = start("not-an-id")
    assert fresh.session_state["turns"] == []


def visible_strings(at: AppTest) -> list[str]:
    """Labels, placeholders, captions and titles the app shows (not document text)."""
    out: list[str] = []
    for node in walk(at._tree):
        for attr in ("label", "placeholder", "help"):
            value = getattr(node, attr, None)
            if isinstance(value, str) and value:
                out.append(plain(value))
        if type(node).__name__ in ("Title", "Caption", "Header", "Subheader"):
            out.append(plain(node.value))
    return out


def test_interface_follows_the_first_question_and_the_sidebar(built: Settings) -> None:
    at = start()
    assert at.sidebar.radio(key="ui_lang").value == "da"
    ask(at, "Hvor mange lokasjoner har selskapet i Norge?")
    assert at.title[0].value == "Spør CSR-rapportene"
    assert at.sidebar.radio(key="ui_lang").value == "nb"
    shown = visible_strings(at)
    assert "Still et spørsmål om rapportene …" in shown and "Rapportsamling" in shown
    danish_only = {v for k, v in DA.items() if v != NB[k] and "{" not in v}
    assert not [s for s in shown if s in danish_only]
    assert at.chat_message[1].expander[0].button[0].label == "Vis i dokumentet"
    at.sidebar.radio(key="ui_lang").set_value("da").run()
    assert at.title[0].value == "Spørg CSR-rapporterne"
    ask(at, "Hvor mange lokasjoner har selskapet?")  # a chosen language stays
    assert at.title[0].value == "Spørg CSR-rapporterne"


def test_scope_follow_up_and_sidebar_filters(built: Settings) -> None:
    at = start()
    ask(at, "Hvad var sygefraværet i 2024?")
    ask(at, "hvad med Norge?")
    norway = at.chat_message[3]
    assert plain(norway.caption[0].value) == "Opfattet som: «Hvad var sygefraværet i 2024?» — Norge: Mini Norge"
    # the Norwegian report has no such table
    assert norway.info[0].value.startswith("Det kan jeg ikke finde i rapporterne.")

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
    assert at.chat_message[3].info[0].value.startswith("Det kan jeg ikke finde i rapporterne.")


def test_index_status_in_sidebar_has_no_model_id_and_a_local_time(built: Settings) -> None:
    at = start()
    status = at.sidebar.expander[0].markdown[0].value
    assert re.fullmatch(r"2 rapporter · 10 tekstafsnit · 6 tal  \nOpdateret \d{1,2}\. \w+ 20\d\d kl\. \d\d:\d\d",
                        status), status
    assert "fake-hash" not in status and "UTC" not in status


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
    at.sidebar.radio(key="mode").set_value("draft").run()
    assert at.title[0].value == "Udkast til kommunikation"
    at.text_area(key="draft-instruction").set_value("Skriv et kort afsnit om vores klimaindsats i 2024")
    at.button(key="draft-go").click().run()
    assert not at.exception and not at.error
    (preview,) = [plain(m.value) for m in at.main.markdown if m.value.startswith("#")]
    assert preview.startswith("#### Udkast: klimaindsats i 2024\n\n#### Klima og miljø\n\nMini Danmark har skiftet")
    assert "et fald på 12 %. [2]" in preview
    labels = [b.label for b in at.download_button]
    assert labels == ["Hent som Markdown", "Hent som Word (DOCX)"]
    assert sorted(served) == ["udkast-klimaindsats-i-2024.docx", "udkast-klimaindsats-i-2024.md"]
    md = served["udkast-klimaindsats-i-2024.md"].decode("utf-8")
    assert md.startswith("# Udkast: klimaindsats i 2024\n\n## Klima og miljø\n\nMini Danmark har skiftet")
    assert "[^2]: Mini CSR-rapport 2024, Appendiks: »Enhed Mål 2024 2024 2023 2022 … Strømforbrug MWh" in md
    doc = DocxDocument(io.BytesIO(served["udkast-klimaindsats-i-2024.docx"]))
    assert doc.paragraphs[0].text == "Udkast: klimaindsats i 2024"
    assert doc.core_properties.language == "da-DK"


def test_missing_index_is_built_on_first_start(app_env: Settings) -> None:
    assert not app_env.index_dir.exists()
    at = start()
    assert index_status(app_env) == "fresh"
    assert at.title[0].value == "Spørg CSR-rapporterne"  # after the build the app reran into the chat
    assert plain(at.sidebar.success[0].value) == "Samlingen er opdateret: 2 rapporter."


def test_library_errors_are_friendly_messages(built: Settings) -> None:
    generation = current_generation(built.index_dir)
    assert generation is not None
    (generation / "chunks.jsonl").write_text("{not json", encoding="utf-8")
    at = start()
    message = plain(at.error[0].value)
    assert message.startswith("Rapportsamlingen kan ikke bruges – klik «Genopbyg indeks» i sidepanelet.  \n"
                              "Tekniske detaljer: ")
    assert "Run `rag index` to rebuild it" in message

    build_index(built, embedder=FakeEmbedder(), progress=False)
    at = start()
    ask(at, "Hvad " + "meget " * 120 + "?")
    assert plain(at.error[0].value).startswith("Spørgsmålet kan ikke stilles sådan.")
    assert at.session_state["turns"] == []


def test_upload_adds_a_report_in_plain_words_and_asks_before_replacing(built: Settings) -> None:
    text = "Grøn rapport 2024\n\nVi plantede 300 træer ved hospitalet i Odense i 2024.\n".encode()
    at = start()
    at.sidebar.file_uploader(key="upload-0").set_value(("grøn rapport.txt", text, "text/plain")).run()
    assert not at.sidebar.checkbox  # a new file: nothing to replace
    at.sidebar.button(key="upload-go-0").click().run()
    assert not at.exception and not at.error
    assert (built.corpus_dir / "grøn-rapport.txt").read_bytes() == text
    # plain words, no English build summary, and no "already exists – replace" right after the upload
    assert [plain(s.value) for s in at.sidebar.success] == [
        "grøn-rapport.txt er tilføjet. Samlingen har nu 3 rapporter."]
    assert not at.toast and not at.sidebar.checkbox and not at.sidebar.warning
    assert at.sidebar.file_uploader(key="upload-1").value is None
    assert plain(at.sidebar.expander[0].markdown[0].value).startswith("3 rapporter")
    ask(at, "Hvor mange træer plantede vi ved hospitalet i Odense?")
    assert "300 træer" in plain(at.chat_message[1].markdown[0].value)

    changed = text.replace(b"300", b"400")
    at.sidebar.file_uploader(key="upload-1").set_value(("grøn rapport.txt", changed, "text/plain")).run()
    assert plain(at.sidebar.warning[0].value) == "Der findes allerede en rapport med filnavnet grøn-rapport.txt."
    assert at.sidebar.checkbox(key="overwrite-1").label == "Erstat den med den nye fil"
    at.sidebar.button(key="upload-go-1").click().run()
    assert plain(at.sidebar.warning[-1].value) == ("Sæt flueben ved «Erstat den med den nye fil» for at erstatte "
                                                   "den.")
    assert (built.corpus_dir / "grøn-rapport.txt").read_bytes() == text  # nothing replaced without asking
    at.sidebar.checkbox(key="overwrite-1").check().run()
    at.sidebar.button(key="upload-go-1").click().run()
    assert (built.corpus_dir / "grøn-rapport.txt").read_bytes() == changed
    assert [plain(s.value) for s in at.sidebar.success] == [
        "grøn-rapport.txt er erstattet med den nye udgave. Samlingen har 3 rapporter."]


def test_upload_of_a_wrong_file_is_a_friendly_error(built: Settings) -> None:
    at = start()
    at.sidebar.file_uploader(key="upload-0").set_value(("rapport.pdf", b"<html>no pdf</html>", "application/pdf"))
    at.run()
    at.sidebar.button(key="upload-go-0").click().run()
    message = plain(at.sidebar.error[0].value)
    assert message.startswith("Filen kunne ikke tilføjes.  \nTekniske detaljer: rapport.pdf is named .pdf but is not")
    names = sorted(p.name for p in built.corpus_dir.iterdir())
    assert names == ["manifest.toml", "mini-csr-2024.txt", "mini-no-2023.txt"]


@pytest.mark.llm
def test_llm_backend_streams_the_gated_answer_then_citations(built: Settings, fake_embedder: FakeEmbedder,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """With `llm_backend = llamacpp` (real Gemma-3-270m), the app answers with the gated model answer.

    AppTest sees the page once the script has run, not the steps of `st.write_stream`; what it checks is that
    the streamed text stands as the answer (exactly the gated answer `LLMAnswerer` gives, not the evidence-first
    one), followed by the citations. The escaping of the streamed pieces is tested in tests/test_chat.py.
    """
    from rag.answer import Answerer
    from rag.answer.llm import chat_model_from_settings
    from rag.answer.llm_answer import LLMAnswerer
    from rag.app.chat import escape_markdown
    from rag.app.citations import citation_heading
    from rag.config import load_settings
    from rag.index import load_index
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
    assert plain(at.sidebar.caption[-1].value) == DA["llm_note"]  # no model file names in the interface
    ask(at, question)
    bot = at.chat_message[1]
    assert bot.markdown[0].value == escape_markdown(expected.answer)  # the streamed text stands
    assert [plain(e.label) for e in bot.expander] == [citation_heading(c, "da") for c in expected.citations]
    assert at.session_state["turns"][0].answer.answer == expected.answer

    # No evidence: the model is not asked, and the abstention shows as a notice, as without a model.
    ask(at, "Hvor mange vindmøller ejer hospitalet i Grønland?")
    assert at.chat_message[3].info[0].value.startswith("Det kan jeg ikke finde i rapporterne.")
