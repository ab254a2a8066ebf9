#!/usr/bin/env bash
# The evaluation on documents the system was never tuned on: the bundled corpus plus the real PDFs of other
# organisations in ../shared/devdocs, indexed together (as a user's corpus would be), scored with
# eval/unseen_questions.jsonl. The held-out documents (eval/unseen_heldout.txt) are reported as their own split.
# Usage: bash scripts/eval_unseen.sh [DEVDOCS_DIR] [extra rag eval options, e.g. --gate eval/unseen_thresholds.toml]
set -euo pipefail
cd "$(dirname "$0")/.."
devdocs="${1:-../shared/devdocs}"
shift || true
export HF_HUB_OFFLINE=1
corpus="data/unseen-corpus"
mkdir -p "$corpus" eval/reports
# Copies, not links: corpus reading never follows a link out of its folder.
cp -p corpus/*.txt corpus/manifest.toml "$corpus"/
cp -p "$devdocs"/*.pdf "$corpus"/
.venv/bin/rag index --corpus "$corpus" --index data/index-unseen --quiet
.venv/bin/rag eval --questions eval/unseen_questions.jsonl --index data/index-unseen --corpus "$corpus" \
  --heldout eval/unseen_heldout.txt --quiet --json eval/reports/unseen.json --markdown eval/reports/unseen.md "$@"
