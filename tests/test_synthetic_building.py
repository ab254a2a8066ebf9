"""Building climate tables of generated reports in the forms Norwegian and Danish LCA reports print them.

Building parts with their NS 3451 codes ("23 Yttervegger"), life-cycle modules headed with their names ("A4" over
"Transport"), a table printed twice (in total and per m² of gross floor area), and a comparison of a reference
building with the design. These pin the generator (`rag.eval.synthetic`) and the question builder
(`rag.eval.synthetic_qa`) on small fixtures, not the quality of the system answering them. All figures are invented.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from rag.eval.layout_check import TableScore, normalise, table_recovery
from rag.eval.synthetic import (
    _BUILDING_CODES,
    _BUILDING_PARTS,
    DASH,
    SynthPage,
    SynthReport,
    SynthRow,
    SynthTable,
    generate,
    generate_corpus,
    phase_name,
)
from rag.eval.synthetic_qa import figure_value, report_questions
from rag.types import PageText, TableCell, TableGrid

BUILDING = ("phases", "comparison")


def _building(report: SynthReport) -> list[tuple[SynthPage, SynthTable]]:
    return [(p, t) for p in report.pages for t in p.tables if t.family in BUILDING]


def _asked(report: SynthReport, stem: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(question, answer, features) of the questions `build_corpus` asks about the report's building tables."""
    return [(q.question, q.answer, q.features) for q in report_questions(report, stem, random.Random(f"qa-{stem}"))
            if q.features[1] in ("family:phases", "family:comparison")]


# --- codes and module names -------------------------------------------------------------------------------------------


def test_each_building_part_has_its_ns_3451_code() -> None:
    assert {names[1]: code for names, code in zip(_BUILDING_PARTS, _BUILDING_CODES, strict=True)} == {
        "Fundamenter": "21", "Gulv på grunn": "25", "Bærende konstruksjoner": "22", "Yttervegger": "23",
        "Innervegger": "24", "Dekker": "25", "Yttertak": "26", "Fasadekledning": "23", "Vinduer og dører": "23",
        "Trapper og ramper": "28", "Tekniske installasjoner": "30", "Ventilasjonsanlegg": "36",
        "Solcelleanlegg på taket": "49", "Utendørsanlegg": "70",
    }
    assert [phase_name(m, "nb") for m in ("A1-A3", "A4", "A5", "B4", "B6", "C1-C4")] == [
        "Produksjon", "Transport", "Bygging", "Utskifting", "Energibruk", "Avhending"]
    assert [phase_name(m, "da") for m in ("A1-A3", "A5", "B4", "B6", "C1-C4")] == [
        "Produktion", "Byggeplads", "Udskiftning", "Driftsenergi", "Bortskaffelse"]
    assert phase_name("C1-C4", "en") == "End of life" and phase_name("B4", "nn") == "Utskifting"


def test_a_spanning_heading_over_modules_and_their_names_is_three_header_lines(tmp_path: Path) -> None:
    report = generate(50, tmp_path / "50.pdf", language="nb", phase_names=1.0, codes=1.0)
    (_, table), = _building(report)
    assert (table.title, table.codes, table.phase_names, table.unit_style) == (
        "Tabell 2. Klimagassutslipp per bygningsdel", True, True, "header")
    assert table.header_rows == [
        ["", *["Livsløpsfaser (tonn CO2e)"] * 6],
        ["", "A1-A3", "A5", "B4", "B6", "C1-C4", ""],
        ["", "Produksjon", "Bygging", "Utskifting", "Energibruk", "Avhending", "Sum"],
    ]
    assert table.header_spans == [[0, 0, 5]]
    assert table.columns[:2] == ["Livsløpsfaser (tonn CO2e) A1-A3 Produksjon", "Livsløpsfaser (tonn CO2e) A5 Bygging"]
    assert [r.label for r in table.rows] == ["23 Yttervegger", "25 Dekker", "26 Yttertak", "23 Fasadekledning",
                                             "23 Vinduer og dører"]
    assert table.rows[0].cells == ["8,3", "0,4", "0,6", "1,1", "0,3", "10,7"]
    assert _asked(report, "doc") == [
        ("Hva var B4 for 23 Yttervegger hos Åsgård Sjømat ASA i 2024?", "0,6",
         ("kind:category-columns", "family:phases", "report:nb", "asked:nb", "unit:header", "words:label",
          "codes:yes", "phase-names:yes", "asked:code")),
        ("Hva var A5 for 25 Dekker hos Åsgård Sjømat ASA i 2024?", "5,6",
         ("kind:category-columns", "family:phases", "report:nb", "asked:nb", "unit:header", "words:label",
          "codes:yes", "phase-names:yes", "asked:code")),
        ("Hva var A5 for yttertak hos Åsgård Sjømat ASA i 2024?", "23,2",
         ("kind:category-columns", "family:phases", "report:nb", "asked:nb", "unit:header", "words:label",
          "codes:yes", "phase-names:yes")),
        ("Hva var C1-C4 for yttervegger hos Åsgård Sjømat ASA i 2024?", "0,3",
         ("kind:category-columns", "family:phases", "report:nb", "asked:nb", "unit:header", "words:label",
          "codes:yes", "phase-names:yes")),
    ]


def test_a_nynorsk_table_names_its_modules_in_nynorsk_and_is_asked_by_them(tmp_path: Path) -> None:
    (path, report), _ = generate_corpus(6, tmp_path)
    (page, table), = _building(report)
    assert (report.language, page.number) == ("nn", 4)
    assert table.title == "Tabell 7. Klimagassutslepp per bygningsdel (kg CO2e)"
    assert table.header_rows == [["", "A1-A3", "A4", "A5", "C1-C4"],
                                 ["Bygningsdel", "Produksjon", "Transport", "Bygging", "Avhending"]]
    assert [r.label for r in table.rows] == ["21 Fundament", "23 Ytterveggar", "28 Trapper og ramper"]
    assert [(q, a) for q, a, _ in _asked(report, path.stem)] == [
        ("Kva var A1-A3 for trapper og ramper hos Vestvik Energi AS i 2023?", "206.572"),
        ("Hva var bygging for fundament hos Vestvik Energi AS i 2023?", "12.405"),  # by the module's name
        ("Kva var A4 for fundament hos Vestvik Energi AS i 2023?", "10.015"),
        ("Kva var A5 for trapper og ramper hos Vestvik Energi AS i 2023?", "14.307"),
    ]


# --- a table in total and per m² --------------------------------------------------------------------------------------


def test_a_table_in_total_is_printed_again_per_m2_of_its_floor_area(tmp_path: Path) -> None:
    (path, report), _ = generate_corpus(15, tmp_path)
    (page, total), (_, per_m2) = _building(report)
    assert page.tables.index(per_m2) == page.tables.index(total) + 1  # right after it
    assert (total.title, total.twin) == ("Tabel 2. Klimabelastning fordelt på bygningsdele, kg CO2e", "total")
    assert (per_m2.title, per_m2.twin) == (
        "Klimabelastning pr. m² etageareal (etageareal 3 810 m²), kg CO2e/m²", "per-m2")
    assert total.header_rows == per_m2.header_rows == [
        ["", "A1-A3", "A5", "B4", "C1-C4"], ["Bygningsdel", "Produktion", "Byggeplads", "Udskiftning", "Bortskaffelse"]]
    assert [r.label for r in total.rows] == [r.label for r in per_m2.rows] == [
        "21 Fundamenter", "25 Terrændæk", "22 Bærende konstruktioner", "I alt"]
    assert total.rows[0].cells == ["241 852", "14 121", "", "11 882"]
    assert per_m2.rows[0].cells == ["63,5", "3,7", "", "3,1"]
    assert {u for r in per_m2.rows for u in r.units} == {"kg CO2e/m²", ""}
    for a, b in zip(total.rows[:-1], per_m2.rows[:-1], strict=True):  # each figure the total's divided by the area
        for x, y in zip(a.cells, b.cells, strict=True):
            assert (x == "") == (y == "")
            if x:
                assert round(float(x.replace(" ", "")) / 3810, 1) == float(y.replace(",", "."))
    assert _asked(report, path.stem) == [
        ("Hvad var C1-C4 for bærende konstruktioner i kg CO2e hos Ådalen Fødevarer A/S i 2024?", "4.100",
         ("kind:category-columns", "family:phases", "report:da", "asked:da", "unit:none", "words:label", "codes:yes",
          "phase-names:yes", "twin:total")),
        ("Hvad var produktion for fundamenter i kg CO2e hos Ådalen Fødevarer A/S i 2024?", "241.852",
         ("kind:category-columns", "family:phases", "report:da", "asked:da", "unit:none", "words:label", "codes:yes",
          "phase-names:yes", "asked:phase-name", "twin:total")),
        ("Hvad var A5 for 25 Terrændæk samlet hos Ådalen Fødevarer A/S i 2024?", "18.004",
         ("kind:category-columns", "family:phases", "report:da", "asked:da", "unit:none", "words:label", "codes:yes",
          "phase-names:yes", "asked:code", "twin:total")),
        ("Hvad var byggeplads for fundamenter i alt hos Ådalen Fødevarer A/S i 2024?", "14.121",
         ("kind:category-columns", "family:phases", "report:da", "asked:da", "unit:none", "words:label", "codes:yes",
          "phase-names:yes", "asked:phase-name", "twin:total")),
        ("Hvad var C1-C4 for bærende konstruktioner i kg CO2e pr. kvadratmeter hos Ådalen Fødevarer A/S i 2024?",
         "1,1", ("kind:category-columns", "family:phases", "report:da", "asked:da", "unit:none", "words:label",
                 "codes:yes", "phase-names:yes", "twin:per-m2")),
        ("Hvad var bortskaffelse for terrændæk pr. m² hos Ådalen Fødevarer A/S i 2024?", "3,2",
         ("kind:category-columns", "family:phases", "report:da", "asked:da", "unit:none", "words:label", "codes:yes",
          "phase-names:yes", "asked:phase-name", "twin:per-m2")),
        ("Hvad var byggeplads for bærende konstruktioner pr. m² hos Ådalen Fødevarer A/S i 2024?", "1,4",
         ("kind:category-columns", "family:phases", "report:da", "asked:da", "unit:none", "words:label", "codes:yes",
          "phase-names:yes", "asked:phase-name", "twin:per-m2")),
        ("Hvad var B4 for terrændæk pr. m² hos Ådalen Fødevarer A/S i 2024?", "21,2",
         ("kind:category-columns", "family:phases", "report:da", "asked:da", "unit:none", "words:label", "codes:yes",
          "phase-names:yes", "twin:per-m2")),
    ]


def _phases(title: str, cells: list[str], unit: str, twin: str = "") -> SynthTable:
    row = SynthRow("Yttervegger", cells, None, ["Yttervegger"], units=[unit] * len(cells))
    return SynthTable(title, [["Bygningsdel", "A1-A3", "A4"]], [row], ["category", "category"], years_as="none",
                      unit_style="header", family="phases", twin=twin)  # type: ignore[arg-type]


def test_a_pair_is_asked_about_by_its_measure_and_only_where_that_has_one_answer() -> None:
    pair = [_phases("Tabell 1. Klimagassutslipp", ["120.400", "8.100"], "kg CO2e", "total"),
            _phases("Klimagassutslipp per m² BTA (BTA 4.000 m²)", ["30,1", "2,0"], "kg CO2e/m²", "per-m2")]
    other = _phases("Tabell 2. Klimagassutslipp, bygg B", ["98.000", "7.700"], "kg CO2e")  # in total too
    report = SynthReport("Fjordvik Bygg AS", "nb", "dot-comma", [SynthPage(1, [], [*pair, other])], year=2024)
    asked = sorted((q.answer, q.question) for q in report_questions(report, "doc", random.Random(3), per_table=2))
    # In total, "yttervegger A1-A3" has two answers (the pair's and the other table's); per m² one.
    assert [a for a, _ in asked] == ["2,0", "30,1"]
    assert all(re.search(r" for yttervegger (per m²|per kvadratmeter|i kg CO2e per kvadratmeter) hos ", q)
               for _, q in asked)


# --- a comparison of a reference building with the design -------------------------------------------------------------


def test_a_comparison_of_a_reference_building_with_the_design(tmp_path: Path) -> None:
    _, (path, report) = generate_corpus(3, tmp_path)
    (page, table), = _building(report)
    assert (report.language, page.number, table.family, table.kind) == ("nn", 1, "comparison", "category-columns")
    assert table.title == "Tabell 1. Klimagassutslepp, referansebygg og prosjektert bygg, kg CO2e/m²"
    assert table.header_rows == [["Bygningsdel", "Referansebygg", "Prosjektert bygg", "Reduksjon (%)"]]
    assert [(r.label, r.cells) for r in table.rows] == [
        ("Berande konstruksjonar", ["39,0", "22,4", "42,6"]), ("Ytterveggar", ["28,9", "21,1", "27,0"]),
        ("Ventilasjonsanlegg", ["26,7", "20,1", "24,7"]), ("Solcelleanlegg på taket", ["6,1", "5,1", "16,4"]),
        ("Sum", ["100,7", "68,7", "31,8"]),
    ]
    assert table.rows[0].units == ["kg CO2e/m²", "kg CO2e/m²", "%"]
    for row in table.rows:  # the reduction is the one of the printed figures
        reference, design, reduction = (float(c.replace(",", ".")) for c in row.cells)
        assert round(100 * (reference - design) / reference, 1) == pytest.approx(reduction, abs=0.051)
    assert [(q, a) for q, a, _ in _asked(report, path.stem)] == [
        ("Hvad var berande konstruksjonar i referencebygningen hos Åsgård Kraft Holding AS i 2022?", "39,0"),
        ("Hva var ytterveggar i referansebygget hos Åsgård Kraft Holding AS i 2022?", "28,9"),
        ("Kva var ytterveggar for prosjektert bygg hos Åsgård Kraft Holding AS i 2022?", "21,1"),
        ("Hvad var ventilasjonsanlegg for den projekterede bygning hos Åsgård Kraft Holding AS i 2022?", "20,1"),
    ]
    assert [f for _, _, fs in _asked(report, path.stem) for f in fs if f.startswith(("compare:", "family:"))] == [
        "family:comparison", "compare:reference", "family:comparison", "compare:reference",
        "family:comparison", "compare:design", "family:comparison", "compare:design"]


def test_an_english_comparison_is_asked_for_its_reduction(tmp_path: Path) -> None:
    (path, report), _ = generate_corpus(19, tmp_path)
    (_, table), = _building(report)
    assert table.header_rows == [["", "Reference", "", ""], ["", "building", "Design", "Reduction"],
                                 ["Building part", "(kg CO2e/m²)", "(kg CO2e/m²)", "(%)"]]
    assert [(q, a) for q, a, _ in _asked(report, path.stem)][0] == (
        "Hvor stor var reduktionen for ground floor slab hos Westmoor Materials Group plc i 2024?", "49,2")


# --- every form, printed and read -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def every_form(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, SynthReport]]:
    """Reports whose every building table takes a new form (a comparison in half of them)."""
    folder = tmp_path_factory.mktemp("building")
    out = []
    for seed in range(30, 54):
        path = folder / f"{seed}.pdf"
        forms = {"codes": 1.0, "phase_names": 1.0, "twins": 1.0, "comparisons": 0.5}
        out.append((path, generate(seed, path, language=("da", "nb", "nn", "en")[seed % 4], **forms)))
    return out


def test_every_form_is_printed_in_the_pdf(every_form: list[tuple[Path, SynthReport]]) -> None:
    seen: set[str] = set()
    for path, report in every_form:
        pages = PdfReader(path).pages
        for page, table in _building(report):
            text = normalise(pages[page.number - 1].extract_text())
            printed = [table.title, *(t for line in table.header_rows for t in line if t)]
            printed += [line for r in table.rows for line in r.label_lines] + [c for r in table.rows for c in r.cells]
            assert [s for s in printed if s and normalise(s) not in text] == [], (report.seed, table.title)
            seen |= {f"family:{table.family}", f"twin:{table.twin or '-'}", f"spans:{bool(table.header_spans)}"}
            seen |= {"codes"} if table.codes else set()
            seen |= {"names"} if table.phase_names else set()
    assert {"family:phases", "family:comparison", "twin:total", "twin:per-m2", "codes", "names",
            "spans:True"} <= seen, seen


def test_every_form_holds_together(every_form: list[tuple[Path, SynthReport]]) -> None:
    for _, report in every_form:
        for page, table in _building(report):
            assert len({len(line) for line in table.header_rows}) == 1
            assert all(len(r.cells) == len(table.columns) == len(table.column_kinds) for r in table.rows)
            if table.codes:
                assert all(re.match(r"^\d\d \S", r.label) for r in table.rows if not r.total)
            if table.phase_names:  # each module over its name, in the report's language
                modules = [c.split()[-2] if table.header_spans else c.split()[0] for c, k in
                           zip(table.columns, table.column_kinds, strict=True) if k == "category"]
                for column, module in zip([c for c, k in zip(table.columns, table.column_kinds, strict=True)
                                           if k == "category"], modules, strict=True):
                    assert f"{module} {phase_name(module, report.language)}" in column
            if table.twin:  # the two of a pair: one after the other, the same parts and modules
                k = page.tables.index(table)
                other = page.tables[k + 1] if table.twin == "total" and page.tables[k + 1].twin == "per-m2" else (
                    page.tables[k - 1] if page.tables[k - 1].twin else page.tables[k + 1])
                assert {table.twin, other.twin} == {"total", "per-m2"}
                assert [r.label for r in table.rows] == [r.label for r in other.rows]
                assert [[c in ("", DASH) for c in r.cells] for r in table.rows[:-1]] == [
                    [c in ("", DASH) for c in r.cells] for r in other.rows[:-1]]
            if table.family == "comparison":
                assert table.column_kinds == ["category"] * 3 and not table.codes


def _oracle(page: SynthPage) -> PageText:
    grids = []
    for table in page.tables:
        cells = [TableCell(t, r, c, column_header=True) for r, line in enumerate(table.header_rows)
                 for c, t in enumerate(line)]
        top = len(table.header_rows)
        for i, row in enumerate(table.rows):
            cells.append(TableCell(row.label, top + i, 0, row_header=True))
            cells += [TableCell(t, top + i, j + 1) for j, t in enumerate(row.cells)]
        n_rows, n_cols = top + len(table.rows), len(table.header_rows[0])
        grids.append(TableGrid(page.number, n_rows, n_cols, tuple(cells), title=table.title,
                               parents=(None,) * n_rows))
    return PageText(page.number, "", tuple(grids))


def test_layout_check_finds_every_cell_of_a_perfect_reading(every_form: list[tuple[Path, SynthReport]]) -> None:
    score = sum((table_recovery(r, [_oracle(p) for p in r.pages]) for _, r in every_form), TableScore())
    building = score.only("family:phases")
    assert building.total > 100 and building.misses == []
    assert score.only("family:comparison").total > 20 and score.only("family:comparison").misses == []


def test_every_question_about_a_building_table_has_its_answer_in_the_table_asked(
    every_form: list[tuple[Path, SynthReport]],
) -> None:
    counts: dict[str, int] = {}
    for _, report in every_form:
        for question in report_questions(report, "doc", random.Random(f"qa-{report.seed}")):
            if question.features[1] not in ("family:phases", "family:comparison"):
                continue
            p, t = (int(x) for x in re.findall(r"-p(\d+)t(\d+)-", question.id)[0])
            table = report.pages[p - 1].tables[t - 1]
            values = {figure_value(c, report.notation) for r in table.rows if not r.total for c in r.cells}
            assert float(question.answer.replace(".", "").replace(",", ".")) in values, question
            per_m2 = re.search(r"(per m²|pr\. m²|kvadratmeter)", question.question)
            if table.twin == "per-m2":
                assert per_m2, question.question
            elif table.twin == "total":
                assert not per_m2 and re.search(r"(totalt|samlet|samla|i alt|i kg CO2e|i tonn? CO2e) hos ",
                                                 question.question), question.question
            if "asked:code" in question.features:
                assert re.search(r" for \d\d [A-ZÆØÅ]", question.question)
            for f in question.features:
                counts[f] = counts.get(f, 0) + 1
    for feature in ("asked:code", "asked:phase-name", "twin:total", "twin:per-m2", "compare:reference",
                    "compare:design", "compare:reduction", "codes:yes", "phase-names:yes"):
        assert counts.get(feature, 0) > 0, feature


# --- what the seeds printed before stays ------------------------------------------------------------------------------


def _pairs(on: list[tuple[Path, SynthReport]],
           off: list[tuple[Path, SynthReport]]) -> Iterator[tuple[SynthPage, SynthPage]]:
    """Each page's pair; a page without a building table (on either side) is the same, as is what the text states."""
    for (_, a), (_, b) in zip(on, off, strict=True):
        assert a.stated == b.stated and len(a.pages) == len(b.pages)
        for x, y in zip(a.pages, b.pages, strict=True):
            if not any(t.family in BUILDING for t in x.tables + y.tables):
                assert x == y
                continue
            assert (x.heading, x.furniture) == (y.heading, y.furniture)
            others = [[t for t in page.tables if t.family not in BUILDING] for page in (x, y)]
            assert others[0] == others[1]
            yield x, y


def _second(table: SynthTable) -> bool:
    """Whether a table is the second of a pair (in total and per m²): never numbered, never without a caption."""
    return bool(table.twin and table.title and not re.match(r"^Tab(el|ell|le) \d+\.", table.title))


def _uncoded(table: SynthTable) -> SynthTable:
    rows = [replace(r, label=re.sub(r"^\d\d ", "", r.label), label_lines=[]) for r in table.rows]
    return replace(table, rows=rows, codes=False)


def _content(table: SynthTable) -> tuple[object, ...]:
    """A building table without its header: what module names leave as it was."""
    return table.title, table.family, table.twin, [(r.label, r.cells, r.units) for r in table.rows]


@pytest.mark.parametrize("switch", ["codes", "phase_names", "twins", "comparisons"])
def test_with_a_switch_off_the_corpus_is_the_one_with_it_on_minus_that_form(tmp_path: Path, switch: str) -> None:
    changed = 0
    for seed in range(20):
        on = generate_corpus(seed, tmp_path / f"on-{seed}")
        off = generate_corpus(seed, tmp_path / f"off-{seed}", **{switch: 0.0})  # type: ignore[arg-type]
        for a, b in _pairs(on, off):
            tables = [t for t in a.tables if t.family in BUILDING], [t for t in b.tables if t.family in BUILDING]
            if switch == "codes":
                assert not any(t.codes for t in tables[1])
                assert [_uncoded(t) for t in tables[0]] == [_uncoded(t) for t in tables[1]]
                assert a.paragraphs == b.paragraphs
            elif switch == "phase_names":
                assert not any(t.phase_names for t in tables[1])
                assert [_content(t) for t in tables[0]] == [_content(t) for t in tables[1]]
                assert a.paragraphs == b.paragraphs
            elif switch == "twins":  # the pair's second table goes, and the page keeps the text it gave up for it
                assert not any(t.twin for t in tables[1])
                assert [replace(t, twin="") for t in tables[0] if not _second(t)] == tables[1]
                assert {s for ss in a.sentences for s in ss} <= {s for ss in b.sentences for s in ss}
                assert len(a.paragraphs) <= len(b.paragraphs)
            else:  # a comparison stands where the building table was, numbered as it, of its building parts
                assert not any(t.family == "comparison" for t in tables[1])
                firsts = [[replace(t, twin="") for t in side if not _second(t)] for side in tables]
                assert len(firsts[0]) == len(firsts[1])
                for now, was in zip(*firsts, strict=True):
                    if now.family == "phases":
                        assert now == was
                        continue
                    assert now.title.split(".")[0] == was.title.split(".")[0]
                    assert [r.label for r in now.rows if not r.total] == [
                        re.sub(r"^\d\d ", "", r.label) for r in was.rows if not r.total]
            changed += tables[0] != tables[1]
    assert changed >= 2
