"""Synthetic CSR reports with known ground truth, to measure a PDF reader on layouts it was not written for.

A reader tuned on the bundled corpus learns that corpus' quirks. `generate` prints a report from a seed and
returns what a perfect reader would recover from it: one to three text columns whose lines are written to
the content stream interleaved (a reader that follows the stream mixes them), running headers and footers,
and tables of many shapes — years as columns or as rows; a unit column, the unit in the label or in the
header; a target column; empty and dash cells; wrapped labels and headers; group rows with children; grid
lines, horizontal rules, stripes or nothing but alignment — in Danish, Norwegian or English number notation.
`rag.eval.layout_check` scores a reader against the truth. fpdf2 (a dev dependency) is imported only when a
report is printed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

if TYPE_CHECKING:
    from fpdf import FPDF

SynthLanguage = Literal["da", "nb", "en"]
Notation = Literal["dot-comma", "space-comma", "comma-dot"]  # thousands separator, decimal separator
Ruling = Literal["grid", "rows", "booktabs", "stripes", "none"]
YearsAs = Literal["columns", "rows"]
UnitStyle = Literal["column", "label", "header"]
ColumnKind = Literal["unit", "year", "target", "metric"]
Align = Literal["right", "center"]
VAlign = Literal["top", "middle", "bottom"]

DASH = "\u2013"
LANGUAGES: tuple[SynthLanguage, ...] = ("da", "nb", "en")
RULINGS: tuple[Ruling, ...] = ("grid", "rows", "booktabs", "stripes", "none")
RULED: frozenset[str] = frozenset({"grid", "rows", "booktabs"})  # drawn lines; stripes are filled boxes


# --- the truth ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SynthRow:
    """One table row as printed: its label (wrapped lines joined with a space) and one text per data column.

    `cells[j]` belongs under the table's data column j (the label column excluded); "" means nothing was
    printed there. A group row has a label and no values; the rows after it name it as their `parent`.
    """

    label: str
    cells: list[str]
    parent: str | None = None
    label_lines: list[str] = field(default_factory=list)
    group: bool = False

    @property
    def wrapped(self) -> bool:
        return len(self.label_lines) > 1


@dataclass(frozen=True)
class SynthTable:
    """A table as printed. `header_rows` are the printed header lines, top to bottom, label column first.

    A header wrapped over several lines is bottom-aligned: its column holds "" in the upper lines of the
    shorter headers. `column_kinds[j]` says what data column j holds.
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


@dataclass(frozen=True)
class SynthReport:
    """A generated report: who, in which language and number notation, and every page's truth."""

    org: str
    language: SynthLanguage
    notation: Notation
    pages: list[SynthPage]
    title: str = ""
    year: int = 2024
    seed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SynthReport:
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
        return cls(**{**data, "pages": pages})


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

_LANG_INDEX = {"da": 0, "nb": 1, "en": 2}


@dataclass(frozen=True)
class _Metric:
    category: str
    names: tuple[str, str, str]  # da, nb, en
    units: tuple[str, str, str]
    kind: str  # value distribution, see `_Report.value`


def _m(category: str, da: str, nb: str, en: str, unit: str | tuple[str, str, str], kind: str) -> _Metric:
    units = (unit, unit, unit) if isinstance(unit, str) else unit
    return _Metric(category, (da, nb, en), units, kind)


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


@dataclass
class _TableLayout:
    """A table with the geometry it will be printed with."""

    table: SynthTable
    widths: list[float]  # label column first
    indent: float
    group_gap: float

    @property
    def header_height(self) -> float:
        return len(self.table.header_rows) * _CELL_LEAD + 2 * _PAD

    def row_height(self, row: SynthRow) -> float:
        return max(len(row.label_lines), 1) * _CELL_LEAD + 2 * _PAD

    def height(self) -> float:
        rows = self.table.rows
        gaps = sum(self.group_gap for i, r in enumerate(rows) if r.group and i > 0)
        return _TITLE_H + self.header_height + sum(self.row_height(r) for r in rows) + gaps

    def alignment(self, column: int) -> str:
        """Alignment of data column `column` (-1 is the label column)."""
        if column < 0:
            return "left"
        if self.table.column_kinds[column] == "unit":
            return "center" if self.table.align == "center" else "left"
        return self.table.align


def _cell_x(pdf: FPDF, text: str, left: float, width: float, align: str) -> float:
    if align == "right":
        return left + width - _PAD - _width(pdf, text)
    if align == "center":
        return left + (width - _width(pdf, text)) / 2
    return left + _PAD


def _baseline(top: float, line: int) -> float:
    return top + _PAD + _CELL_SIZE * 0.8 + line * _CELL_LEAD


def _draw_table(pdf: FPDF, lay: _TableLayout, top: float) -> None:
    """Print a table: title, stripes, header, rows (label lines, then values), then its rules."""
    table = lay.table
    xs = [_MARGIN]
    for w in lay.widths:
        xs.append(xs[-1] + w)
    pdf.set_font(_FONT, "B", _TITLE_SIZE)
    pdf.text(_MARGIN, top + 11, table.title)
    y = top + _TITLE_H
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
                pdf.rect(xs[0], row_tops[i], xs[-1] - xs[0], lay.row_height(row), style="F")
    pdf.set_font(_FONT, "B", _CELL_SIZE)
    for n, line in enumerate(table.header_rows):
        for c, text in enumerate(line):
            if text:
                pdf.text(_cell_x(pdf, text, xs[c], lay.widths[c], lay.alignment(c - 1)), _baseline(y, n), text)
    for row, row_top in zip(table.rows, row_tops, strict=True):
        _draw_row(pdf, lay, row, row_top, xs)
    _draw_rules(pdf, lay, xs, y, row_tops, cursor)


def _draw_row(pdf: FPDF, lay: _TableLayout, row: SynthRow, top: float, xs: list[float]) -> None:
    pdf.set_font(_FONT, "B" if row.group else "", _CELL_SIZE)
    indent = lay.indent if row.parent else 0.0
    for n, line in enumerate(row.label_lines):
        pdf.text(xs[0] + _PAD + indent, _baseline(top, n), line)
    last = len(row.label_lines) - 1
    line_pos = {"top": 0.0, "middle": last / 2, "bottom": float(last)}[lay.table.valign]
    pdf.set_font(_FONT, "", _CELL_SIZE)
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
    left, right = xs[0], xs[-1]
    head_bottom = top + lay.header_height
    if ruling == "booktabs":
        for y, width in ((top, 0.9), (head_bottom, 0.5), (bottom, 0.9)):
            pdf.set_line_width(width)
            pdf.line(left, y, right, y)
        return
    pdf.set_line_width(0.5)
    for y in [top, head_bottom, *row_tops[1:], bottom]:
        pdf.line(left, y, right, y)
    if ruling == "grid":
        for x in xs:
            pdf.line(x, top, x, bottom)


# --- the generator --------------------------------------------------------------------------------


class _Report:
    """The state of one report being printed: randomness, the PDF, labels and sentence ids used so far."""

    def __init__(
        self, rng: random.Random, pdf: FPDF, language: SynthLanguage, notation: Notation, year: int
    ) -> None:
        self.rng = rng
        self.pdf = pdf
        self.language = language
        self.words = _WORDS[language]
        self.notation = notation
        self.year = year
        self.used: set[str] = set()
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
        rng = self.rng
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

    def metric(self, category: str | None, long: bool) -> tuple[_Metric, str] | None:
        """A metric and a label not used before in this report (a qualifier makes names varied)."""
        pool = [m for m in _METRICS if category is None or m.category == category]
        i = _LANG_INDEX[self.language]
        for _ in range(60):
            metric = self.rng.choice(pool)
            if long:
                qualifier = self.rng.choice(self.words.long_qualifiers)
            else:
                qualifier = self.rng.choice(self.words.qualifiers) if self.rng.random() < 0.5 else ""
            label = f"{metric.names[i]} {qualifier}".strip()
            if label not in self.used:
                self.used.add(label)
                return metric, label
        return None

    def unit(self, metric: _Metric) -> str:
        return metric.units[_LANG_INDEX[self.language]]

    def years(self) -> list[int]:
        years = [self.year - k for k in range(self.rng.choice((2, 3, 3, 4)))]
        return years if self.rng.random() < 0.75 else years[::-1]

    def title(self, category: str) -> str:
        self.table_number += 1
        return f"{self.words.table} {self.table_number}. {self.words.topics[category]}"

    # tables

    def table(self) -> _TableLayout:
        return self.years_as_rows() if self.rng.random() < 0.3 else self.years_as_columns()

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
        for category in categories:
            parent = w.groups[category] if grouped else None
            if parent:
                self.used.add(parent)
                rows.append((parent, [""] * len(kinds), None, True))
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
        self.pdf.set_font(_FONT, "", _CELL_SIZE)
        widths = [0.0] + [self._data_width(kind, [r[1][j] for r in rows], heads[j + 1]) for j, kind in
                          enumerate(kinds)]
        indent = rng.choice((0.0, 10.0)) if grouped else 0.0
        widths[0] = self._label_width([r[0] for r in rows], indent, wrap, _BODY_W - sum(widths))
        table = SynthTable(
            title=self.title(categories[0]),
            header_rows=_bottom_aligned(heads),
            rows=[self._row(label, cells, parent, group, widths[0] - 2 * _PAD - (indent if parent else 0.0))
                  for label, cells, parent, group in rows],
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
        rows = [SynthRow(str(y), [col[i] for col in columns], None, [str(y)]) for i, y in enumerate(years)]
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

    def _row(self, label: str, cells: list[str], parent: str | None, group: bool, width: float) -> SynthRow:
        self.pdf.set_font(_FONT, "B" if group else "", _CELL_SIZE)
        return SynthRow(label, cells, parent, _wrap(self.pdf, label, width), group)

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
        page = SynthPage(
            columns=columns,
            paragraphs=[" ".join(sentences) for _, sentences in paragraphs],
            tables=[lay.table for lay in tables],
            number=number,
            sentences=[sentences for _, sentences in paragraphs],
            paragraph_columns=[column for column, _ in paragraphs],
            furniture=furniture,
            heading=heading,
        )
        plan = _PagePlan(heading, columns, paragraphs, tables, tables_first=rng.random() < 0.25,
                         stream_tables_first=rng.random() < 0.5)
        return page, plan


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
    pdf.set_font(_FONT, "", _TEXT_SIZE)
    width = (_BODY_W - (columns - 1) * _GUTTER) / columns
    placed: list[list[tuple[float, float, str]]] = [[] for _ in range(columns)]
    cursor = [top + _TEXT_SIZE] * columns
    for column, sentences in paragraphs:
        x = _MARGIN + column * (width + _GUTTER)
        for line in _wrap(pdf, " ".join(sentences), width):
            placed[column].append((x, cursor[column], line))
            cursor[column] += _LEADING
        cursor[column] += _PARA_GAP
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
    tables_height = sum(lay.height() + _BLOCK_GAP for lay in plan.tables)
    text_top = y + tables_height if plan.tables_first else y
    text = _layout_text(pdf, plan.columns, plan.paragraphs, text_top)
    table_tops = []
    cursor = y if plan.tables_first else y + text_height + _BLOCK_GAP
    for lay in plan.tables:
        table_tops.append(cursor)
        cursor += lay.height() + _BLOCK_GAP
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


def _new_pdf(org: str, title: str) -> FPDF:
    try:
        from fpdf import FPDF
    except ImportError as exc:  # pragma: no cover - fpdf2 is a dev dependency
        raise ImportError("Synthetic reports need fpdf2: pip install -e '.[dev]'") from exc
    pdf = FPDF(unit="pt", format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # helvetica with æøå, "–", "³" and "£"
    pdf.set_creation_date(dt.datetime(2024, 1, 1, tzinfo=dt.UTC))  # same seed, same bytes
    pdf.set_auto_page_break(False)
    pdf.set_title(title)
    pdf.set_author(org)
    return pdf


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
) -> SynthReport:
    """Print a synthetic report to `path` and return its ground truth; the same seed gives the same bytes.

    Args:
        seed: Seeds `random.Random`; every choice (layout, words, values) follows from it.
        path: Where the PDF is written.
        language: "da", "nb" or "en"; drawn from the seed when None.
        org: The organisation in the running header; invented when None.
        pages: Number of pages (3 to 6 when None).

    Returns:
        The truth: per page the columns, paragraphs and sentences, tables cell by cell, and furniture.
    """
    rng = random.Random(seed)
    lang: SynthLanguage = language if language is not None else rng.choice(LANGUAGES)
    notation: Notation = "comma-dot" if lang == "en" else rng.choice(("dot-comma", "space-comma"))
    org = org or org_name(rng, lang)
    year = rng.choice((2022, 2023, 2024))
    words = _WORDS[lang]
    title = f"{rng.choice(words.titles)} {year}"
    n_pages = pages or rng.randint(3, 6)
    furniture = _Furniture(
        header_rule=rng.random() < 0.5,
        footer=rng.choice(("number", "page_of")),
        footer_align=rng.choice(("center", "right", "outside")),
        first=rng.random() < 0.6,
    )
    pdf = _new_pdf(org, title)
    report = _Report(rng, pdf, lang, notation, year)
    truth_pages = []
    for number in range(1, n_pages + 1):
        footer = str(number) if furniture.footer == "number" else words.page_of.format(n=number, total=n_pages)
        page, plan = report.page(number, [org, title, footer])
        pdf.add_page()
        if furniture.first:
            _draw_furniture(pdf, furniture, org, title, footer, number)
        _draw_page(pdf, plan)
        if not furniture.first:
            _draw_furniture(pdf, furniture, org, title, footer, number)
        truth_pages.append(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return SynthReport(org, lang, notation, truth_pages, title=title, year=year, seed=seed)


def generate_corpus(seed: int, out_dir: Path) -> list[tuple[Path, SynthReport]]:
    """Two reports of two different organisations (languages and notations drawn from the seed).

    Args:
        seed: Seeds both reports.
        out_dir: Folder the two PDFs are written to (created if missing).

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
    out = []
    for k, (language, org) in enumerate(zip(languages, orgs, strict=True)):
        path = out_dir / f"synthetic-{seed}-{k + 1}.pdf"
        out.append((path, generate(seed * 2 + k, path, language=language, org=org)))
    return out
