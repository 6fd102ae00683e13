"""ingest: files -> text -> parsed `Report` with `Issue` records -> `Chunk`s."""
from ingest.models import Chunk, Issue, ReadError, RecordKind, Report, StatedCount, Status

__all__ = ["Chunk", "Issue", "ReadError", "RecordKind", "Report", "StatedCount", "Status"]
