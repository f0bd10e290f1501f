"""Atomic writes: concurrent writers of one path leave one whole file and no temporaries."""

from __future__ import annotations

import threading

from summarizer.files import write_atomically


def test_concurrent_writers_leave_one_whole_file(tmp_path):
    path = tmp_path / "sub" / "answer.json"
    payloads = [bytes([65 + i]) * 200_000 for i in range(8)]
    threads = [threading.Thread(target=write_atomically, args=(path, p)) for p in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert path.read_bytes() in payloads
    assert [p.name for p in path.parent.iterdir()] == ["answer.json"]
