"""One error hierarchy; every message says what to do next.

RagError
├── ConfigError          bad settings file, unknown key or choice
├── IngestError          a corpus file cannot be read (empty, encrypted, truncated, not UTF-8)
├── IndexError_          missing, corrupt or mismatched index
│   ├── IndexMismatchError  built with another embedder or chunk settings, or in an older layout
│   ├── IndexDamagedError   an index file is missing, truncated or fails its checksum (names the file)
│   ├── IndexWriteError     the index folder is not writable or the disk is too full for a build
│   └── IndexBusyError      another build holds the index lock longer than we wait
├── EmbedderError        model package missing or failed to load
├── QuestionError        empty or over-long question
├── QuestionFileError    an eval question file is missing or malformed
├── ThresholdsError      an eval thresholds file is missing or malformed
├── FeedbackError        the feedback store cannot be read or written
├── LLMError             an LLM backend is not installed, not reachable or misconfigured
├── UploadError          an uploaded file is refused (type, size, name)
│   └── UploadExistsError   a file of that name is already in the corpus
└── StoreError           the PostgreSQL store cannot be reached, started or written (names the server)
"""

from __future__ import annotations

from pathlib import Path


class RagError(Exception):
    """Base for every error this package raises on purpose."""


class ConfigError(RagError):
    """Settings are invalid."""


class IngestError(RagError):
    """A corpus file cannot be turned into a document."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class IndexError_(RagError):  # noqa: N801, N818 - the trailing _ avoids shadowing the builtin
    """The index on disk cannot be used."""


class IndexMismatchError(IndexError_):
    """The index was built with other settings than the ones in force."""


class IndexDamagedError(IndexError_):
    """An index file is missing, unreadable, of the wrong shape or fails its checksum; `rag index` repairs it."""


class IndexWriteError(IndexError_):
    """A build cannot write its index: the folder is read-only or the disk has no room. Nothing was changed."""


class IndexBusyError(IndexError_):
    """Another build holds the index lock; only one build runs at a time."""


class EmbedderError(RagError):
    """The embedding model cannot be loaded or used."""


class QuestionError(RagError):
    """The question cannot be asked as given."""


class QuestionFileError(RagError):
    """A question file is missing, malformed or inconsistent."""


class ThresholdsError(RagError):
    """A thresholds file cannot be read."""


class FeedbackError(RagError):
    """The feedback store cannot be written or read."""


class LLMError(RagError):
    """A language-model backend cannot be set up or failed while answering."""


class UploadError(RagError):
    """An uploaded file cannot be added to the corpus as given."""


class UploadExistsError(UploadError):
    """A corpus file with the upload's name exists; the user has to confirm replacing it."""

    def __init__(self, target: Path) -> None:
        self.target = target
        super().__init__(
            f"{target.name} already exists in the corpus. Confirm replacing it, or rename the file and upload again."
        )


class StoreError(RagError):
    """The search store (PostgreSQL) cannot be reached, started or written; the message names the server."""
