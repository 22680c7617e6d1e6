"""A symbol typed alone (`KH/TU`) at each limit of the walk before a read by date.

Not a test. The bench's symbol queries (`documents_search.number_queries`, seed 20251125)
run through the list view's work for a number, each limit in turn for every query,
interleaved, best of 5; prints p50/p90/p95/max per limit. It chose
`word_search.SYMBOL_WALK_ROWS` (docs/benchmarks.md). Usage, on a register made by
`documents_search.py`:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_1m \\
        .venv/bin/python bench/symbol_walks.py 20000 5000 2000
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost")


def main(limits: list[int]) -> None:
    import django

    django.setup()
    import documents_search
    from django.contrib.auth.models import AnonymousUser

    from documents import word_search
    from documents.models import Document
    from documents.numbering import Match
    from portal import lists

    visible = Document.objects.visible_to(AnonymousUser())

    def search(query):
        found = visible.search_number(query, partial_too=False)
        exact = found.at_least(Match.LOOSE)
        if len(exact) == 1:
            exact.address(0)
        else:
            list((exact or found)[: lists.PER_PAGE])

    variants = documents_search.number_queries(random.Random(20251125), 900)
    queries = list(dict.fromkeys(query for kind, query in variants if kind == "symbol"))
    best = {limit: [] for limit in limits}
    for query in queries:  # warm the code paths and the cache
        for limit in limits:
            word_search.SYMBOL_WALK_ROWS = limit
            search(query)
    for query in queries:
        fastest = dict.fromkeys(limits, float("inf"))
        for _ in range(5):
            for limit in limits:
                word_search.SYMBOL_WALK_ROWS = limit
                started = time.perf_counter()
                search(query)
                fastest[limit] = min(fastest[limit], time.perf_counter() - started)
        for limit in limits:
            best[limit].append(fastest[limit] * 1000)
    print(f"{len(queries)} symbols, load {os.getloadavg()[0]:.2f}")
    for limit, times in best.items():
        times.sort()
        p90, p95 = times[int(0.9 * len(times))], times[int(0.95 * len(times))]
        print(
            f"walk ≤ {limit:>6,}: p50 {statistics.median(times):.2f}  p90 {p90:.2f}  "
            f"p95 {p95:.2f}  max {times[-1]:.2f} ms"
        )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [20_000, 5_000, 2_000])
