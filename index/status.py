"""What a store holds, per report, read from the manifest alone (no vectors loaded)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.generations import current_generation, generation_dir
from index.manifest import read_manifest


@dataclass(frozen=True)
class ReportStatus:
    """One indexed report as `rectify index status` lists it."""

    title: str
    date: str | None
    issuer: str
    source: str
    issues: int
    status_counts: dict[str, int]   # Status value ("completed", …) -> number of issues
    chunks: int
    sentences: int
    model: str
    built_at: str
    stated: dict[str, int] = None
    warnings: list[str] = None


def index_status(store_dir: Path | str) -> list[ReportStatus]:
    """Indexed reports in corpus order; empty when the store was never built."""
    generation = current_generation(store_dir)
    if generation is None:
        return []
    manifest = read_manifest(generation_dir(store_dir, generation))
    return [
        ReportStatus(
            title=f.title, date=f.date, issuer=f.issuer, source=f.source, issues=f.issues,
            status_counts=dict(f.status_counts), chunks=f.chunks, sentences=f.sentences,
            model=f.model_id, built_at=f.built_at, stated=dict(f.stated), warnings=list(f.warnings),
        )
        for f in manifest.files
    ]
