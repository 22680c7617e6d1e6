"""The number search while the pages benchmark loads the machine (issue 19).

Not a test. The portal is served from the register as `bench/pages.py` serves it (gunicorn,
2 sync workers) and loaded as it loads it: `wrk -t2 -c8` on each of its documents pages in
turn (the list, a deep page, two documents, a number and a title search, the API list, the
feed). Meanwhile this process runs `documents_search.py`'s number searches (the list view's
work for each variant reviewers type) on the same register, and after each one a fixed
piece of pure Python work, the probe, calibrated beforehand on the quiet machine to take as
much CPU as the median search. The probe needs no database: its times under load show what
the load alone does to any work of that size, a floor for the search's own times.

It prints, and writes into docs/benchmarks.md (`--label`), the search's wall-clock and CPU
times and the probe's wall-clock times, p50 and p95, quiet and under load:

    .venv/bin/python bench/search_under_load.py --size 1m   # reads portal_bench_1m
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import documents_search
import portal_data

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PORT = 8764
SECTION = "## Issue 19: the number search under the pages' load"


def probe_work(rounds: int) -> int:
    total = 0
    for number in range(rounds):
        total += number * number % 7
    return total


def calibrate(cpu_ms: float) -> int:
    """Rounds of `probe_work` that take `cpu_ms` of CPU on this machine, now."""
    rounds = 10_000
    while True:
        started = time.process_time()
        probe_work(rounds)
        spent = (time.process_time() - started) * 1000
        if spent > 20:
            return int(rounds * cpu_ms / spent)
        rounds *= 2


def run(variants, probe_rounds: int) -> dict[str, list[float]]:
    """Each search (wall and CPU ms, overall and by variant), each followed by the probe."""
    from django.contrib.auth.models import AnonymousUser

    from documents.models import Document

    visible = Document.objects.visible_to(AnonymousUser())

    def search(query):
        documents_search.list_view_number_search(visible, query)

    for _kind, query in variants[:50]:  # warm the code paths
        search(query)
    times = defaultdict(list)
    for kind, query in variants:
        wall, cpu = time.perf_counter(), time.process_time()
        search(query)
        times["search"].append((time.perf_counter() - wall) * 1000)
        times[f"search {kind}"].append(times["search"][-1])
        times["search CPU"].append((time.process_time() - cpu) * 1000)
        wall = time.perf_counter()
        probe_work(probe_rounds)
        times["probe"].append((time.perf_counter() - wall) * 1000)
    return times


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def load(paths: list[str], stop: threading.Event) -> None:
    """`pages.py`'s load, page after page, until `stop`."""
    import pages

    while not stop.is_set():
        for path in paths:
            if stop.is_set():
                return
            pages.wrk(PORT, path, seconds=5, connections=8)


def table(quiet: dict, loaded: dict) -> str:
    names = ["search", "search CPU", "probe"] + sorted(k for k in quiet if k.startswith("search "))
    lines = ["| times (ms) | quiet p50 | quiet p95 | under load p50 | under load p95 |"]
    lines.append("|---|---|---|---|---|")
    for name in dict.fromkeys(names):
        q50, q95 = percentiles(quiet[name])
        l50, l95 = percentiles(loaded[name])
        lines.append(f"| {name} | {q50:.2f} | {q95:.2f} | {l50:.2f} | {l95:.2f} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=["100k", "1m"], default="1m")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20251125)
    parser.add_argument("--label", default="under load")
    parser.add_argument("--no-write", action="store_true", help="leave docs/benchmarks.md")
    args = parser.parse_args()
    database = f"portal_bench_{args.size}"
    env = portal_data.configure(database, portal_data.workdir(database))
    manage = [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v0"]
    subprocess.run(manage, check=True)
    documents_search.django_setup()
    import pages

    paths = list(pages.pages(args.size).values())
    variants = documents_search.number_queries(random.Random(args.seed), args.queries)
    started = time.strftime("%d/%m/%Y %H:%M UTC", time.gmtime())
    machine = f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f} at the start"

    first = run(variants, 0)
    probe_rounds = calibrate(statistics.median(first["search CPU"]))
    quiet = run(variants, probe_rounds)
    print("quiet:", {k: percentiles(v) for k, v in quiet.items()}, flush=True)

    with pages.serve("portal.wsgi", PORT, env, ROOT, "/robots.txt"):
        stop = threading.Event()
        loading = threading.Thread(target=load, args=(paths, stop))
        loading.start()
        try:
            time.sleep(10)
            busy = os.getloadavg()[0]
            loaded = run(variants, probe_rounds)
            busy = f"load {busy:.1f} → {os.getloadavg()[0]:.1f}"
        finally:
            stop.set()
            loading.join()
    block = (
        f"**{args.label}, {args.size}** ({started}, {machine}; under load: the "
        f"{len(paths)} documents pages by turns, {busy}; {len(variants)} searches each way, "
        f"each followed by the probe: {probe_rounds:,} rounds of pure Python, as much CPU as "
        f"the median search)\n\n{table(quiet, loaded)}"
    )
    print("\n" + block)
    if not args.no_write:
        pages.write(block, args.label, "search_under_load.py", SECTION)


if __name__ == "__main__":
    main()
