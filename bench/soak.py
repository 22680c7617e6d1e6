"""Soak: a minute of steady public traffic on gunicorn + PostgreSQL (issue 14).

Not a test. `--connections` (16) clients, each sending one request after the other for
`--seconds` (60), over a weighted mix of what visitors ask for: the home page, lists with
filters and pages, details of documents, meetings, indicators, projects and people, the
site search and the lists' searches (words and official numbers), feeds and the calendar,
the API (lists, details, `q`), and downloads (attachments, filtered CSV/JSON, indicator
CSV). The server is the production set-up of `portal_data.py`: gunicorn with `--workers`
(2) sync workers, debug off, plain HTTP on 127.0.0.1, rate limits far out of reach, a
register of `--documents` documents with generated meetings, indicators and projects.

A warm-up of `--warmup` seconds with the same mix comes first (imports, caches and the
connection pool filled), then the measured minute. Reported: errors (any 4xx/5xx, time-out
or refused connection; there must be none), requests per second, p50/p99 latency overall
and per family, and each worker's resident memory (VmRSS from /proc/<pid>/status) just
after boot, at the start and at the end of the measured minute, whose growth must stay
within 10 %. Exit status 1 when either rule is broken. Figures go to `--out` (JSON).

    .venv/bin/python bench/soak.py
    .venv/bin/python bench/soak.py --drop        # drop the database and exit
"""

import argparse
import json
import random
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import portal_data

PORT = 8742
MAX_GROWTH = 0.10

WORDS = [
    "tô lịch",
    "chỉnh trang đô thị",
    "kế hoạch",
    "nghị quyết",
    "đường sắt đô thị",
    "ngân sách",
    "chuyển đổi số",
    "cán bộ",
    "vành đai 4",
    "giải phóng mặt bằng",
]


def mix(rng: random.Random) -> dict[str, tuple[int, list[str]]]:
    """Family → (weight, paths), from the published public records of the database."""
    from documents.models import Attachment, Document
    from indicators.models import Indicator
    from meetings.models import Meeting
    from portal.models import Person
    from projects.models import Project

    documents = list(Document.objects.published().public().order_by("?")[:600])
    meetings = list(Meeting.objects.published().select_related("term__body").order_by("?")[:100])
    indicators = list(Indicator.objects.published())
    projects = list(Project.objects.published())
    people = list(Person.objects.order_by("?")[:50])
    attachments = list(
        Attachment.objects.filter(document__in=Document.objects.published().public())
    )
    numbered = [d for d in documents if d.display][:200]
    numbers = [d.display for d in numbered] + [
        d.display.replace("/", " ").replace("-", " ") for d in numbered
    ]

    def q(path, value, **extra):
        return f"{path}?{urlencode({'q': value, **extra})}"

    return {
        "home": (8, ["/"]),
        "lists": (
            14,
            [
                "/documents/",
                "/documents/?page=3",
                "/documents/?issuer=TU",
                "/documents/?year=2024&type=ke-hoach",
                "/documents/?in_force=in_force",
                "/meetings/",
                "/meetings/?body=BCHTU",
                "/meetings/?page=2",
                "/indicators/",
                "/projects/",
                "/projects/?sector=bridge",
                "/projects/?schedule=behind",
            ],
        ),
        "document": (14, [d.get_absolute_url() for d in documents]),
        "meeting": (5, [m.get_absolute_url() for m in meetings]),
        "indicator": (4, [i.get_absolute_url() for i in indicators]),
        "project": (5, [p.get_absolute_url() for p in projects]),
        "person": (2, [p.get_absolute_url() for p in people]),
        "search": (
            14,
            [q("/search/", w) for w in WORDS]
            + [q("/search/", n) for n in rng.sample(numbers, 40)]
            + [q("/documents/", w) for w in WORDS]
            + [q("/documents/", n) for n in rng.sample(numbers, 40)]
            + [q("/meetings/", w) for w in WORDS[:4]]
            + [q("/projects/", "cầu")],
        ),
        "feeds": (
            6,
            [
                "/documents/feed/rss/",
                "/documents/feed/atom/?issuer=TU",
                "/meetings/feed/rss/",
                "/meetings/feed/atom/",
                "/meetings/calendar.ics",
                "/meetings/calendar.ics?body=BCHTU",
            ],
        ),
        "api": (
            14,
            [
                "/api/documents/",
                "/api/documents/?page_size=50&issuer=TU",
                q("/api/documents/", "tô lịch"),
                "/api/meetings/",
                "/api/indicators/",
                "/api/periods/",
                "/api/projects/",
            ]
            + [f"/api/documents/{d.url_year}/{d.slug}/" for d in documents[:200]]
            + [f"/api/projects/{p.slug}/" for p in projects[:50]]
            + [f"/api/indicators/{i.code}/" for i in indicators[:30]]
            + [q("/api/documents/", n) for n in rng.sample(numbers, 20)],
        ),
        "downloads": (
            8,
            [a.get_absolute_url() for a in attachments]
            + [
                "/documents/?year=2025&issuer=TU&format=csv",
                "/documents/?year=2024&type=quyet-dinh&format=json",
                "/meetings/?format=csv",
                "/projects/?format=json",
                "/indicators/?format=csv",
            ]
            + [i.get_csv_url() for i in indicators[:30]],
        ),
    }


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.seconds = defaultdict(list)
        self.errors = []
        self.statuses = defaultdict(int)

    def add(self, family, path, answer=None, error=None):
        with self.lock:
            if error is not None:
                self.errors.append(f"{family} {path}: {error}")
                return
            self.seconds[family].append(answer.seconds)
            self.statuses[answer.status] += 1
            if answer.status >= 400:
                self.errors.append(f"{family} {path}: {answer.status}")


def run(port, families, connections, seconds, seed) -> tuple[Recorder, float]:
    names = list(families)
    weights = [families[name][0] for name in names]
    recorder = Recorder()
    deadline = time.monotonic() + seconds

    def client(number):
        rng = random.Random(seed + number)
        while time.monotonic() < deadline:
            family = rng.choices(names, weights)[0]
            path = rng.choice(families[family][1])
            try:
                recorder.add(family, path, answer=portal_data.get(port, path, timeout=60))
            except OSError as error:
                recorder.add(family, path, error=f"{type(error).__name__}: {error}")

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        list(pool.map(client, range(connections)))
    return recorder, time.monotonic() - started


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50_ms": round(portal_data.percentile(values, 0.50) * 1000, 1),
        "p99_ms": round(portal_data.percentile(values, 0.99) * 1000, 1),
    }


def memory(pids) -> dict[int, int]:
    return {pid: portal_data.rss_kb(pid) for pid in pids}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="portal_bench_issue14")
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--out", default="/tmp/soak_issue14.json")
    parser.add_argument("--drop", action="store_true", help="drop the database and exit")
    args = parser.parse_args()

    if args.drop:
        portal_data.drop(args.database)
        return
    portal_data.stop_on_sigterm()
    portal_data.configure(args.database, portal_data.workdir(args.database))
    data = portal_data.prepare(args.documents, args.seed)
    families = mix(random.Random(args.seed))
    from django.db import connections

    connections.close_all()
    machine = portal_data.machine()
    with portal_data.gunicorn(args.port, workers=args.workers) as server:
        pids = portal_data.worker_pids(server.pid)
        booted = memory(pids)
        warm, _ = run(args.port, families, args.connections, args.warmup, args.seed)
        before = memory(pids)
        recorder, elapsed = run(
            args.port, families, args.connections, args.seconds, args.seed + 1000
        )
        after_pids = portal_data.worker_pids(server.pid)
        after = memory(pids) if after_pids == pids else {}
    every = [s for values in recorder.seconds.values() for s in values]
    workers = [
        {
            "pid": pid,
            "booted_mb": round(booted[pid] / 1024, 1),
            "start_mb": round(before[pid] / 1024, 1),
            "end_mb": round(after[pid] / 1024, 1) if pid in after else None,
            "growth_pct": round(100 * (after[pid] - before[pid]) / before[pid], 1)
            if pid in after
            else None,
        }
        for pid in pids
    ]
    report = {
        "data": data,
        "machine": machine,
        "connections": args.connections,
        "workers": args.workers,
        "seconds": round(elapsed, 1),
        "requests": len(every),
        "requests_per_s": round(len(every) / elapsed, 1),
        "errors": len(recorder.errors),
        "error_samples": recorder.errors[:20],
        "warmup_requests": sum(len(v) for v in warm.seconds.values()),
        "warmup_errors": warm.errors[:20],
        "statuses": dict(sorted(recorder.statuses.items())),
        "latency": summary(every),
        "by_family": {family: summary(values) for family, values in recorder.seconds.items()},
        "worker_memory": workers,
        "workers_replaced": after_pids != pids,
    }
    Path(args.out).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_report(report)
    print(f"figures written to {args.out}")
    grown = [w for w in workers if w["growth_pct"] is None or w["growth_pct"] > 100 * MAX_GROWTH]
    sys.exit(1 if report["errors"] or grown else 0)


def print_report(report: dict) -> None:
    print(
        f"\n{report['requests']:,} requests in {report['seconds']} s "
        f"({report['requests_per_s']}/s) at {report['connections']} connections, "
        f"{report['workers']} sync workers; {report['machine']}"
    )
    print(f"data: {report['data']}")
    print(f"errors: {report['errors']} {report['error_samples'][:5]}")
    print(f"statuses: {report['statuses']}")
    latency = report["latency"]
    print(f"latency: p50 {latency['p50_ms']} ms, p99 {latency['p99_ms']} ms")
    print("\n| family | requests | p50 ms | p99 ms |\n|---|---:|---:|---:|")
    for family, figures in sorted(report["by_family"].items()):
        print(f"| {family} | {figures['n']} | {figures['p50_ms']} | {figures['p99_ms']} |")
    print("\n| worker | after boot MB | start MB | end MB | growth |\n|---|---:|---:|---:|---:|")
    for n, worker in enumerate(report["worker_memory"], start=1):
        print(
            f"| {n} | {worker['booted_mb']} | {worker['start_mb']} | {worker['end_mb']} | "
            f"{worker['growth_pct']} % |"
        )


if __name__ == "__main__":
    main()
