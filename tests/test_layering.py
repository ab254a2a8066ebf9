"""The folders tell the pipeline, and data flows down: text ← ingest ← index ← answer ← app.

What turns files into chunks and facts (text, ingest, index) imports nothing from the answering layers, and
its code is what `pipeline_fingerprint` hashes: a change there re-reads the documents at the next `rag index`.
"""

from __future__ import annotations

import ast
from pathlib import Path

from rag.index import _PIPELINE_MODULES

RAG = Path(__file__).parent.parent / "rag"
# Typed records, settings and errors: shared by every layer, they decide nothing about what an index holds.
SHARED = {"rag", "rag.types", "rag.config", "rag.errors"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("rag"):
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("rag")}
    return out


def test_the_pipeline_imports_only_the_pipeline() -> None:
    layers = tuple(f"rag.{m.removesuffix('.py')}" for m in _PIPELINE_MODULES)
    wrong = {
        f"{path.relative_to(RAG)} imports {module}"
        for layer in _PIPELINE_MODULES
        for path in sorted((RAG / layer).rglob("*.py"))
        for module in _imports(path)
        if module not in SHARED and not module.startswith(layers)
    }
    assert not wrong, sorted(wrong)


def test_the_fingerprint_names_folders_that_exist() -> None:
    assert all((RAG / m).exists() for m in _PIPELINE_MODULES)
