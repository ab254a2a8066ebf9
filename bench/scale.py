"""How the stores scale: synthetic chunks (dim-384 vectors and texts) at 10k, 100k and 1M.

For FAISS flat (exact; the default store), FAISS HNSW and pgvector HNSW (the postgres store's index and query):
build time, size on disk, memory, query latency p50/p95 (one query at a time, one thread, like one PostgreSQL
backend) and recall@10 against exact search. Writes bench/results/scale.json, scale.md and scale.png; results are
saved after every measurement, so a run stopped early keeps what it measured.

    .venv/bin/python bench/scale.py                          # 10k, 100k, 1M; ~40 min budget on 2 cores
    .venv/bin/python bench/scale.py --sizes 10000 --queries 50

Vectors are clustered (a mixture of 2,000 Gaussian clusters on the unit sphere), like sentence embeddings and unlike
uniform noise, on which every ANN index looks worse than it is in practice. Queries are perturbed corpus points.
An HNSW build whose projected time (from the previous size, scaled n log n) exceeds what is left of the budget is
built with ef_construction 32 instead of 64 (about half the work) when that fits, else skipped; either is recorded,
with the projection. `--append` keeps the rows of an earlier run and measures only what is missing.
"""

from __future__ import annotations

import argparse
import atexit
import json
import math
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
DIM = 384
K = 10
HNSW_M = 16  # the postgres store's index parameters (rag.index.postgres), used for FAISS HNSW too
HNSW_EF_CONSTRUCTION = 64
LIGHT_EF_CONSTRUCTION = 32  # when the budget cannot take 64: about half the build work, a little less recall
EF_SEARCH = 100  # the postgres store's default for k ≤ 50
CLUSTERS = 2000
NOISE = 0.025  # per dimension: a point's cosine to its cluster centre is about 0.9, to a cluster mate about 0.8
WORDS = [f"ord{i}" for i in range(20000)]


def vectors(n: int, seed: int = 0, batch: int = 100_000) -> Iterator[np.ndarray]:
    """Clustered unit vectors in batches (the same for every run and method)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((CLUSTERS, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    for start in range(0, n, batch):
        size = min(batch, n - start)
        rows = centres[rng.integers(0, CLUSTERS, size)] + NOISE * rng.standard_normal((size, DIM)).astype(np.float32)
        rows /= np.linalg.norm(rows, axis=1, keepdims=True)
        yield rows.astype(np.float32)


def texts(start: int, count: int) -> list[str]:
    """Synthetic chunk texts of about 40 Zipf-distributed words (about 300 bytes, like a short passage)."""
    rng = np.random.default_rng(start + 1)
    ranks = np.minimum(rng.zipf(1.2, (count, 40)), len(WORDS)) - 1
    return [" ".join(WORDS[r] for r in row) for row in ranks]


def queries(data: np.ndarray, count: int) -> np.ndarray:
    rng = np.random.default_rng(7)
    picked = data[rng.choice(len(data), count, replace=False)] + 0.6 * NOISE * rng.standard_normal((count, DIM))
    return (picked / np.linalg.norm(picked, axis=1, keepdims=True)).astype(np.float32)


def rss_mb() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss / 1e6)


def latency(search: Callable[[np.ndarray], list[int]], qs: np.ndarray) -> tuple[list[list[int]], float, float]:
    found, times = [], []
    for q in qs:
        started = time.perf_counter()
        found.append(search(q))
        times.append((time.perf_counter() - started) * 1000)
    return found, float(np.percentile(times, 50)), float(np.percentile(times, 95))


def recall(found: list[list[int]], truth: np.ndarray) -> float:
    return float(np.mean([len(set(f[:K]) & set(t[:K])) / K for f, t in zip(found, truth, strict=True)]))


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size


# --- FAISS -------------------------------------------------------------------------------------------------


def bench_faiss(kind: str, data: np.ndarray, qs: np.ndarray, truth: np.ndarray | None, work: Path,
                ef_construction: int = HNSW_EF_CONSTRUCTION) -> dict[str, Any]:
    import faiss

    before = rss_mb()
    started = time.perf_counter()
    if kind == "faiss-flat":
        index = faiss.IndexFlatIP(DIM)
    else:
        index = faiss.IndexHNSWFlat(DIM, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = ef_construction
    faiss.omp_set_num_threads(2)  # building may use both cores, as PostgreSQL's parallel HNSW build does
    index.add(data)
    build_s = time.perf_counter() - started
    path = work / f"{kind}.faiss"
    faiss.write_index(index, str(path))
    text_path = work / "texts.jsonl"  # the chunk texts, as the faiss store keeps them beside the vectors
    if not text_path.exists():
        with text_path.open("w", encoding="utf-8") as handle:
            for start in range(0, len(data), 100_000):
                for line in texts(start, min(100_000, len(data) - start)):
                    handle.write(json.dumps({"text": line}) + "\n")
    disk = path.stat().st_size + text_path.stat().st_size
    memory = rss_mb() - before
    if kind != "faiss-flat":
        index.hnsw.efSearch = EF_SEARCH
    faiss.omp_set_num_threads(1)

    def search(q: np.ndarray) -> list[int]:
        _, ids = index.search(q[None, :], K)
        return [int(i) for i in ids[0]]

    found, p50, p95 = latency(search, qs)
    path.unlink()
    return {"build_s": build_s, "disk_mb": disk / 1e6, "rss_mb": memory, "p50_ms": p50, "p95_ms": p95,
            "recall_at_10": 1.0 if truth is None else recall(found, truth), "found": found,
            **({} if kind == "faiss-flat" else {"ef_construction": ef_construction})}


# --- pgvector ----------------------------------------------------------------------------------------------


def postgres_dsn(work: Path) -> tuple[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(work / "pgdata", cleanup_mode="delete")
    return str(server.get_uri()), server


def server_rss_mb(server: Any) -> float:
    """Resident memory of the PostgreSQL server: the postmaster and its children (shared buffers counted once)."""
    import psutil

    root = psutil.Process(server.get_pid())
    procs = [root, *root.children(recursive=True)]
    private = sum(getattr(p.memory_full_info(), "uss", 0) for p in procs)
    shared = max(getattr(p.memory_full_info(), "shared", 0) for p in procs)
    return float((private + shared) / 1e6)


def bench_pgvector(dsn: str, server: Any, n: int, qs: np.ndarray, truth: np.ndarray, work_mem_gb: float,
                   workers: int, ef_construction: int = HNSW_EF_CONSTRUCTION) -> dict[str, Any]:
    import psycopg
    from pgvector.psycopg import register_vector

    table = f"scale_{n}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        register_vector(conn)
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(f"CREATE TABLE {table} (id bigint PRIMARY KEY, text text NOT NULL, "
                     f"embedding vector({DIM}) NOT NULL)")
        started = time.perf_counter()
        offset = 0
        statement = f"COPY {table} (id, text, embedding) FROM STDIN WITH (FORMAT BINARY)"
        with conn.cursor() as cur, cur.copy(statement) as copy:
            copy.set_types(["int8", "text", "vector"])
            for batch in vectors(n):
                for i, (row, line) in enumerate(zip(batch, texts(offset, len(batch)), strict=True)):
                    copy.write_row((offset + i, line, row))
                offset += len(batch)
        load_s = time.perf_counter() - started
        conn.execute(f"SET maintenance_work_mem = '{work_mem_gb:g}GB'")
        conn.execute(f"SET max_parallel_maintenance_workers = {workers}")
        started = time.perf_counter()
        conn.execute(f"CREATE INDEX ON {table} USING hnsw (embedding vector_ip_ops) "
                     f"WITH (m = {HNSW_M}, ef_construction = {ef_construction})")
        index_s = time.perf_counter() - started
        conn.execute("VACUUM ANALYZE " + table)
        disk = conn.execute(f"SELECT pg_total_relation_size('{table}')").fetchone()[0]
        conn.execute(f"SET hnsw.ef_search = {EF_SEARCH}")

        def search(q: np.ndarray) -> list[int]:
            rows = conn.execute(f"SELECT id FROM {table} ORDER BY embedding <#> %s LIMIT {K}", (q,)).fetchall()
            return [int(r[0]) for r in rows]

        for q in qs[:5]:
            search(q)  # warm the buffer cache, as a running server would be
        found, p50, p95 = latency(search, qs)
        memory = server_rss_mb(server)
        conn.execute(f"DROP TABLE {table}")
    return {"build_s": load_s + index_s, "load_s": load_s, "index_s": index_s, "disk_mb": disk / 1e6,
            "rss_mb": memory, "p50_ms": p50, "p95_ms": p95, "recall_at_10": recall(found, truth),
            "maintenance_work_mem_gb": work_mem_gb, "parallel_workers": workers, "ef_construction": ef_construction}


# --- report ------------------------------------------------------------------------------------------------


def save(results: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scale.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    lines = [
        "| method | chunks | build s | disk MB | RSS MB | p50 ms | p95 ms | recall@10 | note |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in results["rows"]:
        if row.get("skipped"):
            lines.append(f"| {row['method']} | {row['n']:,} | — | — | — | — | — | — | {row['skipped']} |")
            continue
        lines.append(
            f"| {row['method']} | {row['n']:,} | {row['build_s']:.1f} | {row['disk_mb']:.0f} | {row['rss_mb']:.0f} "
            f"| {row['p50_ms']:.2f} | {row['p95_ms']:.2f} | {row['recall_at_10']:.3f} | {row.get('note', '')} |"
        )
    header = (f"Machine: {results['machine']}. {results['queries']} queries, k = {K}, HNSW m = {HNSW_M}, "
              f"ef_construction = {HNSW_EF_CONSTRUCTION}, ef_search = {EF_SEARCH}.\n\n")
    (RESULTS / "scale.md").write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    plot(results["rows"])


def plot(rows: list[dict[str, Any]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    measured = [r for r in rows if not r.get("skipped")]
    fig, axes = plt.subplots(1, 4, figsize=(17, 4))
    for ax, (key, label) in zip(axes, [("build_s", "build time (s)"), ("disk_mb", "size on disk (MB)"),
                                       ("p95_ms", "query p95 (ms)"), ("recall_at_10", "recall@10")], strict=True):
        for method in dict.fromkeys(r["method"] for r in measured):
            points = sorted((r["n"], r[key]) for r in measured if r["method"] == method)
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=method)
        ax.set_xscale("log")
        if key != "recall_at_10":
            ax.set_yscale("log")
        ax.set_xlabel("chunks")
        ax.set_title(label)
        ax.grid(True, which="both", alpha=0.3)
    axes[0].legend()
    fig.suptitle("Cost against size: FAISS flat, FAISS HNSW, pgvector HNSW (dim 384, 2 shared CPU cores)")
    fig.tight_layout()
    fig.savefig(RESULTS / "scale.png", dpi=110)
    plt.close(fig)


def projected(rows: list[dict[str, Any]], method: str, n: int) -> float | None:
    """Build time for n from the largest measured size, scaled n log n; None when nothing was measured."""
    done = [r for r in rows if r["method"] == method and not r.get("skipped")]
    if not done:
        return None
    last = max(done, key=lambda r: r["n"])
    return float(last["build_s"] * (n * math.log(n)) / (last["n"] * math.log(last["n"])))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--budget-min", type=float, default=40.0, help="total wall time to stay within")
    parser.add_argument("--work-mem-gb", type=float, default=4.0, help="PostgreSQL maintenance_work_mem for HNSW")
    parser.add_argument("--workers", type=int, default=1, help="parallel HNSW build workers besides the leader")
    parser.add_argument("--append", action="store_true", help="keep the rows of scale.json, measure the rest")
    args = parser.parse_args()
    deadline = time.monotonic() + args.budget_min * 60
    load = os.getloadavg()[0]
    results: dict[str, Any] = {
        "machine": f"{os.cpu_count()} CPU cores shared with other work (load average {load:.1f} at start)",
        "queries": args.queries, "k": K, "rows": [],
    }
    if args.append and (RESULTS / "scale.json").exists():
        results = json.loads((RESULTS / "scale.json").read_text(encoding="utf-8"))
        results["machine"] += f"; appended run: load average {load:.1f} at start"
    have = {(r["method"], r["n"]) for r in results["rows"] if not r.get("skipped")}
    work = Path(tempfile.mkdtemp(prefix="rag-scale-"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)  # registered first: runs after the server stops
    dsn, server = postgres_dsn(work)
    for n in args.sizes:
        if all((m, n) in have for m in ("faiss-flat", "pgvector-hnsw", "faiss-hnsw")):
            continue
        results["rows"] = [r for r in results["rows"] if r["n"] != n or (r["method"], n) in have]
        data = np.concatenate(list(vectors(n)))
        qs = queries(data, args.queries)
        flat = bench_faiss("faiss-flat", data, qs, None, work)
        truth = np.asarray(flat.pop("found"))
        if ("faiss-flat", n) not in have:
            results["rows"].append({"method": "faiss-flat", "n": n, **flat, "note": "exact; the ground truth"})
            save(results)
            print(results["rows"][-1], flush=True)
        for method in ("pgvector-hnsw", "faiss-hnsw"):  # the postgres store's index first: it is what we scale
            if (method, n) in have:
                continue
            left = deadline - time.monotonic()
            guess = projected(results["rows"], method, n) or 0.0
            ef_construction, note = HNSW_EF_CONSTRUCTION, ""
            if guess * 1.2 > left:
                ef_construction = LIGHT_EF_CONSTRUCTION
                note = (f"ef_construction {LIGHT_EF_CONSTRUCTION}: with {HNSW_EF_CONSTRUCTION} the build was projected "
                        f"at {guess / 60:.0f} min (n log n from the last size), {max(left, 0) / 60:.0f} min were left")
                guess *= LIGHT_EF_CONSTRUCTION / HNSW_EF_CONSTRUCTION
            if guess * 1.2 > left:
                results["rows"].append({"method": method, "n": n, "skipped": (
                    f"not run: projected build {guess / 60:.0f} min even with ef_construction {ef_construction} "
                    f"(n log n from the last size) > {max(left, 0) / 60:.0f} min left of the budget")})
            elif method == "faiss-hnsw":
                row = bench_faiss(method, data, qs, truth, work, ef_construction)
                row.pop("found")
                results["rows"].append({"method": method, "n": n, **row, "note": note})
            else:
                results["rows"].append({"method": method, "n": n, **bench_pgvector(
                    dsn, server, n, qs, truth, args.work_mem_gb, args.workers, ef_construction), "note": note})
            save(results)
            print(results["rows"][-1], flush=True)
        (work / "texts.jsonl").unlink(missing_ok=True)
        del data


if __name__ == "__main__":
    main()
