"""Conversation state and follow-up rewriting without an LLM ("og året før?" → the last question, one year back).

A chat user rarely repeats the whole question: after "Hvad var sygefraværet i 2025?" they type "og året før?",
"og i 2023?" or "hvad med Norge?". Retrieval and figure lookup need a standalone question, so each typed
message is resolved against the previous turn by a few transparent rules (years, scope, topic) that a person can
check in the "Opfattet som …" note the app shows. Everything here is a pure function over small frozen records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from rag.answer.query import parse_query
from rag.text.language import detect_language
from rag.types import Answer, DocMeta, Language


@dataclass(frozen=True)
class Scope:
    """Which organisations a follow-up narrowed the conversation to ("hvad med Norge?" → Aleris Helse AS).

    `organisations` empty means the words named something the corpus does not cover (no Swedish reports);
    the app then says so instead of silently searching everything.
    """

    label: str
    organisations: tuple[str, ...]


@dataclass(frozen=True)
class Turn:
    """One exchange: what was typed, the standalone question actually asked, and (once known) the answer."""

    asked: str
    question: str
    language: Language
    years: tuple[int, ...] = ()
    scope: Scope | None = None
    follow_up: bool = False
    answer: Answer | None = field(default=None, compare=False)
    id: str = ""

    @property
    def rewritten(self) -> bool:
        """Whether the app should show how the message was understood."""
        return self.follow_up and (self.question != self.asked or self.scope is not None)

    def with_answer(self, answer: Answer, turn_id: str = "") -> Turn:
        return replace(self, answer=answer, id=turn_id or self.id)


# --- vocabulary ------------------------------------------------------------------------------------

_COUNTRIES: dict[str, tuple[str, str]] = {
    # word → (ISO country as in manifest.toml, label; the same in Danish and Norwegian)
    **dict.fromkeys(("norge", "noreg", "norway", "norsk", "norske", "norwegian"), ("NO", "Norge")),
    **dict.fromkeys(("danmark", "denmark", "dansk", "danske", "danish"), ("DK", "Danmark")),
    **dict.fromkeys(("sverige", "sweden", "svensk", "svenske", "swedish"), ("SE", "Sverige")),
    **dict.fromkeys(("finland", "finsk", "finske"), ("FI", "Finland")),
}
# Organisation-name words too generic to pick one out ("Aleris Helse AS": "helse" and "as" say nothing).
_GENERIC_ORG_WORDS = {"as", "a/s", "aps", "asa", "ab", "helse", "group", "gruppen", "danmark", "norge", "sverige"}
_ALL_SCOPE = re.compile(
    r"\balle (?:rapporter(?:ne)?|rapportene|organisationer(?:ne)?|organisasjoner(?:ne)?|"
    r"selskaber(?:ne)?|selskaper(?:ne)?)\b",
    re.IGNORECASE,
)

# Lead-ins that mark a message as continuing the conversation.
_CONJUNCTION = re.compile(r"^(?:og|men|så|samt|and)\b[\s,]*", re.IGNORECASE)
_ABOUT = re.compile(
    r"^(?:(?:hvad|hva)(?: så)? (?:med|om)|what about|hvordan (?:med|er det med|står det til med|ser det (?:ud|ut)"
    r"(?: for| i| med)?|gik det|gikk det)|(?:det )?samme (?:for|i)|også (?:for|i)|end|enn)\b[\s,]*",
    re.IGNORECASE,
)
# Years counted from the previous turn, not from the newest report (query.parse_query handles "sidste år").
_FROM_PREVIOUS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\b(?:tre|3) år (?:før|tidligere|inden)(?: det)?\b", re.IGNORECASE), -3),
    (re.compile(r"\b(?:to|2) år (?:før|tidligere|inden)(?: det)?\b", re.IGNORECASE), -2),
    (
        re.compile(
            r"\b(?:året|år) (?:før|inden|forinden|tidligere)(?: det)?\b|\bdet (?:foregående|forudgående|forrige) år\b",
            re.IGNORECASE,
        ),
        -1,
    ),
    (re.compile(r"\b(?:året|år) (?:efter|etter|derpå|derefter|deretter)(?: det)?\b|\bdet følgende år\b", re.I), 1),
    (re.compile(r"\b(?:the )?(?:year|years) (?:before|earlier)\b", re.IGNORECASE), -1),
)
# Relative years that query.parse_query resolves against the newest report; removed when years are replaced.
_RELATIVE_NEWEST = re.compile(
    r"\s*\b(?:i |for )?(?:sidste år|sidste års|i fjor|ifjor|fjorårets|forrige år|året før det|i forfjor|forfjor|"
    r"to år siden|for to år siden|last year)\b",
    re.IGNORECASE,
)
_YEAR = r"(?:19[89]\d|20[0-4]\d)"
_YEAR_EXPR = re.compile(rf"(?<![\d.,]){_YEAR}(?:\s*(?:,|og|-|–|—|til|to)\s*{_YEAR})*(?![\d.,]\d)")
_YEAR_WORD = re.compile(rf"(?<![\d.,]){_YEAR}(?![\d.,]\d)")
_WORD = re.compile(r"[\wæøåÆØÅ/-]+")
# Words that carry no topic: question words, auxiliaries, prepositions, "year" words.
_FILLER = {
    "og", "men", "så", "samt", "i", "for", "fra", "til", "på", "om", "med", "ved", "af", "av", "end", "enn", "da",
    "det", "den", "der", "dem", "de", "er", "var", "blev", "ble", "har", "havde", "hadde", "hvad", "hva",
    "hvordan", "samme", "også", "året", "år", "årene", "tal", "tallet", "tallene", "ud", "ut",
    "gik", "gikk", "ser", "sammenlignet", "then", "and", "what", "about", "in", "the", "year", "tilsvarende",
    "mon", "egentlig", "lige", "bare",
}
_QUESTION_WORD = re.compile(r"^(?:hvad|hva|hvor|hvordan|hvilke|hvilken|hvilket|hvem|hvorfor|hvornår|når)\b", re.I)


# --- public functions ------------------------------------------------------------------------------


def newest_year(documents: Sequence[DocMeta]) -> int | None:
    """The newest report year in the corpus; "sidste år" and bare questions are relative to it."""
    years = [d.year for d in documents if d.year is not None]
    return max(years) if years else None


def find_scope(text: str, documents: Sequence[DocMeta], language: Language = "da") -> Scope | None:
    """The organisations a message names by country ("Norge") or by name ("Aalborg"); None if it names none."""
    if _ALL_SCOPE.search(text):
        return Scope(label="alle rapporter" if language == "da" else "alle rapportene", organisations=())
    words = [w.lower() for w in _WORD.findall(text)]
    countries = {_COUNTRIES[w][0]: _COUNTRIES[w][1] for w in words if w in _COUNTRIES}
    named = _organisations_named(words, documents)
    if not countries and not named:
        return None
    orgs = sorted({d.organisation for d in documents if d.organisation})
    if countries:
        in_country = {d.organisation for d in documents if d.organisation and _country(d) in countries}
        orgs = [o for o in orgs if o in in_country]
    if named:
        orgs = [o for o in orgs if o in named]
    labels = list(countries.values()) + ([", ".join(sorted(named))] if named and not countries else [])
    return Scope(label=" / ".join(labels), organisations=tuple(orgs))


def resolve_question(
    message: str,
    history: Sequence[Turn],
    documents: Sequence[DocMeta],
    newest: int | None = None,
) -> Turn:
    """The standalone question behind a chat message, given the conversation so far.

    Rules, in order: a message whose only content is years, a relative year ("året før") and/or a scope
    ("Norge") repeats the previous question with those replaced; "hvad med <emne>?" keeps the previous years and
    scope for a new topic; anything else is a new question (scope cleared, years from the question itself).
    """
    text = " ".join(message.split())
    newest = newest if newest is not None else newest_year(documents)
    previous = history[-1] if history else None
    fresh = _new_question(text, newest)
    if previous is None:
        return fresh

    body, conjunction = _strip(_CONJUNCTION, text)
    body, about = _strip(_ABOUT, body)
    lead_language = _lead_language(text, previous.language)
    years, year_changed = _follow_up_years(body, previous, newest)
    scope = find_scope(body, documents, lead_language)
    content = _content_words(body, documents)

    if not content and (conjunction or about or year_changed or scope is not None):
        question = _with_years(previous.question, years, lead_language) if year_changed else previous.question
        if scope is not None and not scope.organisations and scope.label.startswith("alle"):
            scope_out: Scope | None = None  # "alle rapporter" widens back out
        else:
            scope_out = scope if scope is not None else _carried(previous.scope)
        return Turn(
            asked=text,
            question=question,
            language=detect_language(question, default=previous.language),
            years=years,
            scope=scope_out,
            follow_up=True,
        )
    if about and len(content) <= 4 and not _QUESTION_WORD.match(body):
        topic = _remove_scope_words(body, documents).strip(" ?.!")
        lead = "Hva med" if lead_language == "nb" else "Hvad med"
        question = f"{lead} {topic}?"
        if not _YEAR_WORD.search(topic) and not year_changed and previous.years:
            question = _with_years(question, previous.years, lead_language)
        elif year_changed:
            question = _with_years(question, years, lead_language)
        return Turn(
            asked=text,
            question=question,
            language=lead_language,
            years=years,
            scope=scope if scope is not None else _carried(previous.scope),
            follow_up=True,
        )
    return fresh


def interpretation_note(turn: Turn) -> str | None:
    """The line shown above an answer when a follow-up was rewritten, in the answer's language."""
    if not turn.rewritten:
        return None
    lead = "Tolket som" if turn.language == "nb" else "Opfattet som"
    note = f"{lead}: «{turn.question}»"
    if turn.scope is not None:
        orgs = ", ".join(turn.scope.organisations)
        if not orgs:
            orgs = "ingen rapporter i samlingen"  # the same words in Danish and Norwegian
        note += f" — {turn.scope.label}" if orgs == turn.scope.label else f" — {turn.scope.label}: {orgs}"
    return note


# --- helpers -----------------------------------------------------------------------------------------


def _carried(scope: Scope | None) -> Scope | None:
    """A scope that matched no documents was only worth a note once; it does not stick to later turns."""
    return scope if scope is not None and scope.organisations else None


def _new_question(text: str, newest: int | None) -> Turn:
    info = parse_query(text, newest)
    years = info.years
    if info.year_range is not None:
        years = tuple(range(info.year_range[0], info.year_range[1] + 1))
    return Turn(asked=text, question=text, language=info.language, years=years)


def _strip(pattern: re.Pattern[str], text: str) -> tuple[str, bool]:
    match = pattern.match(text)
    if not match:
        return text, False
    return text[match.end() :], True


def _lead_language(text: str, default: Language) -> Language:
    """Short follow-ups carry too few words to detect; only an unambiguous lead-in switches language."""
    lowered = text.lower()
    if re.search(r"\bhva\b|\bi fjor\b|\bnå\b|\better\b|\bhvordan gikk\b", lowered):
        return "nb"
    if re.search(r"\bhvad\b|\bsidste år\b|\befter\b|\bnu\b|\bgik\b", lowered):
        return "da"
    return default


def _follow_up_years(body: str, previous: Turn, newest: int | None) -> tuple[tuple[int, ...], bool]:
    """Years for a follow-up and whether it named any; relative ones count from the previous turn's years."""
    for pattern, delta in _FROM_PREVIOUS:
        if pattern.search(body):
            base_years = previous.years or ((newest,) if newest is not None else ())
            if not base_years:
                return previous.years, False
            base = min(base_years) if delta < 0 else max(base_years)
            return (base + delta,), True
    info = parse_query(body, newest)
    if info.year_range is not None:
        return tuple(range(info.year_range[0], info.year_range[1] + 1)), True
    if info.years:
        return tuple(sorted(info.years)), True
    return previous.years, False


def _country(doc: DocMeta) -> str:
    """The manifest's country, else the one the document's language implies (Bokmål → Norway)."""
    return doc.country or ("NO" if doc.language == "nb" else "DK")


def _organisations_named(words: list[str], documents: Sequence[DocMeta]) -> set[str]:
    named: set[str] = set()
    for doc in documents:
        if not doc.organisation:
            continue
        name = doc.organisation.lower()
        parts = {p for p in re.split(r"[\s/-]+", name) if len(p) >= 4 and p not in _GENERIC_ORG_WORDS}
        parts.add(name)
        if any(w in parts for w in words) or name in " ".join(words):
            named.add(doc.organisation)
    return named


def _remove_scope_words(text: str, documents: Sequence[DocMeta]) -> str:
    org_words = set()
    for doc in documents:
        if doc.organisation:
            org_words |= {p for p in re.split(r"[\s/-]+", doc.organisation.lower()) if len(p) >= 4}
            org_words.add(doc.organisation.lower())
    kept = [w for w in text.split() if w.lower().strip("?.!,") not in _COUNTRIES and w.lower() not in org_words]
    # a dangling preposition left behind ("medarbejdertilfredsheden i") goes too
    while kept and kept[-1].lower().strip("?.!,") in {"i", "for", "på", "hos", "in"}:
        kept.pop()
    return " ".join(kept)


def _content_words(body: str, documents: Sequence[DocMeta]) -> list[str]:
    """Topic words left after removing years, relative-year phrases, scope names and filler."""
    stripped = _YEAR_EXPR.sub(" ", body)
    for pattern, _ in _FROM_PREVIOUS:
        stripped = pattern.sub(" ", stripped)
    stripped = _RELATIVE_NEWEST.sub(" ", stripped)
    stripped = _ALL_SCOPE.sub(" ", stripped)
    words = [w.lower() for w in _WORD.findall(stripped)]
    org_words: set[str] = set()
    for doc in documents:
        if doc.organisation:
            org_words |= {p for p in re.split(r"[\s/-]+", doc.organisation.lower()) if p}
    return [w for w in words if w not in _FILLER and w not in _COUNTRIES and w not in org_words and w.strip("-/")]


def format_years(years: Sequence[int], language: Language = "da") -> str:
    """"2024", "2023 og 2024", or "2021-2024" for a run of three or more."""
    ordered = sorted(set(years))
    if not ordered:
        return ""
    if len(ordered) >= 3 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}-{ordered[-1]}"
    if len(ordered) == 1:
        return str(ordered[0])
    return ", ".join(str(y) for y in ordered[:-1]) + f" og {ordered[-1]}"


def _with_years(question: str, years: Sequence[int], language: Language) -> str:
    """The question with its years replaced by `years` (or appended when it named none)."""
    if not years:
        return question
    expr = format_years(years, language)
    match = _YEAR_EXPR.search(question)
    if match:
        head = question[: match.start()] + expr
        tail = _YEAR_WORD.sub("", question[match.end() :])
        return re.sub(r"\s{2,}", " ", head + tail)
    base = _RELATIVE_NEWEST.sub("", question).rstrip()
    end = ""
    while base and base[-1] in "?.!":
        end = base[-1] + end
        base = base[:-1].rstrip()
    return f"{base} i {expr}{end or '?'}"


# --- safe rendering ----------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|$~])")
_MD_STRICT = re.compile(r"([\\`*_\[\]<>|$~:{}()#+!])")
# Block markup at a line start: "# " headings, "> " quotes, "- "/"+ "/"* " bullets, "1. "/"1) " lists, setext rules.
_MD_LINE_START = re.compile(
    r"^([ \t]*)(?:([#+*-])(?=\s|$)|(>)|(\d{1,9})([.)])(?=\s|$)|(?=[=-]{2,}[ \t]*$))", re.MULTILINE
)


def escape_markdown(text: str, strict: bool = True) -> str:
    """Document text as literal Markdown: report text must never become emphasis, links, images, HTML or math.

    `strict` (for the app) also escapes what Streamlit adds to Markdown: `:color[...]` directives, `:emoji:`
    short codes and `$math$`. Non-strict keeps exported files readable (parentheses and colons as they are).
    """
    escaped = (_MD_STRICT if strict else _MD_INLINE).sub(r"\\\1", text)

    def line_start(m: re.Match[str]) -> str:
        indent, mark, quote, number, dot = m.groups()
        if number:
            return f"{indent}{number}\\{dot}"
        return f"{indent}\\{mark or quote or ''}"

    return _MD_LINE_START.sub(line_start, escaped)


def escaped_stream(pieces: Iterable[str]) -> Iterator[str]:
    """Streamed answer text as literal Markdown, escaped as the finished answer will be.

    Each step yields what escaping all the text so far adds, so the pieces join up to `escape_markdown` of
    the whole answer even where escaping depends on what came before (a line start). Should a later piece
    change earlier escaping, nothing more is yielded; the app then shows the finished answer instead.
    """
    text, shown = "", ""
    for piece in pieces:
        text += piece
        escaped = escape_markdown(text)
        if escaped.startswith(shown) and len(escaped) > len(shown):
            yield escaped[len(shown) :]
            shown = escaped


def cited_figures(answer_text: str, n: int) -> list[str]:
    """The printed figures the answer supports with citation [n] (years and footnote numbers left out).

    The answer's sentences end in markers ("… 3,18 % i 2025 [1]."); the figures of the sentence carrying
    marker [n] are the ones a reader wants to find highlighted in quote n.
    """
    from rag.text.numbers import find_numbers

    out: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+|(?<=\])\s*;\s*", answer_text):
        if f"[{n}]" not in sentence:
            continue
        text = re.sub(r"\[\d+\]", " ", sentence)
        # "Sygefravær, korttids (under 30 dage) var 3,18 %": the figure follows the verb; the label's own
        # numbers ("30 dage", "Scope 2") are not what was cited.
        verb = re.search(r"\b(?:var|er|ble|blev|was|is|udgjorde|utgjorde|lå|ligger)\b", text)
        text = text[verb.end() :] if verb else re.sub(r"\([^)]*\)", " ", text)
        for match in find_numbers(text):
            if re.fullmatch(r"(19|20)\d\d", match.text.strip()):
                continue
            out.append(match.text.strip())
    return list(dict.fromkeys(out))


def highlight_quote(quote: str, figures: Sequence[str]) -> str:
    """Strict-escaped Markdown of a quote with the cited figures bold on a highlight background.

    Matching is by value (`3,18 %` in the answer finds `3,18` in a table row), so the highlight shows the
    exact printed number in the report; the rest of the quote stays literal text.
    """
    from rag.text.numbers import find_numbers, same_number

    if not figures:
        return escape_markdown(quote)
    spans: list[tuple[int, int]] = []
    for group in (True, False):
        for match in find_numbers(quote, group_spaces=group):
            if any(same_number(match.text, f) for f in figures) and not any(
                a < match.end and match.start < b for a, b in spans
            ):
                spans.append((match.start, match.end))
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        out.append(escape_markdown(quote[pos:start]))
        out.append(f":orange-background[**{escape_markdown(quote[start:end])}**]")
        pos = end
    out.append(escape_markdown(quote[pos:]))
    return "".join(out)


def citation_label(n: int, title: str, page: int | None, section: str | None, language: Language = "da") -> str:
    """The one-line heading of a citation: number, document title, page and/or section (strict-escaped)."""
    parts = [title]
    if page:
        parts.append(f"s. {page}")
    if section and section != title:
        parts.append(section if len(section) <= 70 else section[:67] + "…")
    return f"\\[{n}\\] " + escape_markdown(" · ".join(parts))


def scope_organisations(base: Sequence[str], scope: Scope | None) -> tuple[str, ...] | None:
    """Organisations to search: the sidebar's choice narrowed by the chat's scope.

    `()` means no restriction; `None` means the two exclude each other (e.g. filter "Aleris Danmark" and the
    follow-up "hvad med Norge?"), so the app can say so instead of searching nothing.
    """
    if scope is None or not scope.organisations:
        return tuple(base)
    if not base:
        return scope.organisations
    both = tuple(o for o in scope.organisations if o in base)
    return both or None
