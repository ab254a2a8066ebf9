"""Synthetic CSR reports with known ground truth, to measure a PDF reader on layouts it was not written for.

A reader tuned on the bundled corpus learns that corpus' quirks. `generate` prints a report from a seed and
returns what a perfect reader would recover from it: one to three text columns whose lines are written to
the content stream interleaved (a reader that follows the stream mixes them), running headers and footers,
and tables of many shapes — years as columns or as rows, or category columns (life-cycle phases, emission
scopes, waste treatments, quantities, group and parent company) over generic items (building parts,
materials, sites); a unit column, the unit in the label, in a column header, over the label column or only in
the title; a target column, a total column and a (bold) total row; empty and dash cells; wrapped labels and
headers, and a heading spanning several columns; group rows with children; grid lines, horizontal rules,
stripes or nothing but alignment — in Danish, Norwegian (Bokmål or Nynorsk) or English number notation. Reports of
narrow tables (side by side, or in a text column) and of financial statements with a column of note references are
printed apart, so that the measurements of the other kinds stay comparable. The corpora of `generate_corpus` add
Nynorsk reports (public bodies write it; users ask in Bokmål or Danish) and, on a last page of some reports, an
income statement, with a budget column beside the actual figures in half of them. They add what annual and LCA
reports print besides: key figures stated only in the running text ("Sjukefråværet var 6,1 % i 2023, mot 5,4 % året
før"; `SynthReport.stated`), and building climate tables whose parts carry their NS 3451 codes ("23 Yttervegger"),
whose modules are headed with their names ("A4" over "Transport"), printed again per m² of floor area (or in total),
or comparing a reference building with the design; and some are typeset, the digits of formulas and powers of units
drawn as true sub- and superscripts (the "2" of "CO2e" smaller and lowered, the "²" of "m²" smaller and raised), the
truth's strings and the characters drawn unchanged.
Each is drawn from a stream of its own and switched by a keyword of `generate`: off, a seed prints what it always
printed.
`rag.eval.layout_check` scores a reader against the truth. fpdf2 (a dev dependency) is imported only when a
report is printed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

if TYPE_CHECKING:
    from fpdf import FPDF

_T = TypeVar("_T")

# "nn": Nynorsk, its words made from the Bokmål ones by `_nynorsk`; only `generate_corpus` draws it (from a stream of
# its own), so `LANGUAGES` and every seed's language draw stay as they were.
SynthLanguage = Literal["da", "nb", "en", "nn"]
Notation = Literal["dot-comma", "space-comma", "comma-dot"]  # thousands separator, decimal separator
Ruling = Literal["grid", "rows", "booktabs", "stripes", "none"]
YearsAs = Literal["columns", "rows", "none"]  # "none": a category-column table
# corner: the unit heads the label column ("Bygningsdel (kg CO2e)"); none: the unit is only in the title
UnitStyle = Literal["column", "label", "header", "corner", "none"]
# budget: a statement's budget figures for a year, printed beside the actual ones ("Regnskap 2024 | Budsjett 2024")
ColumnKind = Literal["unit", "year", "target", "metric", "category", "total", "budget"]
Family = Literal["phases", "scopes", "waste", "quantities", "entities"]
Align = Literal["right", "center"]
VAlign = Literal["top", "middle", "bottom"]
# full: the body's width; side-by-side: two narrow tables next to each other; in-column: in one text column
Placement = Literal["full", "side-by-side", "in-column"]
# Where a financial statement prints its column of note references: left of the labels, or between them and the
# figures; "" for a table without one.
NotePlace = Literal["", "left", "between"]
# A building table printed twice, once per m² of gross floor area and once in total: which of the two a table is.
Twin = Literal["", "total", "per-m2"]
# Where a sentence stating a figure says it: after the metric ("Sykefraværet var 6,1 %") or before it ("Med 6,1 % …").
Order = Literal["metric-first", "value-first"]

DASH = "\u2013"
FAMILIES: tuple[Family, ...] = ("phases", "scopes", "waste", "quantities", "entities")
CATEGORY_SHARE = 0.3  # of the tables are category-column tables
STACKED_SHARE = 0.5  # of the category-column tables right under another table are printed without a caption
# of the years-as-columns tables are key financial figures instead (drawn from their own stream, like the category
# tables), when category tables are drawn too
MONEY_SHARE = 0.1
ONE_UNIT_SHARE = 0.5  # of the years tables whose figures share one unit print it once, in the corner or the title
LANGUAGES: tuple[SynthLanguage, ...] = ("da", "nb", "en")
NYNORSK_SHARE = 0.35  # of the reports `generate_corpus` draws in Bokmål are printed in Nynorsk instead
STATEMENT_SHARE = 0.3  # of the reports `generate_corpus` prints end on a page with an income statement
BUDGET_SHARE = 0.5  # of those statements print a budget column beside the actual figures
SHORT_HEADS_SHARE = 0.3  # of the budget columns are headed in short ("R 2024 | B 2024 | R 2023")
# Key figures stated in the board's prose only, and building climate tables as LCA reports print them: each drawn from
# a stream of its own in the corpora of `generate_corpus` (0 in `generate`), so everything else a seed prints stays.
TEXT_FIGURES_SHARE = 0.5  # of the reports state two to four figures no table prints in their running text
CODES_SHARE = 0.5  # of the building tables prefix each building part with its NS 3451 code ("23 Yttervegger")
PHASE_NAMES_SHARE = 0.5  # of the building tables head each module with its name below ("A4" over "Transport")
TWIN_SHARE = 1 / 3  # of the building tables are printed again beside, per m² of floor area or in total
COMPARISON_SHARE = 0.25  # of the building tables compare a reference building with the design instead
# of the reports set the digits of formulas and powers as typesetters do: CO2, CH4, N2O with the digit a smaller
# subscript, the power of m² and m³ smaller and raised (a reader meets a small glyph off the line); truth as without
TYPESET_SHARE = 0.4
RULINGS: tuple[Ruling, ...] = ("grid", "rows", "booktabs", "stripes", "none")
RULED: frozenset[str] = frozenset({"grid", "rows", "booktabs"})  # drawn lines; stripes are filled boxes


# --- the truth ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SynthRow:
    """One table row as printed: its label (wrapped lines joined with a space) and one text per data column.

    `cells[j]` belongs under the table's data column j (the label column excluded); "" means nothing was
    printed there; `units[j]` is the unit of its figure. A group row has a label and no values; the rows after
    it name it as their `parent`.
    A total row ("Totalt", "I alt") sums the rows above it; `bold` says its label and values are set in bold.
    """

    label: str
    cells: list[str]
    parent: str | None = None
    label_lines: list[str] = field(default_factory=list)
    group: bool = False
    total: bool = False
    bold: bool = False
    # The unit each figure of `cells` is in, as the table says it (a unit column, a header, the label, the title);
    # "" where the cell holds no figure (a unit, a target, empty, a dash). Empty in truth written before units.
    units: list[str] = field(default_factory=list)
    # The note reference printed on the row's line in a statement's note column ("6, 7"); "" where none is.
    note: str = ""

    @property
    def wrapped(self) -> bool:
        return len(self.label_lines) > 1


@dataclass(frozen=True)
class SynthTable:
    """A table as printed. `header_rows` are the printed header lines, top to bottom, label column first.

    A header wrapped over several lines is bottom-aligned: its column holds "" in the upper lines of the
    shorter headers. `column_kinds[j]` says what data column j holds. A category-column table (`family` set,
    `years_as` "none") may have a heading printed once, centred over several columns: each entry of
    `header_spans` is [header line, first data column, last data column], and the heading's text stands in
    `header_rows` over every column it spans, so a spanned column's header reads "Utslipp (kg CO2e) A1-A3".
    """

    title: str
    header_rows: list[list[str]]
    rows: list[SynthRow]
    column_kinds: list[ColumnKind] = field(default_factory=list)
    years_as: YearsAs = "columns"
    ruling: Ruling = "none"
    unit_style: UnitStyle = "column"
    align: Align = "right"
    valign: VAlign = "top"
    family: str = ""  # a `Family` for category-column tables, else ""
    header_spans: list[list[int]] = field(default_factory=list)
    placement: Placement = "full"
    # A financial statement's column of note references: where it is printed and its header ("" for none). It is
    # no data column: a reader keeps its numbers out of the labels and the figures (`SynthRow.note`).
    notes: NotePlace = ""
    note_head: str = ""
    # A building table (family "phases"): its building parts carry their NS 3451 code ("23 Yttervegger"), its modules
    # their name on a line below ("A4" over "Transport"); which of a pair printed per m² and in total it is.
    codes: bool = False
    phase_names: bool = False
    twin: Twin = ""

    @property
    def kind(self) -> str:
        """"years-as-columns", "years-as-rows" or "category-columns"; a narrow table's placement instead.

        A narrow table beside another table ("side-by-side") or set in one text column of a page with two or
        three ("in-column") is a kind of its own, so the measurements of the full-width kinds stay comparable;
        so is a financial statement with a column of note references ("note-column").
        """
        if self.placement != "full":
            return self.placement
        if self.notes:
            return "note-column"
        return "category-columns" if self.family else f"years-as-{self.years_as}"

    @property
    def header_style(self) -> str:
        """"spanning" (a heading over several columns), "wrapped" (a header on several lines) or "single"."""
        return "spanning" if self.header_spans else "wrapped" if len(self.header_rows) > 1 else "single"

    def spanned(self, column: int) -> bool:
        """Whether data column `column` sits under a heading that spans several columns."""
        return any(first <= column <= last for _, first, last in self.header_spans)

    @property
    def columns(self) -> list[str]:
        """Each data column's header as a reader should report it: its printed lines joined with a space."""
        n = len(self.header_rows[0])
        return [" ".join(line[c] for line in self.header_rows if line[c]) for c in range(1, n)]

    def header_lines(self, column: int) -> int:
        """How many printed lines data column `column` has in the header."""
        return sum(1 for line in self.header_rows if line[column + 1])

    @property
    def ruled(self) -> bool:
        return self.ruling in RULED


@dataclass(frozen=True)
class SynthPage:
    """One page: its text columns, paragraphs in reading order, tables, and the furniture printed on it.

    `sentences[i]` are the sentences of `paragraphs[i]`; `paragraph_columns[i]` is the text column (0-based)
    that paragraph was set in. `furniture` lists the running header and footer strings of this page.
    """

    columns: int
    paragraphs: list[str]
    tables: list[SynthTable]
    number: int = 1
    sentences: list[list[str]] = field(default_factory=list)
    paragraph_columns: list[int] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    heading: str = ""

    @classmethod
    def of(
        cls,
        columns: int,
        paragraphs: Sequence[tuple[int, list[str]]],
        tables: list[SynthTable],
        number: int,
        furniture: list[str],
        heading: str,
    ) -> SynthPage:
        """A page from its (column, sentences) paragraphs, as the page builders set them."""
        return cls(
            columns=columns,
            paragraphs=[" ".join(sentences) for _, sentences in paragraphs],
            tables=tables,
            number=number,
            sentences=[sentences for _, sentences in paragraphs],
            paragraph_columns=[column for column, _ in paragraphs],
            furniture=furniture,
            heading=heading,
        )


@dataclass(frozen=True)
class SynthStated:
    """A figure the running text states and no table prints ("Sjukefråværet var 6,1 % i 2024, mot 5,4 % året før").

    `names` are its metric's names by language (da, nb, en, nn), `text` the value as printed ("6,1"), `unit` the
    words after it ("%", "prosent", "tilsette", "MWh"; "" for none), `sentence` the sentence that says it, on `page`.
    A sentence that also gives the year before's figure is two records.
    """

    names: dict[str, str]
    year: int
    text: str
    unit: str
    page: int
    sentence: str
    order: Order = "metric-first"


@dataclass(frozen=True)
class SynthReport:
    """A generated report: who, in which language and number notation, and every page's truth.

    `stated` are the figures its running text states (`SynthPage.paragraphs` holds the sentences too). `typeset`
    says the digits of formulas and of powers of units were drawn as smaller sub- and superscripts ("CO2e", "m²"):
    the strings of the truth are the same either way.
    """

    org: str
    language: SynthLanguage
    notation: Notation
    pages: list[SynthPage]
    title: str = ""
    year: int = 2024
    seed: int = 0
    stated: list[SynthStated] = field(default_factory=list)
    typeset: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SynthReport:
        stated = [SynthStated(**s) for s in data.get("stated", [])]
        pages = [
            SynthPage(
                **{
                    **p,
                    "tables": [
                        SynthTable(**{**t, "rows": [SynthRow(**r) for r in t["rows"]]}) for t in p["tables"]
                    ],
                }
            )
            for p in data["pages"]
        ]
        return cls(**{**data, "pages": pages, "stated": stated})


def save_truth(report: SynthReport, path: Path) -> None:
    """Write a report's truth as JSON (UTF-8), e.g. beside its PDF."""
    path.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")


def load_truth(path: Path) -> SynthReport:
    """Read a truth file written by `save_truth`."""
    return SynthReport.from_dict(json.loads(path.read_text(encoding="utf-8")))


def format_number(value: float, decimals: int, notation: Notation) -> str:
    """A number as the notation prints it: 1.567,5 (dot-comma), 1 567,5 (space-comma), 1,567.5 (comma-dot)."""
    text = f"{value:,.{decimals}f}"
    thousands, point = {"dot-comma": (".", ","), "space-comma": (" ", ","), "comma-dot": (",", ".")}[notation]
    return text.replace(",", "\0").replace(".", point).replace("\0", thousands)


# --- words ----------------------------------------------------------------------------------------

_LANG_INDEX: dict[SynthLanguage, int] = {"da": 0, "nb": 1, "en": 2, "nn": 3}

# Bokmål → Nynorsk, written for the words this generator prints (and a few more a sentence may need), from no word
# list of the system under test: the measurement is of words it was not written for. Whole words first (lower case;
# "antall" says "talet på"), then phrases whose article or ending depends on the noun, then compound parts for the
# rest (regular expressions over a lower-cased word, in order: "sykefravær" → "sjukefråvær").
_NN_WORDS: dict[str, str] = {
    "fra": "frå", "farlig": "farleg", "antall": "talet på", "antallet": "talet på", "ansatte": "tilsette",
    "ansatt": "tilsett", "lærlinger": "lærlingar", "ledelsen": "leiinga", "lønnsforskjell": "lønsskilnad",
    "leverandører": "leverandørar", "bekreftede": "stadfesta", "screenet": "screena", "gjenvunnet": "attvunne",
    "norge": "noreg", "kontorene": "kontora", "kontorer": "kontor", "datterselskaper": "dotterselskap",
    "beregnet": "berekna", "forretningsområder": "forretningsområde", "vann": "vatn", "ansvarlig": "ansvarleg",
    "ressurser": "ressursar", "nøkkeltall": "nøkkeltal", "tall": "tal", "hovedtall": "hovudtal",
    "eierstyring": "eigarstyring", "leverandørkjeden": "leverandørkjeda", "innen": "innan", "følger": "følgjer",
    "utviklingen": "utviklinga", "hvert": "kvart", "fortsatt": "framleis", "kunder": "kundar", "de": "dei",
    "utslippene": "utsleppa", "klimagasser": "klimagassar", "mengden": "mengda", "økte": "auka", "øke": "auke",
    "kartlegge": "kartleggje", "forbedret": "forbetra", "forbedre": "forbetre", "innkjøpsavtaler": "innkjøpsavtalar",
    "takene": "taka", "en": "ein", "rådgivere": "rådgivarar", "siden": "sidan", "materialer": "material",
    "materiale": "material", "samlet": "samla", "fundamenter": "fundament", "gulv": "golv", "bærende": "berande",
    "dekker": "dekke", "vinduer": "vindauge", "glass": "glas", "metaller": "metall", "blandet": "blanda",
    "byggeplasser": "byggjeplassar", "servicebiler": "servicebilar", "laboratorier": "laboratorium",
    "verksted": "verkstad", "egne": "eigne", "noter": "notar", "avskrivninger": "avskrivingar",
    "driftsmidler": "driftsmiddel", "tilknyttet": "tilknytt", "investeringer": "investeringar",
    "egenkapital": "eigenkapital", "lønn": "løn", "årlig": "årleg", "ikke": "ikkje", "hva": "kva", "ble": "vart",
    "være": "vere", "skader": "skadar", "hvor": "kor", "mye": "mykje", "hvilken": "kva for",
}
_NN_PHRASES: dict[str, str] = {
    "blant annet": "mellom anna",
    "en ny arbeidsmiljøundersøkelse": "ei ny arbeidsmiljøundersøking",
}
_NN_PARTS: tuple[tuple[str, str], ...] = (
    ("utslipp", "utslepp"), ("ulykke", "ulukke"), ("fravær", "fråvær"), ("^syke", "sjuke"), ("strøm", "straum"),
    ("regnskap", "rekneskap"), ("sikkerhet", "tryggleik"), ("virksomhet", "verksemd"), ("enheter$", "einingar"),
    ("enhet", "eining"), ("medarbeidere$", "medarbeidarar"), ("medarbeider", "medarbeidar"), ("het$", "heit"),
    ("sjoner$", "sjonar"), ("kilde", "kjelde"), ("^hoved", "hovud"), ("gjenvinning", "attvinning"),
    ("vegger$", "veggar"), ("^utendørs", "utandørs"), ("^bærekraft", "berekraft"), ("timer$", "timar"),
    ("faser$", "fasar"), ("avdelingen$", "avdelinga"), ("^salgs", "sals"), ("^lønns", "løns"),
    ("^vannforbruk", "vassforbruk"), ("markeds", "marknads"), ("mengde$", "mengd"), ("undersøkelse", "undersøking"),
)
_NN_TOKEN = re.compile(
    r"(?<![{\w])(?:" + "|".join(sorted(map(re.escape, _NN_PHRASES), key=len, reverse=True)) + r"|\w+)(?!\w)",
    re.IGNORECASE,
)


def _nn_word(word: str) -> str:
    """One lower-case Bokmål word (or phrase of `_NN_PHRASES`) in Nynorsk: the word lists, else its compound parts."""
    if word in _NN_PHRASES:
        return _NN_PHRASES[word]
    if word in _NN_WORDS:
        return _NN_WORDS[word]
    for part, nynorsk in _NN_PARTS:
        word = re.sub(part, nynorsk, word)
    return word


def _nynorsk(text: str) -> str:
    """Bokmål text in Nynorsk, word by word, the case of a first letter kept ("Antall ansatte" → "Talet på tilsette").

    A placeholder ("{obj}"), an abbreviation ("ESG", "MNOK") and a word alike in both ("MWh") are left alone.
    """

    def one(match: re.Match[str]) -> str:
        said = match.group(0)
        out = _nn_word(said.lower())
        if (len(said) > 1 and said.isupper()) or out == said.lower():
            return said
        return out[:1].upper() + out[1:] if said[:1].isupper() else out

    return _NN_TOKEN.sub(one, text)


def _in_nynorsk(words: Any, keep: tuple[str, ...] = ()) -> Any:
    """A word table (a dataclass, dict, tuple or string), its Bokmål text in Nynorsk; the fields in `keep` as they are.

    Names (organisations, cities) are kept: a Nynorsk report is from the same country.
    """
    if isinstance(words, str):
        return _nynorsk(words)
    if isinstance(words, tuple):
        return tuple(_in_nynorsk(w) for w in words)
    if isinstance(words, dict):
        return {key: _in_nynorsk(w) for key, w in words.items()}
    return replace(words, **{f.name: _in_nynorsk(getattr(words, f.name)) for f in fields(words) if f.name not in keep})


# A unit said otherwise in Nynorsk than the metric names say the word: a count is "tal" (not "talet på").
_NN_UNITS = {"antall": "tal"}


@dataclass(frozen=True)
class _Metric:
    category: str
    names: tuple[str, str, str, str]  # da, nb, en, nn
    units: tuple[str, str, str, str]
    kind: str  # value distribution, see `_Report.value`


def _m(category: str, da: str, nb: str, en: str, unit: str | tuple[str, str, str], kind: str) -> _Metric:
    """A metric; its Nynorsk name and unit are the Bokmål ones in Nynorsk."""
    da_unit, nb_unit, en_unit = (unit, unit, unit) if isinstance(unit, str) else unit
    nn_unit = _NN_UNITS.get(nb_unit) or _nynorsk(nb_unit)
    return _Metric(category, (da, nb, en, _nynorsk(nb)), (da_unit, nb_unit, en_unit, nn_unit), kind)


_COUNT = ("antal", "antall", "number")
_METRICS: tuple[_Metric, ...] = (
    _m("climate", "Scope 1-udledning", "Scope 1-utslipp", "Scope 1 emissions", "tCO2e", "big"),
    _m("climate", "Scope 2-udledning (markedsbaseret)", "Scope 2-utslipp (markedsbasert)",
       "Scope 2 emissions (market-based)", "tCO2e", "big"),
    _m("climate", "Scope 2-udledning (lokationsbaseret)", "Scope 2-utslipp (lokasjonsbasert)",
       "Scope 2 emissions (location-based)", "tCO2e", "big"),
    _m("climate", "Scope 3-udledning", "Scope 3-utslipp", "Scope 3 emissions", "tCO2e", "big"),
    _m("climate", "Udledning fra flyrejser", "Utslipp fra flyreiser", "Emissions from air travel", "tCO2e", "dec1"),
    _m("climate", "Udledningsintensitet", "Utslippsintensitet", "Carbon intensity",
       ("tCO2e/mio. kr.", "tCO2e/mill. kr.", "tCO2e/£m"), "dec2"),
    _m("energy", "Energiforbrug", "Energiforbruk", "Energy consumption", "MWh", "big"),
    _m("energy", "Elforbrug", "Strømforbruk", "Electricity consumption", "MWh", "big"),
    _m("energy", "Fjernvarme", "Fjernvarme", "District heating", "MWh", "big"),
    _m("energy", "Brændstofforbrug", "Drivstofforbruk", "Fuel consumption", ("liter", "liter", "litres"), "big"),
    _m("energy", "Andel vedvarende energi", "Andel fornybar energi", "Share of renewable energy", "%", "pct"),
    _m("energy", "Energiintensitet", "Energiintensitet", "Energy intensity",
       ("MWh/mio. kr.", "MWh/mill. kr.", "MWh/£m"), "dec2"),
    _m("resources", "Vandforbrug", "Vannforbruk", "Water consumption", "m³", "big"),
    _m("resources", "Affaldsmængde", "Avfallsmengde", "Total waste", ("tons", "tonn", "tonnes"), "dec1"),
    _m("resources", "Andel genanvendt affald", "Andel gjenvunnet avfall", "Share of waste recycled", "%", "pct"),
    _m("resources", "Farligt affald", "Farlig avfall", "Hazardous waste", ("tons", "tonn", "tonnes"), "dec1"),
    _m("resources", "Papirforbrug", "Papirforbruk", "Paper consumption", ("tons", "tonn", "tonnes"), "dec2"),
    _m("people", "Antal medarbejdere", "Antall ansatte", "Number of employees",
       ("antal", "antall", "headcount"), "big"),
    _m("people", "Antal lærlinge", "Antall lærlinger", "Number of apprentices", _COUNT, "count"),
    _m("people", "Andel kvinder i ledelsen", "Andel kvinner i ledelsen", "Women in management", "%", "pct"),
    _m("people", "Medarbejderomsætning", "Turnover", "Employee turnover", "%", "pct"),
    _m("people", "Sygefravær", "Sykefravær", "Sickness absence", "%", "pct"),
    _m("people", "Lønforskel mellem køn", "Lønnsforskjell mellom kjønn", "Gender pay gap", "%", "pct"),
    _m("people", "Uddannelsestimer pr. medarbejder", "Opplæringstimer per ansatt", "Training hours per employee",
       ("timer", "timer", "hours"), "dec1"),
    _m("people", "Medarbejdertilfredshed", "Medarbeidertilfredshet", "Employee satisfaction",
       ("indeks", "indeks", "index"), "count"),
    _m("safety", "LTIFR", "LTIFR", "LTIFR", ("pr. mio. timer", "per mill. timer", "per million hours"), "dec1"),
    _m("safety", "Arbejdsulykker med fravær", "Arbeidsulykker med fravær", "Lost-time injuries", _COUNT, "count"),
    _m("safety", "Dødsulykker", "Dødsulykker", "Fatalities", _COUNT, "few"),
    _m("safety", "Nærvedhændelser", "Nestenulykker", "Near misses", _COUNT, "count"),
    _m("safety", "Sikkerhedsobservationer", "Sikkerhetsobservasjoner", "Safety observations", _COUNT, "big"),
    _m("governance", "Whistleblower-indberetninger", "Varslingssaker", "Whistleblower reports", _COUNT, "few"),
    _m("governance", "Andel uafhængige bestyrelsesmedlemmer", "Andel uavhengige styremedlemmer",
       "Independent board members", "%", "pct"),
    _m("governance", "Gennemført træning i antikorruption", "Gjennomført opplæring i antikorrupsjon",
       "Anti-corruption training completed", "%", "pct"),
    _m("governance", "Leverandører screenet for ESG", "Leverandører screenet for ESG", "Suppliers screened for ESG",
       "%", "pct"),
    _m("governance", "Bekræftede korruptionssager", "Bekreftede korrupsjonssaker", "Confirmed corruption cases",
       _COUNT, "few"),
)
_CATEGORIES = ("climate", "energy", "resources", "people", "safety", "governance")

# Key financial figures, printed in one scale of money named once, in the corner or the title; the title's topic
# and the scales as each language prints them ("Mio. kr." alone in the corner, "Hovedtal (mio. kr.)", "DKKm").
_MONEY_LABELS: dict[SynthLanguage, tuple[str, ...]] = {
    "da": ("Nettoomsætning", "Bruttoresultat", "Resultat af primær drift", "Resultat før skat", "Investeringer",
           "Egenkapital", "Pengestrømme fra driften"),
    "nb": ("Driftsinntekter", "Driftsresultat", "Resultat før skatt", "Investeringer", "Egenkapital",
           "Kontantstrøm fra drift", "Totalkapital"),
    "en": ("Revenue", "Gross profit", "Operating profit", "Profit before tax", "Investments", "Equity",
           "Cash flow from operations"),
}
_MONEY_LABELS["nn"] = _in_nynorsk(_MONEY_LABELS["nb"])
_MONEY_TOPICS: dict[SynthLanguage, str] = {"da": "Hovedtal", "nb": "Hovedtall", "en": "Key figures"}
_MONEY_TOPICS["nn"] = _nynorsk(_MONEY_TOPICS["nb"])
_MONEY_SCALES: dict[SynthLanguage, tuple[str, ...]] = {
    "da": ("Mio. kr.", "mio. kr.", "DKKm", "t.kr.", "tusind kr."),
    "nb": ("Mill. kr.", "mill. kr.", "MNOK", "NOK mill.", "tusen kr."),
    "en": ("DKKm", "NOKm", "EURm", "DKK million", "EUR thousand"),
}
_MONEY_SCALES["nn"] = _in_nynorsk(_MONEY_SCALES["nb"])
# A ratio among them names its own unit in brackets: the table's scale is not its unit.
_MONEY_MARGIN: dict[SynthLanguage, str] = {"da": "Overskudsgrad", "nb": "Driftsmargin", "en": "Operating margin"}
_MONEY_MARGIN["nn"] = _nynorsk(_MONEY_MARGIN["nb"])


@dataclass(frozen=True)
class _Words:
    """Everything printed in one language, besides the metric names."""

    groups: dict[str, str]  # category → group row label
    topics: dict[str, str]  # category → table title
    qualifiers: tuple[str, ...]
    long_qualifiers: tuple[str, ...]
    table: str
    unit: str
    target: str
    year: str
    key_headers: tuple[str, ...]
    headings: tuple[str, ...]
    titles: tuple[str, ...]
    page_of: str  # "Side {n} af {total}"
    org_first: tuple[str, ...]
    org_second: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    # sentences
    templates: tuple[str, ...]
    subjects: tuple[str, ...]
    objects: tuple[str, ...]
    verbs: tuple[tuple[str, str], ...]  # past, infinitive
    clauses: tuple[str, ...]
    times: tuple[str, ...]
    cities: tuple[str, ...]


_WORDS: dict[SynthLanguage, _Words] = {
    "da": _Words(
        groups={"climate": "Udledning af drivhusgasser", "energy": "Energi", "resources": "Vand og affald",
                "people": "Medarbejdere", "safety": "Arbejdsmiljø og sikkerhed",
                "governance": "Ansvarlig virksomhedsledelse"},
        topics={"climate": "Klimaregnskab", "energy": "Energiforbrug og energikilder", "resources": "Ressourcer",
                "people": "Sociale nøgletal", "safety": "Sikkerhed", "governance": "Governance"},
        qualifiers=("i Danmark", "i udlandet", "i produktionen", "på kontorerne", "i koncernen",
                    "for datterselskaber"),
        long_qualifiers=("for alle produktionsenheder i koncernen", "opgjort efter den nye metode",
                         "inklusive datterselskaber i Norden", "på tværs af alle forretningsområder"),
        table="Tabel", unit="Enhed", target="Mål", year="År", key_headers=("", "Nøgletal", "Indikator"),
        headings=("Klima og energi", "Vores medarbejdere", "Sikkerhed på arbejdspladsen", "Ansvarlig ledelse",
                  "Vand og affald", "Leverandørkæden", "Samfundsansvar", "Året i tal"),
        titles=("Bæredygtighedsrapport", "ESG-rapport", "Årsrapport", "CSR-rapport"),
        page_of="Side {n} af {total}",
        org_first=("Nordhavn", "Skovlund", "Vesterhav", "Lyngholm", "Kattegat", "Fyrtårn", "Ådalen"),
        org_second=("Energi", "Logistik", "Fødevarer", "Byg", "Pharma", "Transport"),
        org_suffixes=("A/S", "ApS", "Holding A/S"),
        templates=(
            "{Time} {past} {subj} {obj} {clause} (afsnit {sid}).",
            "{Subj} {past} {obj} med {pct} procent {time}, blandt andet {clause} (afsnit {sid}).",
            "Målet er at {inf} {obj} med {pct} procent inden {target}, og {subj} følger udviklingen hvert "
            "kvartal (afsnit {sid}).",
            "På lokationen i {city} {past} {subj} {obj} {clause} (afsnit {sid}).",
            "{Subj} vil fortsat {inf} {obj}, fordi det er vigtigt for både kunder og medarbejdere (afsnit {sid}).",
        ),
        subjects=("koncernen", "virksomheden", "ledelsen", "vores produktionsenheder", "medarbejderne",
                  "indkøbsafdelingen", "bestyrelsen"),
        objects=("energiforbruget", "udledningen af drivhusgasser", "vandforbruget", "mængden af restaffald",
                 "sygefraværet", "antallet af arbejdsulykker", "brugen af fossile brændstoffer",
                 "transporten af varer", "andelen af kvinder i ledelsen", "papirforbruget"),
        verbs=(("reducerede", "reducere"), ("øgede", "øge"), ("kortlagde", "kortlægge"),
               ("analyserede", "analysere"), ("forbedrede", "forbedre"), ("halverede", "halvere"),
               ("målte", "måle")),
        clauses=("gennem nye indkøbsaftaler", "ved hjælp af solceller på tagene",
                 "efter en grundig dialog med medarbejderne", "som en del af den nye strategi",
                 "i tæt samarbejde med kommunen", "med støtte fra eksterne rådgivere",
                 "efter en ny arbejdsmiljøundersøgelse"),
        times=("i {year}", "i løbet af året", "i første halvår", "siden {year0}"),
        cities=("Århus", "Køge", "Næstved", "Ølstykke", "Esbjerg", "Sønderborg", "Vejle"),
    ),
    "nb": _Words(
        groups={"climate": "Klimagassutslipp", "energy": "Energi", "resources": "Vann og avfall",
                "people": "Medarbeidere", "safety": "Helse, miljø og sikkerhet",
                "governance": "Ansvarlig virksomhetsstyring"},
        topics={"climate": "Klimaregnskap", "energy": "Energibruk og energikilder", "resources": "Ressurser",
                "people": "Sosiale nøkkeltall", "safety": "Sikkerhet", "governance": "Eierstyring"},
        qualifiers=("i Norge", "i utlandet", "i produksjonen", "på kontorene", "i konsernet",
                    "for datterselskaper"),
        long_qualifiers=("for alle produksjonsenheter i konsernet", "beregnet etter den nye metoden",
                         "inkludert datterselskaper i Norden", "på tvers av alle forretningsområder"),
        table="Tabell", unit="Enhet", target="Mål", year="År", key_headers=("", "Nøkkeltall", "Indikator"),
        headings=("Klima og energi", "Våre medarbeidere", "Sikkerhet på arbeidsplassen", "Ansvarlig styring",
                  "Vann og avfall", "Leverandørkjeden", "Samfunnsansvar", "Året i tall"),
        titles=("Bærekraftsrapport", "ESG-rapport", "Årsrapport", "Samfunnsansvarsrapport"),
        page_of="Side {n} av {total}",
        org_first=("Nordlys", "Fjellheim", "Havbris", "Vestvik", "Trollfjord", "Sølvberg", "Åsgård"),
        org_second=("Energi", "Logistikk", "Sjømat", "Bygg", "Transport", "Kraft"),
        org_suffixes=("AS", "ASA", "Holding AS"),
        templates=(
            "{Time} {past} {subj} {obj} {clause} (avsnitt {sid}).",
            "{Subj} {past} {obj} med {pct} prosent {time}, blant annet {clause} (avsnitt {sid}).",
            "Målet er å {inf} {obj} med {pct} prosent innen {target}, og {subj} følger utviklingen hvert "
            "kvartal (avsnitt {sid}).",
            "Ved anlegget i {city} {past} {subj} {obj} {clause} (avsnitt {sid}).",
            "{Subj} vil fortsatt {inf} {obj}, fordi det er viktig for både kunder og ansatte (avsnitt {sid}).",
        ),
        subjects=("konsernet", "selskapet", "ledelsen", "våre produksjonsenheter", "de ansatte",
                  "innkjøpsavdelingen", "styret"),
        objects=("energiforbruket", "utslippene av klimagasser", "vannforbruket", "mengden restavfall",
                 "sykefraværet", "antallet arbeidsulykker", "bruken av fossilt drivstoff", "transporten av varer",
                 "andelen kvinner i ledelsen", "papirforbruket"),
        verbs=(("reduserte", "redusere"), ("økte", "øke"), ("kartla", "kartlegge"), ("analyserte", "analysere"),
               ("forbedret", "forbedre"), ("halverte", "halvere"), ("målte", "måle")),
        clauses=("gjennom nye innkjøpsavtaler", "ved hjelp av solceller på takene",
                 "etter en grundig dialog med de ansatte", "som en del av den nye strategien",
                 "i tett samarbeid med kommunen", "med støtte fra eksterne rådgivere",
                 "etter en ny arbeidsmiljøundersøkelse"),
        times=("i {year}", "i løpet av året", "i første halvår", "siden {year0}"),
        cities=("Tromsø", "Bodø", "Ålesund", "Førde", "Drammen", "Hønefoss", "Kristiansand"),
    ),
    "en": _Words(
        groups={"climate": "Greenhouse gas emissions", "energy": "Energy", "resources": "Water and waste",
                "people": "Our people", "safety": "Health and safety", "governance": "Business conduct"},
        topics={"climate": "Carbon accounts", "energy": "Energy use and sources", "resources": "Resources",
                "people": "Social data", "safety": "Safety", "governance": "Governance"},
        qualifiers=("in the UK", "abroad", "in production", "at offices", "group-wide", "for subsidiaries"),
        long_qualifiers=("for all production sites in the group", "calculated with the new method",
                         "including subsidiaries in the Nordics", "across all business areas"),
        table="Table", unit="Unit", target="Target", year="Year", key_headers=("", "Key figure", "Indicator"),
        headings=("Climate and energy", "Our people", "Safety at work", "Responsible business", "Water and waste",
                  "The supply chain", "Our communities", "The year in figures"),
        titles=("Sustainability Report", "ESG Report", "Annual Report", "Impact Report"),
        page_of="Page {n} of {total}",
        org_first=("Brightwater", "Northgate", "Oakfield", "Riverstone", "Westmoor", "Kingsbridge", "Ashcombe"),
        org_second=("Energy", "Logistics", "Foods", "Construction", "Transport", "Materials"),
        org_suffixes=("plc", "Ltd", "Group plc"),
        templates=(
            "{Time}, {subj} {past} {obj} {clause} (section {sid}).",
            "{Subj} {past} {obj} by {pct} per cent {time}, partly {clause} (section {sid}).",
            "The target is to {inf} {obj} by {pct} per cent by {target}, and progress is reviewed every quarter "
            "(section {sid}).",
            "At the site in {city}, {subj} {past} {obj} {clause} (section {sid}).",
            "{Subj} will continue to {inf} {obj}, because it matters to customers and employees alike "
            "(section {sid}).",
        ),
        subjects=("the group", "the company", "management", "our production sites", "our employees",
                  "the procurement team", "the board"),
        objects=("energy consumption", "greenhouse gas emissions", "water consumption", "residual waste",
                 "sickness absence", "the number of workplace accidents", "the use of fossil fuels",
                 "freight transport", "the share of women in management", "paper consumption"),
        verbs=(("reduced", "reduce"), ("increased", "increase"), ("mapped", "map"), ("analysed", "analyse"),
               ("improved", "improve"), ("halved", "halve"), ("measured", "measure")),
        clauses=("through new purchasing agreements", "with solar panels on the roofs",
                 "after a thorough dialogue with employees", "as part of the new strategy",
                 "in close cooperation with the municipality", "with support from external advisers",
                 "after a new workplace survey"),
        times=("in {year}", "during the year", "in the first half", "since {year0}"),
        cities=("Leeds", "Bristol", "Aberdeen", "Cardiff", "Norwich", "York", "Exeter"),
    ),
}
_WORDS["nn"] = _in_nynorsk(_WORDS["nb"], keep=("org_first", "org_second", "org_suffixes", "cities"))


# Category-column tables: generic words only (da, nb, en; nn made from nb), no names from any real report.
_Words3 = tuple[str, str, str]
_Names = tuple[str, str, str, str]  # da, nb, en, nn


def _with_nynorsk(pool: tuple[_Words3, ...]) -> tuple[_Names, ...]:
    """Each (da, nb, en) entry with its Nynorsk name, the Bokmål one in Nynorsk, last."""
    return tuple((da, nb, en, _nynorsk(nb)) for da, nb, en in pool)


_BUILDING_PARTS: tuple[_Names, ...] = _with_nynorsk((
    ("Fundamenter", "Fundamenter", "Foundations"),
    ("Terrændæk", "Gulv på grunn", "Ground floor slab"),
    ("Bærende konstruktioner", "Bærende konstruksjoner", "Load-bearing structure"),
    ("Ydervægge", "Yttervegger", "External walls"),
    ("Indervægge", "Innervegger", "Internal walls"),
    ("Etagedæk", "Dekker", "Floor slabs"),
    ("Tag", "Yttertak", "Roof"),
    ("Facadebeklædning", "Fasadekledning", "Facade cladding"),
    ("Vinduer og døre", "Vinduer og dører", "Windows and doors"),
    ("Trapper og ramper", "Trapper og ramper", "Stairs and ramps"),
    ("Tekniske installationer", "Tekniske installasjoner", "Building services"),
    ("Ventilationsanlæg", "Ventilasjonsanlegg", "Ventilation system"),
    ("Solceller på taget", "Solcelleanlegg på taket", "Solar panels on the roof"),
    ("Udendørsarealer", "Utendørsanlegg", "External works"),
))
_MATERIALS: tuple[_Names, ...] = _with_nynorsk((
    ("Beton", "Betong", "Concrete"),
    ("Stål", "Stål", "Steel"),
    ("Træ", "Tre", "Wood"),
    ("Glas", "Glass", "Glass"),
    ("Gips", "Gips", "Plasterboard"),
    ("Isolering", "Isolasjon", "Insulation"),
    ("Tegl", "Tegl", "Brick"),
    ("Asfalt", "Asfalt", "Asphalt"),
    ("Plast", "Plast", "Plastic"),
    ("Aluminium", "Aluminium", "Aluminium"),
    ("Metaller", "Metaller", "Metals"),
    ("Pap og papir", "Papp og papir", "Paper and cardboard"),
    ("Elektronisk affald", "Elektronikkavfall", "Electronic waste"),
    ("Blandet affald", "Blandet avfall", "Mixed waste"),
    ("Jord og sten", "Jord og stein", "Soil and stone"),
))
_SITES: tuple[_Names, ...] = _with_nynorsk((
    ("Hovedkontor", "Hovedkontor", "Head office"),
    ("Produktion", "Produksjon", "Production"),
    ("Lager og distribution", "Lager og distribusjon", "Warehousing and distribution"),
    ("Kontorer", "Kontorer", "Offices"),
    ("Værksted", "Verksted", "Workshop"),
    ("Byggepladser", "Byggeplasser", "Construction sites"),
    ("Servicebiler", "Servicebiler", "Service vehicles"),
    ("Laboratorier", "Laboratorier", "Laboratories"),
    ("Datterselskaber", "Datterselskaper", "Subsidiaries"),
    ("Region Nord", "Region Nord", "Northern region"),
    ("Region Syd", "Region Sør", "Southern region"),
    ("Egne bygninger", "Egne bygg", "Owned buildings"),
))
_PHASES = ("A1-A3", "A4", "A5", "B4", "B6", "C1-C4")  # life-cycle modules (EN 15978), alike in every language
PHASES = _PHASES
_PHASE_SHARE = {"A1-A3": (1.0, 1.0), "A4": (0.03, 0.1), "A5": (0.02, 0.08), "B4": (0.05, 0.4), "B6": (0.1, 0.9),
                "C1-C4": (0.02, 0.12)}  # of A1-A3
_SCOPES = ("Scope 1", "Scope 2", "Scope 3")
_SCOPE_SHARE = ((0.1, 1.0), (0.05, 0.6), (0.3, 4.0))
_TREATMENTS: tuple[_Names, ...] = _with_nynorsk((
    ("Genbrug", "Ombruk", "Reuse"),
    ("Genanvendelse", "Materialgjenvinning", "Recycling"),
    ("Energiudnyttelse", "Energigjenvinning", "Energy recovery"),
    ("Deponi", "Deponi", "Landfill"),
))
_ENTITIES: tuple[_Names, ...] = _with_nynorsk((
    ("Koncern", "Konsern", "Group"),
    ("Moderselskab", "Morselskap", "Parent company"),
    ("Datterselskaber", "Datterselskaper", "Subsidiaries"),
))


@dataclass(frozen=True)
class _CategoryWords:
    """What category-column tables print in one language."""

    topics: dict[str, str]  # family → table title
    item_heads: dict[str, tuple[str, ...]]  # family → label column headers
    spans: dict[str, tuple[str, ...]]  # family → headings set over several columns
    totals: tuple[str, ...]  # total rows and total columns
    quantity: str
    tonnes: str
    pieces: str


_CATEGORY_WORDS: dict[SynthLanguage, _CategoryWords] = {
    "da": _CategoryWords(
        topics={"phases": "Klimabelastning fordelt på bygningsdele", "scopes": "Udledning fordelt på lokationer",
                "waste": "Affald fordelt på behandling", "quantities": "Materialer og klimabelastning",
                "entities": "Koncern og moderselskab"},
        item_heads={"phases": ("Bygningsdel", ""), "scopes": ("Lokation", "Forretningsenhed", ""),
                    "waste": ("Fraktion", "Materiale"), "quantities": ("Materiale", ""),
                    "entities": ("Nøgletal", "")},
        spans={"phases": ("Udledning", "Livscyklusfaser"), "scopes": ("Udledning", "Drivhusgasudledning"),
               "waste": ("Behandling", "Affaldsbehandling"), "quantities": ("Klimabelastning",),
               "entities": ("Juridisk enhed",)},
        totals=("I alt", "Total", "Sum"), quantity="Mængde", tonnes="tons", pieces="stk.",
    ),
    "nb": _CategoryWords(
        topics={"phases": "Klimagassutslipp per bygningsdel", "scopes": "Utslipp per lokasjon",
                "waste": "Avfall etter behandling", "quantities": "Materialer og klimagassutslipp",
                "entities": "Konsern og morselskap"},
        item_heads={"phases": ("Bygningsdel", ""), "scopes": ("Lokasjon", "Forretningsenhet", ""),
                    "waste": ("Fraksjon", "Materiale"), "quantities": ("Materiale", ""),
                    "entities": ("Nøkkeltall", "")},
        spans={"phases": ("Utslipp", "Livsløpsfaser"), "scopes": ("Utslipp", "Klimagassutslipp"),
               "waste": ("Behandling", "Avfallsbehandling"), "quantities": ("Klimagassutslipp",),
               "entities": ("Juridisk enhet",)},
        totals=("Totalt", "Sum", "Samlet"), quantity="Mengde", tonnes="tonn", pieces="stk",
    ),
    "en": _CategoryWords(
        topics={"phases": "Embodied carbon by building part", "scopes": "Emissions by site",
                "waste": "Waste by treatment", "quantities": "Materials and embodied carbon",
                "entities": "Group and parent company"},
        item_heads={"phases": ("Building part", ""), "scopes": ("Site", "Business unit", ""),
                    "waste": ("Waste stream", "Material"), "quantities": ("Material", ""),
                    "entities": ("Key figure", "")},
        spans={"phases": ("Emissions", "Life-cycle stages"), "scopes": ("Emissions", "GHG emissions"),
               "waste": ("Treatment", "Waste treatment"), "quantities": ("Embodied carbon",),
               "entities": ("Reporting entity",)},
        totals=("Total", "Sum", "Grand total"), quantity="Quantity", tonnes="tonnes", pieces="pcs",
    ),
}
_CATEGORY_WORDS["nn"] = _in_nynorsk(_CATEGORY_WORDS["nb"])


@dataclass(frozen=True)
class _Statement:
    """A financial statement in one language: its name, its lines in printed order, the note column's headers."""

    name: str
    lines: tuple[str, ...]
    note_heads: tuple[str, ...]
    corner: tuple[str, ...]  # what heads the label column ("" for nothing)


_STATEMENTS: dict[SynthLanguage, _Statement] = {
    "da": _Statement(
        name="Resultatopgørelse",
        lines=("Nettoomsætning", "Vareforbrug", "Andre eksterne omkostninger", "Bruttoresultat",
               "Personaleomkostninger", "Af- og nedskrivninger af anlægsaktiver", "Andre driftsindtægter",
               "Resultat af primær drift", "Resultat af kapitalandele i associerede virksomheder",
               "Finansielle indtægter", "Finansielle omkostninger", "Resultat før skat", "Skat af årets resultat",
               "Årets resultat"),
        note_heads=("Note", "Noter", "Note nr."), corner=("", "Beløb i t.kr.", "Mio. kr."),
    ),
    "nb": _Statement(
        name="Resultatregnskap",
        lines=("Salgsinntekter", "Andre driftsinntekter", "Varekostnad", "Lønnskostnader",
               "Avskrivninger på varige driftsmidler", "Andre driftskostnader", "Driftsresultat",
               "Inntekt på investering i tilknyttet selskap", "Finansinntekter", "Finanskostnader",
               "Resultat før skattekostnad", "Skattekostnad", "Årsresultat"),
        note_heads=("Note", "Noter", "Note nr."), corner=("", "Beløp i 1000 kr.", "NOK mill."),
    ),
    "en": _Statement(
        name="Income statement",
        lines=("Revenue", "Cost of sales", "Gross profit", "Distribution costs", "Administrative expenses",
               "Other operating income", "Operating profit", "Share of profit of associates", "Finance income",
               "Finance costs", "Profit before tax", "Income tax expense", "Profit for the year"),
        note_heads=("Note", "Notes", "Note no."), corner=("", "EUR '000", "DKKm"),
    ),
}
_STATEMENTS["nn"] = _in_nynorsk(_STATEMENTS["nb"])
# A statement's budget column and the actual figures beside it: (actual, budget) as each language heads them, the
# words in full or in short ("Regnskap 2024 | Budsjett 2024 | Regnskap 2023", "R 2024 | B 2024 | R 2023").
_BUDGET_HEADS: dict[SynthLanguage, tuple[tuple[str, str], tuple[str, str]]] = {
    "da": (("Regnskab", "Budget"), ("R", "B")),
    "nb": (("Regnskap", "Budsjett"), ("R", "B")),
    "en": (("Actual", "Budget"), ("Act.", "Bud.")),
}
_BUDGET_HEADS["nn"] = _in_nynorsk(_BUDGET_HEADS["nb"])


# --- building climate tables as LCA reports print them ----------------------------------------------------------

# Each building part's two-digit NS 3451 code, in `_BUILDING_PARTS` order: 21 ground works and foundations, 22 the
# load-bearing frame, 23 external walls (with their cladding, windows and doors), 24 internal walls, 25 floor slabs
# and ground floors, 26 the roof, 28 stairs, 3x heating and ventilation (36 air handling), 4x electrical power
# (49 other, solar panels), 7x external works.
_BUILDING_CODES: tuple[str, ...] = ("21", "25", "22", "23", "24", "25", "26", "23", "23", "28", "30", "36", "49", "70")
# The name of each life-cycle module, as a table prints it on the line below the module ("A4" over "Transport").
_PHASE_NAMES: dict[SynthLanguage, dict[str, str]] = {
    "da": {"A1-A3": "Produktion", "A4": "Transport", "A5": "Byggeplads", "B4": "Udskiftning", "B6": "Driftsenergi",
           "C1-C4": "Bortskaffelse"},
    "nb": {"A1-A3": "Produksjon", "A4": "Transport", "A5": "Bygging", "B4": "Utskifting", "B6": "Energibruk",
           "C1-C4": "Avhending"},
    "en": {"A1-A3": "Product stage", "A4": "Transport", "A5": "Construction", "B4": "Replacement",
           "B6": "Operational energy", "C1-C4": "End of life"},
}
_PHASE_NAMES["nn"] = _in_nynorsk(_PHASE_NAMES["nb"])
_PER_M2 = "kg CO2e/m²"  # the unit of a building table per m² of gross floor area


@dataclass(frozen=True)
class _BuildingWords:
    """A building table's words in one language: the titles of a pair in total and per m², the comparison's words."""

    total_title: str  # "{area}": the gross floor area, as the notation prints it
    per_m2_title: str
    comparison_title: str
    reference: str
    design: str
    reduction: str


_BUILDING_WORDS: dict[SynthLanguage, _BuildingWords] = {
    "da": _BuildingWords("Klimabelastning i alt (etageareal {area} m²)",
                         "Klimabelastning pr. m² etageareal (etageareal {area} m²)",
                         "Klimabelastning, referencebygning og projekteret bygning", "Referencebygning",
                         "Projekteret bygning", "Reduktion"),
    "nb": _BuildingWords("Klimagassutslipp totalt (BTA {area} m²)", "Klimagassutslipp per m² BTA (BTA {area} m²)",
                         "Klimagassutslipp, referansebygg og prosjektert bygg", "Referansebygg", "Prosjektert bygg",
                         "Reduksjon"),
    "en": _BuildingWords("Total embodied carbon (GFA {area} m²)", "Embodied carbon per m² GFA (GFA {area} m²)",
                         "Embodied carbon, reference building and design", "Reference building", "Design",
                         "Reduction"),
}
_BUILDING_WORDS["nn"] = _in_nynorsk(_BUILDING_WORDS["nb"])


def phase_name(module: str, language: SynthLanguage) -> str:
    """A life-cycle module's name as a building table of `language` prints it under the module ("B4" → "Utskifting")."""
    return _PHASE_NAMES[language][module]


# --- key figures in running text ----------------------------------------------------------------------------------

# How running text names each metric (by its English name): the definite form in Danish and Bokmål ("sygefraværet",
# "sykefraværet"; None where only the bare name reads well: "For LTIFR var tallet …"), the English subject and whether
# it takes a plural verb. Each holds the metric's name or its longest word, so that the text is seen to name it.
_DEFINITE: dict[str, tuple[str | None, str | None, str, bool]] = {
    "Scope 1 emissions": ("Scope 1-udledningen", "Scope 1-utslippene", "Scope 1 emissions", True),
    "Scope 2 emissions (market-based)": (None, None, "Scope 2 emissions (market-based)", True),
    "Scope 2 emissions (location-based)": (None, None, "Scope 2 emissions (location-based)", True),
    "Scope 3 emissions": ("Scope 3-udledningen", "Scope 3-utslippene", "Scope 3 emissions", True),
    "Emissions from air travel": ("Udledningen fra flyrejser", "Utslippene fra flyreiser", "emissions from air travel",
                                  True),
    "Carbon intensity": ("Udledningsintensiteten", "Utslippsintensiteten", "carbon intensity", False),
    "Energy consumption": ("Energiforbruget", "Energiforbruket", "energy consumption", False),
    "Electricity consumption": ("Elforbruget", "Strømforbruket", "electricity consumption", False),
    "District heating": ("Forbruget af fjernvarme", "Forbruket av fjernvarme", "consumption of district heating",
                         False),
    "Fuel consumption": ("Brændstofforbruget", "Drivstofforbruket", "fuel consumption", False),
    "Share of renewable energy": ("Andelen af vedvarende energi", "Andelen fornybar energi",
                                  "the share of renewable energy", False),
    "Energy intensity": ("Energiintensiteten", "Energiintensiteten", "energy intensity", False),
    "Water consumption": ("Vandforbruget", "Vannforbruket", "water consumption", False),
    "Total waste": ("Affaldsmængden", "Avfallsmengden", "total waste", False),
    "Share of waste recycled": ("Andelen af genanvendt affald", "Andelen gjenvunnet avfall",
                                "the share of waste recycled", False),
    "Hazardous waste": ("Mængden af farligt affald", "Mengden farlig avfall", "hazardous waste", False),
    "Paper consumption": ("Papirforbruget", "Papirforbruket", "paper consumption", False),
    "Number of employees": ("Antallet af medarbejdere", "Antallet ansatte", "the number of employees", False),
    "Number of apprentices": ("Antallet af lærlinge", "Antallet lærlinger", "the number of apprentices", False),
    "Women in management": ("Andelen af kvinder i ledelsen", "Andelen kvinner i ledelsen",
                            "the share of women in management", False),
    "Employee turnover": ("Medarbejderomsætningen", "Turnoveren", "employee turnover", False),
    "Sickness absence": ("Sygefraværet", "Sykefraværet", "sickness absence", False),
    "Gender pay gap": ("Lønforskellen mellem kønnene", "Lønnsforskjellen mellom kjønnene", "the gender pay gap", False),
    "Training hours per employee": ("Antallet af uddannelsestimer pr. medarbejder",
                                    "Antallet opplæringstimer per ansatt", "training hours per employee", True),
    "Employee satisfaction": ("Medarbejdertilfredsheden", "Medarbeidertilfredsheten", "employee satisfaction", False),
    "LTIFR": ("LTIFR", "LTIFR", "LTIFR", False),
    "Lost-time injuries": ("Antallet af arbejdsulykker med fravær", "Antallet arbeidsulykker med fravær",
                           "lost-time injuries", True),
    "Fatalities": ("Antallet af dødsulykker", "Antallet dødsulykker", "fatalities", True),
    "Near misses": ("Antallet af nærvedhændelser", "Antallet nestenulykker", "near misses", True),
    "Safety observations": ("Antallet af sikkerhedsobservationer", "Antallet sikkerhetsobservasjoner",
                            "safety observations", True),
    "Whistleblower reports": ("Antallet af whistleblower-indberetninger", "Antallet varslingssaker",
                              "whistleblower reports", True),
    "Independent board members": ("Andelen af uafhængige bestyrelsesmedlemmer", "Andelen uavhengige styremedlemmer",
                                  "the share of independent board members", False),
    "Anti-corruption training completed": (None, None, "completion of anti-corruption training", False),
    "Suppliers screened for ESG": ("Andelen af leverandører screenet for ESG", "Andelen leverandører screenet for ESG",
                                   "the share of suppliers screened for ESG", False),
    "Confirmed corruption cases": ("Antallet af bekræftede korruptionssager", "Antallet bekreftede korrupsjonssaker",
                                   "confirmed corruption cases", True),
}
# Nynorsk definite forms `_nynorsk` does not make from the Bokmål ones (a feminine noun's "-a", a word of its own).
_NN_DEFINITE: dict[str, str] = {
    "Total waste": "Avfallsmengda",
    "Gender pay gap": "Lønsskilnaden mellom kjønna",
    "Employee satisfaction": "Medarbeidartilfredsheita",
    "Hazardous waste": "Mengda farleg avfall",
}
# A count's noun in the plural (da, nb, en; nn made from nb): "I 2024 ble det registrert 14 nestenulykker".
_COUNT_NOUNS: dict[str, tuple[str, str, str]] = {
    "Number of employees": ("medarbejdere", "ansatte", "employees"),
    "Number of apprentices": ("lærlinge", "lærlinger", "apprentices"),
    "Lost-time injuries": ("arbejdsulykker med fravær", "arbeidsulykker med fravær", "lost-time injuries"),
    "Fatalities": ("dødsulykker", "dødsulykker", "fatalities"),
    "Near misses": ("nærvedhændelser", "nestenulykker", "near misses"),
    "Safety observations": ("sikkerhedsobservationer", "sikkerhetsobservasjoner", "safety observations"),
    "Whistleblower reports": ("whistleblower-indberetninger", "varslingssaker", "whistleblower reports"),
    "Confirmed corruption cases": ("bekræftede korruptionssager", "bekreftede korrupsjonssaker",
                                   "confirmed corruption cases"),
}
_HEADCOUNTS = frozenset({"Number of employees", "Number of apprentices"})  # counted at the end of the year
# Units a sentence leaves out: the table's word for a count ("antall") or an index says nothing after the figure.
_UNSAID_UNITS = frozenset({"antal", "antall", "number", "headcount", "tal", "indeks", "index"})
# What a sentence shape needs: the metric's definite form (any subject in English), only its bare name, the year
# before's figure to compare with, a count's noun, or a count of people at the year's end.
Needs = Literal["definite", "bare", "compared", "noun", "headcount"]


@dataclass(frozen=True)
class _SentenceWords:
    """The sentences that state a figure in one language, and the words they are made of.

    A shape's placeholders: {Metric}/{metric} the definite form, {name} the bare name, {value} the figure with its
    unit, {count} and {noun} a count and its noun, {year}, {prev}/{aside} the year before's figure after a comma or
    in brackets ("" when not given), {p} that figure alone, {cmp} lower or higher, {was} the English verb.
    """

    shapes: tuple[tuple[Needs, Order, str], ...]
    previous: tuple[str, ...]  # {p}: the year before's figure, {year0}: its year
    aside: tuple[str, ...]
    lower: str
    higher: str
    percent: str  # the word that may stand for "%"


_SENTENCE_WORDS: dict[SynthLanguage, _SentenceWords] = {
    "da": _SentenceWords(
        shapes=(
            ("definite", "metric-first", "{Metric} var {value} i {year}{prev}."),
            ("definite", "metric-first", "{Metric} udgjorde {value} i {year}{prev}."),
            ("definite", "metric-first", "I {year} endte {metric} på {value}{prev}."),
            ("definite", "metric-first", "{Metric} landede på {value} i {year}{prev}."),
            ("bare", "metric-first", "For {name} var tallet {value} i {year}{prev}."),
            ("bare", "metric-first", "Nøgletallet {name} blev {value} i {year}{prev}."),
            ("compared", "value-first", "Med {value} i {year} blev {metric} {cmp} end året før, hvor tallet var {p}."),
            ("definite", "value-first", "Med {value} i {year}{aside} nåede {metric} årets mål."),
            ("noun", "value-first", "I {year} blev der registreret {count} {noun}{prev}."),
            ("headcount", "value-first", "Ved udgangen af {year} havde koncernen {count} {noun}{prev}."),
        ),
        previous=(", mod {p} året før", ", sammenlignet med {p} i {year0}"),
        aside=(" (mod {p} året før)", " ({p} i {year0})"),
        lower="lavere", higher="højere", percent="procent",
    ),
    "nb": _SentenceWords(
        shapes=(
            ("definite", "metric-first", "{Metric} var {value} i {year}{prev}."),
            ("definite", "metric-first", "{Metric} utgjorde {value} i {year}{prev}."),
            ("definite", "metric-first", "I {year} endte {metric} på {value}{prev}."),
            ("definite", "metric-first", "{Metric} landet på {value} i {year}{prev}."),
            ("bare", "metric-first", "For {name} var tallet {value} i {year}{prev}."),
            ("bare", "metric-first", "Nøkkeltallet {name} endte på {value} i {year}{prev}."),
            ("compared", "value-first", "Med {value} i {year} ble {metric} {cmp} enn året før, da tallet var {p}."),
            ("definite", "value-first", "Med {value} i {year}{aside} nådde {metric} målet for året."),
            ("noun", "value-first", "I {year} ble det registrert {count} {noun}{prev}."),
            ("headcount", "value-first", "Ved utgangen av {year} hadde konsernet {count} {noun}{prev}."),
        ),
        previous=(", mot {p} året før", ", sammenlignet med {p} i {year0}"),
        aside=(" (mot {p} året før)", " ({p} i {year0})"),
        lower="lavere", higher="høyere", percent="prosent",
    ),
    "nn": _SentenceWords(
        shapes=(
            ("definite", "metric-first", "{Metric} var {value} i {year}{prev}."),
            ("definite", "metric-first", "{Metric} utgjorde {value} i {year}{prev}."),
            ("definite", "metric-first", "I {year} enda {metric} på {value}{prev}."),
            ("definite", "metric-first", "{Metric} landa på {value} i {year}{prev}."),
            ("bare", "metric-first", "For {name} var talet {value} i {year}{prev}."),
            ("bare", "metric-first", "Nøkkeltalet {name} enda på {value} i {year}{prev}."),
            ("compared", "value-first", "Med {value} i {year} vart {metric} {cmp} enn året før, då talet var {p}."),
            ("definite", "value-first", "Med {value} i {year}{aside} nådde {metric} målet for året."),
            ("noun", "value-first", "I {year} vart det registrert {count} {noun}{prev}."),
            ("headcount", "value-first", "Ved utgangen av {year} hadde konsernet {count} {noun}{prev}."),
        ),
        previous=(", mot {p} året før", ", samanlikna med {p} i {year0}"),
        aside=(" (mot {p} året før)", " ({p} i {year0})"),
        lower="lågare", higher="høgare", percent="prosent",
    ),
    "en": _SentenceWords(
        shapes=(
            ("definite", "metric-first", "{Metric} {was} {value} in {year}{prev}."),
            ("definite", "metric-first", "{Metric} amounted to {value} in {year}{prev}."),
            ("definite", "metric-first", "In {year}, {metric} stood at {value}{prev}."),
            ("definite", "metric-first", "{Metric} came in at {value} in {year}{prev}."),
            ("bare", "metric-first", "For {name}, the figure was {value} in {year}{prev}."),
            ("bare", "metric-first", "The key figure {name} ended {year} at {value}{prev}."),
            ("compared", "value-first",
             "At {value} in {year}, {metric} {was} {cmp} than the year before, when the figure was {p}."),
            ("definite", "value-first", "At {value} in {year}{aside}, {metric} met the target for the year."),
            ("noun", "value-first", "In {year}, {count} {noun} were recorded{prev}."),
            ("headcount", "value-first", "At the end of {year}, the group had {count} {noun}{prev}."),
        ),
        previous=(", against {p} the year before", ", compared with {p} in {year0}"),
        aside=(" (against {p} the year before)", " ({p} in {year0})"),
        lower="lower", higher="higher", percent="per cent",
    ),
}


def _definite(metric: _Metric, language: SynthLanguage) -> tuple[str | None, bool]:
    """How running text names a metric as a sentence's subject, and whether an English verb is plural.

    None where a language has no form that reads well (the sentence keeps the bare name).
    """
    da, nb, en, plural = _DEFINITE[metric.names[2]]
    if language == "nn":
        return (_NN_DEFINITE.get(metric.names[2]) or _nynorsk(nb)) if nb else None, plural
    return {"da": da, "nb": nb, "en": en}[language], plural


def _count_noun(metric: _Metric, language: SynthLanguage) -> str | None:
    """A count's noun in the plural ("tilsette"), or None for a metric that is no count of things."""
    nouns = _COUNT_NOUNS.get(metric.names[2])
    if nouns is None:
        return None
    return _nynorsk(nouns[1]) if language == "nn" else nouns[_LANG_INDEX[language]]


# --- page geometry (points, origin top left, y of text is its baseline) ----------------------------

_PAGE_W = 595.28
_MARGIN = 50.0
_BODY_W = _PAGE_W - 2 * _MARGIN
_BODY_TOP = 72.0
_BODY_BOTTOM = 785.0
_HEADER_Y = 34.0
_FOOTER_Y = 815.0
_GUTTER = 18.0
_BLOCK_GAP = 20.0
_TEXT_SIZE = 9.5
_LEADING = 12.5
_PARA_GAP = 6.0
_CELL_SIZE = 8.5
_CELL_LEAD = 10.5
_PAD = 3.5
_TITLE_SIZE = 10.0
_TITLE_H = 17.0
_TEXT_BUDGET = 330.0  # text height on a page that also holds tables
_FONT = "helvetica"
_NOTE_GAP = 6.0  # between a note column left of the labels and the labels, besides the cells' padding


def _width(pdf: FPDF, text: str) -> float:
    """`pdf.get_string_width` for a core font, without fpdf2's per-call text shaping (ten times faster)."""
    widths: dict[str, int] = cast(Any, pdf.current_font).cw
    return sum(widths[ch] for ch in text.encode("cp1252").decode("latin-1")) * pdf.font_size_pt / 1000


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Greedy word wrap at spaces (never hyphenates) in the current font."""
    space = _width(pdf, " ")
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for word in text.split():
        size = _width(pdf, word)
        if line and used + space + size > width:
            lines.append(" ".join(line))
            line, used = [word], size
        else:
            used = used + space + size if line else size
            line.append(word)
    if line:
        lines.append(" ".join(line))
    return lines


# --- typesetting: sub- and superscript digits --------------------------------------------------------------------

# A formula of a greenhouse gas or pollutant, glued to a unit's prefix or not ("CO2e", "tCO2e", "CH4", "N2O", "SF6"):
# two or more element symbols, each with its count; a lone "A1" or "C4" (a life-cycle module) is none. Its digits
# are subscripts.
_FORMULA = re.compile(r"(?<![A-Za-z\d])(?:[kMG]?t|k?g)?((?:[CHNOSF]\d{0,2}){2,})(?=e?(?![A-Za-z\d]))")
# A power of a unit of length ("m2", "m³", "kWh/m2", "kg CO2e/m²"): the digit is a superscript.
_POWER = re.compile(r"(?<![A-Za-z\d])[kcdm]?m([23\u00b2\u00b3])(?![A-Za-z\d])")
# A sub- or superscript's size and how far its baseline moves, of the text's size (fpdf2's `char_vpos` defaults).
_SCRIPT_SCALE = 0.7
_SUB_DROP = 0.15
_SUP_RISE = 0.4
# A superscript glyph ("²", "³", drawn as it is, so the text reads as the truth's) is raised itself: lifted so far,
# smaller, its top stays where the full-size glyph's is (0.703 of the size in Helvetica).
_SUP_GLYPH_RISE = (1 - _SCRIPT_SCALE) * 0.703


def _typeset_runs(text: str) -> list[tuple[str, int]]:
    """`text` cut into runs as a typesetter sets it: (run, 0) on the line, -1 a subscript, 1 a superscript.

    The runs joined are `text`: a typeset report draws the same characters, only the scripts smaller and off the line.
    """
    scripts: dict[int, int] = {}
    for match in _FORMULA.finditer(text):
        scripts.update({i: -1 for i in range(match.start(1), match.end(1)) if text[i].isdigit()})
    for match in _POWER.finditer(text):
        scripts[match.start(1)] = 1
    runs: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        vpos = scripts.get(i, 0)
        if runs and runs[-1][1] == vpos:
            runs[-1] = (runs[-1][0] + ch, vpos)
        else:
            runs.append((ch, vpos))
    return runs


def _drawn_width(pdf: FPDF, text: str) -> float:
    """The width `text` is drawn at in the current font: `_width`, less what a typesetting PDF's scripts save.

    Never more than `_width`: text measured for the layout as the untypeset report measures it stays in its room.
    """
    if not getattr(pdf, "typesets", False):
        return _width(pdf, text)
    return sum(_width(pdf, run) * (_SCRIPT_SCALE if vpos else 1.0) for run, vpos in _typeset_runs(text))


def _typeset_text(pdf: FPDF, draw: Callable[[float, float, str], None], x: float, y: float, text: str) -> None:
    """Draw `text` with `draw` (an `FPDF.text`), its formulas' digits lowered and its powers raised, both smaller."""
    size = pdf.font_size_pt
    for run, vpos in _typeset_runs(text):
        if not vpos:
            draw(x, y, run)
            x += _width(pdf, run)
            continue
        rise = -_SUB_DROP if vpos < 0 else _SUP_GLYPH_RISE if run in ("\u00b2", "\u00b3") else _SUP_RISE
        pdf.set_font_size(size * _SCRIPT_SCALE)
        draw(x, y - rise * size, run)
        x += _width(pdf, run)
        pdf.set_font_size(size)


@cache
def _typesetting_pdf() -> type[FPDF]:
    """An `FPDF` whose `text` sets formulas and powers with sub- and superscripts (see `_typeset_text`).

    Everything else, the measuring included, is the plain `FPDF`'s: a report typeset is laid out as without.
    """
    from fpdf import FPDF

    class TypesettingPDF(FPDF):
        typesets = True

        def text(self, x: float, y: float, text: str = "") -> None:
            runs = _typeset_runs(text)
            if len(runs) > 1 or (runs and runs[0][1]):
                _typeset_text(self, super().text, x, y, text)
            else:
                super().text(x, y, text)

    return TypesettingPDF


@dataclass
class _TableLayout:
    """A table with the geometry it will be printed with."""

    table: SynthTable
    widths: list[float]  # label column first
    indent: float
    group_gap: float
    stacked: float = 0.0  # printed this close under the table before, without a caption (0: a caption of its own)
    x: float = _MARGIN  # the table's left edge
    note_w: float = 0.0  # the width of the note column (`SynthTable.notes`), 0 without one
    note_align: str = "center"  # how the note references sit in their column
    # A building table's new form (codes, phase names, or a comparison instead), printed in its place where the page
    # has room for it; and the table in the other unit printed after it where there is room for that too.
    variant: _TableLayout | None = None
    twin: _TableLayout | None = None

    def edges(self) -> list[float]:
        """The x of each column's left edge, label column first, and the table's right edge.

        A note column left of the labels moves the label column right; one between them and the figures moves
        the figures right.
        """
        xs = [self.x + (self.note_w if self.table.notes == "left" else 0.0)]
        for k, w in enumerate(self.widths):
            xs.append(xs[-1] + w + (self.note_w if k == 0 and self.table.notes == "between" else 0.0))
        return xs

    def note_x(self) -> float:
        """The left edge of the note column."""
        return self.x if self.table.notes == "left" else self.x + self.widths[0]

    def note_cell(self, pdf: FPDF, text: str) -> float:
        """The x a note reference (or the column's header) is printed at.

        Left of the labels the references keep a gap of their own before the labels (as wide as a cell gap
        again), so that a reference set flush right does not run into its label.
        """
        width = self.note_w - (_NOTE_GAP if self.table.notes == "left" else 0.0)
        return _cell_x(pdf, text, self.note_x(), width, self.note_align)

    @property
    def title_height(self) -> float:
        return 0.0 if self.stacked else _TITLE_H

    @property
    def gap_before(self) -> float:
        return self.stacked or _BLOCK_GAP

    @property
    def header_height(self) -> float:
        return len(self.table.header_rows) * _CELL_LEAD + 2 * _PAD

    def row_height(self, row: SynthRow) -> float:
        return max(len(row.label_lines), 1) * _CELL_LEAD + 2 * _PAD

    def height(self) -> float:
        rows = self.table.rows
        gaps = sum(self.group_gap for i, r in enumerate(rows) if r.group and i > 0)
        return self.title_height + self.header_height + sum(self.row_height(r) for r in rows) + gaps

    def alignment(self, column: int) -> str:
        """Alignment of data column `column` (-1 is the label column)."""
        if column < 0:
            return "left"
        if self.table.column_kinds[column] == "unit":
            return "center" if self.table.align == "center" else "left"
        return self.table.align


def _cell_x(pdf: FPDF, text: str, left: float, width: float, align: str) -> float:
    if align == "right":
        return left + width - _PAD - _drawn_width(pdf, text)
    if align == "center":
        return left + (width - _drawn_width(pdf, text)) / 2
    return left + _PAD


def _baseline(top: float, line: int) -> float:
    return top + _PAD + _CELL_SIZE * 0.8 + line * _CELL_LEAD


def _draw_table(pdf: FPDF, lay: _TableLayout, top: float) -> None:
    """Print a table: title, stripes, header, rows (label lines, then values), then its rules."""
    table = lay.table
    xs = lay.edges()
    if table.title:
        pdf.set_font(_FONT, "B", _TITLE_SIZE)
        pdf.text(lay.x, top + 11, table.title)
    y = top + lay.title_height
    row_tops: list[float] = []
    cursor = y + lay.header_height
    for i, row in enumerate(table.rows):
        if row.group and i > 0:
            cursor += lay.group_gap
        row_tops.append(cursor)
        cursor += lay.row_height(row)
    if table.ruling == "stripes":
        pdf.set_fill_color(232, 236, 240)
        for i, row in enumerate(table.rows):
            if i % 2 == 0:
                pdf.rect(lay.x, row_tops[i], xs[-1] - lay.x, lay.row_height(row), style="F")
    pdf.set_font(_FONT, "B", _CELL_SIZE)
    spans = {(n, first + 1): last + 1 for n, first, last in table.header_spans}  # header columns, label first
    inside = {(n, c) for n, first, last in table.header_spans for c in range(first + 2, last + 2)}
    for n, line in enumerate(table.header_rows):
        for c, text in enumerate(line):
            if not text or (n, c) in inside:
                continue
            if (n, c) in spans:  # once, centred over the columns it heads
                x = _cell_x(pdf, text, xs[c], xs[spans[n, c] + 1] - xs[c], "center")
            else:
                x = _cell_x(pdf, text, xs[c], lay.widths[c], lay.alignment(c - 1))
            pdf.text(x, _baseline(y, n), text)
    if table.note_head:  # on the header's last line, like the headers under it
        pdf.text(lay.note_cell(pdf, table.note_head), _baseline(y, len(table.header_rows) - 1), table.note_head)
    for row, row_top in zip(table.rows, row_tops, strict=True):
        _draw_row(pdf, lay, row, row_top, xs)
    _draw_rules(pdf, lay, xs, y, row_tops, cursor)


def _draw_row(pdf: FPDF, lay: _TableLayout, row: SynthRow, top: float, xs: list[float]) -> None:
    pdf.set_font(_FONT, "B" if row.group or row.bold else "", _CELL_SIZE)
    indent = lay.indent if row.parent else 0.0
    for n, line in enumerate(row.label_lines):
        pdf.text(xs[0] + _PAD + indent, _baseline(top, n), line)
    last = len(row.label_lines) - 1
    line_pos = {"top": 0.0, "middle": last / 2, "bottom": float(last)}[lay.table.valign]
    pdf.set_font(_FONT, "B" if row.bold else "", _CELL_SIZE)
    if row.note:  # on the label's first line
        pdf.text(lay.note_cell(pdf, row.note), _baseline(top, 0), row.note)
    for j, text in enumerate(row.cells):
        if text:
            x = _cell_x(pdf, text, xs[j + 1], lay.widths[j + 1], lay.alignment(j))
            pdf.text(x, top + _PAD + _CELL_SIZE * 0.8 + line_pos * _CELL_LEAD, text)


def _draw_rules(
    pdf: FPDF, lay: _TableLayout, xs: list[float], top: float, row_tops: list[float], bottom: float
) -> None:
    ruling = lay.table.ruling
    if ruling in ("none", "stripes"):
        return
    pdf.set_draw_color(90, 90, 90)
    left, right = lay.x, xs[-1]
    head_bottom = top + lay.header_height
    # Under a heading that spans columns, a rule over just those columns; grid lines between them start below it.
    under_span: dict[int, float] = {}
    for n, first, last in lay.table.header_spans:
        y = _baseline(top, n) + 0.35 * _CELL_SIZE
        inset = 0.0 if ruling == "grid" else 3.0
        pdf.set_line_width(0.4)
        pdf.line(xs[first + 1] + inset, y, xs[last + 2] - inset, y)
        under_span.update({k: y for k in range(first + 2, last + 2)})
    if ruling == "booktabs":
        lines = [(top, 0.9), (head_bottom, 0.5), (bottom, 0.9)]
        lines += [(t, 0.5) for t, row in zip(row_tops, lay.table.rows, strict=True) if row.total]
        for y, width in lines:
            pdf.set_line_width(width)
            pdf.line(left, y, right, y)
        return
    pdf.set_line_width(0.5)
    for y in [top, head_bottom, *row_tops[1:], bottom]:
        pdf.line(left, y, right, y)
    if ruling == "grid":
        for k, x in enumerate(xs):
            pdf.line(x, under_span.get(k, top), x, bottom)


# --- the generator --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    """A category cell: its printed text and what it adds to a total (0 when empty or a dash).

    `figure` is the value it would print, were it not empty or a dash.
    """

    text: str
    value: float = 0.0
    figure: float = 0.0

    def shown(self, notation: Notation, decimals: int) -> _Cell:
        """The cell with its figure printed."""
        return _Cell(format_number(self.figure, decimals, notation), self.figure, self.figure)

    @property
    def blank(self) -> bool:
        return self.text in ("", DASH)


@dataclass
class _CatColumn:
    """A data column of a category-column table while it is being laid out."""

    head: str
    kind: ColumnKind  # "category" or "unit"
    cells: list[_Cell]
    decimals: int = 0
    summed: bool = True  # the total row adds it up
    in_total: bool = True  # the total column adds it up
    spannable: bool = True  # may sit under a heading spanning several columns
    unit_head: bool = True  # takes the unit when units are printed in the column headers
    total_text: str = ""  # the total row's cell when the column is not summed
    sub: str = ""  # a second header line under `head` (a module's name: "A4" over "Transport")
    unit: str | None = None  # the column's own unit ("Reduksjon (%)": "%"); None: the row's or the table's


@dataclass
class _CatSpec:
    """What a family of category tables draws: item labels, columns, and where the unit may go."""

    labels: list[str]
    columns: list[_CatColumn]
    unit: str  # "" when every row has its own unit (`row_units`)
    unit_styles: tuple[UnitStyle, ...]
    row_units: list[str] = field(default_factory=list)
    total_column: bool = True
    total_row: bool = True


@dataclass(frozen=True)
class _CatStyle:
    """How a category table is headed and totalled."""

    label_head: str
    unit: str  # printed in the column headers (or the spanning heading); "" when it goes elsewhere
    header_style: str  # "single", "spanning" or "wrapped"
    span_text: str
    span_total: bool  # the total column sits under the spanning heading too
    total_column: bool
    total_head: str
    total_row: bool
    wrap: bool  # a narrow label column


@dataclass
class _CatCells:
    """A category table's data columns — header (text, unit suffix), kind, whether it may be spanned — and cells."""

    heads: list[tuple[str, str]]
    kinds: list[ColumnKind]
    rows: list[list[str]]
    spannable: list[bool]
    totals: list[str] | None = None
    subs: list[str] = field(default_factory=list)  # each column's second header line, "" for none


def _with_units(row: SynthRow, units: list[str]) -> SynthRow:
    """The row with the unit of each of its figures; "" under a cell that holds no figure (empty, a dash)."""
    return replace(row, units=[u if text and text != DASH and not row.group else "" for text, u in
                               zip(row.cells, units, strict=True)])


def _span(spannable: list[bool]) -> list[int]:
    """The longest run of neighbouring columns that may share a spanning heading; [] when shorter than two."""
    runs: list[list[int]] = [[]]
    for j, ok in enumerate(spannable):
        if ok:
            runs[-1].append(j)
        elif runs[-1]:
            runs.append([])
    best = max(runs, key=len)
    return best if len(best) >= 2 else []


def _value(rng: random.Random, kind: str, base: float | None = None) -> tuple[float, int]:
    """A random value of a kind, near `base` when given, with its number of decimals."""
    decimals = {"big": 0, "count": 0, "few": 0, "dec1": 1, "dec2": 2, "pct": 1}[kind]
    if base is not None:
        value = max(base * rng.uniform(0.8, 1.2), 0.0)
        value = min(value, 100.0) if kind == "pct" else value
    elif kind == "big":
        value = rng.choice((rng.uniform(120, 999), rng.uniform(1000, 99999), rng.uniform(100000, 2500000)))
    elif kind == "count":
        value = rng.uniform(5, 480)
    elif kind == "few":
        value = rng.uniform(0, 6)
    elif kind == "pct":
        value = rng.uniform(0.5, 95)
    else:
        value = rng.uniform(0.05, 9.99) if kind == "dec2" else rng.uniform(1, 999)
    return value, decimals


@dataclass(frozen=True)
class _Variants:
    """How often a building table takes each new form, and the seed their streams are named by (0: never).

    Each form is drawn once per building table from a stream of its own, whatever the others drew, and what a form
    prints (values, widths) from a stream of that table's own: one switch turned off changes no other form.
    """

    seed: int = 0
    codes: float = 0.0
    phase_names: float = 0.0
    twins: float = 0.0
    comparisons: float = 0.0


@dataclass(frozen=True)
class _BuildingForm:
    """The forms one building table was drawn to take, and its number among the report's building tables."""

    index: int
    codes: bool
    names: bool
    twin: bool
    comparison: bool


@dataclass
class _CatDraw:
    """A category table's drawn choices, so that it can be laid out again (in a new form) without drawing anew."""

    family: str
    spec: _CatSpec
    unit_style: UnitStyle
    style: _CatStyle
    labels: list[str]
    units: list[str]
    columns: list[_CatColumn]
    ruling: Ruling
    align: Align
    valign: VAlign
    bold: bool
    codes: bool = False
    names: bool = False


@dataclass
class _Assembled:
    """A laid-out category table with what it was laid out from: its draw (final columns and style), its total label."""

    layout: _TableLayout
    draw: _CatDraw
    total: str | None


def _building_part(label: str) -> int:
    """The index in `_BUILDING_PARTS` of a building part's name in any language."""
    return next(k for k, names in enumerate(_BUILDING_PARTS) if label in names)


def _copies(columns: list[_CatColumn]) -> list[_CatColumn]:
    """Columns whose cells may be changed without changing the originals' (`_category_cells` shows a blank row's)."""
    return [replace(c, cells=list(c.cells)) for c in columns]


class _Report:
    """The state of one report being printed: randomness, the PDF, labels and sentence ids used so far."""

    def __init__(
        self, rng: random.Random, pdf: FPDF, language: SynthLanguage, notation: Notation, year: int,
        side: random.Random | None = None,
        categories: float = CATEGORY_SHARE,
        stack: random.Random | None = None,
        units: random.Random | None = None,
        variants: _Variants | None = None,
    ) -> None:
        self.rng = rng
        # The forms of building tables (codes, phase names, a twin, a comparison): one stream each, see `_Variants`.
        self.variants = variants or _Variants()
        self.forms = {name: random.Random(f"{name}-{self.variants.seed}")
                      for name in ("codes", "phase-names", "twins", "comparisons")}
        self.building_tables = 0
        # Whether a category table is stacked under the table before it is drawn from a stream of its own, so
        # every table and paragraph is printed as before; only the caption and the gap above it go.
        self.stack = stack or random.Random(1)
        self.categories = categories
        # Category-column tables draw from `side` and keep their labels in `category_used`: the main stream of
        # choices, and so every other table and paragraph of a seed, is the same as before they were added.
        self.side = side or random.Random(0)
        # Where a table prints the one unit all its figures share (the corner, the title, and how the title says
        # it) is drawn from a stream of its own: every other choice of a seed is made as before.
        self.units = units or random.Random(2)
        self.pdf = pdf
        self.language = language
        self.words = _WORDS[language]
        self.notation = notation
        self.year = year
        self.used: set[str] = set()
        self.category_used: set[str] = set()
        self.sentence_id = rng.randint(1, 60)
        self.table_number = 0
        self.headings = rng.sample(self.words.headings, len(self.words.headings))

    # text

    def sentence(self) -> str:
        rng, w = self.rng, self.words
        past, inf = rng.choice(w.verbs)
        time = rng.choice(w.times).format(year=self.year, year0=self.year - rng.randint(2, 6))
        subj = rng.choice(w.subjects)
        self.sentence_id += rng.randint(1, 3)
        text = rng.choice(w.templates).format(
            Time=time[0].upper() + time[1:], time=time, Subj=subj[0].upper() + subj[1:], subj=subj, past=past,
            inf=inf, obj=rng.choice(w.objects), clause=rng.choice(w.clauses), pct=rng.randint(3, 45),
            target=self.year + rng.choice((1, 3, 6)), city=rng.choice(w.cities), sid=self.sentence_id,
        )
        return text[0].upper() + text[1:]

    # values

    def value(self, kind: str, base: float | None = None) -> tuple[float, int]:
        """A random value of a kind, near `base` when given, with its number of decimals."""
        return _value(self.rng, kind, base)

    def series(self, kind: str, n: int, empty: float = 0.07, dash: float = 0.06) -> list[str]:
        """`n` printed values of one metric; some empty (nothing printed) or a dash, never all of them."""
        base, decimals = self.value(kind)
        out = []
        for _ in range(n):
            value, _ = self.value(kind, base)
            roll = self.rng.random()
            out.append("" if roll < empty else DASH if roll < empty + dash else self.number(value, decimals))
        if not any(text and text != DASH for text in out):
            out[self.rng.randrange(n)] = self.number(base, decimals)
        return out

    def number(self, value: float, decimals: int) -> str:
        return format_number(round(value, decimals), decimals, self.notation)

    def metric(self, category: str | None, long: bool, used: set[str] | None = None) -> tuple[_Metric, str] | None:
        """A metric and a label not used before in this report (a qualifier makes names varied).

        The label is recorded in `used` (`self.used` when None), and must be in neither.
        """
        taken = self.used if used is None else used
        pool = [m for m in _METRICS if category is None or m.category == category]
        i = _LANG_INDEX[self.language]
        for _ in range(60):
            metric = self.rng.choice(pool)
            if long:
                qualifier = self.rng.choice(self.words.long_qualifiers)
            else:
                qualifier = self.rng.choice(self.words.qualifiers) if self.rng.random() < 0.5 else ""
            label = f"{metric.names[i]} {qualifier}".strip()
            if label not in self.used and label not in taken:
                taken.add(label)
                return metric, label
        return None

    def unit(self, metric: _Metric) -> str:
        return metric.units[_LANG_INDEX[self.language]]

    def money(self) -> _TableLayout | None:
        """Key financial figures × years, their scale of money printed once.

        Alone in the header's corner ("Mio. kr. | 2024 | 2023") or at the end of the title ("Hovedtal (mio. kr.)",
        "Key figures, DKKm"); a margin row names its own unit, "%", in brackets, which the reader must prefer.
        None when the report has printed these figures already.
        """
        rng, w = self.rng, self.words
        years = self.years()
        unit = rng.choice(_MONEY_SCALES[self.language])
        corner = rng.random() < 0.5
        names = rng.sample(_MONEY_LABELS[self.language], rng.randint(3, 5))
        labels = [n for n in names if n not in self.used]
        if len(labels) < 2:
            return None
        self.used.update(labels)
        rows: list[tuple[str, list[str], str]] = []
        for label in labels:
            rows.append((label, self.series("big", len(years)), unit))
        margin = _MONEY_MARGIN[self.language]
        if margin not in self.used and rng.random() < 0.5:
            self.used.add(margin)
            rows.insert(rng.randint(1, len(rows)), (f"{margin} (%)", self.series("pct", len(years)), "%"))
        kinds: list[ColumnKind] = ["year"] * len(years)
        heads: list[list[str]] = [[unit if corner else ""]] + [[str(year)] for year in years]
        self.pdf.set_font(_FONT, "", _CELL_SIZE)
        widths = [0.0] + [self._data_width(kind, [r[1][j] for r in rows], heads[j + 1]) for j, kind in
                          enumerate(kinds)]
        widths[0] = self._label_width([r[0] for r in rows], 0.0, False, _BODY_W - sum(widths))
        self.table_number += 1
        title = f"{w.table} {self.table_number}. {_MONEY_TOPICS[self.language]}"
        table = SynthTable(
            title=title if corner else self.titled(title, unit),
            header_rows=_bottom_aligned(heads),
            rows=[_with_units(self._row(label, cells, None, False, widths[0] - 2 * _PAD), [u] * len(cells))
                  for label, cells, u in rows],
            column_kinds=kinds,
            years_as="columns",
            ruling=rng.choice(RULINGS),
            unit_style="corner" if corner else "none",
            align="right" if rng.random() < 0.8 else "center",
            valign="top",
        )
        return _TableLayout(table, widths, 0.0, group_gap=0.0)

    def titled(self, title: str, unit: str) -> str:
        """A title that names its table's unit: "Energiforbrug (MWh)" or "Emissions, tonnes CO2e"."""
        return f"{title} ({unit})" if self.units.random() < 0.6 else f"{title}, {unit}"

    def one_unit(self, heads: list[list[str]], kinds: list[ColumnKind], rows: list[tuple[str, list[str], str | None,
                 bool]], row_units: list[str]) -> tuple[UnitStyle, str]:
        """A years table whose figures mostly share one unit may print it once, in the corner or the title.

        Its unit column goes (`heads`, `kinds` and `rows` are changed in place); a row in another unit names its own
        in brackets after its label ("Intensitet (tCO2e/mio. kr.)"), which the reader must prefer. Returns the unit
        style and the unit the title is to name ("" when the corner names it, or the unit column stays).
        """
        counts = Counter(u for u in row_units if u)
        if kinds[:1] != ["unit"] or not counts or self.units.random() >= ONE_UNIT_SHARE:
            return "column", ""
        unit, n = counts.most_common(1)[0]
        if n < 2 or 2 * n < sum(counts.values()):
            return "column", ""
        del kinds[0], heads[1]
        for i, (label, cells, parent, group) in enumerate(rows):
            del cells[0]
            if row_units[i] and row_units[i] != unit:
                rows[i] = (f"{label} ({row_units[i]})", cells, parent, group)
        if self.units.random() < 0.5:
            return "none", unit
        head = heads[0][0]
        heads[0] = [f"{head} ({unit})" if head and self.units.random() < 0.5 else unit]
        return "corner", ""

    def years(self) -> list[int]:
        years = [self.year - k for k in range(self.rng.choice((2, 3, 3, 4)))]
        return years if self.rng.random() < 0.75 else years[::-1]

    def title(self, category: str) -> str:
        self.table_number += 1
        return f"{self.words.table} {self.table_number}. {self.words.topics[category]}"

    # tables

    def table(self) -> _TableLayout:
        """Years as rows or as columns; or, drawn from the side stream, a category-column table in its place.

        The years table is drawn either way, so the main stream of choices goes on as it always did.
        """
        lay = self.years_as_rows() if self.rng.random() < 0.3 else self.years_as_columns()
        if self.side.random() >= self.categories:
            if self.categories and lay.table.years_as == "columns" and self.units.random() < MONEY_SHARE:
                main, self.rng = self.rng, self.units
                self.table_number -= 1  # it takes the number of the table it replaces
                try:
                    money = self.money()
                finally:
                    self.rng = main
                if money is None:
                    self.table_number += 1
                return money or lay
            return lay
        main, number = self.rng, self.table_number
        self.rng, self.table_number = self.side, number - 1  # it takes the number of the table it replaces
        try:
            category = self.category_columns()
        finally:
            self.rng = main
        self.table_number = number
        return category or lay

    def years_as_columns(self) -> _TableLayout:
        rng, w = self.rng, self.words
        unit_style: UnitStyle = rng.choice(("column", "column", "label"))
        years = self.years()
        target_year = self.year + rng.choice((1, 3, 6))
        has_target = rng.random() < 0.5
        categories = rng.sample(_CATEGORIES, rng.choice((1, 2, 2, 3)))
        grouped = rng.random() < 0.5 and all(w.groups[c] not in self.used for c in categories)
        wrap = rng.random() < 0.45
        kinds: list[ColumnKind] = ["unit"] if unit_style == "column" else []
        kinds += cast(list[ColumnKind], ["year"] * len(years) + (["target"] if has_target else []))
        heads: list[list[str]] = [[rng.choice(w.key_headers)]] + ([[w.unit]] if unit_style == "column" else [])
        heads += [[str(year)] for year in years]
        if has_target:  # "Mål 2025" on one line or two
            heads.append([w.target, str(target_year)] if rng.random() < 0.5 else [f"{w.target} {target_year}"])
        rows: list[tuple[str, list[str], str | None, bool]] = []  # label, cells, parent, group
        row_units: list[str] = []  # the unit of each row's figures ("" for a group row)
        for category in categories:
            parent = w.groups[category] if grouped else None
            if parent:
                self.used.add(parent)
                rows.append((parent, [""] * len(kinds), None, True))
                row_units.append("")
            for _ in range(rng.randint(2, 4) if grouped else rng.randint(2, 4) + (len(categories) == 1)):
                picked = self.metric(category, long=wrap and rng.random() < 0.5)
                if picked is None:
                    continue
                metric, label = picked
                cells = self.series(metric.kind, len(years))
                if unit_style == "label":
                    label = f"{label} ({self.unit(metric)})"
                else:
                    cells.insert(0, self.unit(metric))
                if has_target:
                    cells.append(rng.choice(("", DASH, self.series(metric.kind, 1, 0.0, 0.0)[0])))
                rows.append((label, cells, parent, False))
                row_units.append(self.unit(metric))
        unit_style, title_unit = self.one_unit(heads, kinds, rows, row_units) if unit_style == "column" else (
            unit_style, "")
        self.pdf.set_font(_FONT, "", _CELL_SIZE)
        widths = [0.0] + [self._data_width(kind, [r[1][j] for r in rows], heads[j + 1]) for j, kind in
                          enumerate(kinds)]
        indent = rng.choice((0.0, 10.0)) if grouped else 0.0
        widths[0] = self._label_width([r[0] for r in rows], indent, wrap, _BODY_W - sum(widths))
        label_w = widths[0] - 2 * _PAD
        title = self.title(categories[0])
        table = SynthTable(
            title=self.titled(title, title_unit) if title_unit else title,
            header_rows=_bottom_aligned(heads),
            rows=[_with_units(self._row(label, cells, parent, group, label_w - (indent if parent else 0.0)),
                              [unit if kind == "year" else "" for kind in kinds])
                  for (label, cells, parent, group), unit in zip(rows, row_units, strict=True)],
            column_kinds=kinds,
            years_as="columns",
            ruling=rng.choice(RULINGS),
            unit_style=unit_style,
            align="right" if rng.random() < 0.8 else "center",
            valign=rng.choice(("top", "top", "middle", "bottom")),
        )
        return _TableLayout(table, widths, indent, group_gap=0.0 if table.ruling == "grid" else 5.0)

    def years_as_rows(self) -> _TableLayout:
        rng, w = self.rng, self.words
        years = self.years()
        picked = [self.metric(None, long=False) for _ in range(rng.randint(3, 5))]
        metrics = [p for p in picked if p is not None]
        self.pdf.set_font(_FONT, "B", _CELL_SIZE)
        width = rng.uniform(62, 84)
        heads: list[list[str]] = [[rng.choice((w.year, ""))]]
        widths = [rng.uniform(50, 64)]
        for metric, label in metrics:
            text = f"{label} ({self.unit(metric)})"
            col = width
            # Wide enough for three lines at most, and for the longest word: printed text never overflows its cell.
            while len(lines := _wrap(self.pdf, text, col - 2 * _PAD)) > 3 or any(
                _width(self.pdf, line) > col - 2 * _PAD for line in lines
            ):
                col += 6
            heads.append(lines)
            widths.append(col)
        columns = [self.series(m.kind, len(years)) for m, _ in metrics]
        units = [self.unit(m) for m, _ in metrics]
        rows = [_with_units(SynthRow(str(y), [col[i] for col in columns], None, [str(y)]), units)
                for i, y in enumerate(years)]
        if rng.random() < 0.5:
            label = f"{w.target} {self.year + rng.choice((1, 3, 6))}"
            cells = [rng.choice(("", DASH, self.series(m.kind, 1, 0.0, 0.0)[0])) for m, _ in metrics]
            if not any(c and c != DASH for c in cells):
                cells[0] = self.series(metrics[0][0].kind, 1, 0.0, 0.0)[0]
            rows.append(SynthRow(label, cells, None, [label]))
        table = SynthTable(
            title=self.title(metrics[0][0].category),
            header_rows=_bottom_aligned(heads),
            rows=rows,
            column_kinds=["metric"] * len(metrics),
            years_as="rows",
            ruling=rng.choice(RULINGS),
            unit_style="header",
            align="right" if rng.random() < 0.8 else "center",
            valign="top",
        )
        return _TableLayout(table, widths, 0.0, group_gap=0.0)

    def _data_width(self, kind: ColumnKind, texts: list[str], head: list[str]) -> float:
        pdf = self.pdf
        widest = max([_width(pdf, t) for t in texts] + [_width(pdf, h) * 1.1 for h in head])
        if kind == "unit":
            return widest + 2 * _PAD + 6
        return max(widest + 2 * _PAD + 8, self.rng.uniform(44, 58))

    def _label_width(self, labels: list[str], indent: float, wrap: bool, room: float) -> float:
        """A label column narrow enough that long labels wrap when `wrap`, wide enough for two lines."""
        pdf = self.pdf
        widest = max(_width(pdf, label) for label in labels) + 2 * _PAD + indent
        width = self.rng.uniform(125, 150) if wrap else max(widest + 4, self.rng.uniform(140, 180))
        width = min(width, room)
        pdf.set_font(_FONT, "B", _CELL_SIZE)
        while width < room and any(len(_wrap(pdf, t, width - 2 * _PAD - indent)) > 2 for t in labels):
            width = min(width + 8, room)
        pdf.set_font(_FONT, "", _CELL_SIZE)
        return width

    def _row(
        self, label: str, cells: list[str], parent: str | None, group: bool, width: float, *, total: bool = False,
        bold: bool = False,
    ) -> SynthRow:
        self.pdf.set_font(_FONT, "B" if group or bold else "", _CELL_SIZE)
        return SynthRow(label, cells, parent, _wrap(self.pdf, label, width), group, total, bold)

    # category-column tables

    def items(self, pool: tuple[_Names, ...], n: int) -> list[str]:
        """`n` item labels from `pool` in its order, preferring ones this report has not printed yet."""
        i = _LANG_INDEX[self.language]
        names = [p[i] for p in pool if p[i] not in self.used | self.category_used]
        if len(names) < 3:
            names = [p[i] for p in pool]
        picked = set(self.rng.sample(names, min(n, len(names))))
        self.category_used |= picked
        return [name for name in names if name in picked]

    def printed(self, values: list[float], decimals: int, keep: int | None = None, empty: float = 0.06,
                dash: float = 0.06) -> list[_Cell]:
        """Values as printed: some empty or a dash (adding nothing to a total), never `keep` and never all."""
        out = []
        for k, value in enumerate(values):
            figure = round(value, decimals)
            roll = self.rng.random()
            if k != keep and roll < empty:
                out.append(_Cell("", 0.0, figure))
            elif k != keep and roll < empty + dash:
                out.append(_Cell(DASH, 0.0, figure))
            else:
                out.append(_Cell(self.number(figure, decimals), figure, figure))
        if all(c.blank for c in out):
            k = self.rng.randrange(len(out))
            out[k] = out[k].shown(self.notation, decimals)
        return out

    def _columns(self, heads: list[str], rows: list[list[_Cell]], decimals: int) -> list[_CatColumn]:
        return [_CatColumn(head, "category", [row[j] for row in rows], decimals) for j, head in enumerate(heads)]

    def phases(self) -> _CatSpec:
        """Building parts × life-cycle phases (A1-A3 …), in kg or tonnes CO2e or kg CO2e/m²."""
        rng, cw = self.rng, _CATEGORY_WORDS[self.language]
        labels = self.items(_BUILDING_PARTS, rng.randint(3, 6))
        phases = ["A1-A3", *sorted(rng.sample(_PHASES[1:], rng.randint(1, 4)), key=_PHASES.index)]
        unit, decimals, low, high = rng.choice(
            (("kg CO2e", 0, 2000.0, 400000.0), (f"{cw.tonnes} CO2e", 1, 2.0, 400.0), ("kg CO2e/m²", 1, 0.5, 120.0))
        )
        rows = []
        for _ in labels:
            base = rng.uniform(low, high)
            rows.append(self.printed([base * rng.uniform(*_PHASE_SHARE[p]) for p in phases], decimals, keep=0))
        return _CatSpec(labels, self._columns(phases, rows, decimals), unit, ("header", "header", "corner",
                                                                               "column", "none"))

    def scopes(self) -> _CatSpec:
        """Sites or business units × emission scopes."""
        rng, cw = self.rng, _CATEGORY_WORDS[self.language]
        labels = self.items(_SITES, rng.randint(3, 6))
        scopes = list(_SCOPES) if rng.random() < 0.8 else list(_SCOPES[:2])
        unit, decimals, low, high = rng.choice(
            (("tCO2e", 0, 5.0, 30000.0), (f"{cw.tonnes} CO2e", 1, 0.5, 4000.0), ("kg CO2e", 0, 1000.0, 900000.0))
        )
        rows = []
        for _ in labels:
            base = rng.uniform(low, high)
            rows.append(self.printed([base * rng.uniform(*_SCOPE_SHARE[k]) for k in range(len(scopes))], decimals))
        return _CatSpec(labels, self._columns(scopes, rows, decimals), unit, ("header", "header", "corner",
                                                                               "column", "none"))

    def waste(self) -> _CatSpec:
        """Materials × waste treatments (reuse, recycling …), in tonnes or as shares of each row."""
        rng, cw = self.rng, _CATEGORY_WORDS[self.language]
        i = _LANG_INDEX[self.language]
        labels = self.items(_MATERIALS, rng.randint(3, 6))
        heads = [t[i] for t in sorted(rng.sample(_TREATMENTS, rng.choice((3, 4, 4))), key=_TREATMENTS.index)]
        if rng.random() < 0.6:
            rows = [self.printed([rng.uniform(0, 1) * base for _ in heads], 1, empty=0.12, dash=0.12)
                    for base in (rng.uniform(1, 800) for _ in labels)]
            return _CatSpec(labels, self._columns(heads, rows, 1), cw.tonnes, ("header", "corner", "column", "none"))
        rows = []
        for _ in labels:  # shares of the row, adding up to 100
            cells = self.printed([rng.uniform(0, 1) for _ in heads], 3, empty=0.12, dash=0.12)
            weights = [c.value for c in cells]
            shares = [round(100 * v / sum(weights), 1) for v in weights]
            top = max(range(len(shares)), key=shares.__getitem__)
            shares[top] = round(100 - sum(s for k, s in enumerate(shares) if k != top), 1)
            rows.append([_Cell(self.number(v, 1), v, v) if c.value else _Cell(c.text, 0.0, v)
                         for c, v in zip(cells, shares, strict=True)])
        return _CatSpec(labels, self._columns(heads, rows, 1), "%", ("header", "corner", "none"),
                        total_column=False, total_row=False)

    def quantities(self) -> _CatSpec:
        """Materials × quantity, unit, kg CO2e and kg CO2e/m²: the unit column sits between the figures."""
        rng, w, cw = self.rng, self.words, _CATEGORY_WORDS[self.language]
        labels = self.items(_MATERIALS, rng.randint(3, 6))
        per_m2 = rng.random() < 0.7
        area = rng.uniform(800, 8000)
        units = [rng.choice(("m²", "m³", "kg", cw.tonnes, cw.pieces)) for _ in labels]
        quantity, emissions, intensity = [], [], []
        for _ in labels:
            kg = rng.uniform(500, 300000)
            cells = self.printed([rng.uniform(5, 4000), kg, kg / area], 0, keep=1, dash=0.0)
            quantity.append(cells[0])
            emissions.append(cells[1])
            intensity.append(self.printed([kg / area], 2, keep=0)[0])
        columns = [
            _CatColumn(cw.quantity, "category", quantity, 0, summed=False, in_total=False, spannable=False),
            _CatColumn(w.unit, "unit", [_Cell(u) for u in units], summed=False, in_total=False, spannable=False),
            _CatColumn("kg CO2e", "category", emissions, 0, in_total=False, unit_head=False),
        ]
        if per_m2:
            columns.append(_CatColumn("kg CO2e/m²", "category", intensity, 2, in_total=False, unit_head=False))
        return _CatSpec(labels, columns, "", ("column",), row_units=units, total_column=False)

    def entities(self) -> _CatSpec | None:
        """Key figures × group, parent company (and subsidiaries); every row has its own unit."""
        rng = self.rng
        i = _LANG_INDEX[self.language]
        picked = [self.metric(None, long=False, used=self.category_used) for _ in range(rng.randint(3, 5))]
        metrics = [p for p in picked if p is not None]
        if len(metrics) < 2:
            return None
        heads = [e[i] for e in _ENTITIES[: rng.choice((2, 2, 3))]]
        rows = []
        for metric, _ in metrics:
            group, decimals = self.value(metric.kind)
            if metric.kind in ("pct", "few", "dec2"):
                values = [group] + [self.value(metric.kind, group)[0] for _ in heads[1:]]
            else:
                parent = group * rng.uniform(0.2, 0.8)
                values = [group, parent, group - parent][: len(heads)]
            rows.append(self.printed(values, decimals))
        return _CatSpec([label for _, label in metrics], self._columns(heads, rows, 0), "", ("column", "label"),
                        row_units=[self.unit(m) for m, _ in metrics], total_column=False, total_row=False)

    def total_label(self) -> str:
        options = _CATEGORY_WORDS[self.language].totals
        label = self.rng.choice([t for t in options if t not in self.category_used] or list(options))
        self.category_used.add(label)
        return label

    def category_columns(self) -> _TableLayout | None:
        """Items (building parts, materials, sites, key figures) as rows, categories (not years) as columns.

        Headers on one line, wrapped, or under a heading spanning several columns; the unit in the headers
        (the spanning heading, each column or the label column), in a unit column, or only in the title; a total
        column and a total row, sometimes bold. None when the drawn table cannot be made to fit the page.
        A building table (family "phases") may take a new form too (`building_forms`), printed where there is room.
        """
        rng, w, cw = self.rng, self.words, _CATEGORY_WORDS[self.language]
        family: Family = rng.choice(FAMILIES)
        spec = {"phases": self.phases, "scopes": self.scopes, "waste": self.waste, "quantities": self.quantities,
                "entities": self.entities}[family]()
        if spec is None:
            return None
        unit_style: UnitStyle = rng.choice(spec.unit_styles)
        header_style = rng.choice(("single", "single", "spanning", "wrapped"))
        total_column = spec.total_column and rng.random() < 0.7
        total_row = spec.total_row and rng.random() < 0.6
        bold = rng.random() < 0.5
        item_head = rng.choice(cw.item_heads[family])
        span_text = rng.choice(cw.spans[family])
        span_total = rng.random() < 0.5
        total_head = rng.choice(cw.totals)
        ruling: Ruling = rng.choice(RULINGS)
        align: Align = "right" if rng.random() < 0.8 else "center"
        valign: VAlign = rng.choice(("top", "top", "middle", "bottom"))
        wrap = rng.random() < 0.3
        labels = list(spec.labels)
        units = spec.row_units or [spec.unit] * len(labels)
        if unit_style == "label":
            labels = [f"{label} ({unit})" for label, unit in zip(labels, units, strict=True)]
        columns = list(spec.columns)
        if unit_style == "column" and family != "quantities":
            columns.insert(0, _CatColumn(w.unit, "unit", [_Cell(u) for u in units], summed=False,
                                         in_total=False, spannable=False, total_text=spec.unit))
        label_head = item_head
        if unit_style == "corner":
            label_head = rng.choice((f"{item_head} ({spec.unit})" if item_head else spec.unit, spec.unit))
        style = _CatStyle(label_head, spec.unit if unit_style == "header" else "", header_style, span_text,
                          span_total, total_column, total_head, total_row, wrap)
        form = self.building_form() if family == "phases" else None
        pristine = _copies(columns)
        state = rng.getstate()
        draw = _CatDraw(family, spec, unit_style, style, labels, units, columns, ruling, align, valign, bold)
        plain = self._assemble(draw)
        if plain is None:
            return None
        if form is not None:
            self.building_forms(plain, replace(draw, columns=pristine), state, form)
        return plain.layout

    def _assemble(self, d: _CatDraw, title: str | None = None, total: str | None = None,
                  drop: bool = True) -> _Assembled | None:
        """Lay a drawn category table out: fewer categories (`drop`) or wrapped headers until it fits, else None.

        Its title and total label are drawn (and the table numbered) unless given: a table in a new form keeps the
        ones of the table it stands for.
        """
        w, cw = self.words, _CATEGORY_WORDS[self.language]
        columns, style = list(d.columns), d.style
        while (built := self._category_table(columns, d.labels, style)) is None:
            droppable = [k for k, c in enumerate(columns) if c.kind == "category" and c.in_total]
            if drop and len(droppable) > 2:  # too wide: fewer categories, or headers wrapped
                del columns[droppable[-1]]
            elif style.header_style == "single":
                style = replace(style, header_style="wrapped")
            else:
                return None
        cells, heads, spans, widths = built
        if title is None:
            title = f"{w.table} {self.table_number + 1}. {cw.topics[d.family]}"
            if d.unit_style == "none":
                title = self.titled(title, d.spec.unit)
            self.table_number += 1
        # A column headed by its own unit ("kg CO2e" beside a quantity and its unit) is in that unit; the others
        # in the row's unit (a unit column, the label) or the table's (the headers, the corner, the title).
        own = [c.unit if c.unit is not None else "" if c.kind == "unit" else None if c.unit_head else c.head
               for c in columns]
        own += [None] * (len(cells.kinds) - len(own))  # the total column
        rows = [_with_units(self._row(label, row, None, False, widths[0] - 2 * _PAD), [u if u is not None else unit
                                                                                      for u in own])
                for label, row, unit in zip(d.labels, cells.rows, d.units, strict=True)]
        if cells.totals is not None:
            total = total if total is not None else self.total_label()
            rows.append(_with_units(self._row(total, cells.totals, None, False, widths[0] - 2 * _PAD,
                                              total=True, bold=d.bold), [u if u is not None else d.spec.unit
                                                                         for u in own]))
        table = SynthTable(
            title=title,
            header_rows=heads,
            rows=rows,
            column_kinds=cells.kinds,
            years_as="none",
            ruling=d.ruling,
            unit_style=d.unit_style,
            align=d.align,
            valign=d.valign,
            family=d.family,
            header_spans=spans,
            codes=d.codes,
            phase_names=d.names,
        )
        return _Assembled(_TableLayout(table, widths, 0.0, group_gap=0.0), replace(d, columns=columns, style=style),
                          total)

    # building tables in the forms of LCA reports

    def building_form(self) -> _BuildingForm:
        """The forms a building table is drawn to take: one draw from each form's own stream, every table."""
        v, index = self.variants, self.building_tables
        self.building_tables += 1
        codes = self.forms["codes"].random() < v.codes
        names = self.forms["phase-names"].random() < v.phase_names
        twin = self.forms["twins"].random() < v.twins
        comparison = self.forms["comparisons"].random() < v.comparisons
        return _BuildingForm(index, codes, names, twin, comparison)

    def _aside(self, rng: random.Random, make: Callable[[], _T]) -> _T:
        """`make()` drawing from `rng`: the report's own stream, table number and labels used stay as they are."""
        main, used, category_used, number = self.rng, set(self.used), set(self.category_used), self.table_number
        self.rng = rng
        try:
            return make()
        finally:
            self.rng, self.used, self.category_used, self.table_number = main, used, category_used, number

    def building_forms(self, plain: _Assembled, draw: _CatDraw, state: Any, form: _BuildingForm) -> None:
        """Give a building table its new forms (`_TableLayout.variant`, `.twin`), printed where a page has room.

        A comparison of a reference building with the design stands in for the table; else its building parts may
        carry their codes and its modules their names (laid out from the stream as it was before the table was, so
        that widths are drawn alike), and it may have a twin in the other unit, for the table in either form.
        """
        seed, title = self.variants.seed, plain.layout.table.title
        if form.comparison:
            comparison = self._aside(random.Random(f"comparisons-{seed}-{form.index}"),
                                     lambda: self.comparison(draw, plain))
            plain.layout.variant = comparison.layout if comparison else None
            return
        variant = None
        if form.codes or form.names:
            names = _PHASE_NAMES[self.language]
            coded = replace(
                draw,
                labels=[f"{_BUILDING_CODES[_building_part(label)]} {label}" for label in draw.labels] if form.codes
                else draw.labels,
                columns=[replace(c, sub=names[c.head]) if form.names and c.head in names else c
                         for c in _copies(draw.columns)],
                codes=form.codes, names=form.names,
            )
            rng = random.Random()
            rng.setstate(state)
            variant = self._aside(rng, lambda: self._assemble(coded, title=title, total=plain.total))
            plain.layout.variant = variant.layout if variant else None
        if form.twin:
            for table in (plain, variant):
                if table is not None:
                    twin = self._aside(random.Random(f"twins-{seed}-{form.index}"), partial(self.twin, table))
                    table.layout.twin = twin.layout if twin else None

    def twin(self, of: _Assembled) -> _Assembled | None:
        """The building table in the other unit: per m² of a gross floor area its title states, or in total.

        The same building parts and modules, blank where it is blank; its figures the table's divided by the area
        (or multiplied), in kg CO2e per m², or in kg or tonnes CO2e. None when it does not fit with every column.
        """
        rng, d, cw = self.rng, of.draw, _CATEGORY_WORDS[self.language]
        words = _BUILDING_WORDS[self.language]
        unit = d.spec.unit
        area = round(rng.uniform(1500, 9000), -1)
        tonnes = f"{cw.tonnes} CO2e"
        figures = [c.figure for col in d.columns if col.kind == "category" for c in col.cells]
        if unit == _PER_M2:  # per m² → in total, in tonnes when the kilograms would be many
            in_tonnes = max(figures, default=0.0) * area >= 100000 or rng.random() < 0.3
            other, factor, decimals = (tonnes, area / 1000, 1) if in_tonnes else ("kg CO2e", area, 0)
        else:
            other, factor, decimals = _PER_M2, (1000.0 if unit == tonnes else 1.0) / area, 1
        columns = []
        for c in d.columns:
            if c.kind == "unit":
                columns.append(replace(c, cells=[_Cell(other) for _ in c.cells], total_text=other))
                continue
            cells = []
            for cell in c.cells:
                figure = round(cell.figure * factor, decimals)
                cells.append(_Cell(cell.text, 0.0, figure) if cell.blank else
                             _Cell(self.number(figure, decimals), figure, figure))
            columns.append(replace(c, cells=cells, decimals=decimals))
        style = replace(d.style, unit=other if d.style.unit else "", label_head=d.style.label_head.replace(unit, other))
        twin = replace(d, spec=replace(d.spec, unit=other), units=[other] * len(d.labels), columns=columns, style=style)
        printed = format_number(area, 0, self.notation)
        title = (words.per_m2_title if other == _PER_M2 else words.total_title).format(area=printed)
        if d.unit_style == "none":
            title = f"{title}, {other}"
        made = self._assemble(twin, title=title, total=of.total, drop=False)
        if made is not None:
            made.layout.table = replace(made.layout.table, twin="per-m2" if other == _PER_M2 else "total")
        return made

    def comparison(self, draw: _CatDraw, plain: _Assembled) -> _Assembled | None:
        """The building parts of a reference building and of the design, in kg CO2e per m², and the reduction in %.

        It stands in for a building table and takes its number; the reduction is the one of the printed figures.
        """
        rng, words, cw = self.rng, _BUILDING_WORDS[self.language], _CATEGORY_WORDS[self.language]
        labels = list(draw.spec.labels)
        reference = self.printed([rng.uniform(4, 90) for _ in labels], 1, empty=0.0, dash=0.0)
        design = self.printed([c.figure * rng.uniform(0.45, 0.95) for c in reference], 1, empty=0.0, dash=0.0)
        shares = [round(100 * (r.figure - d.figure) / r.figure, 1) for r, d in zip(reference, design, strict=True)]
        total_ref, total_design = sum(c.figure for c in reference), sum(c.figure for c in design)
        columns = [
            _CatColumn(words.reference, "category", reference, 1, in_total=False, spannable=False),
            _CatColumn(words.design, "category", design, 1, in_total=False, spannable=False),
            _CatColumn(f"{words.reduction} (%)", "category", [_Cell(self.number(v, 1), v, v) for v in shares], 1,
                       summed=False, in_total=False, spannable=False, unit_head=False, unit="%",
                       total_text=self.number(100 * (total_ref - total_design) / total_ref, 1)),
        ]
        unit_style: UnitStyle = rng.choice(("header", "corner", "none"))
        head = cw.item_heads["phases"][0]
        style = _CatStyle(f"{head} ({_PER_M2})" if unit_style == "corner" else head,
                          _PER_M2 if unit_style == "header" else "",
                          "wrapped" if draw.style.header_style == "wrapped" else "single", "", False, False, "",
                          draw.style.total_row, draw.style.wrap)
        compared = replace(draw, family="comparison", spec=_CatSpec(labels, columns, _PER_M2, (unit_style,)),
                           unit_style=unit_style, style=style, labels=labels, units=[_PER_M2] * len(labels),
                           columns=columns)
        title = f"{self.words.table} {self.table_number}. {words.comparison_title}"
        if unit_style == "none":
            title = f"{title} ({_PER_M2})" if rng.random() < 0.6 else f"{title}, {_PER_M2}"
        return self._assemble(compared, title=title, total=plain.total, drop=False)

    def _category_cells(self, columns: list[_CatColumn], n: int, style: _CatStyle) -> _CatCells:
        """The printed cells of a category table: item rows, a total column and a total row as `style` asks."""
        first = next(c for c in columns if c.kind == "category")
        for i in range(n):  # every row keeps a figure among its categories, also when a column was dropped
            if all(c.cells[i].blank for c in columns if c.kind == "category"):
                first.cells[i] = first.cells[i].shown(self.notation, first.decimals)
        decimals = max((c.decimals for c in columns if c.in_total), default=0)
        out = _CatCells(
            heads=[(c.head, style.unit if c.unit_head and c.kind == "category" else "") for c in columns],
            kinds=[c.kind for c in columns],
            rows=[[c.cells[i].text for c in columns] for i in range(n)],
            spannable=[c.spannable for c in columns],
            subs=[c.sub for c in columns],
        )
        sums = [sum(c.cells[i].value for c in columns if c.in_total) for i in range(n)]
        if style.total_column:
            out.heads.append((style.total_head, style.unit))
            out.kinds.append("total")
            out.spannable.append(style.span_total)
            out.subs.append("")
            for row, total in zip(out.rows, sums, strict=True):
                row.append(self.number(total, decimals) if total else DASH)
        if style.total_row:
            out.totals = []
            for c in columns:
                value = sum(cell.value for cell in c.cells)
                out.totals.append(c.total_text if not c.summed else self.number(value, c.decimals) if value else DASH)
            if style.total_column:
                out.totals.append(self.number(sum(sums), decimals) if sum(sums) else DASH)
        return out

    def _category_table(
        self, columns: list[_CatColumn], labels: list[str], style: _CatStyle
    ) -> tuple[_CatCells, list[list[str]], list[list[int]], list[float]] | None:
        """Cells, header lines, spans and column widths of a category table; None when it is too wide to print."""
        pdf = self.pdf
        cells = self._category_cells(columns, len(labels), style)
        heads = cells.heads
        span = _span(cells.spannable) if style.header_style == "spanning" else []
        header_style = style.header_style if span or style.header_style != "spanning" else "single"
        span_text = style.span_text
        if span and style.unit:  # the unit goes into the spanning heading, not into the columns under it
            span_text = f"{span_text} ({style.unit})"
            heads = [(h, "" if j in span else u) for j, (h, u) in enumerate(heads)]
        pdf.set_font(_FONT, "B", _CELL_SIZE)  # a total row may be bold: measure everything bold
        data = [max(_width(pdf, t) for t in [*(row[j] for row in cells.rows), *(cells.totals or [])[j : j + 1]])
                for j in range(len(heads))]
        lines: list[list[str]] = []
        for j, (head, suffix) in enumerate(heads):
            # A second line of its own (a module's name under the module) takes the unit after it.
            sub = cells.subs[j] if cells.subs else ""
            tokens = _tokens(sub or head) + ([f"({suffix})"] if suffix else [])
            fit = max([data[j]] + [_width(pdf, t) for t in tokens]) if header_style == "wrapped" else _BODY_W
            lines.append(([head] if sub else []) + _wrap_tokens(pdf, tokens, fit))
        widths = [0.0]
        for j, kind in enumerate(cells.kinds):
            head_w = max(_width(pdf, line) for line in lines[j])
            if kind == "unit" or header_style == "wrapped":
                widths.append(max(data[j], head_w) + 2 * _PAD + 6)
            else:
                widths.append(max(data[j] + 2 * _PAD + 8, head_w * 1.1 + 2 * _PAD, self.rng.uniform(38, 52)))
        if span:  # the columns under a heading are together at least as wide as the heading
            need = _width(pdf, span_text) + 2 * _PAD + 6 - sum(widths[j + 1] for j in span)
            for j in span:
                widths[j + 1] += max(need, 0.0) / len(span)
        room = _BODY_W - sum(widths)
        label_w = _width(pdf, style.label_head) + 2 * _PAD
        pdf.set_font(_FONT, "", _CELL_SIZE)
        longest_word = max(_width(pdf, word) for label in labels for word in label.split()) + 2 * _PAD + 4
        if room < max(95.0, label_w, longest_word):
            return None
        widths[0] = max(self._label_width(labels, 0.0, style.wrap, room), label_w)
        if not span:
            return cells, _bottom_aligned([[style.label_head], *lines]), [], widths
        top = ["" if j - 1 not in span else span_text for j in range(len(heads) + 1)]
        return cells, [top, *_bottom_aligned([[style.label_head], *lines])], [[0, span[0], span[-1]]], widths

    # pages

    def paragraphs(self, columns: int, per_column: int) -> list[tuple[int, list[str]]]:
        """(column, sentences) for each paragraph in reading order."""
        out = []
        for column in range(columns):
            for _ in range(self.rng.randint(1, per_column)):
                out.append((column, [self.sentence() for _ in range(self.rng.randint(2, 4))]))
        return out

    def page(self, number: int, furniture: list[str]) -> tuple[SynthPage, _PagePlan]:
        rng = self.rng
        columns = rng.choice((1, 2, 3))
        n_tables = rng.choice((0, 1, 2, 2, 3))
        paragraphs = self.paragraphs(columns, 2 if n_tables else 3)
        text = _layout_text(self.pdf, columns, paragraphs, 0.0)
        while text.height > (_TEXT_BUDGET if n_tables else _BODY_BOTTOM - _BODY_TOP - 40) and _shrink(paragraphs, text):
            text = _layout_text(self.pdf, columns, paragraphs, 0.0)
        heading = self.headings[(number - 1) % len(self.headings)]
        top = _BODY_TOP + 30
        room = _BODY_BOTTOM - top - text.height
        tables: list[_TableLayout] = []
        for _ in range(n_tables):
            lay = self.table()
            if lay.height() + _BLOCK_GAP <= room:
                tables.append(lay)
                room -= lay.height() + _BLOCK_GAP
        # A building table's new form, where the page has room for it: which tables a page holds stays as it was.
        for k, lay in enumerate(tables):
            if lay.variant is not None and lay.variant.height() - lay.height() <= room:
                room -= lay.variant.height() - lay.height()
                tables[k] = lay.variant
        for k, lay in enumerate(tables):
            if k and lay.table.family and self.stack.random() < STACKED_SHARE:
                # Right under the table before, no caption between: a new header line starts the table. A unit
                # printed only in the caption goes with it: the truth knows no unit for those figures.
                table = replace(lay.table, title="")
                if table.unit_style == "none":
                    table = replace(table, rows=[replace(r, units=[""] * len(r.units)) for r in table.rows])
                tables[k] = replace(lay, table=table, stacked=self.stack.uniform(4.0, 12.0))
        if any(lay.twin for lay in tables):
            tables, paragraphs = self.with_twins(tables, room, columns, paragraphs)
        page = SynthPage.of(columns, paragraphs, [lay.table for lay in tables], number, furniture, heading)
        plan = _PagePlan(heading, columns, paragraphs, tables, tables_first=rng.random() < 0.25,
                         stream_tables_first=rng.random() < 0.5)
        return page, plan


    def with_twins(self, tables: list[_TableLayout], room: float, columns: int,
                   paragraphs: list[tuple[int, list[str]]]) -> tuple[list[_TableLayout], list[tuple[int, list[str]]]]:
        """The page's tables with each building table's twin (in the other unit) right after it, and its paragraphs.

        Where the page has no room for a twin, its text gives up paragraphs or sentences (as when it is laid out) until
        there is. A table printed without a caption and its unit keeps no twin: the twin's question names the unit.
        """
        out: list[_TableLayout] = []
        for lay in tables:
            out.append(lay)
            twin = lay.twin
            if twin is None or (lay.stacked and lay.table.unit_style == "none"):
                continue
            need = twin.height() + _BLOCK_GAP
            trial = [(column, list(sentences)) for column, sentences in paragraphs]
            text = _layout_text(self.pdf, columns, trial, 0.0)
            free = room
            while need > free and _shrink(trial, text):
                shorter = _layout_text(self.pdf, columns, trial, 0.0)
                free += text.height - shorter.height
                text = shorter
            if need > free:
                continue
            paragraphs, room = trial, free - need
            out[-1] = replace(lay, table=replace(lay.table, twin="total" if twin.table.twin == "per-m2" else "per-m2"))
            out.append(twin)
        return out, paragraphs

    # narrow tables: two side by side, or one in a text column

    def narrow_table(self, room: float, placement: Placement) -> _TableLayout | None:
        """A small years-as-columns table at most `room` wide (labels wrap), or None when none fits."""
        rng, w, pdf = self.rng, self.words, self.pdf
        years = [self.year - k for k in range(2 if room < 200 else rng.choice((2, 2, 3)))]
        years = years if rng.random() < 0.75 else years[::-1]
        unit_column = room >= 200 and rng.random() < 0.4
        category = rng.choice(_CATEGORIES)
        rows: list[tuple[str, list[str]]] = []
        for _ in range(rng.randint(3, 6)):
            picked = self.metric(category, long=False)
            if picked is None:
                continue
            metric, label = picked
            cells = self.series(metric.kind, len(years))
            if unit_column:
                cells.insert(0, self.unit(metric))
            else:
                label = f"{label} ({self.unit(metric)})"
            rows.append((label, cells))
        if len(rows) < 2:
            return None
        kinds = cast(list[ColumnKind], (["unit"] if unit_column else []) + ["year"] * len(years))
        heads: list[list[str]] = [[rng.choice(w.key_headers)]] + ([[w.unit]] if unit_column else [])
        heads += [[str(year)] for year in years]
        pdf.set_font(_FONT, "", _CELL_SIZE)
        widths = [0.0]
        for j, kind in enumerate(kinds):
            widest = max([_width(pdf, r[1][j]) for r in rows] + [_width(pdf, h) for h in heads[j + 1]])
            widths.append(widest + 2 * _PAD + (4 if kind == "unit" or room < 200 else rng.uniform(4, 12)))
        widths[0] = room - sum(widths)
        pdf.set_font(_FONT, "B", _CELL_SIZE)
        longest = max(_width(pdf, word) for label, _ in rows for word in label.split())
        if widths[0] - 2 * _PAD < max(longest, _width(pdf, heads[0][0])):
            return None
        title = self.title(category)
        pdf.set_font(_FONT, "B", _TITLE_SIZE)
        if _width(pdf, title) > room:
            title = f"{w.table} {self.table_number}."
        table = SynthTable(
            title=title,
            header_rows=_bottom_aligned(heads),
            rows=[self._row(label, cells, None, False, widths[0] - 2 * _PAD) for label, cells in rows],
            column_kinds=kinds,
            years_as="columns",
            ruling=rng.choice(RULINGS),
            unit_style="column" if unit_column else "label",
            align="right" if rng.random() < 0.8 else "center",
            valign=rng.choice(("top", "top", "middle", "bottom")),
            placement=placement,
        )
        return _TableLayout(table, widths, 0.0, group_gap=0.0)

    def narrow_page(self, number: int, furniture: list[str]) -> tuple[SynthPage, _NarrowPlan]:
        """A page of two or three text columns whose tables are as narrow as a column.

        Odd pages set two tables side by side, one per column of two, their tops level or a row or two apart,
        text above and below each; even pages set one table in a column of two or three, text beside it.
        """
        rng = self.rng
        placement: Placement = "side-by-side" if number % 2 else "in-column"
        columns = 2 if placement == "side-by-side" else rng.choice((2, 3, 3))
        width = (_BODY_W - (columns - 1) * _GUTTER) / columns
        holders = [0, 1] if placement == "side-by-side" else [rng.randrange(columns)]
        top = _BODY_TOP + 30
        above = [(c, [self.sentence() for _ in range(rng.randint(1, 3))]) for c in range(columns)
                 for _ in range(rng.randint(0, 1) if c in holders else rng.randint(2, 3))]
        head = _layout_columns(self.pdf, columns, above, [top] * columns)
        ends = [col[-1][1] + 4 if col else top for col in head.columns]
        level = max(ends[c] for c in holders) + _BLOCK_GAP
        placed: list[tuple[_TableLayout, float]] = []
        tops = list(ends)
        for k, c in enumerate(holders):
            lay = None
            for _ in range(6):  # labels of short words, for a narrow column
                lay = lay or self.narrow_table(width, placement)
            if lay is None:
                continue
            lay.x = _MARGIN + c * (width + _GUTTER)
            y = level + (rng.choice((0.0, 0.0, _CELL_LEAD + 2 * _PAD, 2 * (_CELL_LEAD + 2 * _PAD))) if k else 0.0)
            if placement == "in-column":
                y = ends[c] + _BLOCK_GAP
            if y + lay.height() > _BODY_BOTTOM - 60:
                continue
            placed.append((lay, y))
            tops[c] = y + lay.height() + _BLOCK_GAP
        below = [(c, [self.sentence() for _ in range(rng.randint(1, 3))]) for c in holders if rng.random() < 0.7]
        tail = _layout_columns(self.pdf, columns, below, tops)
        while below and any(col and col[-1][1] > _BODY_BOTTOM for col in tail.columns):
            below.pop()
            tail = _layout_columns(self.pdf, columns, below, tops)
        paragraphs = above + below
        heading = self.headings[(number - 1) % len(self.headings)]
        page = SynthPage.of(columns, paragraphs, [lay.table for lay, _ in placed], number, furniture, heading)
        return page, _NarrowPlan(page.heading, [head, tail], placed, stream_tables_first=rng.random() < 0.5)

    # financial statements with a column of note references

    def statement(self, budget: tuple[str, str] | None = None, fresh: bool = False) -> _TableLayout:
        """An income statement whose lines carry note references, left of the labels or between them and the figures.

        The references rise down the page ("3", "4", "6, 7", "8"), some lines have none (subtotals), and the
        column is headed "Note" (or the language's word) or not headed at all; the figures are large, with
        thousands separators, some negative.
        With `budget`, the words heading the actual and the budgeted figures ("Regnskap", "Budsjett"), the columns
        are this year's actual figures, its budget (a few per cent off) and last year's actual figures, the word on
        the year's line or above it: a reader must not take the budget for the year's figure. `fresh`: only lines
        the report has not printed yet (key figures may have said "Driftsresultat"), so no line has two answers.
        """
        rng, st, pdf = self.rng, _STATEMENTS[self.language], self.pdf
        notes: NotePlace = rng.choice(("left", "between"))
        headed = rng.random() < 0.5
        years = [self.year, self.year - 1] + ([self.year - 2] if rng.random() < 0.25 else [])
        years = years[:2] if budget else years
        lines = [k for k in range(len(st.lines)) if not fresh or st.lines[k] not in self.used]
        picked = sorted(rng.sample(lines, rng.randint(min(6, len(lines)), min(11, len(lines)))))
        note = rng.randint(2, 6)
        rows: list[SynthRow] = []
        for k in picked:
            ref = ""
            if rng.random() < 0.7:
                ref = f"{note}, {note + 1}" if rng.random() < 0.2 else str(note)
                note += rng.choice((1, 1, 2)) + (1 if "," in ref else 0)
            base = rng.uniform(800, 250000)
            values = [base * rng.uniform(0.8, 1.2) * (-1 if rng.random() < 0.25 else 1) for _ in years]
            cells = [self.number(value, 0) for value in values]
            if budget:  # 1 to 6 per cent above or below the actual figure: never the same printed number
                cells.insert(1, self.number(values[0] * (1 + rng.choice((-1, 1)) * rng.uniform(0.01, 0.06)), 0))
            rows.append(SynthRow(st.lines[k], cells, None, [st.lines[k]], note=ref))
        if fresh:
            self.used.update(r.label for r in rows)
        heads: list[list[str]] = [[rng.choice(st.corner)]] + [[str(y)] for y in years]
        kinds: list[ColumnKind] = ["year"] * len(years)
        if budget:
            actual, planned = budget
            above = len(actual) > 4 and rng.random() < 0.5  # "Regnskap" over "2024"
            columns = ((actual, years[0]), (planned, years[0]), (actual, years[1]))
            heads[1:] = [[word, str(y)] if above else [f"{word} {y}"] for word, y in columns]
            kinds = ["year", "budget", "year"]
        pdf.set_font(_FONT, "", _CELL_SIZE)
        widths = [0.0] + [self._data_width(kind, [r.cells[j] for r in rows], heads[j + 1]) for j, kind in
                          enumerate(kinds)]
        pdf.set_font(_FONT, "B", _CELL_SIZE)
        note_head = rng.choice(st.note_heads) if headed else ""
        note_w = max([_width(pdf, r.note) for r in rows] + [_width(pdf, note_head)]) + 2 * _PAD + rng.uniform(4, 14)
        note_w += _NOTE_GAP if notes == "left" else 0.0
        widths[0] = min(max(_width(pdf, r.label) for r in rows) + 2 * _PAD + rng.uniform(20, 120),
                        _BODY_W - sum(widths) - note_w)
        self.table_number += 1
        table = SynthTable(
            title=f"{self.words.table} {self.table_number}. {st.name}",
            header_rows=_bottom_aligned(heads),
            rows=rows,
            column_kinds=kinds,
            years_as="columns",
            ruling=rng.choice(("none", "none", "rows", "booktabs")),
            unit_style="none",
            align="right",
            notes=notes,
            note_head=note_head,
        )
        return _TableLayout(table, widths, 0.0, group_gap=0.0, note_w=note_w,
                            note_align=rng.choice(("left", "center", "right")))

    def notes_page(self, number: int, furniture: list[str]) -> tuple[SynthPage, _PagePlan]:
        """A page of one text column and one or two financial statements with note references."""
        rng = self.rng
        paragraphs = self.paragraphs(1, 2)
        text = _layout_text(self.pdf, 1, paragraphs, 0.0)
        while text.height > _TEXT_BUDGET and _shrink(paragraphs, text):
            text = _layout_text(self.pdf, 1, paragraphs, 0.0)
        room = _BODY_BOTTOM - _BODY_TOP - 30 - text.height
        tables: list[_TableLayout] = []
        for _ in range(rng.choice((1, 2, 2))):
            lay = self.statement()
            if lay.height() + _BLOCK_GAP <= room:
                tables.append(lay)
                room -= lay.height() + _BLOCK_GAP
        heading = self.headings[(number - 1) % len(self.headings)]
        page = SynthPage.of(1, paragraphs, [lay.table for lay in tables], number, furniture, heading)
        return page, _PagePlan(heading, 1, paragraphs, tables, tables_first=rng.random() < 0.5,
                               stream_tables_first=rng.random() < 0.5)

    def statement_page(self, number: int, furniture: list[str], rng: random.Random) -> tuple[SynthPage, _PagePlan]:
        """A last page of one text column and one income statement, half of them with a budget column.

        Every choice is drawn from `rng`, a stream of its own, and the page comes after all others: what the report
        printed before it stays as it was (but for the page count in a footer). Its lines are none a table before
        printed, so that every figure a question may ask for has one answer.
        """
        main, self.rng = self.rng, rng
        try:
            budget = None
            if rng.random() < BUDGET_SHARE:
                budget = _BUDGET_HEADS[self.language][1 if rng.random() < SHORT_HEADS_SHARE else 0]
            lay = self.statement(budget, fresh=True)
            paragraphs = self.paragraphs(1, 2)
            text = _layout_text(self.pdf, 1, paragraphs, 0.0)
            room = _BODY_BOTTOM - _BODY_TOP - 30 - lay.height() - _BLOCK_GAP
            while text.height > room and _shrink(paragraphs, text):
                text = _layout_text(self.pdf, 1, paragraphs, 0.0)
            heading = self.headings[(number - 1) % len(self.headings)]
            page = SynthPage.of(1, paragraphs, [lay.table], number, furniture, heading)
            return page, _PagePlan(heading, 1, paragraphs, [lay], tables_first=rng.random() < 0.5,
                                   stream_tables_first=rng.random() < 0.5)
        finally:
            self.rng = main


@dataclass
class _NarrowPlan:
    heading: str
    texts: list[_TextLayout]
    tables: list[tuple[_TableLayout, float]]  # with the top each is printed at
    stream_tables_first: bool


def _draw_narrow_page(pdf: FPDF, plan: _NarrowPlan) -> None:
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(_FONT, "B", 15)
    pdf.text(_MARGIN, _BODY_TOP + 14, plan.heading)
    if not plan.stream_tables_first:
        for text in plan.texts:
            _emit_text(pdf, text)
    for lay, top in plan.tables:
        _draw_table(pdf, lay, top)
    if plan.stream_tables_first:
        for text in plan.texts:
            _emit_text(pdf, text)


def _layout_columns(
    pdf: FPDF, columns: int, paragraphs: list[tuple[int, list[str]]], tops: list[float]
) -> _TextLayout:
    """Like `_layout_text`, each column starting at its own top (under a table set in it)."""
    pdf.set_font(_FONT, "", _TEXT_SIZE)
    width = (_BODY_W - (columns - 1) * _GUTTER) / columns
    placed: list[list[tuple[float, float, str]]] = [[] for _ in range(columns)]
    cursor = [t + _TEXT_SIZE for t in tops]
    for column, sentences in paragraphs:
        x = _MARGIN + column * (width + _GUTTER)
        for line in _wrap(pdf, " ".join(sentences), width):
            placed[column].append((x, cursor[column], line))
            cursor[column] += _LEADING
        cursor[column] += _PARA_GAP
    return _TextLayout(placed, 0.0)


def _shrink(paragraphs: list[tuple[int, list[str]]], text: _TextLayout) -> bool:
    """Shorten the tallest column by a paragraph, or else by a sentence; False when it cannot shrink."""
    tallest = max(range(len(text.columns)), key=lambda k: text.columns[k][-1][1] if text.columns[k] else 0.0)
    own = [i for i, (column, _) in enumerate(paragraphs) if column == tallest]
    if len(own) > 1:
        del paragraphs[own[-1]]
        return True
    sentences = paragraphs[own[-1]][1]
    if len(sentences) > 1:
        sentences.pop()
        return True
    return False


def _tokens(head: str) -> list[str]:
    """A header's words, a number kept with the word before it ("Scope 1" never wraps between the two)."""
    out: list[str] = []
    for word in head.split():
        if out and word.isdigit():
            out[-1] += f" {word}"
        else:
            out.append(word)
    return out


def _wrap_tokens(pdf: FPDF, tokens: list[str], width: float) -> list[str]:
    """Greedy wrap of tokens (words, or a unit such as "(kg CO2e)" kept whole) into lines of at most `width`."""
    space = _width(pdf, " ")
    lines: list[list[str]] = []
    used = 0.0
    for token in tokens:
        size = _width(pdf, token)
        if lines and used + space + size <= width + 0.01:
            lines[-1].append(token)
            used += space + size
        else:
            lines.append([token])
            used = size
    return [" ".join(line) for line in lines]


def _bottom_aligned(heads: list[list[str]]) -> list[list[str]]:
    """Per-column header lines → printed header rows, shorter headers sitting on the last line."""
    depth = max(len(h) for h in heads)
    padded = [[""] * (depth - len(h)) + h for h in heads]
    return [[col[r] for col in padded] for r in range(depth)]


@dataclass
class _TextLayout:
    columns: list[list[tuple[float, float, str]]]  # per column: (x, baseline, line)
    height: float


def _layout_text(pdf: FPDF, columns: int, paragraphs: list[tuple[int, list[str]]], top: float) -> _TextLayout:
    placed = _layout_columns(pdf, columns, paragraphs, [top] * columns).columns
    height = max(c[-1][1] for c in placed if c) - top + 4
    return _TextLayout(placed, height)


@dataclass
class _PagePlan:
    heading: str
    columns: int
    paragraphs: list[tuple[int, list[str]]]
    tables: list[_TableLayout]
    tables_first: bool
    stream_tables_first: bool


def _emit_text(pdf: FPDF, text: _TextLayout) -> None:
    """Line 1 of column A, line 1 of column B, …, line 2 of column A: a stream-order reader interleaves them."""
    pdf.set_font(_FONT, "", _TEXT_SIZE)
    for i in range(max(len(c) for c in text.columns)):
        for column in text.columns:
            if i < len(column):
                x, y, line = column[i]
                pdf.text(x, y, line)


def _draw_page(pdf: FPDF, plan: _PagePlan) -> None:
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(_FONT, "B", 15)
    pdf.text(_MARGIN, _BODY_TOP + 14, plan.heading)
    y = _BODY_TOP + 30
    text_height = _layout_text(pdf, plan.columns, plan.paragraphs, 0.0).height
    tables_height = sum(lay.height() + lay.gap_before for lay in plan.tables)
    text_top = y + tables_height if plan.tables_first else y
    text = _layout_text(pdf, plan.columns, plan.paragraphs, text_top)
    table_tops = []
    cursor = y if plan.tables_first else y + text_height
    for k, lay in enumerate(plan.tables):
        cursor += lay.gap_before if k or not plan.tables_first else 0.0
        table_tops.append(cursor)
        cursor += lay.height()
    if not plan.stream_tables_first:
        _emit_text(pdf, text)
    for lay, top in zip(plan.tables, table_tops, strict=True):
        _draw_table(pdf, lay, top)
    if plan.stream_tables_first:
        _emit_text(pdf, text)


@dataclass(frozen=True)
class _Furniture:
    header_rule: bool
    footer: str  # "number" or "page_of"
    footer_align: str  # "center", "right" or "outside"
    first: bool  # written to the content stream before the body


def _draw_furniture(pdf: FPDF, furniture: _Furniture, org: str, title: str, footer: str, number: int) -> None:
    pdf.set_text_color(110, 110, 110)
    pdf.set_font(_FONT, "", 8)
    pdf.text(_MARGIN, _HEADER_Y, org)
    pdf.text(_PAGE_W - _MARGIN - _width(pdf, title), _HEADER_Y, title)
    if furniture.header_rule:
        pdf.set_draw_color(160, 160, 160)
        pdf.set_line_width(0.4)
        pdf.line(_MARGIN, _HEADER_Y + 6, _PAGE_W - _MARGIN, _HEADER_Y + 6)
    width = _width(pdf, footer)
    align = furniture.footer_align
    if align == "outside":
        align = "right" if number % 2 else "left"
    x = {"center": (_PAGE_W - width) / 2, "right": _PAGE_W - _MARGIN - width, "left": _MARGIN}[align]
    pdf.text(x, _FOOTER_Y, footer)
    pdf.set_text_color(0, 0, 0)


def _new_pdf(org: str, title: str, typeset: bool = False) -> FPDF:
    """A fresh A4 document in points; one that sets formulas and powers with sub- and superscripts if `typeset`."""
    try:
        from fpdf import FPDF
    except ImportError as exc:  # pragma: no cover - fpdf2 is a dev dependency
        raise ImportError("Synthetic reports need fpdf2: pip install -e '.[dev]'") from exc
    pdf = (_typesetting_pdf() if typeset else FPDF)(unit="pt", format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # helvetica with æøå, "–", "³" and "£"
    pdf.set_creation_date(dt.datetime(2024, 1, 1, tzinfo=dt.UTC))  # same seed, same bytes
    pdf.set_auto_page_break(False)
    pdf.set_title(title)
    pdf.set_author(org)
    return pdf


def translate_label(label: str, source: SynthLanguage, target: SynthLanguage) -> str | None:
    """A metric label as the other language prints it ("Farligt affald i koncernen" → "Hazardous waste group-wide").

    Only a generated metric's name with one of the generated qualifiers translates; None for anything else, and
    for a qualifier naming the report's home country ("i Danmark" is no "i Norge"), but between Bokmål and Nynorsk,
    one country ("i Noreg" is "i Norge").
    """
    i, j = _LANG_INDEX[source], _LANG_INDEX[target]
    home = {source, target} <= {"nb", "nn"}
    for metric in sorted(_METRICS, key=lambda m: -len(m.names[i])):
        name = metric.names[i]
        if not label.startswith(name):
            continue
        rest = label[len(name):].strip()
        if not rest:
            return metric.names[j]
        for kind in ("qualifiers", "long_qualifiers"):
            said: tuple[str, ...] = getattr(_WORDS[source], kind)
            if rest in said and (home or not (kind == "qualifiers" and said.index(rest) == 0)):
                return f"{metric.names[j]} {getattr(_WORDS[target], kind)[said.index(rest)]}"
        return None
    return None


def absent_metrics(report: SynthReport) -> list[dict[SynthLanguage, str]]:
    """The generated metrics a report prints nowhere, each by its name in each language: questions without an answer.

    Printed means any of its names, or the longest word of one, occurs in a table (title, headers, labels) or the
    text. The scopes are left out: a table by site prints "Scope 1" as a column whose total may answer for them.
    """
    said = [report.title, *(f for page in report.pages for f in page.furniture)]
    for page in report.pages:
        said += [page.heading, *page.paragraphs]
        for table in page.tables:
            said += [table.title, *table.columns, *(r.label for r in table.rows)]
    text = " ".join(said).casefold()
    out = []
    for metric in _METRICS:
        if metric.names[2].startswith("Scope"):
            continue
        words = {max(name.split(), key=len).casefold() for name in metric.names}
        if not any(name.casefold() in text for name in metric.names) and not any(w in text for w in words):
            out.append({language: metric.names[i] for language, i in _LANG_INDEX.items()})
    return out


def org_name(rng: random.Random, language: SynthLanguage) -> str:
    """An invented organisation name in the style of a language ("Skovlund Energi A/S")."""
    w = _WORDS[language]
    return f"{rng.choice(w.org_first)} {rng.choice(w.org_second)} {rng.choice(w.org_suffixes)}"


def generate(
    seed: int,
    path: Path,
    *,
    language: SynthLanguage | None = None,
    org: str | None = None,
    pages: int | None = None,
    categories: float = CATEGORY_SHARE,
    narrow: bool = False,
    notes: bool = False,
    statements: float = 0.0,
    text_figures: float = 0.0,
    codes: float = 0.0,
    phase_names: float = 0.0,
    twins: float = 0.0,
    comparisons: float = 0.0,
    typeset: float = 0.0,
) -> SynthReport:
    """Print a synthetic report to `path` and return its ground truth; the same seed gives the same bytes.

    Args:
        seed: Seeds `random.Random`; every choice (layout, words, values) follows from it.
        path: Where the PDF is written.
        language: "da", "nb", "nn" or "en"; drawn from the seed ("da", "nb" or "en") when None.
        org: The organisation in the running header; invented when None.
        pages: Number of pages (3 to 6 when None).
        categories: The share of tables printed with category columns instead of years (0: the years kinds only).
        narrow: Print only pages of narrow tables instead: two side by side, or one in a text column of two or
            three (the kinds "side-by-side" and "in-column"). Off, a seed prints what it always printed.
        notes: Print only pages of financial statements with a column of note references instead (the kind
            "note-column"); `narrow` wins when both are set.
        statements: The chance of a last page more, with an income statement (half of them with a budget column),
            drawn from a stream of its own: every page before it is printed as without (0: never).
        text_figures: The chance the running text states two to four figures of metrics no table prints
            (`SynthReport.stated`), set into paragraphs of pages with no building table (not with `narrow`).
        codes: The chance a building table prefixes its building parts with their NS 3451 codes.
        phase_names: The chance a building table heads each module with its name on a second line.
        twins: The chance a building table is printed again after it, per m² of floor area or in total.
        comparisons: The chance a building table compares a reference building with the design instead.
        typeset: The chance the report draws the digits of formulas ("CO2e", "CH4", "N2O") as smaller subscripts
            and the powers of units ("m2", "m³", "kWh/m2") as smaller superscripts, everywhere it prints them; the
            truth's strings are the same (`SynthReport.typeset` says which was drawn).

    The last six are drawn from streams of their own: 0 (the default) prints what the seed always printed, and
    each changes nothing but what it adds.

    Returns:
        The truth: per page the columns, paragraphs and sentences, tables cell by cell, and furniture.
    """
    options = _Options(language, org, pages, categories, narrow, notes, statements,
                       _Variants(seed, codes, phase_names, twins, comparisons),
                       random.Random(f"typeset-{seed}").random() < typeset)
    stream = random.Random(f"text-figures-{seed}")
    if narrow or stream.random() >= text_figures:
        return _print(seed, path, options, {})[0]
    draft, plans = _print(seed, None, options, {})  # what the report prints without them, so as to choose
    inserts, stated = _state_figures(draft, plans, stream)
    report, _ = _print(seed, path, options, inserts)
    return replace(report, stated=stated)


@dataclass(frozen=True)
class _Options:
    """What `generate` was asked to print, besides the seed."""

    language: SynthLanguage | None
    org: str | None
    pages: int | None
    categories: float
    narrow: bool
    notes: bool
    statements: float
    variants: _Variants
    typeset: bool = False  # formulas and powers drawn with sub- and superscripts


# A sentence set into a page's paragraph: (paragraph, position among its sentences, sentence).
_Insert = tuple[int, int, str]


def _print(seed: int, path: Path | None, options: _Options,
           inserts: dict[int, list[_Insert]]) -> tuple[SynthReport, dict[int, _PagePlan]]:
    """Print the report (to `path`; not at all when None) with `inserts` set into its pages' paragraphs.

    Returns the truth and the plans of the pages whose text may take a sentence more (not the statement page).
    """
    rng = random.Random(seed)
    lang: SynthLanguage = options.language if options.language is not None else rng.choice(LANGUAGES)
    notation: Notation = "comma-dot" if lang == "en" else rng.choice(("dot-comma", "space-comma"))
    org = options.org or org_name(rng, lang)
    year = rng.choice((2022, 2023, 2024))
    words = _WORDS[lang]
    title = f"{rng.choice(words.titles)} {year}"
    n_pages = options.pages or rng.randint(3, 6)
    extra = random.Random(f"statement-{seed}")
    total = n_pages + (extra.random() < options.statements)
    furniture = _Furniture(
        header_rule=rng.random() < 0.5,
        footer=rng.choice(("number", "page_of")),
        footer_align=rng.choice(("center", "right", "outside")),
        first=rng.random() < 0.6,
    )
    pdf = _new_pdf(org, title, options.typeset)
    report = _Report(rng, pdf, lang, notation, year, side=random.Random(f"categories-{seed}"),
                     categories=options.categories, stack=random.Random(f"stacked-{seed}"),
                     units=random.Random(f"units-{seed}"), variants=options.variants)
    truth_pages = []
    plans: dict[int, _PagePlan] = {}
    for number in range(1, total + 1):
        footer = str(number) if furniture.footer == "number" else words.page_of.format(n=number, total=total)
        narrow_page = options.narrow and number <= n_pages
        if number > n_pages:
            page, plan = report.statement_page(number, [org, title, footer], extra)
        elif options.narrow:
            page, narrow_plan = report.narrow_page(number, [org, title, footer])
        else:
            if options.notes:
                page, plan = report.notes_page(number, [org, title, footer])
            else:
                page, plan = report.page(number, [org, title, footer])
            if number in inserts:
                page, plan = _with_sentences(page, plan, inserts[number])
            plans[number] = plan
        pdf.add_page()
        if furniture.first:
            _draw_furniture(pdf, furniture, org, title, footer, number)
        if narrow_page:
            _draw_narrow_page(pdf, narrow_plan)
        else:
            _draw_page(pdf, plan)
        if not furniture.first:
            _draw_furniture(pdf, furniture, org, title, footer, number)
        truth_pages.append(page)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        pdf.output(str(path))
    return SynthReport(org, lang, notation, truth_pages, title=title, year=year, seed=seed,
                       typeset=options.typeset), plans


def _with_sentences(page: SynthPage, plan: _PagePlan, inserts: list[_Insert]) -> tuple[SynthPage, _PagePlan]:
    """The page with sentences set into its paragraphs, in order; all else as it was."""
    paragraphs = [(column, list(sentences)) for column, sentences in plan.paragraphs]
    for paragraph, position, sentence in inserts:
        paragraphs[paragraph][1].insert(position, sentence)
    page = SynthPage.of(page.columns, paragraphs, page.tables, page.number, page.furniture, page.heading)
    return page, replace(plan, paragraphs=paragraphs)


def _printed_in_tables(metric: _Metric, report: SynthReport) -> bool:
    """Whether any table of the report names the metric (a title, a header, a label), in any language.

    A scope's emissions are named by a scope's column too ("Scope 1"): its total may answer for them.
    """
    said = " | ".join(text for page in report.pages for table in page.tables
                      for text in [table.title, *table.columns, *(r.label for r in table.rows)]).casefold()
    names = {name.casefold() for name in metric.names}
    if metric.names[2].startswith("Scope"):
        names.add(metric.names[2][:7].casefold())
    return any(name in said for name in names)


def _fits(pdf: FPDF, plan: _PagePlan, paragraphs: list[tuple[int, list[str]]]) -> bool:
    """Whether a page's text, so long, still leaves its tables room above the footer."""
    text = _layout_text(pdf, plan.columns, paragraphs, 0.0)
    return text.height + sum(lay.height() + lay.gap_before for lay in plan.tables) <= _BODY_BOTTOM - _BODY_TOP - 40


def _state_figures(report: SynthReport, plans: dict[int, _PagePlan],
                   rng: random.Random) -> tuple[dict[int, list[_Insert]], list[SynthStated]]:
    """Two to four sentences, each stating one figure of a metric no table prints, set into paragraphs of pages.

    Each metric is stated once, so a question about it for its year has one answer. Only pages without a building
    table take one: the forms a building table takes change its height, and so a page's room, but not the text.
    """
    pdf = _new_pdf(report.org, report.title)
    hosts = [n for n, plan in sorted(plans.items()) if not any(lay.table.family in ("phases", "comparison")
                                                               for lay in plan.tables)]
    eligible = [m for m in _METRICS if not _printed_in_tables(m, report)]
    metrics = rng.sample(eligible, min(rng.randint(2, 4), len(eligible)))
    paragraphs = {n: [(column, list(sentences)) for column, sentences in plans[n].paragraphs] for n in hosts}
    inserts: dict[int, list[_Insert]] = {}
    stated: list[SynthStated] = []
    for metric in metrics:
        sentence, figures = _figure_sentence(metric, report.language, report.notation, report.year, rng)
        for n in rng.sample(hosts, len(hosts)):
            trial = [(column, list(sentences)) for column, sentences in paragraphs[n]]
            paragraph = rng.randrange(len(trial))
            position = rng.randint(0, len(trial[paragraph][1]))
            trial[paragraph][1].insert(position, sentence)
            if _fits(pdf, plans[n], trial):
                paragraphs[n] = trial
                inserts.setdefault(n, []).append((paragraph, position, sentence))
                stated += [replace(figure, page=n) for figure in figures]
                break
    return inserts, stated


def _lower_first(text: str) -> str:
    """A name as said inside a sentence: its first letter lower-cased, unless its first word is an abbreviation.

    A word before a number is a name too ("Scope 2 emissions").
    """
    first, _, rest = text.partition(" ")
    if len(first) > 1 and (first[1:].lower() != first[1:] or any(c.isdigit() for c in first)) or rest[:1].isdigit():
        return text
    return text[:1].lower() + text[1:]


def _figure_sentence(metric: _Metric, language: SynthLanguage, notation: Notation, year: int,
                     rng: random.Random) -> tuple[str, list[SynthStated]]:
    """A sentence stating the metric's figure for `year`, half the time with the year before's; and their records.

    The shape is drawn from those the metric can take: its definite form first ("Sykefraværet var 6,1 % i 2024"),
    its bare name in a frame ("For LTIFR var tallet …"), the figure first ("Med 6,1 % i 2024 ble sykefraværet lavere
    enn året før, da tallet var 6,8 %"), a count and its noun ("I 2024 ble det registrert 14 nestenulykker").
    """
    words, i = _SENTENCE_WORDS[language], _LANG_INDEX[language]
    value, decimals = _value(rng, metric.kind)
    text = format_number(round(value, decimals), decimals, notation)
    before, earlier = "", 0.0
    if rng.random() < 0.5:
        earlier, _ = _value(rng, metric.kind, value)
        before = format_number(round(earlier, decimals), decimals, notation)
        before = "" if before == text else before
    definite, plural = _definite(metric, language)
    noun = _count_noun(metric, language)
    headcount = metric.names[2] in _HEADCOUNTS
    unit = metric.units[i]
    # A figure first needs its unit after it ("Med 6,1 % i 2024 …"); a count says its noun.
    first = unit not in _UNSAID_UNITS
    can: dict[Needs, bool] = {
        "definite": definite is not None,
        "bare": True,
        "compared": definite is not None and bool(before) and first,
        "noun": noun is not None and not headcount and text != "1",
        "headcount": headcount and text != "1",
    }
    needs, order, shape = rng.choice([s for s in words.shapes if can[s[0]] and (first or s[:2] != ("definite",
                                                                                                  "value-first"))])
    counted = needs in ("noun", "headcount")
    if counted:
        said = noun or ""
    elif unit in _UNSAID_UNITS:
        said = ""
    elif unit == "%":
        said = "%" if rng.random() < 0.6 else words.percent
    else:
        said = unit

    def with_unit(figure: str) -> str:
        if counted or not said:
            return figure
        return f"{figure}%" if said == "%" and language == "en" else f"{figure} {said}"

    prev = aside = p = ""
    if before:
        p = with_unit(before)
        k = rng.randrange(len(words.previous))
        prev, aside = (form[k].format(p=p, year0=year - 1) for form in (words.previous, words.aside))
    lower = round(value, decimals) < round(earlier, decimals)
    subject = definite or ""
    sentence = shape.format(
        Metric=subject[:1].upper() + subject[1:], metric=_lower_first(subject), name=_lower_first(metric.names[i]),
        value=with_unit(text), count=text, noun=noun, year=year, prev=prev, aside=aside, p=p,
        cmp=words.lower if lower else words.higher, was="were" if plural else "was",
    )
    sentence = sentence[:1].upper() + sentence[1:]
    names: dict[str, str] = {lang: metric.names[k] for lang, k in _LANG_INDEX.items()}
    stated = [SynthStated(names, year, text, said, 0, sentence, order)]
    if before:
        stated.append(SynthStated(names, year - 1, before, said, 0, sentence, order))
    return sentence, stated


def generate_corpus(
    seed: int,
    out_dir: Path,
    *,
    nynorsk: float = NYNORSK_SHARE,
    statements: float = STATEMENT_SHARE,
    text_figures: float = TEXT_FIGURES_SHARE,
    codes: float = CODES_SHARE,
    phase_names: float = PHASE_NAMES_SHARE,
    twins: float = TWIN_SHARE,
    comparisons: float = COMPARISON_SHARE,
    typeset: float = TYPESET_SHARE,
) -> list[tuple[Path, SynthReport]]:
    """Two reports of two different organisations (languages and notations drawn from the seed).

    Args:
        seed: Seeds both reports.
        out_dir: Folder the two PDFs are written to (created if missing).
        nynorsk: The chance a report drawn in Bokmål is printed in Nynorsk (0: never); from a stream of its own, so
            the languages, organisations and everything else the seed draws stay as without.
        statements: The chance a report ends on a page with an income statement (see `generate`; 0: never).
        text_figures: The chance a report's running text states figures no table prints (see `generate`).
        codes: The chance a building table's parts carry their NS 3451 codes (see `generate`, as the next three).
        phase_names: The chance a building table's modules are headed with their names too.
        twins: The chance a building table is printed again in the other unit (per m² or in total).
        comparisons: The chance a building table compares a reference building with the design instead.
        typeset: The chance a report draws formulas' and units' digits as sub- and superscripts (see `generate`).

    Returns:
        (pdf path, truth) for each report.
    """
    rng = random.Random(f"corpus-{seed}")
    languages = [rng.choice(LANGUAGES) for _ in range(2)]
    orgs = [org_name(rng, languages[0])]
    while len(orgs) < 2:
        name = org_name(rng, languages[1])
        if name.split()[0] != orgs[0].split()[0]:
            orgs.append(name)
    flips = random.Random(f"nynorsk-{seed}")  # drawn for both reports, whatever their language
    languages = ["nn" if flips.random() < nynorsk and language == "nb" else language for language in languages]
    out = []
    for k, (language, org) in enumerate(zip(languages, orgs, strict=True)):
        path = out_dir / f"synthetic-{seed}-{k + 1}.pdf"
        out.append((path, generate(seed * 2 + k, path, language=language, org=org, statements=statements,
                                   text_figures=text_figures, codes=codes, phase_names=phase_names, twins=twins,
                                   comparisons=comparisons, typeset=typeset)))
    return out
