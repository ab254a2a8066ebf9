"""Flattened tables (and key figures in running text) → typed `Fact`s, plus one retrievable chunk per table row.

PDF-to-text flattening leaves tables in several shapes, and each gets its own reader:

    tsv            header + rows with tab-separated cells (the 2025 appendix, "Kønsfordeling 2025  Mål  Mænd  Kvinder")
    space-rows     `Enhed Mål 2021 2020 2019 2018` header; each row's last cells are the values, labels may
                   wrap over several lines above the value line (2021 report, Aleris-Hamlet environment table)
    year-lines     a label block, then one line per year: `2019 2,82 1,37` (Aleris-Hamlet)
    label-value    `Engagementsindeks 4,5` lines under a title naming the year (Aleris-Hamlet)
    percent-count  `Bestyrelse 40% (2) 60% (3)` under `Mænd Kvinder`
    key-figure     fact boxes: a number line with a short label under it (`20.200` / `operationer`, then the
                   business area as qualifier), a label above a lone number (`Medarbejdere` / `1.000`), or
                   bullets (`•	 1.300 medarbejdere`); the year is the report's unless the label names one
    running-text   "…medarbejderomsætningshastighed, som i 2025 var på 1,1 %" (metric, year and value in one sentence)

Every fact keeps the exact source span (`source_text == doc.text[start:end]`), and, for tables, the header line
where its year is printed, so a citation shows both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.ingest.grid import header_unit, is_caption, is_value, label_unit, split_unit
from rag.text.analysis import all_stopwords, stopwords
from rag.text.headings import looks_like_heading
from rag.text.metrics import metric_key, metric_spans, normalise_text
from rag.text.numbers import (
    english_notation,
    find_numbers,
    find_years,
    is_change,
    is_no_value,
    is_reference,
    is_reference_header,
    parse_number,
    to_nordic,
)
from rag.text.synonyms import GROUP, PARENT, PLANNED, SUB_YEAR, YEAR_BEFORE
from rag.text.units import BRACKETED_UNIT, COUNTED, UnitKind, scaled_money, unit_after, unit_kind
from rag.types import Chunk, Document, Fact, Language, TableGrid

_YEAR_CELL = re.compile(r"^(?:19|20)\d\d$")
_VALUE_TOKEN = re.compile(r"^(?:[-−]?\d+(?:[.,]\d+)*%?|[–—-])$")
_TARGET_TOKEN = re.compile(r"^(?:[<>]?\d+(?:,\d+)?%?|[–—-])$")
_SPACE_HEADER = re.compile(r"^(?P<title>.*?)\s*\bEnhed(?P<target>\s+Mål)?(?P<years>(?:\s+(?:19|20)\d\d){2,})\s*$")
_UNIT_AT_END = re.compile(
    r"(?P<unit>% af FTE|\(%-del af FTE\)|NPS score\*?|\(skala[^)]*\)|(?:Ton|Mwh|MWh|kWh|m3)(?:/mio\.?)?|%|FTE)$",
    re.IGNORECASE,
)
_SCALE_IN_LABEL = re.compile(r"\s*(\((?:skala|min)[^)]*\))\s*", re.IGNORECASE)
_YEAR_LINE = re.compile(r"^\s*((?:19|20)\d\d)((?:\s+\S+)+)\s*$")
_LABEL_VALUE = re.compile(r"^\s*(?P<label>[A-Za-zÆØÅæøå][A-Za-zÆØÅæøå \-]{1,40}?)\s+(?P<value>\d+(?:,\d+)?)\s*$")
_GENDER_HEADER = re.compile(r"^(?P<title>.*?)\s*Mænd\s+Kvinder\s*$")
_PCT_COUNT = r"\d+\s?% \(\d+\)"
_GENDER_ROW = re.compile(rf"^(?P<label>.*?)\s*(?P<a>{_PCT_COUNT})\s+(?P<b>{_PCT_COUNT})\s*$")
_RESULTS_HEADING = re.compile(r"^\s*(?:Resultater|Highlights|Nøgletal)\s+((?:19|20)\d\d)\s*$")
_BARE_YEAR = re.compile(r"^\s*((?:19|20)\d\d)\s*$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"”«(]?[A-ZÆØÅ])|\n\s*\n(?=\s*[A-ZÆØÅ•●\-\d])|\n(?=\s*[-•●]\s)")
_FORWARD = re.compile(r"\b(skal|skulle|vil|ønsker|ambition\w*|mål|målet|forvent\w*|planlæg\w*|planlegg\w*)\b", re.I)
_KEY_VALUE = r"(?P<value>\d{1,3}(?:\.\d{3})+|[1-9]\d{0,2}(?:,\d+)?)(?P<suffix>\s?%|\s?mio\.?|\s?mia\.?)?"
_KEY_NUMBER = re.compile(rf"^\s*{_KEY_VALUE}\s*$")
# A label: up to four words, a noun phrase rather than the start of a wrapped sentence ("85% af vores …").
_KEY_WORDS = (
    r"(?!(?:af|av|at|og|i|til|for|der|som|vil|skal|er|vores|våre)\b)"
    r"[A-Za-zÆØÅæøå][A-Za-zÆØÅæøå\-]*(?: [A-Za-zÆØÅæøå][A-Za-zÆØÅæøå\-]*){0,3}"
)
_KEY_LABEL = re.compile(rf"^\s*(?P<label>{_KEY_WORDS})(?: (?P<year>(?:19|20)\d\d))?\s*$")
_KEY_PERCENT_PHRASE = re.compile(r"^\s*(?P<value>\d{1,3} ?%)(?: (?P<tail>[a-zæøå]+(?: [a-zæøå]+){0,2}))?\s*$")
_PHRASE_LINE = re.compile(r"^\s*[A-Za-zÆØÅæøå][A-Za-zÆØÅæøå \-]{0,29}$")
_KEY_BULLET = re.compile(rf"^\s*[•●▪]\s*{_KEY_VALUE}\s+(?P<label>{_KEY_WORDS})(?: (?P<year>(?:19|20)\d\d))?\s*$")
_HEADING_REACH = 40  # lines above a table searched for the heading it stands under
_NUM = r"[-−]?\d+(?:[.,]\d+)*"
_PCT = r"(?:\s?%|\s?procent|\s?prosent)?"
_FROM_TO = re.compile(
    rf"fra (?P<v1>{_NUM}){_PCT} i (?P<y1>(?:19|20)\d\d) til (?P<v2>{_NUM}){_PCT} i (?P<y2>(?:19|20)\d\d)"
)
_VERSUS = re.compile(rf"(?P<v1>{_NUM}){_PCT} i (?P<y1>(?:19|20)\d\d) mod (?P<v2>{_NUM}){_PCT} i (?P<y2>(?:19|20)\d\d)")
# "5,3 % (6,1 %)", "3,8 % (4,4 % i 2018)": a figure with an earlier year's in brackets after it.
_BRACKETED = re.compile(
    rf"(?P<v1>{_NUM})(?P<p1>\s?%|\s?procent|\s?prosent)?\s?\(\s?(?P<v2>{_NUM})(?P<p2>\s?%|\s?procent|\s?prosent)?"
    r"(?:\s(?:i|in)\s(?P<y2>(?:19|20)\d\d))?\s?\)"
)
# "7,2 % i 2021, mot 5,9 % året før": the second value is the year before's.
_VERSUS_BEFORE = re.compile(
    rf"(?P<v1>{_NUM}){_PCT} i (?P<y1>(?:19|20)\d\d),? (?:mod|mot|imot|against|compared with|versus) "
    rf"(?P<v2>{_NUM}){_PCT} (?:{YEAR_BEFORE.pattern})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Line:
    """One line of a document with its character offsets (end excludes the newline)."""

    i: int
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """The lines of `text` with offsets, so facts can point back at their exact source."""
    out: list[Line] = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        out.append(Line(i, pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


class _Emitter:
    """Builds `Fact`s for one document and remembers which lines tables have consumed."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.facts: list[Fact] = []
        self.used: set[int] = set()
        # "75,011" is 75011 in this document, not 75,011
        self.english = english_notation(doc.text, doc.meta.language == "en")

    def emit(
        self,
        metric: str,
        year: int,
        value_text: str,
        start: int,
        end: int,
        *,
        style: str,
        unit: str | None = None,
        qualifier: str | None = None,
        target: str | None = None,
        table: str | None = None,
        header: str | None = None,
        group: str | None = None,
        key: str | None = None,
        section: str | None = None,
    ) -> None:
        value_text = value_text.strip()
        metric = " ".join(metric.replace("*", "").split()).strip(" :–-")
        if not metric:
            return
        value = None if is_no_value(value_text) else parse_number(to_nordic(value_text) if self.english else value_text)
        page = self.doc.page_at(start)
        self.facts.append(
            Fact(
                metric=metric,
                metric_key=key or metric_key(metric, group),
                year=year,
                value_text=value_text,
                value=value,
                unit=(unit or None) and unit.strip(),
                doc_id=self.doc.doc_id,
                source_text=self.doc.text[start:end],
                start=start,
                end=end,
                qualifier=qualifier,
                target=None if target is None or is_no_value(target) else target.strip(),
                page=page.page if page else None,
                section=section or table,
                table=table,
                style=style,
                header=header,
                english=self.english,
                group=group,
            )
        )


def _prev_nonblank(lines: Sequence[Line], i: int, limit: int = 4) -> Line | None:
    j = i - 1
    while j >= 0 and i - j <= limit:
        if not lines[j].blank:
            return lines[j]
        j -= 1
    return None


# --- tab-separated tables ----------------------------------------------------------------------------


def _tsv_columns(cells: Sequence[str]) -> list[str] | None:
    kinds: list[str] = []
    for n, cell in enumerate(cells):
        c = cell.strip()
        if n == 0:
            kinds.append("label")
        elif _UNIT_HEADER.match(c):  # "Enhed", "Enhet", "Unit"
            kinds.append("unit")
        elif c.startswith("Mål"):
            kinds.append("target")
        elif _YEAR_CELL.match(c):
            kinds.append("year")
        elif c and c[0].isalpha() and len(c) <= 20:
            kinds.append("category")
        else:
            return None
    if "year" not in kinds and not ("category" in kinds and find_years(cells[0])):
        return None
    return kinds


def _tsv_tables(em: _Emitter, lines: Sequence[Line]) -> None:
    i = 0
    while i < len(lines):
        line = lines[i]
        if i in em.used:  # a row of a table read from its grid
            i += 1
            continue
        cells = line.text.split("\t")
        kinds = _tsv_columns(cells) if len(cells) >= 2 else None
        if kinds is None:
            i += 1
            continue
        title = cells[0].strip() or (_prev_nonblank(lines, i) or line).text.strip()
        title_years = find_years(cells[0])
        em.used.add(i)
        j = i + 1
        while j < len(lines) and "\t" in lines[j].text:
            row = lines[j]
            if j not in em.used:  # rows already read from their grid are not read again
                em.used.add(j)
                _tsv_row(em, row, cells, kinds, title, title_years[0] if title_years else None, line.text)
            j += 1
        i = j


def _tsv_row(
    em: _Emitter,
    row: Line,
    header: Sequence[str],
    kinds: Sequence[str],
    title: str,
    title_year: int | None,
    header_text: str,
) -> None:
    cells = row.text.split("\t")
    label = cells[0].strip()
    unit_column = _unit_columns(kinds, header)
    target = next((cells[n].strip() for n, k in enumerate(kinds) if k == "target" and n < len(cells)), None)
    for n, kind in enumerate(kinds):
        if n >= len(cells) or kind not in ("year", "category"):
            continue
        value_text = cells[n].strip()
        if not value_text:
            continue
        u = unit_column.get(n)
        unit = cells[u].strip() if u is not None and u < len(cells) else None
        unit = unit or header_unit(_unmarked(header[n]))  # "kg CO2e": a column in its own unit
        qualifier = "m/k" if re.fullmatch(r"\d+/\d+", value_text) else None
        if kind == "year":
            year = int(header[n].strip())
        elif title_year is not None:
            year, qualifier = title_year, header[n].strip().lower()
        else:
            continue
        cell_unit = unit or label_unit(label) or ("%" if "%" in value_text else None)  # "Avfall (tonn)"
        em.emit(
            label,
            year,
            value_text,
            row.start,
            row.end,
            style="tsv",
            unit=cell_unit,
            qualifier=qualifier,
            target=target,
            table=title,
            header=header_text,
            key=None,
        )
        _add_location_qualifier(em)


def _add_location_qualifier(em: _Emitter) -> None:
    """Scope 2 rows name their accounting basis in the label; expose it as the qualifier."""
    fact = em.facts[-1]
    label = fact.metric.lower()
    for word in ("markedsbaseret", "lokationsbaseret"):
        if word in label and fact.qualifier is None:
            em.facts[-1] = Fact(**{**fact.to_dict(), "qualifier": word})


# --- tables read from their grid (PDF and Word files) ---------------------------------------------------------

# Column headers that name a column of units or a target, in the languages of our reports (a boost to the
# layout: a column of short words between the labels and the figures is a unit column whatever its header).
_UNIT_HEADER = re.compile(r"^(?:enhed|enhet|eining|unit|units|måleenhed)$", re.IGNORECASE)
_TARGET_WORD = re.compile(r"\b(?:mål|målsætning|målsetning|target|ambition|goal)\b", re.IGNORECASE)
_FOOTNOTE_MARKS = str.maketrans("", "", "*¹²³⁴⁵⁶⁷⁸⁹⁰†‡")
# Footnote marks, but not the power of a unit of area or volume ("m²", "kg CO2e/m²", "(m³)").
_MARKS_BESIDE_UNITS = re.compile(r"[*¹⁴⁵⁶⁷⁸⁹⁰†‡]|(?<![mM])[²³]")


def _unmarked(text: str) -> str:
    """A header without its footnote marks, the unit it ends with kept whole ("Vannforbruk (m³)¹")."""
    return _MARKS_BESIDE_UNITS.sub("", text)


# A heading over a group of year columns, joined to each column's year ("Andel kvinder i ledelsen 2025+"): a
# year column however long the heading's words, where a long header with a year elsewhere in it is a category.
_GROUPED_YEAR = re.compile(r"(?:[^\W\d_][\w\-/.]*\s){1,4}(?:19|20)\d\d\+?")


def _header_kind(header: str, cells: Sequence[str]) -> str:
    head = header.translate(_FOOTNOTE_MARKS).strip()
    if is_reference_header(head):  # a column of page or note numbers: references, not figures
        return "reference"
    years = find_years(head)
    if _UNIT_HEADER.match(head) or (
        cells
        and all(c and not any(ch.isdigit() for ch in c.replace("CO2", "")) and len(c) <= 16 for c in cells)
        and not all(is_value(c) for c in cells)  # a column of dashes ("–", "n/a") is of figures not given
    ):
        return "unit"
    if years and _TARGET_WORD.search(head):
        return "target"
    if years and (len(head) <= 24 or _GROUPED_YEAR.fullmatch(head)):
        return "year"
    return "category"


def _row_line(lines: Sequence[Line], span: tuple[int, int], row: Sequence[str], used: set[int]) -> Line | None:
    """The line of the document text where the grid row was rendered (tab-separated) on its page."""
    wanted = "\t".join(row).rstrip("\t")
    first = row[0].strip()
    for line in lines:
        if line.i in used or not (span[0] <= line.start < span[1]) or "\t" not in line.text:
            continue
        if line.text == wanted or (first and line.text.split("\t")[0].strip() == first):
            return line
    return None


def _grid_tables(em: _Emitter, lines: Sequence[Line]) -> None:
    """Facts straight from the table grids of PDF and Word files.

    Every figure cell under a year column (or in a row named by a year), with its row label, its group row,
    the unit column or header, and the target.
    """
    spans = {p.page: (p.start, p.end) for p in em.doc.pages}
    headed: TableGrid | None = None  # the last table with a header row
    for grid in em.doc.tables:
        span = spans.get(grid.page, (0, len(em.doc.text)))
        if grid.header_rows:
            headed = grid
            _grid_facts(em, lines, grid, span, _column_heads(grid), _header_line(grid))
        elif headed is not None and (heads := _inherited_heads(headed, grid)) is not None:
            whole = heads == headed.column_headers()  # the same table broken by a page or a sub-heading
            _grid_facts(em, lines, grid, span, heads, "\t".join(heads), headed if whole else None)
        elif grid.n_cols == 2:  # a list of key figures without a header: label, figure (of the report's year)
            _grid_facts(em, lines, grid, span, ["", ""], "")


def _column_heads(grid: TableGrid) -> list[str]:
    """Each column's header, a group or parent-company heading carried over the year columns it spans.

    "Konsern" over "2023 2022" and "Morselskap" over the next "2023 2022" is read into the first column of each
    pair only ("Konsern 2023", "2022"): a column headed by a year alone belongs to the heading on its left.
    """
    heads = grid.column_headers()
    for c in range(2, len(heads)):
        whose = PARENT.search(heads[c - 1]) or GROUP.search(heads[c - 1])
        if whose and re.fullmatch(r"\s*(?:19|20)\d\d\s*", heads[c]):
            heads[c] = f"{whose.group(0)} {heads[c].strip()}"
    return heads


def _header_line(grid: TableGrid) -> str:
    return "\t".join(grid.text_rows()[0]).rstrip("\t")


def _inherited_heads(headed: TableGrid, grid: TableGrid) -> list[str] | None:
    """The column headers a table without a header row goes on under, from the last table that has one.

    A balance sheet broken by a sub-heading ("Kortsiktig gjeld") is read as two tables: the second has the
    first's columns on the same or the next page (there without a title of its own). A note to the accounts
    ("Lønninger 1 204 330 1 150 876") has one figure column per year column of the accounts, in the same order.
    Anything else gets no years.
    """
    heads = headed.column_headers()
    year_heads = [h for h in heads[1:] if _header_kind(h, ()) == "year"]
    # On the next page, a table under a title of its own is another table, whatever its columns.
    retitled = grid.page > headed.page and grid.title is not None and grid.title != headed.title
    if grid.n_cols == headed.n_cols and headed.page <= grid.page <= headed.page + 1 and not retitled:
        if year_heads or _same_columns(headed, grid):
            return heads  # a long table of building parts broken over pages goes on under the same categories
    if not year_heads:
        return None
    body = grid.text_rows()
    figures = [c for c in range(1, grid.n_cols) if all(is_value(r[c]) or not r[c].strip() for r in body)]
    if len(year_heads) < 2 or len(figures) != grid.n_cols - 1 or len(figures) != len(year_heads):
        return None
    if any(len({"%" in r[c] for c in figures if r[c].strip()}) > 1 for r in body):
        return None  # a count beside a share ("Antall aksjer", "Eierandel") is not two years of one figure
    return ["", *year_heads]  # only the years: the accounts' other headers ("Egenkapital og gjeld") are not the note's


def _same_columns(a: TableGrid, b: TableGrid) -> bool:
    """Two grids set in the same columns: their left and right edges within a few points of each other."""
    if a.bbox is None or b.bbox is None:
        return False
    return abs(a.bbox[0] - b.bbox[0]) <= 6 and abs(a.bbox[2] - b.bbox[2]) <= 6


def _period(head: str, language: str) -> str | None:
    """The plan, part of a year or whose accounts a column stands for ("budsjett", "4. kvt.", "morselskap").

    A budget column headed by its initial ("B 2021") or "Bud. 2021" is named in the report's language.
    """
    m = PLANNED.search(head) or SUB_YEAR.search(head) or PARENT.search(head) or GROUP.search(head)
    if m is None:
        return None
    said = " ".join(m.group(0).lower().split())
    if said.rstrip(". ") in ("b", "bud"):
        return "budsjett" if language in ("nb", "nn") else "budget"
    return said


def _heading_above(lines: Sequence[Line], i: int, page_start: int, title: str | None) -> str | None:
    """The heading the table stands under on its page ("Vindkraft" over that segment's accounts).

    Its title names the table; the heading says what part of the report (a segment, a subsidiary) it is of.
    """
    for j in range(i - 1, max(i - _HEADING_REACH, -1), -1):
        line = lines[j]
        if line.start < page_start:
            return None
        text = line.text.strip()
        if not text or text == (title or "").strip() or "\t" in text or is_caption(text):
            continue  # a table row, this table's title, or another table's numbered caption
        if looks_like_heading(text):
            return text
    return None


_BARE_YEAR = re.compile(r"\s*((?:19|20)\d\d)\s*")


def _block_year(parent: str | None, corner: str, fallback: int) -> int:
    """The year of a block of a table with category columns: its group row, else the header's corner cell.

    Notes print one block per year under one header ("2018 | Omsætning | Skat", then a row "2017" and the same
    rows again): the block's year row, not the report's year, dates its figures.
    """
    for text in (parent, corner):
        m = _BARE_YEAR.fullmatch(text or "")
        if m:
            return int(m.group(1))
    return fallback


def _beside_group(head: str) -> str | None:
    """A year column's other header words: what tells it from another column of that year.

    "Selskap 2019" beside "Konsern 2019" (the company's own accounts, under the name the table gives them),
    "2019 tonn" beside "2019 andel %".
    """
    words = " ".join(re.sub(r"(?:19|20)\d\d", " ", head).split()).strip(" .:-").lower()
    return words if re.search(r"[^\W\d_]{3}", words) else None


def _year_column(head: str, language: str, grouped: bool, shared: set[int]) -> tuple[int, str | None, str | None]:
    """A year column's year, what sets it apart from that year's figure (qualifier) and the unit its header names.

    "Budsjett 2014" beside "Rekneskap 2014" is a plan, "4. kvt. 2018" a quarter: neither is the year's figure.
    Beside the group's columns, "Selskap 2019" is the company's own; of two "2022" columns, "2022 tonn" and
    "2022 andel %" are told apart by their units, "2024 Utlån" and "2024 Nedskrivninger" by their words.
    """
    head = _unmarked(head)
    year, qualifier = find_years(head)[0], _period(head, language)
    measured = header_unit(head)
    if qualifier is None and (grouped or year in shared):
        qualifier = _beside_group(head)
    return year, qualifier, measured


def _category_column(head: str) -> tuple[str | None, str | None]:
    """A column without a year ("Koncern", "Andel", "kg CO2e/m2"): its qualifier and the unit its header names.

    The unit is no part of the qualifier: a column headed by its unit alone is told apart by that unit.
    """
    measured = header_unit(head)
    if measured is None:
        return head.lower(), None
    words = head[: head.rfind(measured)].strip(" (").lower()  # "Alternativ A kg CO2e/m2": alternative A, per m2
    return words or None, measured


def _unit_columns(kinds: Sequence[str], heads: Sequence[str]) -> dict[int, int]:
    """Each figure column's unit column, by where they stand: a unit column qualifies the figures beside it.

    A unit column right of figure columns is their unit ("Mængde | Enhed | kg CO2e": a quantity and its unit);
    one standing between the labels and the figures ("Label | Enhed | 2024 | 2023") is the unit of every figure
    column after it, up to the next unit column. A column whose header names its own unit ("kg CO2e", "Andel %")
    is in that unit, whatever unit column stands beside it. Notes, references and targets are passed over.
    """
    figures = [c for c in range(1, len(kinds)) if kinds[c] not in ("unit", "target", "reference")]
    own = {c for c in figures if header_unit(_unmarked(heads[c])) is not None}
    units = [c for c in range(1, len(kinds)) if kinds[c] == "unit"]
    scope: dict[int, int] = {}
    for k, u in enumerate(units):
        before = units[k - 1] if k else 0
        after = units[k + 1] if k + 1 < len(units) else len(kinds)
        left = [c for c in figures if before < c < u and c not in scope and c not in own]
        right = [c for c in figures if u < c < after and c not in own]
        for c in left or right:
            scope[c] = u
    return scope


# A unit in brackets inside a column's joined header, a spanning heading's line above the column's own.
_INNER_UNIT = re.compile(rf"\((?P<unit>{BRACKETED_UNIT})\)(?=\s)", re.IGNORECASE)


def _header_units(grid: TableGrid, heads: Sequence[str]) -> list[str | None]:
    """The unit each column's headers name, the nearest first.

    A column's own header ("Fase A (kg CO2e)") before a heading spanning it ("Udledning (tonnes CO2e)" over
    "Scope 1 | Scope 2"), then its joined header, at its end or in brackets within ("Udledning (tCO2e) Scope 1").
    """
    units: list[str | None] = []
    for c in range(grid.n_cols):
        found = None
        for r in reversed(range(grid.header_rows)):
            cell = grid.cell(r, c)
            if cell is not None and (found := header_unit(_unmarked(cell.text))):
                break
        if found is None and c < len(heads):
            head = _unmarked(heads[c])
            inner = _INNER_UNIT.search(head)  # "Behandling (tons) Genbrug": a heading's lines joined over its column
            found = header_unit(head) or (inner.group("unit") if inner else None)
        units.append(found)
    return units


# A title that ends with a unit after a separator names the unit of the whole table ("Emissions, tonnes CO2e",
# "Energiforbrug: MWh"); without one, a last word such as "år" is part of the title.
_TITLE_UNIT = re.compile(rf"[,:;–—]\s*(?P<unit>{BRACKETED_UNIT})\.?$", re.IGNORECASE)


_UNIT_ALONE = re.compile(BRACKETED_UNIT, re.IGNORECASE)


def _corner_unit(corner: str, column_unit: str | None, over_years: bool = False) -> str | None:
    """The unit the header's corner cell (over the row labels) names for every row, or None.

    In brackets ("Bygningsdel (kg CO2e)"), the cell alone ("tCO2e", "Antal"), or a scale of money it ends with
    ("Mio. kr.", "Beløp i mio. kr.", "DKKm"): the scale stays with the currency, "kr." alone would misstate every
    amount. Over rows named by years, a word alone ("År", "Year") names those rows, not a unit.
    """
    if over_years:
        return label_unit(corner) or scaled_money(corner)
    alone = corner.strip() if _UNIT_ALONE.fullmatch(corner.strip()) else None
    return label_unit(corner) or scaled_money(corner) or (column_unit if column_unit == corner.strip() else alone)


def _fits_table_unit(label: str, unit: str) -> bool:
    """Whether the unit the corner or title names for the whole table is this row's.

    Not when the label says its figures are of another kind: a count ("Antall årsverk" among amounts in "Nøkkeltall
    (MNOK)") or a share ("Andel fornybar energi" under "Energiforbruk (MWh)").
    """
    if COUNTED.search(label):
        return bool(COUNTED.search(unit)) or unit.lower().startswith(("antal", "number"))
    kind = unit_kind(label)
    return kind is UnitKind.UNKNOWN or kind is unit_kind(unit)


def _title_unit(title: str) -> str | None:
    """The unit a table's title or caption names for every figure, or None.

    In brackets at its end ("Energiforbruk (MWh)"), after a separator ("Emissions, tonnes CO2e") or a scale of
    money it ends with ("Hovedtal i mio. kr."). The least specific place: every other place a unit is printed wins.
    """
    title = title.strip()
    m = _TITLE_UNIT.search(title)
    return label_unit(title) or scaled_money(title) or (m.group("unit") if m else None)


def _grid_facts(
    em: _Emitter,
    lines: Sequence[Line],
    grid: TableGrid,
    span: tuple[int, int],
    heads: Sequence[str],
    header_text: str,
    continued: TableGrid | None = None,
) -> None:
    """Facts of one grid under its column headers (its own, or those of the table it `continued`)."""
    rows = grid.text_rows()
    h = grid.header_rows
    if grid.n_cols < 2:
        return
    body = rows[h:]
    kinds = [_header_kind(heads[c], [r[c] for r in body if r[c]]) for c in range(grid.n_cols)]
    kinds[0] = "label"
    year_rows = sum(bool(find_years(r[0])) and len(r[0]) <= 16 for r in body)
    by_rows = year_rows >= max(2, len(body) // 2) and "year" not in kinds
    title = grid.title or (continued.title if continued is not None else None) or None
    title_years = find_years(title or "")
    title_year = title_years[0] if title_years else em.doc.meta.year
    grouped = any(kinds[c] == "year" and GROUP.search(heads[c]) for c in range(1, grid.n_cols))
    # Columns of one year told apart by their headers' other words ("2022 tonn" | "2022 andel %"); beside a
    # budget or a quarter of that year ("Rekneskap 2014" | "Budsjett 2014") a column is the year's own figure.
    column_years = [
        find_years(heads[c])[:1] if kinds[c] == "year" and _period(heads[c], em.doc.meta.language) is None else []
        for c in range(grid.n_cols)
    ]
    shared = {y for ys in column_years for y in ys if sum(ys == [y] for ys in column_years) > 1}
    unit_column = _unit_columns(kinds, heads)
    headed = continued if continued is not None and continued.n_cols == grid.n_cols else grid
    column_units = _header_units(headed, heads)
    corner = _corner_unit(heads[0], column_units[0], over_years=by_rows)
    titled = _title_unit(title or "")
    heading: str | None = None
    for r, row in enumerate(body, start=h):
        label = row[0].strip()
        if not label or not any(is_value(c) for c in row[1:]):
            continue
        line = _row_line(lines, span, row, em.used)
        if line is None:
            continue
        em.used.add(line.i)
        if heading is None:
            heading = _heading_above(lines, line.i, span[0], title) or ""
        parent = grid.parents[r] if r < len(grid.parents) else None
        target = next((row[c] for c in range(1, grid.n_cols) if kinds[c] == "target" and row[c]), None)
        row_unit = None if by_rows else label_unit(label)  # "Energiforbruk (MWh)": the row's unit
        # "Salgsvolum (mill. liter)" over its rows, a corner or a title: a unit for every row under it that fits it
        group_unit = label_unit(parent) if parent and not by_rows else None
        table_unit = next(
            (u for u in (group_unit, corner, titled) if u and (by_rows or _fits_table_unit(label, u))), None
        )
        for c in range(1, grid.n_cols):
            value = row[c].strip()
            if not value or not is_value(value) or kinds[c] in ("unit", "target", "reference"):
                continue
            value, printed_unit = split_unit(value)  # "1 240 m3": the figure, and its unit printed with it
            printed_unit = printed_unit or ("%" if value.endswith("%") else None)  # "31,2%" in a table in "mill. kr."
            unit = row[unit_column[c]].strip() if c in unit_column else None
            if by_rows:
                years = find_years(label)
                if not years or _TARGET_WORD.search(label):
                    continue
                metric, year, qualifier = heads[c], years[0], _period(label, em.doc.meta.language)
            elif kinds[c] == "year":
                year, qualifier, measured = _year_column(heads[c], em.doc.meta.language, grouped, shared)
                metric, printed_unit = label, printed_unit or measured
            elif title_year is not None and heads[c] and "year" not in kinds:
                # A category column ("Koncern", "Moderselskab") of a table without year columns; beside year
                # columns a column without a year is a note or index column ("Note", "Indeks 18/17").
                qualifier, measured = _category_column(heads[c])
                year = _block_year(parent, heads[0], title_year)
                metric, printed_unit = label, printed_unit or measured
            elif title_year is not None and grid.n_cols == 2 and "year" not in kinds:
                metric, year, qualifier = label, title_year, None  # a list of key figures: label, figure
            else:
                continue
            em.emit(
                metric,
                year,
                value,
                line.start,
                line.end,
                style="grid",
                # its unit column, the unit printed with it, its column's header, its row's label, its group
                # heading, the corner or the title: the nearest first
                unit=unit or printed_unit or column_units[c] or row_unit or table_unit
                or ("%" if "%" in value else None),
                qualifier=qualifier,
                target=target,
                table=title,
                header=header_text,
                group=parent,
                section=heading or None,
            )


# --- space-separated rows under "Enhed Mål 2021 2020 …" -------------------------------------------------


@dataclass
class _SpaceTable:
    title: str
    years: list[int]
    has_target: bool
    header: str


def _split_row(tokens: list[str], table: _SpaceTable) -> tuple[str, str | None, str | None, list[str]] | None:
    n = len(table.years)
    if len(tokens) < n or not all(_VALUE_TOKEN.match(t) for t in tokens[-n:]):
        return None
    values, before = tokens[-n:], tokens[:-n]
    target = None
    if table.has_target and before:
        if before[-1].lower() == "reduktion" and len(before) >= 2:
            cut = 3 if before[-2] == "%" and len(before) >= 3 else 2
            target, before = " ".join(before[-cut:]), before[:-cut]
        elif _TARGET_TOKEN.match(before[-1]):
            target, before = before[-1], before[:-1]
    rest = " ".join(before)
    unit_match = _UNIT_AT_END.search(rest)
    unit = unit_match.group("unit") if unit_match else None
    label = rest[: unit_match.start()].strip() if unit_match else rest
    return label, unit, target, values


def _is_prose(text: str) -> bool:
    s = text.strip()
    return len(s) > 70 or bool(re.search(r"[.!?]\s+[A-ZÆØÅ]|[.,;]$", s)) or s.startswith("*")


def _space_tables(em: _Emitter, lines: Sequence[Line]) -> None:
    for i, line in enumerate(lines):
        m = _SPACE_HEADER.match(line.text)
        if not m or i in em.used:
            continue
        prev = _prev_nonblank(lines, i)
        title = m.group("title").strip() or (prev.text.strip() if prev else "")
        years = [int(y) for y in m.group("years").split()]
        table = _SpaceTable(title, years, bool(m.group("target")), line.text)
        em.used.add(i)
        _space_rows(em, lines, i + 1, table)


def _space_rows(em: _Emitter, lines: Sequence[Line], j: int, table: _SpaceTable) -> None:
    pending: list[Line] = []
    group: str | None = None
    while j < len(lines):
        line = lines[j]
        j += 1
        if line.blank:
            continue
        if _SPACE_HEADER.match(line.text) or line.text.strip().startswith("*"):
            return
        parsed = _split_row(line.text.split(), table)
        if parsed is None:
            if _is_prose(line.text) or len(pending) >= 4:
                return
            pending.append(line)
            continue
        label, unit, target, values = parsed
        labels = [p for p in pending if not find_years(p.text)]
        start = labels[0].start if labels else line.start
        if label and labels:
            group = " ".join(p.text.strip() for p in labels)
        elif not label:
            label, group = " ".join(p.text.strip() for p in labels), None
            scale = _SCALE_IN_LABEL.search(label)
            if scale and unit is None:
                unit, label = scale.group(1), _SCALE_IN_LABEL.sub(" ", label).strip()
        metric = f"{group} – {label}" if group and label and labels != [] and label not in group else label
        if group and label and not labels:
            metric = f"{group} – {label}"
        for year, value_text in zip(table.years, values, strict=True):
            em.emit(
                metric,
                year,
                value_text,
                start,
                line.end,
                style="space-rows",
                unit=unit,
                target=target,
                table=table.title,
                header=table.header,
                group=group,
            )
            _add_location_qualifier(em)
        em.used.update(p.i for p in pending)
        em.used.add(line.i)
        pending = []


# --- one line per year: "2019 2,82 1,37" -----------------------------------------------------------------


def _year_line_values(line: Line) -> tuple[int, list[str]] | None:
    m = _YEAR_LINE.match(line.text)
    if not m:
        return None
    tokens = m.group(2).split()
    if not all(_VALUE_TOKEN.match(t) and not _YEAR_CELL.match(t) for t in tokens):
        return None
    return int(m.group(1)), tokens


def _label_above(lines: Sequence[Line], i: int) -> tuple[list[Line], str | None]:
    """Short label lines right above line i (blank lines allowed); stops at values or a titled line."""
    out: list[Line] = []
    title = None
    j = i - 1
    while j >= 0 and len(out) < 8:
        text = lines[j].text.strip()
        if not text:
            j -= 1
            continue
        ends_in_value = re.search(r"\s\d+(?:,\d+)?%?$", text) and "(" not in text
        if len(text) > 45 or _year_line_values(lines[j]) or ends_in_value:
            break
        if find_years(text):
            title = text
            break
        out.insert(0, lines[j])
        j -= 1
    return out, title


def _column_labels(label: str, k: int) -> list[str] | None:
    if k == 1:
        return [label]
    segments = [s.strip() for s in re.findall(r"[^()]+\([^)]*\)", label)]
    if len(segments) != k:
        return None
    words = [s.split("(")[0].split() for s in segments]
    if len(words[0]) == len(words[1]) + 1:
        head = words[0][0]
        return [f"{head}, {segments[0][len(head) :].strip()}"] + [f"{head}, {s}" for s in segments[1:]]
    return segments


def _year_line_blocks(em: _Emitter, lines: Sequence[Line]) -> None:
    i = 0
    while i < len(lines):
        first = _year_line_values(lines[i]) if i not in em.used else None
        if first is None:
            i += 1
            continue
        block = [lines[i]]
        j = i + 1
        while j < len(lines):
            if lines[j].blank:
                j += 1
                continue
            nxt = _year_line_values(lines[j])
            if nxt is None or len(nxt[1]) != len(first[1]) or j in em.used:
                break
            block.append(lines[j])
            j += 1
        labels, _title = _label_above(lines, i)
        if len(block) >= 2 and labels:
            _emit_year_block(em, block, labels, len(first[1]))
        i = max(j, i + 1)


def _emit_year_block(em: _Emitter, block: Sequence[Line], labels: Sequence[Line], k: int) -> None:
    label_text = " ".join(" ".join(x.text.split()) for x in labels)
    names = _column_labels(label_text, k)
    if names is None:
        return
    header = em.doc.text[labels[0].start : labels[-1].end]
    unit = "%" if re.search(r"procent|sygefravær", label_text, re.I) else None
    for row in block:
        parsed = _year_line_values(row)
        if parsed is None:
            continue
        year, values = parsed
        for name, value_text in zip(names, values, strict=True):
            em.emit(
                name,
                year,
                value_text,
                row.start,
                row.end,
                style="year-lines",
                unit=unit,
                table=label_text,
                header=header,
            )
        em.used.add(row.i)
    em.used.update(x.i for x in labels)


# --- "Engagementsindeks 4,5" lines under a titled block ------------------------------------------------------


def _label_value_blocks(em: _Emitter, lines: Sequence[Line]) -> None:
    i = 0
    while i < len(lines):
        if i in em.used or not _LABEL_VALUE.match(lines[i].text):
            i += 1
            continue
        rows: list[tuple[Line, str | None]] = []
        group = _group_above(lines, i)
        j = i
        while j < len(lines):
            line = lines[j]
            if line.blank:
                j += 1
                continue
            if j not in em.used and _LABEL_VALUE.match(line.text):
                rows.append((line, group))
            elif len(line.text.strip()) <= 30 and not re.search(r"\d", line.text) and j + 2 < len(lines):
                group = line.text.strip()
            else:
                break
            j += 1
        if len(rows) >= 3:
            _emit_label_values(em, lines, rows)
        i = max(j, i + 1)


def _group_above(lines: Sequence[Line], i: int) -> str | None:
    prev = _prev_nonblank(lines, i)
    if prev is None:
        return None
    text = prev.text.strip()
    if len(text) <= 30 and not re.search(r"\d", text) and not text.startswith("("):
        return text
    return None


def _emit_label_values(em: _Emitter, lines: Sequence[Line], rows: Sequence[tuple[Line, str | None]]) -> None:
    first = rows[0][0]
    year: int | None = None
    unit: str | None = None
    title: str | None = None
    header_line: Line | None = None
    j, seen = first.i - 1, 0
    while j >= 0 and seen < 8 and year is None:
        text = lines[j].text.strip()
        if text:
            seen += 1
            if text.startswith("(") and text.endswith(")"):
                unit = text
            years = find_years(text)
            if years and (_BARE_YEAR.match(text) or len(text) <= 60):
                year, header_line = years[-1], lines[j]
                title = None if _BARE_YEAR.match(text) else text
        j -= 1
    if year is None or header_line is None:
        return
    above = _prev_nonblank(lines, first.i, limit=8)
    header = em.doc.text[header_line.start : above.end] if above and above.i >= header_line.i else header_line.text
    for line, group in rows:
        m = _LABEL_VALUE.match(line.text)
        if m is None:
            continue
        label = m.group("label").strip()
        metric = f"{group} – {label}" if group else label
        key = metric_key(label, group)
        em.emit(
            metric,
            year,
            m.group("value"),
            line.start,
            line.end,
            style="label-value",
            unit=unit,
            table=title or group,
            header=header,
            key=key,
        )
        em.used.add(line.i)


# --- "Bestyrelse 40% (2) 60% (3)" under "Mænd Kvinder" ---------------------------------------------------


def _results_year(lines: Sequence[Line], i: int) -> Line | None:
    for j in range(i - 1, max(-1, i - 150), -1):
        if _RESULTS_HEADING.match(lines[j].text):
            return lines[j]
    return None


def _percent_count_tables(em: _Emitter, lines: Sequence[Line]) -> None:
    for i, line in enumerate(lines):
        m = _GENDER_HEADER.match(line.text)
        if not m or i in em.used:
            continue
        prev = _prev_nonblank(lines, i)
        title = m.group("title").strip() or (prev.text.strip() if prev else "Kønsfordeling")
        heading = _results_year(lines, i)
        year = int(_RESULTS_HEADING.match(heading.text).group(1)) if heading else em.doc.meta.year  # type: ignore[union-attr]
        if year is None:
            continue
        header = f"{heading.text.strip()} … {line.text.strip()}" if heading else line.text.strip()
        _gender_rows(em, lines, i, title, year, header)


def _gender_rows(em: _Emitter, lines: Sequence[Line], i: int, title: str, year: int, header: str) -> None:
    pending: Line | None = None
    misses = 0
    for j in range(i + 1, len(lines)):
        line = lines[j]
        if line.blank:
            continue
        row = _GENDER_ROW.match(line.text)
        if row is None:
            text = line.text.strip()
            misses += 1
            if misses > 2 or len(text) > 45 or re.search(r"\d", text):
                return
            pending = line
            continue
        misses = 0
        label = row.group("label").strip()
        start = line.start
        if not label and pending is not None:
            label, start = pending.text.strip(), pending.start
        for qualifier, cell in (("mænd", row.group("a")), ("kvinder", row.group("b"))):
            pct, count = re.match(r"(\d+\s?%) \((\d+)\)", cell).groups()  # type: ignore[union-attr]
            metric = f"{title}: {label}"
            key = metric_key(label)
            em.emit(
                metric,
                year,
                pct,
                start,
                line.end,
                style="percent-count",
                unit="%",
                qualifier=qualifier,
                table=title,
                header=header,
                key=key,
            )
            em.emit(
                metric,
                year,
                count,
                start,
                line.end,
                style="percent-count",
                unit="antal",
                qualifier=f"{qualifier} (antal)",
                table=title,
                header=header,
                key=key,
            )
        em.used.add(line.i)
        pending = None


# --- key-figure boxes ---------------------------------------------------------------------------------------


def _key_label(lines: Sequence[Line], j: int, em: _Emitter) -> re.Match[str] | None:
    if j < 0 or j >= len(lines) or j in em.used:
        return None
    return _KEY_LABEL.match(lines[j].text)


def _next_nonblank(lines: Sequence[Line], i: int, limit: int = 3) -> int | None:
    for j in range(i + 1, min(len(lines), i + 1 + limit)):
        if not lines[j].blank:
            return j
    return None


def _box_title(lines: Sequence[Line], i: int) -> str | None:
    """The heading above a fact box: the nearest short line without digits, looking past a sentence or two."""
    for j in range(i - 1, max(-1, i - 8), -1):
        text = lines[j].text.strip()
        if text[:1].isupper() and len(text) <= 60 and not re.search(r"\d|[.:]$", text):
            return text.rstrip(" ,")
    return None


def _report_lines(lines: Sequence[Line], year: int | None) -> list[Line]:
    """Lines that name the report and its year ("CSR-rapport 2025", "Sustainability report 2021 13").

    One of them is quoted with a key figure, whose year is only implied by the report it is printed in.
    """
    if year is None:
        return []
    pattern = re.compile(rf"(?i)\b(rapport|report|redegørelse|perioden)\b.{{0,60}}\b{year}\b")
    return [line for line in lines if len(line.text) <= 200 and pattern.search(line.text)]


def _nearest(candidates: Sequence[Line], near: int) -> str | None:
    """The short candidate line nearest to line `near`."""
    if not candidates:
        return None
    return min(candidates, key=lambda line: (len(line.text) > 80, abs(line.i - near))).text.strip()


@dataclass(frozen=True)
class _KeyFigure:
    """A key figure as read from a fact box, before it becomes a `Fact`."""

    value: str
    unit: str | None
    label: str
    year: int | None
    first: Line
    last: Line
    qualifier: str | None = None


def _value_of(m: re.Match[str]) -> tuple[str, str | None]:
    suffix = m.group("suffix") or ""
    return m.group("value") + suffix, suffix.strip() or None


def _year_of(m: re.Match[str]) -> int | None:
    return int(m.group("year")) if m.group("year") else None


def _key_figure_at(em: _Emitter, lines: Sequence[Line], i: int) -> _KeyFigure | None:
    """The key figure whose number is on line i, in any of the fact-box layouts, or None."""
    line = lines[i]
    bullet = _KEY_BULLET.match(line.text)
    if bullet:
        value, unit = _value_of(bullet)
        return _KeyFigure(value, unit, bullet.group("label"), _year_of(bullet), line, line)
    phrase = _KEY_PERCENT_PHRASE.match(line.text)
    if phrase:
        # "97 % vil" / "anbefale" / "Aleris": a percentage whose label is a phrase wrapped under it.
        words, j = [phrase.group("tail") or ""], i + 1
        while j < len(lines) and j - i <= 4 and _PHRASE_LINE.match(lines[j].text) and j not in em.used:
            words.append(lines[j].text.strip())
            j += 1
        label = " ".join(" ".join(words).split())
        if j == i + 1 or not 2 <= len(label.split()) <= 10:
            return None
        return _KeyFigure(phrase.group("value"), "%", label, None, line, lines[j - 1])
    number = _KEY_NUMBER.match(line.text)
    if not number:
        return None
    value, unit = _value_of(number)
    below = _key_label(lines, i + 1, em)
    if below is not None:
        return _KeyFigure(
            value, unit, below.group("label"), _year_of(below), line, lines[i + 1], _area(em, lines, i + 1)
        )
    prev = _prev_nonblank(lines, i, limit=3)
    above = _key_label(lines, prev.i, em) if prev is not None else None
    if prev is None or above is None:
        return None
    return _KeyFigure(value, unit, above.group("label"), _year_of(above), prev, line)


def _area(em: _Emitter, lines: Sequence[Line], j: int) -> str | None:
    """The business area a figure belongs to: a capitalised heading after its label, then a paragraph about it."""
    area = _next_nonblank(lines, j)
    m = _key_label(lines, area, em) if area is not None else None
    if m is None or area is None or not lines[area].text.strip()[:1].isupper():
        return None
    following = _next_nonblank(lines, area, limit=4)
    return m.group("label") if following is not None and len(lines[following].text.strip()) > 60 else None


def _key_figures(em: _Emitter, lines: Sequence[Line]) -> None:
    """Fact boxes: figures printed large with a short label, outside any table.

    A number alone on its line takes the short label right under it (the 2025 business areas, where the next
    heading names the area) or, failing that, the unused label right above it (Aleris-Hamlet). The year is the
    one the label names, else the report's, quoted from the line nearest the box that names the report.
    """
    title: str | None = None
    last = -100
    report_year = em.doc.meta.year
    report_lines = _report_lines(lines, report_year)
    for i in range(len(lines)):
        if i in em.used:
            continue
        figure = _key_figure_at(em, lines, i)
        if figure is None:
            continue
        year, header = figure.year, None
        if year is None:
            year, header = report_year, _nearest(report_lines, i)
            if year is None or header is None:
                continue  # nothing in the document says which year the figure is for
        if i - last > 12:
            title = _box_title(lines, figure.first.i)
        last = i
        label = figure.label
        em.emit(
            label[:1].upper() + label[1:],
            year,
            figure.value,
            figure.first.start,
            figure.last.end,
            style="key-figure",
            unit=figure.unit,
            qualifier=figure.qualifier,
            table=title,
            header=header,
            key=metric_key(label),
        )
        em.used.update(range(figure.first.i, figure.last.i + 1))


# A key figure written "Label: value" on its own line or bullet ("• Medarbejderomsætning: 10,3%, hvilket …").
_LABELLED = re.compile(
    r"^\s*(?:[•●▪◦\-–]\s*)?(?P<label>[^\W\d_][^\W\d_\s\-/&().]*\.?(?:[ \-][^\W\d_()][^\W\d_\s\-/&().]*\.?){0,5})"
    r"\s*:\s*"
    r"(?P<value>[-−]?\d{1,3}(?:[.  ]\d{3})*(?:,\d+)?|[-−]?\d+(?:,\d+)?)"
    r"(?P<unit>\s?%|\s?(?:pct|procent|prosent|mio\.? ?kr|mia\.? ?kr|mill\.? ?kr|kr|tons?|tonn|kg|[kMG]Wh|GJ"
    r"|m3|m2|m³|m²)\.?)?"
    r"(?=[\s,;)]|\.(?!\s*[a-zæøå\d])|$)"  # "1. mars" is a date, "10,3%." ends the sentence
)
# Labels that name an identifier or a reference, not a measure.
_NOT_A_MEASURE = re.compile(
    r"(?:nr|nummer|number)\b|\b(?:no|cvr|org|telefon|tlf|fax|side|sida|page|note|konto|postboks|adresse|version|udgave|utgave"
    r"|dato|date|kl|tid|time|periode|period)\b",
    re.IGNORECASE,
)


_ANSWER_OPTIONS = frozenset("ja nej nei yes no ikke".split())
_BULLET = re.compile(r"^\s*[•●▪◦\-–]")


def _sentence_end(lines: Sequence[Line], line: Line, limit: int = 2) -> Line:
    """The line where the sentence begun on `line` ends: at a full stop, a blank line, the next bullet or figure."""
    end = line
    while end.i + 1 < len(lines) and end.i - line.i < limit and not end.text.rstrip().endswith("."):
        following = lines[end.i + 1]
        if following.blank or _BULLET.match(following.text) or _LABELLED.match(following.text):
            break
        end = following
    return end


def _labelled_figures(em: _Emitter, lines: Sequence[Line]) -> None:
    """Key figures written as "Label: value", with the label's own words: no vocabulary decides which count.

    The year is the report's (a line names no other); a label that names an identifier or a target, and a value
    that is a year, are skipped. The heading above and the rest of the sentence are its context.
    """
    year = em.doc.meta.year
    if year is None:
        return
    for line in lines:
        if line.i in em.used:
            continue
        m = _LABELLED.match(line.text)
        if m is None or _NOT_A_MEASURE.search(m.group("label")) or _TARGET_WORD.search(m.group("label")):
            continue
        words = [w.lower() for w in re.findall(r"\w+", m.group("label"))]
        if not any(len(w) >= 3 and w not in all_stopwords() and w not in _ANSWER_OPTIONS for w in words):
            continue  # "Ja: 2 %", "Ved ikke: 1 %": an answer option, not a named measure
        if find_years(m.group("value")) or any(y != year for y in find_years(line.text)):
            continue
        unit = (m.group("unit") or "").strip().rstrip(".") or None
        end = _sentence_end(lines, line)  # the sentence the figure stands in: what the text says of it
        em.emit(
            m.group("label"),
            year,
            m.group("value"),
            line.start,
            end.end,
            style="labelled",
            unit=unit,
            table=_box_title(lines, line.i),  # the heading it stands under
        )
        em.used.add(line.i)


# --- figures in running text -----------------------------------------------------------------------------


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = start
    for m in _SENTENCE_SPLIT.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _running_text(em: _Emitter, lines: Sequence[Line]) -> None:
    text = em.doc.text
    used_spans = [(lines[i].start, lines[i].end) for i in em.used]
    for a, b in _sentences(text, 0, len(text)):
        if any(us < b and a < ue for us, ue in used_spans):
            continue
        sentence = text[a:b]
        if _FORWARD.search(sentence):
            continue
        _sentence_facts(em, sentence, a, b)


def _sentence_metric(sentence: str, language: Language) -> tuple[str, str] | None:
    spans = metric_spans(sentence)
    if len(spans) != 1:
        return None
    key = next(iter(spans))
    norm = normalise_text(sentence)
    s, e = spans[key]
    printed = _printed_span(sentence, norm[s:e])
    return key, _english_phrase(sentence, printed) if language == "en" else printed


def _printed_span(sentence: str, norm_term: str) -> str:
    """The words of `sentence` that normalise to `norm_term` (so the metric is quoted as printed)."""
    words = [re.escape(w) for w in norm_term.split()]
    pattern = re.compile(r"[\s\-]+".join(words), re.IGNORECASE)
    m = pattern.search(sentence.replace("*", " "))
    return sentence[m.start() : m.end()] if m else norm_term


# English verbs a key-figure sentence goes on with ("Energy use rose to …"): where its subject ends.
_ENGLISH_VERBS = frozenset(
    "rose fell grew stood came went remains remain reached totals total amounts amount comes came equals was were "
    "is are has have had".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _english_phrase(sentence: str, printed: str) -> str:
    """The whole noun phrase an English sentence names its measure by, around the words the vocabulary knew.

    English writes a compound as words, the head last: "The gender pay gap amounted to …" is about the gender pay
    gap, not gender; "Employee turnover was …" about employee turnover. The phrase runs on over words that are no
    function word or verb, at most three to the right and two to the left (Danish and Norwegian write the compound
    as one word, which the vocabulary already matched whole).
    """
    at = sentence.find(printed)
    if at < 0:
        return printed
    start, end = at, at + len(printed)
    stop = stopwords("en")

    def content(word: str) -> bool:
        w = word.lower()
        return w not in stop and w not in _ENGLISH_VERBS and not (len(w) > 4 and w.endswith("ed"))

    for _ in range(3):
        m = _WORD.match(sentence, end + 1) if sentence[end : end + 1] == " " else None
        if m is None or not content(m.group(0)) or m.group(0)[:1].isupper():
            break
        end = m.end()
    for _ in range(2):
        before = sentence[:start]
        m = re.search(rf"({_WORD.pattern}) $", before)
        if m is None or not content(m.group(1)) or (m.group(1)[:1].isupper() and before[: m.start()].strip()):
            break  # a capitalised word inside the sentence is a name, not a modifier
        start = m.start()
    return sentence[start:end]


def _sentence_facts(em: _Emitter, sentence: str, a: int, b: int) -> None:
    sentence = " ".join(sentence.split())  # a sentence wrapped over lines reads as one line
    found = _sentence_metric(sentence, em.doc.meta.language)
    if found is None:
        return
    key, printed = found
    doc_year = em.doc.meta.year
    for pattern in (_FROM_TO, _VERSUS):
        m = pattern.search(sentence)
        if m:
            for v, y in (("v1", "y1"), ("v2", "y2")):
                year = int(m.group(y))
                if doc_year is None or year <= doc_year:
                    unit = unit_after(sentence[m.end(v) :])
                    em.emit(printed, year, m.group(v), a, b, style="running-text", unit=unit, key=key)
            return
    m = _VERSUS_BEFORE.search(sentence)
    if m:
        stated = int(m.group("y1"))
        for v, when in (("v1", stated), ("v2", stated - 1)):
            em.emit(printed, when, m.group(v), a, b, style="running-text", unit=unit_after(sentence[m.end(v) :]),
                    key=key)
        return
    m = _BRACKETED.search(sentence)
    outside = find_years(re.sub(r"\([^()]*\)", " ", sentence))
    now = outside[0] if len(outside) == 1 else None if outside else em.doc.meta.year
    if m and now is not None and _near(sentence, printed, m.start("v1"), m.end("v1"), bool(m.group("p1"))):
        before = int(m.group("y2")) if m.group("y2") else now - 1
        if before < now:  # "5,3 % (6,1 %)", "3,8 % (4,4 % i 2018)": this year's figure, and an earlier year's
            for v, p, when in (("v1", "p1", now), ("v2", "p2", before)):
                em.emit(printed, when, m.group(v), a, b, style="running-text", unit="%" if m.group(p) else None,
                        key=key)
            return
    numbers = [n for n in find_numbers(sentence)
               if not _is_footnote(sentence, n.start) and not is_reference(sentence, n)]
    years = {int(n.parts[-1]) for n in numbers if n.kind == "date" and len(n.parts) == 3} | set(find_years(sentence))
    values = [n for n in numbers if n.kind != "date" and not (n.value in years and n.kind == "number")]
    if len(years) != 1 or len(values) != 1 or (doc_year is not None and min(years) > doc_year):
        return
    value = values[0]
    if not _near(sentence, printed, value.start, value.end, value.kind == "percent"):
        return
    if is_change(sentence, value):
        return  # "reduced energy use by 16 per cent", "øgede andelen med 3 procent": a change, not the level
    unit = "%" if value.kind == "percent" else unit_after(sentence[value.end :])
    em.emit(printed, years.pop(), value.text, a, b, style="running-text", unit=unit, key=key)


def _is_footnote(sentence: str, pos: int) -> bool:
    return pos >= 2 and sentence[pos - 1] == "." and sentence[pos - 2].isalpha()


def _near(sentence: str, term: str, start: int, end: int, percent: bool) -> bool:
    """True when a value in a sentence belongs to the metric named there.

    The value follows the metric closely ("cNPS-score 84", "… som i 2025 var på 1,1 %"), directly precedes it
    ("447 forretningsforbindelser"), or, for percentages, precedes it in the same clause ("84 % af vores
    medarbejdere havde kendskab til …").
    """
    at = sentence.find(term)
    if at < 0:
        return False
    after = start - (at + len(term))
    if 0 <= after <= 45:
        return True
    before = at - end
    return 0 <= before <= 3 or (percent and 0 <= before <= 80)


# --- public API --------------------------------------------------------------------------------------------


def extract_facts(doc: Document) -> list[Fact]:
    """Every figure the document states in a table (any of the corpus' table styles) or a key sentence.

    Tables are read first and claim their lines, so running text never re-reads a table row. The result is
    sorted by position in the document.
    """
    lines = split_lines(doc.text)
    em = _Emitter(doc)
    _grid_tables(em, lines)
    _tsv_tables(em, lines)
    _space_tables(em, lines)
    _percent_count_tables(em, lines)
    _year_line_blocks(em, lines)
    _label_value_blocks(em, lines)
    _key_figures(em, lines)
    _labelled_figures(em, lines)
    _running_text(em, lines)
    return sorted(em.facts, key=lambda f: (f.start, f.end, f.year, f.qualifier or ""))


def _row_text(doc: Document, row: Sequence[Fact]) -> str:
    first = row[0]
    # A money scale ("mio. kr.") is every row's of a financial table: as a word to retrieve by, it would make each
    # row match any question asked in "mio. kr." (the title, which prints it, is still in the text).
    told = first.unit and first.unit != "antal" and scaled_money(first.unit) is None
    unit = f", {first.unit}" if told else ""
    same_qualifier = not any(f.qualifier != first.qualifier for f in row)
    shown = first.qualifier and first.qualifier != "m/k" and first.qualifier not in first.metric and same_qualifier
    qualifier = f", {first.qualifier}" if shown else ""
    cells = []
    for f in sorted(row, key=lambda f: (-f.year, f.qualifier or "")):
        who = f" {f.qualifier}" if f.qualifier and any(g.qualifier != f.qualifier for g in row) else ""
        cells.append(f"{f.year}{who}: {f.value_text}")
    target = f" (mål: {first.target})" if first.target else ""
    where = ", ".join(x for x in (doc.meta.title, first.table) if x)
    return f"{first.metric}{qualifier}{unit} — " + "; ".join(cells) + target + f" ({where})"


def fact_chunks(doc: Document, facts: Sequence[Fact]) -> list[Chunk]:
    """One self-contained retrievable chunk per table row (or key sentence), spanning the source row.

    Example text: "Scope 2: CO2-emissioner (energi) - markedsbaseret, Ton — 2025: 1.567; 2024: 1.905; …
    (Aleris CSR-rapport 2025, Environment: Klima- og miljødata)".
    """
    rows: dict[tuple[int, int, str], list[Fact]] = {}
    for f in facts:
        if f.doc_id == doc.doc_id:
            rows.setdefault((f.start, f.end, f.metric), []).append(f)
    chunks: list[Chunk] = []
    for i, ((start, end, _metric), row) in enumerate(sorted(rows.items(), key=lambda kv: kv[0])):
        page = doc.page_at(start)
        chunks.append(
            Chunk(
                id=f"{doc.doc_id}:f{i:04d}",
                doc_id=doc.doc_id,
                title=doc.meta.title,
                text=_row_text(doc, row),
                start=start,
                end=end,
                language=doc.meta.language,
                page=page.page if page else None,
                page_label=page.label if page else None,
                section=row[0].table,
                year=doc.meta.year,
                organisation=doc.meta.organisation,
                kind="fact",
                english_notation=doc.meta.english_notation,
            )
        )
    return chunks
