#!/usr/bin/env bash
# The main job: install, (re)build the index when the corpus changed, start the chat app.
# Usage: bash scripts/start.sh [--no-app]   (--no-app: answer a sample question instead)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export HF_HUB_OFFLINE=1
.venv/bin/rag index   # incremental: embeds only new or changed files; a no-op when nothing changed
if [ "${1:-}" = "--no-app" ] || [ ! -f app_streamlit.py ]; then
  .venv/bin/rag ask "Hvad var eNPS i 2024?"
else
  exec .venv/bin/streamlit run app_streamlit.py --server.address 127.0.0.1 --server.port "${PORT:-8501}"
fi
