"""The PostgreSQL store: pgvector HNSW for dense search, our analyser's tokens in a tsvector for BM25.

Tables (schema `rag_<hash of the index folder>`, named in the index manifest):

    meta        store format, embedder id and dimension, the generation last synced
    documents   one row per corpus file (source = file name): doc_id, content hash, signature of what is stored
    chunks      one row per chunk: id, doc_id, text, page, `embedding vector(dim)` (HNSW, inner product), `tsv
                tsvector` (our Nordic analyser's tokens with positions, GIN), `length` (tokens, for BM25)
    facts       one row per Fact: doc_id, metric_key, year, value
    terms       document frequency of every token (BM25's idf), kept up to date in each document's transaction
    stats       number of chunks and tokens (BM25's average length)
    vocabulary  the corpus stems the analyser splits compounds by, so queries are analysed like the chunks

Every row also keeps its whole record as `jsonb` (the same dict as the FAISS store's JSONL), so records load back
field for field, whatever fields the record types grow. Every document is written or removed in ONE transaction
(its chunks, facts, term counts and stats together), so a reader sees either the old or the new version of a
document, never half. Lexical scores are BM25 exactly as bm25s computes them (Lucene idf), in SQL over the
GIN-filtered candidates, so both stores rank alike; PostgreSQL's own `danish`/`norwegian` configurations are not
used because their stemmers neither split compounds nor know our synonyms. With no `pg_dsn` an embedded server (the
`pgserver` package: PostgreSQL 16 with pgvector 0.6) is started under `data_dir/pg` and stopped when the last
process using it exits.
"""

from __future__ import annotations

import hashlib
import re
import threading
import warnings
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from rag.errors import IndexDamagedError, IndexMismatchError, StoreError
from rag.index.lexical import query_tokens
from rag.index.store import StoredDocument, embedding_text
from rag.text.analysis import ANALYZER_VERSION, Analyzer
from rag.types import Chunk, DocMeta, Fact, Language

FORMAT = 1
HNSW_M = 16  # pgvector's defaults: a good recall/size balance at 384 dimensions
HNSW_EF_CONSTRUCTION = 64
EF_SEARCH = 100  # candidates an HNSW scan keeps; raised to 2k for larger k, up to pgvector's maximum
EF_SEARCH_MAX = 1000  # beyond this an HNSW scan cannot return k rows: exact search instead
BM25_K1 = 1.2  # as rag.index.lexical (bm25s defaults)
BM25_B = 0.75
_MAX_POSITION = 16383  # tsvector positions are capped here, and at 256 positions per lexeme
_MAX_LEXEME_BYTES = 2046
_servers: dict[Path, Any] = {}  # embedded servers started by this process, kept alive until it exits
_servers_lock = threading.Lock()


def schema_for(index_dir: Path) -> str:
    """The schema an index folder's tables live in: one per folder, so indexes can share a server."""
    return "rag_" + hashlib.sha256(str(index_dir.resolve()).encode("utf-8")).hexdigest()[:12]


def redact(dsn: str) -> str:
    """A connection string safe to print: passwords replaced by ***."""
    dsn = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", dsn)
    return re.sub(r"(password\s*=\s*)\S+", r"\1***", dsn, flags=re.IGNORECASE)


def embedded_dsn(data_dir: Path) -> str:
    """Start (or join) the embedded PostgreSQL in `data_dir/pg` and return its connection string (a Unix socket).

    As root it runs as the system user `pgserver` (PostgreSQL refuses root), which pgserver creates if needed.
    """
    pgdata = (data_dir / "pg").resolve()
    with _servers_lock:
        if pgdata not in _servers:
            try:
                with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR at import time
                    warnings.simplefilter("ignore")
                    import pgserver

                    pgdata.parent.mkdir(parents=True, exist_ok=True)
                    _servers[pgdata] = pgserver.get_server(pgdata, cleanup_mode="stop")  # type: ignore[attr-defined]
            except ImportError as exc:
                raise StoreError(
                    "The embedded PostgreSQL needs the pgserver package: pip install pgserver==0.1.4, or set "
                    "RAG_PG_DSN to a PostgreSQL server with pgvector."
                ) from exc
            except Exception as exc:  # noqa: BLE001 - pgserver raises subprocess and assertion errors alike
                raise StoreError(
                    f"Cannot start the embedded PostgreSQL in {pgdata} ({type(exc).__name__}: {exc}); see "
                    f"{pgdata / 'log'}, remove {pgdata} to start afresh, or set RAG_PG_DSN to a running server."
                ) from exc
        return str(_servers[pgdata].get_uri())


def resolve_dsn(pg_dsn: str, data_dir: Path) -> str:
    """The server to use: `pg_dsn` (RAG_PG_DSN) when set, else the embedded one under `data_dir/pg`."""
    return pg_dsn or embedded_dsn(data_dir)


# Columns besides the jsonb record, for people querying the tables: (record field, SQL type).
_DOC_COLUMNS = (("doc_id", "text"),)
_CHUNK_COLUMNS = (("id", "text"), ("doc_id", "text"), ("text", "text"), ("page", "integer"), ("section", "text"))
_FACT_COLUMNS = (("doc_id", "text"), ("metric_key", "text"), ("year", "integer"), ("value", "double precision"))


def _quote_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(tokens: Sequence[str]) -> str:
    """Tokens as a tsvector value with positions, so PostgreSQL counts term frequencies as BM25 needs them."""
    positions: dict[str, list[int]] = {}
    for i, token in enumerate(tokens, start=1):
        if token and len(token.encode("utf-8")) <= _MAX_LEXEME_BYTES:
            positions.setdefault(token, []).append(min(i, _MAX_POSITION))
    return " ".join(f"{_quote_lexeme(t)}:{','.join(map(str, p[:256]))}" for t, p in positions.items())


def embed_key(text: str) -> str:
    """The key a vector is reused by: the hash of the exact text the embedder saw."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class PostgresStore:
    """The `Store` on PostgreSQL + pgvector; one connection, used by one thread at a time (a lock guards it)."""

    name = "postgres"

    def __init__(self, connection: Any, schema: str, dim: int, dsn: str) -> None:
        self._conn = connection
        self.schema = schema
        self.dim = dim
        self.dsn = dsn
        self.ef_search = EF_SEARCH
        self._lock = threading.RLock()
        self._chunks: list[Chunk] = []
        self._positions: dict[int, int] = {}
        self._analyzer: Analyzer | None = None
        self._loaded = False

    # --- connecting ----------------------------------------------------------------------------------

    @classmethod
    def connect(cls, dsn: str, schema: str, embedder_id: str, dim: int, *, create: bool = False) -> PostgresStore:
        """Open the store of an index; `create` sets the schema up (and recreates it for another embedder).

        Without `create`, a missing schema is `IndexDamagedError` and another embedder or dimension is
        `IndexMismatchError`, each saying what to run.
        """
        import psycopg

        try:
            connection = psycopg.connect(dsn, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(
                f"Cannot connect to PostgreSQL at {redact(dsn)} ({str(exc).strip()}). Start the server or fix "
                "RAG_PG_DSN (pg_dsn in rag.toml); leave it empty to use the embedded server under data/pg."
            ) from exc
        store = cls(connection, schema, dim, dsn)
        try:
            store._ensure_extension()
            meta = store.meta()
            wanted = {"embedder": embedder_id, "dimension": dim}
            if meta is not None and (meta.get("format") != FORMAT or {k: meta.get(k) for k in wanted} != wanted):
                if not create:
                    raise IndexMismatchError(
                        f"The PostgreSQL tables of this index (schema {schema} at {redact(dsn)}) were built with "
                        f"embedder {meta.get('embedder')!r} of dimension {meta.get('dimension')}, not {embedder_id!r} "
                        f"of dimension {dim}. Run `rag index` to rebuild them, or change the embedder setting back."
                    )
                store._drop()
                meta = None
            if meta is None:
                if not create:
                    raise IndexDamagedError(
                        f"The PostgreSQL tables of this index (schema {schema} at {redact(dsn)}) are missing. Run "
                        "`rag index` to rebuild them, or point RAG_PG_DSN at the server that holds them."
                    )
                store._create(embedder_id)
            from pgvector.psycopg import register_vector

            register_vector(connection)
        except BaseException:
            connection.close()
            raise
        return store

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __del__(self) -> None:
        # An index dropped without `close()` (the app replaces it after a rebuild) must not leak its connection.
        conn = getattr(self, "_conn", None)
        if conn is not None:
            conn.close()

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        """A cursor under the lock, in one transaction; database errors become `StoreError`.

        A connection the server dropped (a restart) is opened again on the next use.
        """
        import psycopg
        from pgvector.psycopg import register_vector

        with self._lock:
            try:
                if self._conn.closed:
                    self._conn = psycopg.connect(self.dsn, autocommit=True, connect_timeout=10)
                    register_vector(self._conn)
                with self._conn.transaction(), self._conn.cursor() as cursor:
                    yield cursor
            except psycopg.Error as exc:
                raise StoreError(
                    f"PostgreSQL at {redact(self.dsn)} failed ({type(exc).__name__}: {str(exc).strip()}). Check the "
                    "server (its log, disk space) and run the command again."
                ) from exc

    def _sql(self, text: str) -> Any:
        """A statement with `{s}` replaced by the quoted schema name."""
        from psycopg import sql

        return sql.SQL(text).format(s=sql.Identifier(self.schema))

    def _ensure_extension(self) -> None:
        import psycopg

        with self._lock:
            try:
                if self._conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone():
                    return
                self._conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            except psycopg.errors.UniqueViolation:
                return  # another process created it meanwhile
            except psycopg.Error as exc:
                raise StoreError(
                    f"The PostgreSQL server at {redact(self.dsn)} lacks the pgvector extension or the right to "
                    f"create it ({str(exc).strip()}). Install pgvector there and run `CREATE EXTENSION vector;` as a "
                    "superuser, or leave RAG_PG_DSN empty to use the embedded server."
                ) from exc

    def meta(self) -> dict[str, Any] | None:
        """The store's record of how it was built, or None when the schema is not there."""
        with self._cursor() as cur:
            cur.execute("SELECT to_regclass(%s)", (f'"{self.schema}".meta',))
            if cur.fetchone()[0] is None:
                return None
            cur.execute(self._sql("SELECT value FROM {s}.meta WHERE key = 'store'"))
            row = cur.fetchone()
        return dict(row[0]) if row else None

    @property
    def generation(self) -> str | None:
        """The index generation the tables were last completely synced for."""
        meta = self.meta() or {}
        return meta.get("generation")

    def set_generation(self, name: str) -> None:
        with self._cursor() as cur:
            cur.execute(
                self._sql("UPDATE {s}.meta SET value = jsonb_set(value, '{{generation}}', to_jsonb(%s::text)) "
                          "WHERE key = 'store'"),
                (name,),
            )

    def _drop(self) -> None:
        with self._cursor() as cur:
            cur.execute(self._sql("DROP SCHEMA IF EXISTS {s} CASCADE"))

    def _create(self, embedder_id: str) -> None:
        from psycopg.types.json import Jsonb

        def cols(columns: Sequence[tuple[str, str]]) -> str:
            return ", ".join(f'"{name}" {kind}' for name, kind in (*columns, ("record", "jsonb NOT NULL")))

        statements = [
            "CREATE SCHEMA {s}",
            "CREATE TABLE {s}.meta (key text PRIMARY KEY, value jsonb NOT NULL)",
            "CREATE TABLE {s}.documents (source text PRIMARY KEY, content_hash text NOT NULL, "
            f"signature text NOT NULL, {cols(_DOC_COLUMNS)})",
            "CREATE TABLE {s}.chunks (rowid bigserial PRIMARY KEY, "
            "source text NOT NULL REFERENCES {s}.documents ON DELETE CASCADE, ord integer NOT NULL, "
            f"{cols(_CHUNK_COLUMNS)}, embed_key text NOT NULL, embedding vector({self.dim}) NOT NULL, "
            "tsv tsvector NOT NULL, length integer NOT NULL)",
            "CREATE INDEX chunks_source ON {s}.chunks (source, ord)",
            "CREATE INDEX chunks_embed_key ON {s}.chunks (embed_key)",
            "CREATE INDEX chunks_tsv ON {s}.chunks USING gin (tsv)",
            "CREATE INDEX chunks_embedding ON {s}.chunks USING hnsw (embedding vector_ip_ops) "
            f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})",
            "CREATE TABLE {s}.facts (source text NOT NULL REFERENCES {s}.documents ON DELETE CASCADE, "
            f"ord integer NOT NULL, {cols(_FACT_COLUMNS)}, PRIMARY KEY (source, ord))",
            "CREATE TABLE {s}.terms (term text PRIMARY KEY, df integer NOT NULL)",
            "CREATE TABLE {s}.vocabulary (stem text PRIMARY KEY)",
            "CREATE TABLE {s}.stats (one boolean PRIMARY KEY DEFAULT true CHECK (one), "
            "chunks bigint NOT NULL, tokens bigint NOT NULL)",
            "INSERT INTO {s}.stats VALUES (true, 0, 0)",
        ]
        meta = {"format": FORMAT, "embedder": embedder_id, "dimension": self.dim, "generation": None,
                "analyzer_version": ANALYZER_VERSION, "hnsw": {"m": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION}}
        with self._cursor() as cur:
            for statement in statements:
                cur.execute(self._sql(statement))
            cur.execute(self._sql("INSERT INTO {s}.meta VALUES ('store', %s)"), (Jsonb(meta),))

    # --- reading -------------------------------------------------------------------------------------

    def load(self) -> tuple[list[Chunk], list[Fact], dict[str, DocMeta]]:
        """Chunks, facts and documents in corpus order (file names in code-point order), from ONE snapshot.

        Records are checked like the FAISS store's JSONL: a row of the wrong shape is `IndexDamagedError`.
        """
        with self._cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cur.execute(self._sql('SELECT record FROM {s}.documents ORDER BY source COLLATE "C"'))
            doc_rows = [r[0] for r in cur.fetchall()]
            cur.execute(self._sql('SELECT rowid, record FROM {s}.chunks ORDER BY source COLLATE "C", ord'))
            chunk_rows = cur.fetchall()
            cur.execute(self._sql('SELECT record FROM {s}.facts ORDER BY source COLLATE "C", ord'))
            fact_rows = [r[0] for r in cur.fetchall()]
            cur.execute(self._sql("SELECT stem FROM {s}.vocabulary"))
            vocabulary = frozenset(str(r[0]) for r in cur.fetchall())
        from rag.index import _record  # the JSONL artifacts' checks, so both stores accept the same records

        try:
            documents: dict[str, DocMeta] = {}
            for row in doc_rows:
                meta = _record(DocMeta, row)
                documents[meta.doc_id] = meta
            chunks = [_record(Chunk, row) for _, row in chunk_rows]
            facts = [_record(Fact, row) for row in fact_rows]
        except (TypeError, ValueError) as exc:
            raise IndexDamagedError(
                f"A row in the PostgreSQL tables of this index (schema {self.schema}) is damaged ({exc}). Run "
                "`rag index` to rebuild them."
            ) from exc
        positions = {int(rowid): i for i, (rowid, _) in enumerate(chunk_rows)}
        self._chunks, self._positions, self._loaded = chunks, positions, True
        self._analyzer = Analyzer(vocabulary)
        return chunks, facts, documents

    @property
    def chunks(self) -> list[Chunk]:
        if not self._loaded:
            self.load()
        return self._chunks

    @property
    def lexical(self) -> PostgresLexicon:
        return PostgresLexicon(self)

    @property
    def analyzer(self) -> Analyzer:
        """The corpus analyser (compounds split by the stored vocabulary), as queries are analysed."""
        if not self._loaded:
            self.load()
        return self._analyzer or Analyzer(frozenset())

    def signatures(self) -> dict[str, str]:
        """Source → signature of every stored document (what `sync_documents` compares against)."""
        with self._cursor() as cur:
            cur.execute(self._sql("SELECT source, signature FROM {s}.documents"))
            return {str(s): str(sig) for s, sig in cur.fetchall()}

    def known_vectors(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors of the texts the embedder saw before (by hash): those are not embedded again."""
        keys: dict[str, str] = {embed_key(t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        wanted = list(keys)
        for start in range(0, len(wanted), 5000):
            with self._cursor() as cur:
                cur.execute(
                    self._sql("SELECT DISTINCT ON (embed_key) embed_key, embedding FROM {s}.chunks "
                              "WHERE embed_key = ANY(%s)"),
                    (wanted[start : start + 5000],),
                )
                for key, vector in cur.fetchall():
                    found[keys[key]] = np.asarray(_as_array(vector), dtype=np.float32)
        return found

    def dense_search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """HNSW (inner product) with `ef_search` ≥ 2k; exact when k exceeds what an HNSW scan can return."""
        if not self.chunks or k <= 0:
            return []
        k = min(k, len(self._chunks))
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        with self._cursor() as cur:
            if k > EF_SEARCH_MAX:
                cur.execute("SET LOCAL enable_indexscan = off")
            else:
                cur.execute("SELECT set_config('hnsw.ef_search', %s, true)", (str(min(EF_SEARCH_MAX,
                                                                                      max(self.ef_search, 2 * k))),))
            cur.execute(
                self._sql("SELECT rowid, -(embedding <#> %(q)s) FROM {s}.chunks ORDER BY embedding <#> %(q)s "
                          "LIMIT %(k)s"),
                {"q": query, "k": k},
            )
            rows = cur.fetchall()
        return self._positioned(rows, k, later_first=True)

    def lexical_search(self, query: str, language: Language, k: int) -> list[tuple[int, float]]:
        """BM25 (Lucene idf, k1 1.2, b 0.75) over the chunks whose tsvector matches any query token."""
        if not self.chunks or k <= 0 or self._analyzer is None:
            return []
        return self.lexical_search_tokens(query_tokens(self._analyzer, query, language), k)

    def lexical_search_tokens(self, tokens: Sequence[str], k: int) -> list[tuple[int, float]]:
        """BM25 for tokens already analysed (as `lexical_search` analyses a query)."""
        terms = list(dict.fromkeys(t for t in tokens if t and len(t.encode("utf-8")) <= _MAX_LEXEME_BYTES))
        if not self.chunks or not terms or k <= 0:
            return []
        with self._cursor() as cur:
            cur.execute(self._sql(_BM25_SQL), {
                "terms": terms, "tsquery": " | ".join(_quote_lexeme(t) for t in terms),
                "k1": BM25_K1, "b": BM25_B, "k": k,
            })
            rows = cur.fetchall()
        return self._positioned(rows, k)

    def _positioned(
        self, rows: Sequence[tuple[int, float]], k: int, later_first: bool = False
    ) -> list[tuple[int, float]]:
        """Row ids → positions in `chunks`; rows written after the load (a build running meanwhile) are left out.

        Equal scores (duplicate passages) are ordered as the FAISS store orders them: FAISS' heap puts the later
        position first, bm25s the earlier one; so both stores rank and cut alike.
        """
        found = [(self._positions[int(r)], float(s)) for r, s in rows if int(r) in self._positions]
        return sorted(found, key=lambda p: (-p[1], -p[0] if later_first else p[0]))[:k]

    # --- writing -------------------------------------------------------------------------------------

    def add_documents(self, documents: Sequence[StoredDocument], vocabulary: frozenset[str]) -> None:
        """Write each document in its own transaction (replacing an older version), then the vocabulary."""
        for document in documents:
            with self._cursor() as cur:
                self._delete(cur, document.source)
                self._insert(cur, document)
        with self._cursor() as cur:
            cur.execute(self._sql("CREATE TEMP TABLE new_vocabulary (stem text PRIMARY KEY) ON COMMIT DROP"))
            with cur.copy(self._sql("COPY new_vocabulary (stem) FROM STDIN")) as copy:
                for stem in sorted(vocabulary):
                    copy.write_row((stem,))
            cur.execute(self._sql("DELETE FROM {s}.vocabulary v WHERE NOT EXISTS "
                                  "(SELECT 1 FROM new_vocabulary n WHERE n.stem = v.stem)"))
            cur.execute(self._sql("INSERT INTO {s}.vocabulary SELECT stem FROM new_vocabulary ON CONFLICT DO NOTHING"))
        self._analyzer = Analyzer(vocabulary)
        self._loaded = False

    def remove_documents(self, sources: Collection[str]) -> None:
        for source in sources:
            with self._cursor() as cur:
                self._delete(cur, source)
        self._loaded = False

    def _delete(self, cur: Any, source: str) -> None:
        """Remove one document, taking its chunks out of the term counts and stats (in the caller's transaction)."""
        cur.execute(self._sql(
            "UPDATE {s}.terms t SET df = t.df - o.n FROM (SELECT term, count(*) AS n FROM {s}.chunks c, "
            "unnest(tsvector_to_array(c.tsv)) AS term WHERE c.source = %(src)s GROUP BY term) o WHERE t.term = o.term"
        ), {"src": source})
        cur.execute(self._sql(
            "UPDATE {s}.stats SET chunks = chunks - x.n, tokens = tokens - x.t FROM (SELECT count(*) AS n, "
            "coalesce(sum(length), 0) AS t FROM {s}.chunks WHERE source = %(src)s) x"
        ), {"src": source})
        cur.execute(self._sql("DELETE FROM {s}.terms WHERE df <= 0"))
        cur.execute(self._sql("DELETE FROM {s}.documents WHERE source = %(src)s"), {"src": source})

    def _insert(self, cur: Any, document: StoredDocument) -> None:
        from psycopg.types.json import Jsonb

        names = [n for n, _ in _DOC_COLUMNS]
        columns = ", ".join(f'"{n}"' for n in ["source", "content_hash", "signature", *names, "record"])
        cur.execute(
            self._sql(f"INSERT INTO {{s}}.documents ({columns}) VALUES ({', '.join(['%s'] * (4 + len(names)))})"),
            [document.source, document.content_hash, document.signature,
             *[getattr(document.meta, n) for n in names], Jsonb(asdict(document.meta))],
        )
        names = [n for n, _ in _CHUNK_COLUMNS]
        columns = ", ".join(f'"{n}"' for n in ["source", "ord", *names, "record", "embed_key", "embedding", "tsv",
                                                 "length"])
        with cur.copy(self._sql(f"COPY {{s}}.chunks ({columns}) FROM STDIN")) as copy:
            for i, (chunk, vector, tokens) in enumerate(
                zip(document.chunks, document.vectors, document.tokens, strict=True)
            ):
                copy.write_row((
                    document.source, i, *[getattr(chunk, n) for n in names], Jsonb(chunk.to_dict()),
                    embed_key(embedding_text(chunk)), _vector_text(vector), tsvector_literal(tokens),
                    max(len(tokens), 1),
                ))
        names = [n for n, _ in _FACT_COLUMNS]
        columns = ", ".join(f'"{n}"' for n in ["source", "ord", *names, "record"])
        with cur.copy(self._sql(f"COPY {{s}}.facts ({columns}) FROM STDIN")) as copy:
            for i, fact in enumerate(document.facts):
                copy.write_row((document.source, i, *[getattr(fact, n) for n in names], Jsonb(fact.to_dict())))
        cur.execute(self._sql(
            "INSERT INTO {s}.terms (term, df) SELECT term, count(*) FROM {s}.chunks c, "
            "unnest(tsvector_to_array(c.tsv)) AS term WHERE c.source = %(src)s GROUP BY term "
            "ON CONFLICT (term) DO UPDATE SET df = {s}.terms.df + EXCLUDED.df"
        ), {"src": document.source})
        cur.execute(self._sql(
            "UPDATE {s}.stats SET chunks = chunks + %(n)s, tokens = tokens + %(t)s"
        ), {"n": len(document.chunks), "t": sum(max(len(t), 1) for t in document.tokens)})


class PostgresLexicon:
    """The `Lexicon` of a PostgreSQL store (the same face as the FAISS store's `LexicalIndex`)."""

    def __init__(self, store: PostgresStore) -> None:
        self.store = store

    @property
    def analyzer(self) -> Analyzer:
        return self.store.analyzer

    @property
    def size(self) -> int:
        return len(self.store.chunks)

    def search(self, query: str, language: Language, k: int) -> list[tuple[int, float]]:
        return self.store.lexical_search(query, language, k)


def _vector_text(vector: np.ndarray) -> str:
    """A vector in pgvector's text form; float32 repr round-trips exactly."""
    return "[" + ",".join(str(v) for v in np.asarray(vector, dtype=np.float32)) + "]"


def _as_array(value: Any) -> np.ndarray:
    to_numpy = getattr(value, "to_numpy", None)
    return np.asarray(to_numpy() if to_numpy else value, dtype=np.float32)


# BM25 exactly as bm25s' Lucene variant: idf = ln(1 + (N - df + 0.5) / (df + 0.5)),
# tf part = tf / (tf + k1 (1 - b + b len / avglen)); candidates from the GIN index (tsv @@ any query token).
_BM25_SQL = """
WITH st AS (SELECT chunks::float8 AS n, tokens::float8 / greatest(chunks, 1) AS avglen FROM {s}.stats),
q AS (
    SELECT t.term, ln(1 + (st.n - t.df + 0.5) / (t.df + 0.5)) AS idf
    FROM {s}.terms t CROSS JOIN st WHERE t.term = ANY(%(terms)s) AND t.df > 0
)
SELECT c.rowid, sum(q.idf * u.tf / (u.tf + %(k1)s * (1 - %(b)s + %(b)s * c.length / st.avglen))) AS score
FROM {s}.chunks c
CROSS JOIN st
CROSS JOIN LATERAL (SELECT x.lexeme, cardinality(x.positions)::float8 AS tf FROM unnest(c.tsv) AS x) AS u
JOIN q ON q.term = u.lexeme
WHERE c.tsv @@ %(tsquery)s::tsquery
GROUP BY c.rowid
ORDER BY score DESC, c.rowid
LIMIT %(k)s
"""
