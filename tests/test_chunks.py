"""Chunks as stores receive them: made ahead in a thread while the server commits the last batch."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from ruralgraph.store.chunks import Chunk, prefetched


def numbered(count: int, *, fail_at: int | None = None) -> Iterator[Chunk]:
    for number in range(count):
        if number == fail_at:
            raise ValueError(f"chunk {number} could not be made")
        yield Chunk("nodes", "Organization", [{"id": f"org-{number}", "props": {}}])


def test_prefetched_chunks_come_all_and_in_order() -> None:
    ids = [chunk.rows[0]["id"] for chunk in prefetched(numbered(50))]
    assert ids == [f"org-{n}" for n in range(50)]


def test_an_error_in_making_a_chunk_is_raised_where_that_chunk_was_due() -> None:
    received: list[str] = []
    with pytest.raises(ValueError, match="chunk 3 could not be made"):
        for chunk in prefetched(numbered(10, fail_at=3)):
            received.append(chunk.rows[0]["id"])
    assert received == ["org-0", "org-1", "org-2"]


def test_a_consumer_that_stops_early_stops_the_thread_that_makes_chunks() -> None:
    chunks = prefetched(numbered(1000), depth=2)
    next(chunks)
    chunks.close()  # what a failed batch does to the loop that consumes the chunks
    maker = next(t for t in threading.enumerate() if t.name == "ruralgraph-chunks")
    maker.join(timeout=10)
    assert not maker.is_alive()
