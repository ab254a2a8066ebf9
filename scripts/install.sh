#!/usr/bin/env bash
# Create .venv and install the project from its own files. Idempotent: reinstalls only when
# pyproject.toml changed. Usage: bash scripts/install.sh [extras], e.g. "dev".
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv with $($python --version)"
  "$python" -m venv .venv
fi
hash="$(sha256sum pyproject.toml | cut -c1-16)"
stamp=".venv/.installed-$hash${extras:+-$extras}"
# An install with the dev extras also satisfies a plain one.
if [ ! -f "$stamp" ] && [ ! -f ".venv/.installed-$hash-dev" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  # torch first and pinned: a bare requirement would pull a multi-GB CUDA build.
  .venv/bin/python -m pip install --quiet "torch==2.13.0"
  .venv/bin/python -m pip install --quiet -e ".${extras:+[$extras]}"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
