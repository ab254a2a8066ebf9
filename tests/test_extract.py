"""`rag extract` on a generated report: what the index sees, page by page, as text, grids and JSON."""

import json
from pathlib import Path

from click.testing import CliRunner

from rag.cli import main
from rag.eval.synthetic import generate


def _report_with_table(tmp_path: Path) -> tuple[Path, int, str, str]:
    for seed in range(40):
        path = tmp_path / f"r{seed}.pdf"
        truth = generate(seed, path, pages=2, categories=0.0)  # a years table: what extract prints is the point
        for page in truth.pages:
            for table in page.tables:
                row = next(r for r in table.rows if any(r.cells) and not r.group)
                return path, page.number, row.label, next(c for c in row.cells if c)
    raise AssertionError("no generated report with a table")


def test_extract_prints_reading_order_tables_and_dropped_furniture(tmp_path: Path) -> None:
    path, page, label, value = _report_with_table(tmp_path)
    result = CliRunner().invoke(main, ["extract", str(path), "--page", str(page)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"=== page {page}")
    assert "--- table 1:" in result.output
    assert label.split()[0] in result.output and value in result.output
    assert "--- dropped (running headers, footers, page numbers):" in result.output


def test_extract_json_gives_grids_with_cells(tmp_path: Path) -> None:
    path, page, label, value = _report_with_table(tmp_path)
    result = CliRunner().invoke(main, ["extract", str(path), "--json"])
    assert result.exit_code == 0, result.output
    pages = [json.loads(line) for line in result.output.splitlines()]
    assert [p["page"] for p in pages] == [1, 2]
    rows = [row for p in pages if p["page"] == page for t in p["tables"] for row in t["rows"]]
    assert any(row[0] == label and value in row for row in rows)
    assert all({"text", "tables", "dropped", "nearly_empty", "label"} <= set(p) for p in pages)


def test_extract_refuses_an_unsupported_file_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"PK\x03\x04")
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code != 0
    assert "unsupported file type" in result.output
    assert "Traceback" not in result.output


def test_index_reports_pages_with_almost_no_text(tmp_path: Path, monkeypatch) -> None:
    from fpdf import FPDF

    from rag.config import load_settings
    from rag.index import build_index
    from tests.conftest import FakeEmbedder

    pdf = FPDF()
    for text in ("Forside", "Vores udledning faldt med 12 procent i 2024, og vi fortsætter arbejdet i 2025. " * 3):
        pdf.add_page()
        pdf.set_font("helvetica", size=11)
        pdf.multi_cell(0, 6, text)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pdf.output(str(corpus / "rapport-2024.pdf"))
    settings = load_settings().with_overrides(corpus_dir=corpus, index_dir=tmp_path / "index")
    report = build_index(settings, embedder=FakeEmbedder(), progress=False)
    assert report.empty_pages == {"rapport-2024.pdf": [1]}
