"""The queries that grew with the register (issue 19), read on a register of any size.

Not a test. For each page below it runs the portal's own code on a generated register
(`bench/documents_search.py`), captures the SQL that code sends, and times every query
with EXPLAIN (ANALYZE) over several rounds, in a read-only session (a shared register is
never written to). It prints, per page: the number of queries, the sum of their execution
times (min–median–max over the rounds), and the plan of the slowest one, flagging a
sequential scan of the documents table.

- `citations`: the links of a document's text citing five numbers, one of them printed by
  many bodies (`documents.views._citation_links`);
- `feed_documents`, `feed_meetings`: the RSS feeds;
- `project`: `Project.linked_documents()` of a project linked to two documents;
- `api_documents`: the first page of `/api/documents/`;
- `search_words`, `search_number`: the site search (`/search/?q=…`).

Usage (the "before" figures: the same script run on older code, `--tree`, or, on your own
copy of a register, without indexes, `--without-index`: dropped inside a transaction that
is rolled back):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_1m \\
        .venv/bin/python bench/register_queries.py --rounds 5 --out /tmp/q_1m.json
    git worktree add /tmp/old <rev>
    … bench/register_queries.py --tree /tmp/old
    createdb -T portal_bench_100k portal_me_100k   # then DATABASE_URL=…/portal_me_100k
    … bench/register_queries.py --without-index documents_document_feed_idx
"""

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("DJANGO_SECURE_HTTPS", "false")  # the test client speaks plain HTTP
for scope in ("SEARCH", "DOWNLOAD", "API"):
    os.environ.setdefault(f"PORTAL_RATE_{scope}", "")  # many requests from one address

CITING_TEXT = (
    "Căn cứ Nghị quyết số 15-NQ/TU, Luật Thủ đô số 39/2024/QH15, Kế hoạch số 341-KH/TU, "
    "Chỉ thị số 03/CT-UBND và Chương trình số 04/CTr-UBND ngày 14/2/2025;"
)


def pages():
    """Each page's name and a function running its code (Django is set up)."""
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client

    from documents.models import Document
    from documents.views import _citation_links
    from projects.models import Project

    # Pages name their static files; the bench has not collected them.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client = Client()
    newest = list(Document.objects.published().public().order_by("-pk")[:2])

    def get(path, params=None):
        def run():
            response = client.get(path, params or {})
            assert response.status_code == 200, (path, response.status_code)
            b"".join(response) if response.streaming else response.content

        return run

    def project():
        shown = Project(
            pk=0, approval_document=newest[0], behind_stated_in=newest[-1], slug="bench"
        )
        list(shown.linked_documents())

    return {
        "citations": lambda: _citation_links(AnonymousUser(), [CITING_TEXT]),
        "feed_documents": get("/documents/feed/rss/"),
        "feed_meetings": get("/meetings/feed/rss/"),
        "project": project,
        "api_documents": get("/api/documents/"),
        "search_words": get("/search/", {"q": "giao thông"}),
        "search_number": get("/search/", {"q": "341 KH TU"}),
    }


def capture(connection, run) -> list[tuple[str, list]]:
    queries = []

    def record(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("SELECT", "WITH", "(SELECT")):
            queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        run()
    return queries


def explain(connection, sql, params) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]


def nodes(plan: dict) -> list[str]:
    found = []

    def walk(node):
        label = node["Node Type"]
        if "Index Name" in node:
            label += f" ({node['Index Name']})"
        elif "Relation Name" in node:
            label += f" ({node['Relation Name']})"
        found.append(label)
        for child in node.get("Plans", []):
            walk(child)

    walk(plan["Plan"])
    return found


def measure(name, run, rounds: int) -> dict:
    from django.db import connection

    run()  # warm the caches once, as a busy portal's are
    queries = capture(connection, run)
    totals, slowest = [], None
    for _round in range(rounds):
        total = 0.0
        for sql, params in queries:
            plan = explain(connection, sql, params)
            total += plan["Execution Time"]
            if slowest is None or plan["Execution Time"] > slowest[0]:
                slowest = (plan["Execution Time"], sql, plan)
        totals.append(total)
    plan_nodes = nodes(slowest[2]) if slowest else []
    return {
        "page": name,
        "queries": len(queries),
        "ms_min": round(min(totals), 2),
        "ms_median": round(statistics.median(totals), 2),
        "ms_max": round(max(totals), 2),
        "slowest_plan": plan_nodes,
        "reads_whole_documents_table": "Seq Scan (documents_document)" in plan_nodes,
        "slowest_sql": slowest[1][:300] if slowest else "",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tree", help="import the portal from this folder (older code)")
    parser.add_argument("--only", nargs="*", help="page names to measure")
    parser.add_argument("--out", help="write the figures as JSON here")
    parser.add_argument(
        "--without-index", nargs="*", default=[], help="measure as if these were not there"
    )
    args = parser.parse_args()
    tree = Path(args.tree).resolve() if args.tree else Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(tree))

    import django

    django.setup()
    from django.core import signals
    from django.db import close_old_connections, connection, transaction

    if connection.vendor != "postgresql":
        sys.exit("register_queries.py reads PostgreSQL plans; set DATABASE_URL=postgres://…")
    name = connection.settings_dict["NAME"]
    if args.without_index and name.startswith("portal_bench_"):
        sys.exit(f"{name} is shared: drop indexes only in your own copy (createdb -T …)")
    # One session for the whole run, as in Django's tests: the settings below hold.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    report = {"database": name, "tree": str(tree), "without_index": args.without_index}
    with transaction.atomic(), connection.cursor() as cursor:
        if args.without_index:
            for index in args.without_index:
                cursor.execute(f'DROP INDEX "{index}"')
        else:
            # Shared registers are read-only: any write would fail here rather than land.
            cursor.execute("SET TRANSACTION READ ONLY")
        cursor.execute("SELECT count(*) FROM documents_document")
        report["documents"] = cursor.fetchone()[0]
        report["pages"] = measure_pages(args)
        transaction.set_rollback(True)
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=2, ensure_ascii=False))


def measure_pages(args) -> list[dict]:
    measured = []
    for name, run in pages().items():
        if args.only and name not in args.only:
            continue
        figures = measure(name, run, args.rounds)
        measured.append(figures)
        flag = "  SEQ SCAN of documents" if figures["reads_whole_documents_table"] else ""
        print(
            f"{name:15} {figures['queries']:3} queries  "
            f"{figures['ms_min']:8.2f} {figures['ms_median']:8.2f} {figures['ms_max']:8.2f} ms"
            f"{flag}\n    slowest: {' > '.join(figures['slowest_plan'][:6])}"
        )
    return measured


if __name__ == "__main__":
    main()
