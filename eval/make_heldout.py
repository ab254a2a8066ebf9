"""Draw the held-out split once: ~30% of each kind, seeded, so the draw is reproducible and stratified.

Run once (already done; re-running with the same questions and seed gives the same ids):
    .venv/bin/python eval/make_heldout.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 20240604
FRACTION = 0.30
HERE = Path(__file__).resolve().parent


def main() -> None:
    by_kind: dict[str, list[str]] = {}
    for line in (HERE / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            by_kind.setdefault(row["kind"], []).append(row["id"])
    rng = random.Random(SEED)
    held: list[str] = []
    for kind in sorted(by_kind):
        ids = sorted(by_kind[kind])
        held += sorted(rng.sample(ids, round(len(ids) * FRACTION)))
    header = f"# held-out split: seed {SEED}, {FRACTION:.0%} of each kind, drawn by eval/make_heldout.py\n"
    (HERE / "heldout.txt").write_text(header + "\n".join(held) + "\n", encoding="utf-8")
    print(f"{len(held)} held-out ids written")


if __name__ == "__main__":
    main()
