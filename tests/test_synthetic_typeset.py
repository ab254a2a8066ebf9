"""Typeset reports: formulas' digits drawn as subscripts, powers of units as superscripts, the truth unchanged."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from rag.eval.synthetic import (
    SynthReport,
    _drawn_width,
    _new_pdf,
    _typeset_runs,
    _width,
    generate,
    generate_corpus,
)
from rag.eval.synthetic_qa import absent_questions, breakdown, report_questions, sentence_questions

Char = dict[str, Any]


def _chars(path: Path) -> list[list[Char]]:
    with pdfplumber.open(path) as pdf:
        return [list(page.chars) for page in pdf.pages]


def _printed(report: SynthReport) -> str:
    """Everything the report's truth says it prints, joined."""
    out = [report.title]
    for page in report.pages:
        out += [page.heading, *page.paragraphs]
        for table in page.tables:
            out += [table.title, *(t for line in table.header_rows for t in line)]
            out += [r.label for r in table.rows] + [c for r in table.rows for c in r.cells]
    return " | ".join(out)


def _subscripts(chars: list[Char]) -> list[Char]:
    """The "2"s set smaller than the "O" before them and lower (the "2" of CO2)."""
    return [b for a, b in zip(chars, chars[1:], strict=False) if a["text"] == "O" and b["text"] == "2"
            and b["size"] < a["size"] - 0.5 and b["bottom"] > a["bottom"] + 0.5]


def _superscripts(chars: list[Char]) -> list[Char]:
    """The powers ("2", "3", "²", "³") set smaller than the "m" before them and higher (m2, m³)."""
    return [b for a, b in zip(chars, chars[1:], strict=False) if a["text"] == "m" and b["text"] in "23²³"
            and b["size"] < a["size"] - 0.5 and b["bottom"] < a["bottom"] - 0.5]


def _unchanged(report: SynthReport) -> dict[str, Any]:
    """The truth without the record of the switch."""
    data = report.to_dict()
    data.pop("typeset")
    return data


# --- what a typeset report draws --------------------------------------------------------------------------------------


def test_formula_digits_and_powers_are_split_off_only_where_a_typesetter_would() -> None:
    assert _typeset_runs("tCO2e") == [("tCO", 0), ("2", -1), ("e", 0)]
    assert _typeset_runs("kg CO2e/m²") == [("kg CO", 0), ("2", -1), ("e/m", 0), ("²", 1)]
    assert _typeset_runs("CH4 og N2O") == [("CH", 0), ("4", -1), (" og N", 0), ("2", -1), ("O", 0)]
    assert _typeset_runs("kWh/m2 (m³)") == [("kWh/m", 0), ("2", 1), (" (m", 0), ("³", 1), (")", 0)]
    assert _typeset_runs("CO2-ekv.") == [("CO", 0), ("2", -1), ("-ekv.", 0)]
    # Life-cycle modules, scopes, codes, money and figures are no formulas.
    for text in ("A1-A3", "C1-C4", "Scope 2", "NS 3451", "NOK mill.", "1.234,5", "B6 Energibruk", "m2s"):
        assert _typeset_runs(text) == [(text, 0)]


def test_a_typeset_text_is_never_drawn_wider_than_it_is_measured() -> None:
    pdf = _new_pdf("Org", "Title", typeset=True)
    plain = _new_pdf("Org", "Title")
    for p in (pdf, plain):
        p.add_page()
        p.set_font("helvetica", "B", 8.5)
    for text in ("kg CO2e/m²", "tCO2e", "m³", "kWh/m2", "Udledning (tCO2e/mio. kr.)", "Antal"):
        assert _drawn_width(pdf, text) <= _width(pdf, text) + 1e-9
        assert _drawn_width(plain, text) == _width(plain, text)
    assert _drawn_width(pdf, "tCO2e") < _width(pdf, "tCO2e")
    assert _drawn_width(pdf, "Antal") == _width(pdf, "Antal")


def test_a_typeset_report_lowers_the_2_of_co2_and_raises_the_power_of_m(tmp_path: Path) -> None:
    for seed in range(30):
        on = generate(seed, tmp_path / f"on-{seed}.pdf", typeset=1.0)
        printed = _printed(on)
        if "CO2e" not in printed or not any(f"m{power}" in printed for power in "23²³"):
            continue
        chars = [c for page in _chars(tmp_path / f"on-{seed}.pdf") for c in page]
        assert on.typeset
        assert _subscripts(chars), seed
        assert _superscripts(chars), seed
        # The same report untypeset draws every digit on the line, at the size of the letters before it.
        generate(seed, tmp_path / f"off-{seed}.pdf")
        off = [c for page in _chars(tmp_path / f"off-{seed}.pdf") for c in page]
        assert not _subscripts(off) and not _superscripts(off)
        assert [c["text"] for c in off] == [c["text"] for c in chars]
        return
    pytest.fail("no report of seeds 0-29 prints both a CO2e unit and m² or m³")


def _lines(chars: list[Char]) -> list[tuple[int, int]]:
    """Index ranges of the runs of chars drawn side by side on one baseline (one drawn text, or part of one)."""
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(chars) + 1):
        if i == len(chars) or abs(chars[i]["top"] - chars[i - 1]["top"]) > 0.01 \
                or abs(chars[i]["x0"] - chars[i - 1]["x1"]) > 0.01:
            out.append((start, i))
            start = i
    return out


@pytest.mark.parametrize("seed", [2, 7])
def test_typeset_text_stays_inside_the_room_the_untypeset_text_took(tmp_path: Path, seed: int) -> None:
    generate(seed, tmp_path / "on.pdf", typeset=1.0, codes=1.0, twins=1.0)
    generate(seed, tmp_path / "off.pdf", codes=1.0, twins=1.0)
    smaller = 0
    for on, off in zip(_chars(tmp_path / "on.pdf"), _chars(tmp_path / "off.pdf"), strict=True):
        assert [c["text"] for c in on] == [c["text"] for c in off]  # the same characters, drawn otherwise
        for start, end in _lines(off):
            assert min(c["x0"] for c in on[start:end]) >= off[start]["x0"] - 0.01
            assert max(c["x1"] for c in on[start:end]) <= off[end - 1]["x1"] + 0.01
        smaller += sum(a["size"] < b["size"] for a, b in zip(on, off, strict=True))
    assert smaller > 0


# --- the switch ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 5])
def test_off_a_seed_prints_what_it_printed_and_on_the_truth_is_the_same(tmp_path: Path, seed: int) -> None:
    default = generate(seed, tmp_path / "default.pdf")
    off = generate(seed, tmp_path / "off.pdf", typeset=0.0)
    on = generate(seed, tmp_path / "on.pdf", typeset=1.0)
    assert (tmp_path / "default.pdf").read_bytes() == (tmp_path / "off.pdf").read_bytes()
    assert default == off and not default.typeset and on.typeset
    assert (tmp_path / "on.pdf").read_bytes() != (tmp_path / "off.pdf").read_bytes()
    assert _unchanged(on) == _unchanged(off)


def test_the_truth_is_the_same_with_every_other_switch_on(tmp_path: Path) -> None:
    switches: dict[str, Any] = {"text_figures": 1.0, "codes": 1.0, "phase_names": 1.0, "twins": 1.0,
                                "statements": 1.0}
    for seed in (4, 6):
        on = generate(seed, tmp_path / f"on-{seed}.pdf", typeset=1.0, **switches)
        off = generate(seed, tmp_path / f"off-{seed}.pdf", **switches)
        assert _unchanged(on) == _unchanged(off)
    for kind in ({"narrow": True}, {"notes": True}):
        on = generate(8, tmp_path / "on-kind.pdf", typeset=1.0, **kind)
        off = generate(8, tmp_path / "off-kind.pdf", **kind)
        assert _unchanged(on) == _unchanged(off)


def test_a_corpus_typesets_some_reports_from_a_stream_of_its_own(tmp_path: Path) -> None:
    typeset = 0
    for seed in range(8):
        on = generate_corpus(seed, tmp_path / f"on-{seed}")
        off = generate_corpus(seed, tmp_path / f"off-{seed}", typeset=0.0)
        for (on_path, a), (off_path, b) in zip(on, off, strict=True):
            assert not b.typeset
            assert _unchanged(a) == _unchanged(b)
            typeset += a.typeset
            if not a.typeset:  # a report drawn untypeset is printed byte for byte as without the switch
                assert on_path.read_bytes() == off_path.read_bytes()
    assert 3 <= typeset <= 13  # of 16, about 40 %


# --- questions ------------------------------------------------------------------------------------------------------


def test_questions_about_a_typeset_report_are_scored_apart(tmp_path: Path) -> None:
    seen: set[str] = set()
    results = []
    for seed in range(4):
        for path, report in generate_corpus(seed, tmp_path / str(seed)):
            asked = report_questions(report, path.stem, random.Random(f"qa-{path.stem}"))
            asked += sentence_questions(report, path.stem, random.Random(f"qa-text-{path.stem}"))
            asked += absent_questions(report, path.stem, random.Random(f"qa-absent-{path.stem}"))
            tag = f"typeset:{'yes' if report.typeset else 'no'}"
            assert asked and all(q.report_features == (tag,) for q in asked)
            assert not any(f.startswith("typeset:") for q in asked for f in q.features)  # the cell's features stay
            seen.add(tag)
            results += [(q, True, False) for q in asked]
    assert seen == {"typeset:yes", "typeset:no"}
    scores = breakdown(results)
    assert scores["typeset:yes"][2] + scores["typeset:no"][2] == scores["all"][2]
