"""Fuzzing the public site over HTTP: no generated query string gives a 5xx (issue 14).

Not a test: `portal/tests/test_fuzz_requests.py` runs the same generator in CI with a few
examples per page; this sends at least `--examples` (1,000) requests that reach Django
to every public list, feed, calendar, site search and API list, and `--others` (100) to
the other public pages without path arguments (home, sitemap, API schema, sign-in
pages…), all read from the URLconf as the test does, against gunicorn (sync workers,
debug off, plain HTTP on 127.0.0.1) and PostgreSQL with a register of `--documents`
documents and generated meetings, indicators and projects (`portal_data.py`). The query
strings are hypothesis's, from the test's `queries()` strategy, with very long values
bounded by `--longest` characters so that most fit the 8 KB request line a proxy allows;
the few that do not are refused by gunicorn itself (414) and counted apart. Rate limits
are set far out of reach.

It prints, per page, the requests sent, those Django answered, the count of each status
and the p50/p99 time, then every 5xx with its URL; the figures go to `--out` (JSON).

    .venv/bin/python bench/fuzz.py                       # 10-20 min on 2 shared cores
    .venv/bin/python bench/fuzz.py --examples 50 --only documents:list
    .venv/bin/python bench/fuzz.py --drop                # drop the database and exit
"""

import argparse
import json
import multiprocessing
import sys
import time
from collections import Counter
from pathlib import Path

import portal_data

PORT = 8741


def fuzz_page(task: dict) -> dict:
    """Worker process: hypothesis generates the requests for one page until `examples` of
    them have reached Django."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    from portal.tests.test_fuzz_requests import ACCEPT, LANGUAGES, queries

    statuses: Counter = Counter()
    seconds: list[float] = []
    server_errors: list[str] = []
    sent = refused = 0
    reached = 0

    def ask(query, accept, language):
        nonlocal sent, refused, reached
        headers = {"Accept": accept} if accept else {}
        if language:
            headers["Cookie"] = f"django_language={language}"
        path = f"{task['url']}?{query}"
        try:
            answer = portal_data.get(task["port"], path, headers)
        except OSError as error:
            statuses[f"connection error: {type(error).__name__}"] += 1
            server_errors.append(f"{type(error).__name__} {path[:300]}")
            return
        sent += 1
        statuses[answer.status] += 1
        if not answer.from_django:
            refused += 1
            return
        reached += 1
        seconds.append(answer.seconds)
        if answer.status >= 500 and not (
            answer.status == 503 and task["name"] in task["may_answer_503"]
        ):
            server_errors.append(f"{answer.status} {path[:300]}")

    # Again for the requests gunicorn refused (too long), until enough reached Django.
    for _round in range(5):
        missing = task["examples"] - reached
        if missing <= 0:
            break

        @given(
            query=queries(task["names"], longest=task["longest"]),
            accept=st.sampled_from(ACCEPT),
            language=st.sampled_from(LANGUAGES),
        )
        @settings(
            max_examples=missing,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def batch(query, accept, language):
            ask(query, accept, language)

        batch()
    return {
        "name": task["name"],
        "url": task["url"],
        "sent": sent,
        "reached_django": reached,
        "refused_by_gunicorn": refused,
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
        "p50_ms": round(portal_data.percentile(seconds, 0.50) * 1000, 1),
        "p99_ms": round(portal_data.percentile(seconds, 0.99) * 1000, 1),
        "server_errors": server_errors,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="portal_bench_issue14")
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument(
        "--examples", type=int, default=1000, help="per list, feed or search, reaching Django"
    )
    parser.add_argument(
        "--others", type=int, default=100, help="per other page (home, sitemap, schema…)"
    )
    parser.add_argument("--longest", type=int, default=400, help="longest generated value")
    parser.add_argument("--processes", type=int, default=3, help="pages fuzzed at once")
    parser.add_argument("--only", action="append", help="fuzz only this page (URL name)")
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--out", default="/tmp/fuzz_issue14.json")
    parser.add_argument("--drop", action="store_true", help="drop the database and exit")
    args = parser.parse_args()

    if args.drop:
        portal_data.drop(args.database)
        return
    portal_data.stop_on_sigterm()
    portal_data.configure(args.database, portal_data.workdir(args.database))
    data = portal_data.prepare(args.documents, args.seed)
    from django.db import connections

    from portal.tests.test_fuzz_requests import filter_parameters
    from portal.tests.urlconf import MAY_ANSWER_503, list_patterns, selects_records

    names = filter_parameters()
    patterns = [p for p in list_patterns() if not args.only or p.name in args.only]
    tasks = [
        {
            "name": p.name,
            "url": p.address(),
            "names": names,
            "examples": args.examples if selects_records(p) else args.others,
            "longest": args.longest,
            "port": args.port,
            "may_answer_503": sorted(MAY_ANSWER_503),
        }
        for p in patterns
    ]
    connections.close_all()
    machine = portal_data.machine()
    started = time.perf_counter()
    results = []
    with (
        portal_data.gunicorn(args.port),
        multiprocessing.get_context("fork").Pool(
            args.processes, initializer=portal_data.default_signals
        ) as pool,
    ):
        for result in pool.imap_unordered(fuzz_page, tasks):
            results.append(result)
            print(
                f"{result['name']:32} {result['reached_django']:>6} reached Django, "
                f"5xx: {len(result['server_errors'])}",
                flush=True,
            )
    elapsed = time.perf_counter() - started
    results.sort(key=lambda r: r["url"])
    report = {
        "data": data,
        "machine": machine,
        "elapsed_s": round(elapsed),
        "pages": results,
        "requests": sum(r["sent"] for r in results),
        "server_errors": sum(len(r["server_errors"]) for r in results),
    }
    Path(args.out).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_report(report)
    print(f"figures written to {args.out}")
    sys.exit(1 if report["server_errors"] else 0)


def print_report(report: dict) -> None:
    print(f"\n{report['requests']:,} requests in {report['elapsed_s']} s; {report['machine']}")
    print(f"data: {report['data']}")
    print("\n| page | sent | reached Django | statuses | p50 ms | p99 ms | 5xx |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for page in report["pages"]:
        statuses = ", ".join(f"{k}: {v}" for k, v in page["statuses"].items())
        print(
            f"| `{page['url']}` | {page['sent']} | {page['reached_django']} | {statuses} | "
            f"{page['p50_ms']} | {page['p99_ms']} | {len(page['server_errors'])} |"
        )
    for page in report["pages"]:
        for error in page["server_errors"]:
            print(f"5xx on {page['name']}: {error}")


if __name__ == "__main__":
    main()
