"""The production entry point that gunicorn loads (`portal.wsgi`)."""

import subprocess
import sys
from pathlib import Path


def test_a_worker_keeps_what_it_loaded_out_of_full_garbage_collections():
    """Full collections skip the objects loaded with the site (docs/benchmarks.md,
    "Garbage collection"): a worker without them stalled one request in 15 to 30."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import gc, portal.wsgi; print(gc.get_freeze_count())"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert int(loaded.stdout) > 10_000
