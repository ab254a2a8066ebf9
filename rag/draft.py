"""Drafting for the communications team: a short text built from verified facts and quoted report sentences.

Without a language model the draft is assembled, not written: report sentences quoted verbatim and the figures
from typed `Fact`s, each with a footnote to the report line it came from, plus a table of every figure used.
The team rewrites the prose; the footnotes let them check each number before it is published.
`check_draft` enforces the rule "no figure without a footnote, no footnote without its figure".
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rag.answer import split_sentences
from rag.chat import escape_markdown
from rag.figures import fact_quote, normalise_text, question_metrics
from rag.language import ABSTAIN
from rag.numbers import find_numbers, find_years, is_no_value, numbers_in, same_number, values_of
from rag.query import parse_query, validate_question
from rag.types import Chunk, Citation, DocMeta, Fact, Hit, Language

if TYPE_CHECKING:
    from rag.index import Index
    from rag.retrieve import Filters, HybridRetriever

# Themes a communications brief names, and the metrics that document them.
_CLIMATE = ("scope1", "scope2", "co2_hospitaler", "co2_firmabiler", "stroem", "varme")
_ENVIRONMENT = ("vand", "affald_total", "risikoaffald", "genanvendelse", "oekologi")
_THEMES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"\b(klima\w*|co2\w*|udled\w*|utslipp\w*|emission\w*|energi\w*|strøm\w*|scope)"), _CLIMATE),
    (re.compile(r"\b(miljø\w*|bæredygtig\w*|bærekraft\w*|grøn\w*|grønn\w*|esg)"), _CLIMATE + _ENVIRONMENT),
    (re.compile(r"\b(affald\w*|avfall\w*|genbrug\w*|genanvend\w*|vand|vandet|vann|ressource\w*|økologi\w*)"),
     _ENVIRONMENT),
    (
        re.compile(r"\b(medarbejder\w*|medarbeider\w*|ansatte|trivsel\w*|arbejdsmiljø\w*|arbeidsmiljø\w*|sygefravær\w*|"
                   r"sykefravær\w*|arbejdsplads\w*|arbeidsplass\w*)"),
        ("svarprocent", "enps", "engagement", "arbejdsmiljoeindeks", "lederindeks", "sygefravaer_kort",
         "sygefravaer_lang", "omsaetningshastighed", "arbejdsskader", "mus"),
    ),
    (
        re.compile(r"\b(diversitet\w*|mangfold\w*|ligestilling\w*|likestilling\w*|køn\w*|kjønn\w*|inklusion\w*)"),
        ("koen_hele", "koen_bestyrelse", "koen_direktion", "koen_stabschefer", "koen_mellemledere",
         "lige_muligheder", "diversitet_oplevet", "velkommen"),
    ),
    (re.compile(r"\b(patient\w*|pasient\w*|kunde\w*)"), ("kundetilfredshed", "patientsikkerhedskultur")),
    (
        re.compile(r"\b(leverandør\w*|menneskerettigh\w*|åpenhet\w*|forretningsforbindelse\w*|whistleblower\w*|etik\w*)"),
        ("code_of_conduct", "whistleblower", "forretningsforbindelser"),
    ),
    (
        re.compile(r"\b(social\w*|sosial\w*|uddannelse\w*|utdanning\w*|elever|studerende|praktik\w*|flexjob\w*)"),
        ("jobbidrag", "uddannelsesbidrag", "sygeplejerskestuderende", "medicinstuderende", "laegesekretaerelever",
         "virksomhedspraktik", "flexjob"),
    ),
)
# "Skriv et kort afsnit om …": the words that ask for a draft, not what it is about.
_INSTRUCTION = re.compile(
    r"^\s*(?:(?:kan du |vil du |please )?(?:skriv|lav|giv|formuler|write|draft|skriv ned)\w*\s+)?"
    r"(?:(?:mig |meg )?(?:et|en|ett|a|an)\s+)?(?:kort\w*\s+|lille\s+|lite\s+|short\s+)?"
    r"(?:afsnit|avsnitt|tekst|udkast|utkast|opslag|innlegg|nyhed|nyhet|pressemeddelelse|paragraph|text|draft|"
    r"linkedin-opslag|indlæg)?\s*(?:til\s+\w+\s+)?(?:om|on|about|for)?\s*(?:vores|vårt|vår|våre|our)?\s*",
    re.IGNORECASE,
)
_GENDER_QUALIFIERS = {"kvinder", "mænd", "kvinner", "menn", "m/k", "k/m"}
_STYLE_RANK = {"tsv": 5, "space-rows": 5, "year-lines": 4, "percent-count": 3, "label-value": 3, "running-text": 1}
_MARKER = re.compile(r"\s?\[(\d+)\]")
_TABLE_LIKE = re.compile(r"\t|(?:\d[\d.,]*\s+){4,}")
_FOOTNOTE_LINE = re.compile(r"^\d{1,2}\s+[A-ZÆØÅ]")
_WORDS: dict[Language, dict[str, str]] = {
    "da": {"title": "Udkast", "figures": "Nøgletal for {year}", "metric": "Nøgletal", "year": "År",
           "value": "Værdi", "previous": "Året før", "source": "Kilde", "sources": "Kilder", "page": "s.",
           "note": "Udkast bygget af rapporternes egne sætninger (citeret ordret) og tal fra deres tabeller. "
                   "Hvert tal har en fodnote til sin kilde; tjek dem, før teksten bruges.",
           "table": "Tal brugt i udkastet", "made": "Lavet {date} ud fra: «{instruction}»"},
    "nb": {"title": "Utkast", "figures": "Nøkkeltall for {year}", "metric": "Nøkkeltall", "year": "År",
           "value": "Verdi", "previous": "Året før", "source": "Kilde", "sources": "Kilder", "page": "s.",
           "note": "Utkast bygget av rapportenes egne setninger (sitert ordrett) og tall fra tabellene deres. "
                   "Hvert tall har en fotnote til kilden; sjekk dem før teksten brukes.",
           "table": "Tall brukt i utkastet", "made": "Laget {date} ut fra: «{instruction}»"},
}


@dataclass(frozen=True)
class DraftFigure:
    """One figure in the draft's table, with the footnote that proves it."""

    n: int
    metric: str
    year: int
    value: str
    previous_year: int | None
    previous_value: str | None
    doc_id: str
    title: str


@dataclass(frozen=True)
class Draft:
    """A draft: paragraphs with [n] markers, the numbered sources behind them, and the figures used."""

    instruction: str
    topic: str
    language: Language
    years: tuple[int, ...]
    paragraphs: tuple[str, ...]
    figures: tuple[DraftFigure, ...]
    sources: tuple[Citation, ...]

    @property
    def empty(self) -> bool:
        """Nothing in the reports matched: the app says so instead of offering an empty document."""
        return not self.paragraphs

    @property
    def title(self) -> str:
        return f"{_WORDS[self.language]['title']}: {self.topic}"


# --- selection --------------------------------------------------------------------------------------


def instruction_topic(instruction: str) -> str:
    """What the draft is about: the instruction without "Skriv et kort afsnit om" (falls back to all of it)."""
    text = " ".join(instruction.split()).rstrip(".!?")
    topic = _INSTRUCTION.sub("", text, count=1).strip()
    return topic or text


def theme_metrics(text: str) -> list[str]:
    """Metric keys for a brief: metrics it names ("sygefravær"), then those of the themes it names ("klima")."""
    norm = normalise_text(text)
    keys = list(question_metrics(text))
    for pattern, metrics in _THEMES:
        if pattern.search(norm):
            keys.extend(metrics)
    return list(dict.fromkeys(keys))


def _fact_rank(fact: Fact, documents: Mapping[str, DocMeta]) -> tuple[int, int, int]:
    meta = documents.get(fact.doc_id)
    report_year = meta.year if meta and meta.year else 0
    return (report_year, _STYLE_RANK.get(fact.style or "", 2), -fact.start)


def _dedupe_key(fact: Fact) -> tuple[str, str]:
    qualifier = (fact.qualifier or "").lower()
    return fact.metric_key, "" if qualifier in _GENDER_QUALIFIERS else qualifier


def select_facts(
    facts: Sequence[Fact],
    metrics: Sequence[str],
    years: Sequence[int],
    documents: Mapping[str, DocMeta],
    limit: int = 8,
) -> list[Fact]:
    """One fact per metric (and qualifier such as "markedsbaseret") for the years asked, newest report first.

    Missing values ("—") and intensity variants (per million of revenue) are left out of a communications draft
    unless the brief asks for the metric explicitly; restated figures come from the newest report.
    """
    order = {key: i for i, key in enumerate(metrics)}
    best: dict[tuple[str, str], Fact] = {}
    for fact in facts:
        if fact.metric_key not in order or fact.year not in years or fact.doc_id not in documents:
            continue
        if fact.value is None and is_no_value(fact.value_text):
            continue
        if (fact.qualifier or "").lower() in {"kvinder", "mænd", "kvinner", "menn"}:
            continue  # the m/k row states both sides at once
        key = _dedupe_key(fact)
        if key not in best or _fact_rank(fact, documents) > _fact_rank(best[key], documents):
            best[key] = fact
    chosen = sorted(best.values(), key=lambda f: (order[f.metric_key], -f.year, f.qualifier or ""))
    return chosen[:limit]


def _previous_value(fact: Fact, facts: Sequence[Fact]) -> Fact | None:
    """The same row's value for the year before (same source line), for the "Året før" column."""
    for other in facts:
        if (
            other.doc_id == fact.doc_id
            and other.start == fact.start
            and other.metric_key == fact.metric_key
            and other.qualifier == fact.qualifier
            and other.year == fact.year - 1
            and not is_no_value(other.value_text)
        ):
            return other
    return None


def _terms(text: str, language: Language) -> set[str]:
    """Topic terms (stems and compound parts); numbers and years say nothing about the topic."""
    from rag.analysis import analyze

    return {t for t in analyze(text, language) if not any(ch.isdigit() for ch in t)}


def _theme_patterns(topic: str) -> list[re.Pattern[str]]:
    norm = normalise_text(topic)
    return [pattern for pattern, _ in _THEMES if pattern.search(norm)]


def _quotable(sentence: str) -> bool:
    """Prose worth quoting: not a table row, a footnote line, a heading run-in or a cut-off sentence."""
    if len(sentence) < 40 or len(sentence) > 450 or _TABLE_LIKE.search(sentence):
        return False
    if sentence[0].islower():
        return False  # the tail of a sentence cut by a chunk's overlap window
    if sentence.endswith((":", "f.eks.", "fx.", "bl.a.", "jf.", "ca.")) or _FOOTNOTE_LINE.match(sentence):
        return False
    if sentence.count("(") != sentence.count(")"):
        return False
    return len(find_numbers(sentence)) < 4


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_GAP = 3  # characters of whitespace the chunker may leave between two chunks


def complete_passage(chunk: Chunk, neighbours: Sequence[Chunk]) -> str:
    """A chunk's text with the sentences its window cut in half completed from the chunks beside it.

    Chunks end at a token budget, often mid-sentence; a quote must be a whole sentence, so the missing head
    or tail is taken from the neighbouring chunk of the same document (their texts share document offsets).
    """
    same = sorted((c for c in neighbours if c.doc_id == chunk.doc_id and c.kind == "text"), key=lambda c: c.start)
    # neighbours overlap the chunk, or follow it across the whitespace the chunker dropped
    before = [c for c in same if c.start < chunk.start <= c.end + _GAP]
    after = [c for c in same if chunk.start < c.start <= chunk.end + _GAP]
    head = tail = ""
    if before and chunk.text[:1].islower():
        prev = before[-1]
        lead = prev.text[: max(0, chunk.start - prev.start)]
        ends = list(_SENTENCE_END.finditer(lead))
        head = lead[ends[-1].end() :].strip() if ends else lead.strip()
        head += " " if head and prev.end < chunk.start else ""
    if after and not chunk.text.rstrip().endswith((".", "!", "?")):
        nxt = after[0]
        rest = nxt.text[max(0, chunk.end - nxt.start) :]
        end = _SENTENCE_END.search(rest)
        tail = rest[: end.end()] if end else ""
        tail = (" " + tail) if tail and nxt.start > chunk.end else tail
    return head + chunk.text + tail


def select_sentences(
    hits: Sequence[Hit],
    topic: str,
    language: Language,
    years: Sequence[int],
    limit: int = 3,
    chunks: Sequence[Chunk] = (),
) -> list[tuple[str, Hit]]:
    """Report sentences worth quoting: on topic, prose rather than table rows, naming the year when asked.

    `chunks` (the index's) lets sentences cut by a chunk boundary be quoted whole.
    """
    terms = _terms(topic, language)
    themes = _theme_patterns(topic)
    by_doc: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_doc.setdefault(c.doc_id, []).append(c)
    scored: list[tuple[float, int, str, Hit]] = []
    for rank, hit in enumerate(hits):
        if hit.chunk.kind != "text":
            continue
        for sentence in split_sentences(complete_passage(hit.chunk, by_doc.get(hit.chunk.doc_id, ()))):
            if not _quotable(sentence):
                continue
            # words of the brief, plus words of its themes ("klimaindsats" → "strømforbruget", "CO2-udledning")
            norm = normalise_text(sentence)
            overlap = len(terms & _terms(sentence, hit.chunk.language)) + 0.5 * sum(
                len(p.findall(norm)) for p in themes
            )
            if overlap == 0:
                continue
            score = overlap + 1.0 / (rank + 1)
            if years:
                score += 1.0 if any(str(y) in sentence for y in years) else 0.0
            scored.append((score, rank, sentence, hit))
    scored.sort(key=lambda s: (-s[0], s[1]))
    out: list[tuple[str, Hit]] = []
    seen: set[str] = set()
    per_chunk: dict[str, int] = {}
    for _, _, sentence, hit in scored:
        if sentence in seen or per_chunk.get(hit.chunk.id, 0) >= 2:
            continue
        seen.add(sentence)
        per_chunk[hit.chunk.id] = per_chunk.get(hit.chunk.id, 0) + 1
        out.append((sentence, hit))
        if len(out) >= limit:
            break
    # Keep report order within a chunk so quoted sentences read in sequence.
    return sorted(out, key=lambda sh: (hits.index(sh[1]), sh[1].chunk.text.find(sh[0][:30])))


# --- assembly ---------------------------------------------------------------------------------------


def _value_with_unit(fact: Fact) -> str:
    text = " ".join(fact.value_text.split())
    unit = (fact.unit or "").strip()
    if unit and unit not in text:
        text = f"{text} {unit}"
    return text


def _metric_label(fact: Fact) -> str:
    label = " ".join(fact.metric.replace("*", "").split())
    qualifier = fact.qualifier or ""
    if qualifier and qualifier.lower() not in _GENDER_QUALIFIERS and qualifier.lower() not in label.lower():
        label = f"{label}, {qualifier}"
    return label


class _Sources:
    """Numbers footnotes in order of first use; the same quote from the same document shares a number."""

    def __init__(self, documents: Mapping[str, DocMeta]) -> None:
        self.documents = documents
        self.items: list[Citation] = []

    def cite(self, doc_id: str, title: str, page: int | None, section: str | None, quote: str) -> int:
        for c in self.items:
            if c.doc_id == doc_id and c.quote == quote:
                return c.n
        meta = self.documents.get(doc_id)
        n = len(self.items) + 1
        self.items.append(Citation(n, doc_id, meta.title if meta else title, page, section, quote))
        return n


def build_draft(
    instruction: str,
    index: Index,
    retriever: HybridRetriever,
    filters: Filters | None = None,
    *,
    max_figures: int = 8,
    max_sentences: int = 3,
    max_chars: int = 500,
) -> Draft:
    """A footnoted draft for a brief such as "Skriv et kort afsnit om vores klimaindsats i 2025".

    Sentences come from the hybrid retriever's top passages, figures from the index's facts for the themes the
    brief names, for the years it names (else the newest year with any matching figure).
    """
    instruction = validate_question(instruction, max_chars)
    info = parse_query(instruction, index.newest_year)
    topic = instruction_topic(instruction)
    language = info.language
    documents = {d: m for d, m in index.documents.items() if filters is None or filters.allows_document(m)}
    metrics = theme_metrics(topic)
    wanted_years: tuple[int, ...] = info.years
    if info.year_range is not None:
        wanted_years = tuple(range(info.year_range[0], info.year_range[1] + 1))
    if not wanted_years:
        years_with_data = [f.year for f in index.facts if f.metric_key in metrics and f.doc_id in documents]
        wanted_years = (max(years_with_data),) if years_with_data else ()

    hits = retriever.search(topic, k=10, filters=filters)
    facts = select_facts(index.facts, metrics, wanted_years, documents, limit=max_figures)
    sentences = select_sentences(hits, topic, language, wanted_years, limit=max_sentences, chunks=index.chunks)

    sources = _Sources(documents)
    paragraphs: list[str] = []
    if sentences:
        quoted = []
        for sentence, hit in sentences:
            n = sources.cite(hit.chunk.doc_id, hit.chunk.title, hit.chunk.page, hit.chunk.section, sentence)
            quoted.append(f"{sentence} [{n}]")
        paragraphs.append(" ".join(quoted))
    figures: list[DraftFigure] = []
    by_year: dict[int, list[str]] = {}
    for fact in facts:
        meta = documents.get(fact.doc_id)
        n = sources.cite(fact.doc_id, meta.title if meta else fact.doc_id, fact.page, fact.table or fact.section,
                         fact_quote(fact))
        previous = _previous_value(fact, index.facts)
        figures.append(
            DraftFigure(
                n=n,
                metric=_metric_label(fact),
                year=fact.year,
                value=_value_with_unit(fact),
                previous_year=previous.year if previous else None,
                previous_value=_value_with_unit(previous) if previous else None,
                doc_id=fact.doc_id,
                title=meta.title if meta else fact.doc_id,
            )
        )
        by_year.setdefault(fact.year, []).append(f"{_metric_label(fact)}: {_value_with_unit(fact)} [{n}]")
    for year in sorted(by_year, reverse=True):
        lead = _WORDS[language]["figures"].format(year=year)
        paragraphs.append(f"{lead}: " + "; ".join(by_year[year]) + ".")
    return Draft(
        instruction=instruction,
        topic=topic,
        language=language,
        years=wanted_years,
        paragraphs=tuple(paragraphs),
        figures=tuple(figures),
        sources=tuple(sources.items),
    )


# --- checks -----------------------------------------------------------------------------------------


def check_draft(draft: Draft) -> list[str]:
    """Problems that must never reach a reader: a figure without a footnote, or a footnote not stating it.

    Each paragraph is split into footnoted pieces ("… [n]"); every number in a piece (years aside) must be
    found in that piece's source quote. An empty list means the draft passes.
    """
    problems: list[str] = []
    quotes = {c.n: c.quote for c in draft.sources}
    for paragraph in draft.paragraphs:
        pos = 0
        for marker in _MARKER.finditer(paragraph):
            piece = paragraph[pos : marker.start()]
            pos = marker.end()
            n = int(marker.group(1))
            if n not in quotes:
                problems.append(f"footnote [{n}] has no source")
                continue
            for number in _figures_in(piece):
                if not _stated_in(number, quotes[n]):
                    problems.append(f"{number!r} is not in source [{n}]")
        rest = paragraph[pos:]
        for number in _figures_in(rest):
            problems.append(f"{number!r} has no footnote")
    for fig in draft.figures:
        if fig.n not in quotes or not _stated_in(fig.value, quotes[fig.n]):
            problems.append(f"table value {fig.value!r} for {fig.metric} is not in source [{fig.n}]")
    return problems


def _stated_in(figure: str, quote: str) -> bool:
    """Whether a printed figure ("1.567 Ton", "62/38 %") is stated in a quote, under any reading of its digits."""
    found = find_numbers(figure)
    if not found:
        return False
    in_quote = numbers_in(quote)
    return any(any(abs(v - q) < 1e-9 for q in in_quote) for v in values_of(found[0])) or any(
        same_number(figure, m.text) for m in find_numbers(quote)
    )


def _figures_in(text: str) -> list[str]:
    """Printed figures in a piece of draft text, leaving out years and the label's own numbers ("scope 1")."""
    years = set(find_years(text))
    out: list[str] = []
    for match in find_numbers(text):
        if match.raw is not None and int(match.raw) == match.raw and int(match.raw) in years and "," not in match.text:
            continue
        if re.search(r"(?i)scope\s?$|co$", text[max(0, match.start - 6) : match.start]):
            continue
        out.append(match.text)
    return out


# --- export -----------------------------------------------------------------------------------------


def _where(c: Citation, language: Language) -> str:
    parts = [c.title]
    if c.page:
        parts.append(f"{_WORDS[language]['page']} {c.page}")
    if c.section:
        parts.append(c.section)
    return ", ".join(parts)


def _md(text: str) -> str:
    return escape_markdown(text, strict=False)


def draft_markdown(draft: Draft, *, footnotes: bool = True) -> str:
    """The draft as Markdown: `[^n]` footnotes (GitHub/Pandoc) or plain `[n]` markers with a numbered list."""
    w = _WORDS[draft.language]
    if draft.empty:
        return f"# {_md(draft.title)}\n\n{ABSTAIN[draft.language]}\n"

    def ref(n: int | str) -> str:
        return f"[^{n}]" if footnotes else f" \\[{n}\\]"

    lines = [f"# {_md(draft.title)}", ""]
    for paragraph in draft.paragraphs:
        # split() alternates text and footnote numbers: escape the text, rebuild the markers
        pieces = _MARKER.split(paragraph)
        lines += ["".join(_md(p) if i % 2 == 0 else ref(p) for i, p in enumerate(pieces)), ""]
    if draft.figures:
        lines += [f"## {w['table']}", ""]
        lines.append(f"| {w['metric']} | {w['year']} | {w['value']} | {w['previous']} | {w['source']} |")
        lines.append("|---|---|---|---|---|")
        for f in draft.figures:
            prev = f"{f.previous_value} ({f.previous_year})" if f.previous_value else "–"
            lines.append(f"| {_md(f.metric)} | {f.year} | {_md(f.value)} | {_md(prev)} | {ref(f.n).strip()} |")
        lines.append("")
    lines += [f"_{_md(w['note'])}_", ""]
    if not footnotes:
        lines += [f"## {w['sources']}", ""]
    for c in draft.sources:
        body = f"{_md(_where(c, draft.language))}: »{_md(c.quote)}«"
        lines.append(f"[^{c.n}]: {body}" if footnotes else f"{c.n}. {body}")
    return "\n".join(lines).rstrip() + "\n"


def draft_docx(draft: Draft) -> bytes:
    """The draft as a Word document: heading, paragraphs with superscript [n], a figures table, numbered sources."""
    from docx import Document as DocxDocument
    from docx.shared import Pt

    w = _WORDS[draft.language]
    doc = DocxDocument()
    doc.core_properties.title = draft.title
    doc.add_heading(draft.title, level=1)
    if draft.empty:
        doc.add_paragraph(ABSTAIN[draft.language])
    for text in draft.paragraphs:
        para = doc.add_paragraph()
        pieces = _MARKER.split(text)
        for i, piece in enumerate(pieces):
            if i % 2 == 0:
                para.add_run(piece)
            else:
                run = para.add_run(f"[{piece}]")
                run.font.superscript = True
    if draft.figures:
        doc.add_heading(w["table"], level=2)
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, label in zip(table.rows[0].cells, (w["metric"], w["year"], w["value"], w["previous"], w["source"]),
                               strict=True):
            cell.text = label
            for run in cell.paragraphs[0].runs:
                run.font.bold = True
        for f in draft.figures:
            prev = f"{f.previous_value} ({f.previous_year})" if f.previous_value else "–"
            for cell, value in zip(table.add_row().cells, (f.metric, str(f.year), f.value, prev, f"[{f.n}]"),
                                   strict=True):
                cell.text = value
    note = doc.add_paragraph()
    note_run = note.add_run(w["note"])
    note_run.italic = True
    note_run.font.size = Pt(9)
    if draft.sources:
        doc.add_heading(w["sources"], level=2)
        for c in draft.sources:
            para = doc.add_paragraph()
            para.add_run(f"[{c.n}] {_where(c, draft.language)}: ").bold = True
            para.add_run(f"»{c.quote}«")
    made = doc.add_paragraph(w["made"].format(date=date.today().isoformat(), instruction=draft.instruction))
    made.runs[0].font.size = Pt(8)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
