#!/usr/bin/env bash
# The test command (CI runs this too): lint, type-check, then every test, the real-model ones included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh dev
export HF_HUB_OFFLINE=1
.venv/bin/ruff check rag tests eval bench app_streamlit.py
.venv/bin/mypy rag
.venv/bin/python -m pytest "$@"
