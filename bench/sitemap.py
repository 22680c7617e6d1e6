"""The sitemap index and its sections against a bare Django view (issues 18 and 19).

Not a test. The register is a copy of the shared, read-only `portal_bench_100k` (or
`portal_bench_1m` with `--size 1m`) named `portal_sitemap_<size>`, migrated, with one
history row per document (the generator writes none; the portal writes one at every save,
and a section dates its addresses by them), and at 100k the generated meetings,
indicators, projects and people of `portal_data.py`. `bench/pages.py` then serves the
portal and the bare view side by side (gunicorn, 2 sync workers) and loads each address
with `wrk`, in interleaved rounds: the index, the lists' section, the first, middle and
last sections of documents and the first of every other kind. Queries are counted on the
second request, in-process; bytes and addresses are those of the answer.

    .venv/bin/python bench/sitemap.py                  # 100k, writes docs/benchmarks.md
    .venv/bin/python bench/sitemap.py --size 1m
    .venv/bin/python bench/sitemap.py --size 1m --shared  # read portal_bench_1m, no copy
    .venv/bin/python bench/sitemap.py --drop           # drop the copies and exit
"""

import argparse
import os
import random
import re
import statistics
import subprocess
import time
from urllib.parse import urlsplit

import pages
import portal_data

SECTION = "## Issues 18 and 19: the sitemap index and its sections"
# Not bench/pages.py's ports: the two scripts may run at the same time.
pages.PORTAL_PORT, pages.BARE_PORT = 8772, 8773


def database(size: str) -> str:
    return f"portal_sitemap_{size}"


def prepare(size: str, seed: int, shared: bool) -> dict[str, str]:
    """The copy, ready; with `shared`, the shared register itself, only read (no history
    rows, no other kinds: for when no copy can be made, the template being in use)."""
    name = f"portal_bench_{size}" if shared else database(size)
    if not shared and not pages._exists(name):
        for _attempt in range(60):  # the template must have no other session meanwhile
            done = subprocess.run(
                ["createdb", "-h", "127.0.0.1", "-U", "postgres", "-T"]
                + [f"portal_bench_{size}", name],
                capture_output=True,
                text=True,
            )
            if done.returncode == 0:
                break
            print(f"createdb: {done.stderr.strip()} (retrying)", flush=True)
            time.sleep(10)
        else:
            raise SystemExit(f"could not copy portal_bench_{size}")
    env = portal_data.configure(name, portal_data.workdir(name))
    os.environ["DJANGO_ALLOWED_HOSTS"] += ",testserver"  # the in-process counts below
    import django

    django.setup()
    from django.core.management import call_command

    from portal.models import Person

    if not shared:
        call_command("migrate", verbosity=0)
        _document_history()
        if size == "100k" and not Person.objects.exists():
            portal_data._generate_others(random.Random(seed))
    call_command("collectstatic", verbosity=0, interactive=False)
    return env


def _document_history() -> None:
    """One history row per document, dated by its publication, as saving it would write."""
    from django.db import connection

    from documents.models import Document

    history = Document.history.model
    if history.objects.exists():
        return
    own = [f.column for f in Document._meta.concrete_fields]
    columns = [f.column for f in history._meta.concrete_fields if f.column in own]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {history._meta.db_table} ({quoted}, history_date, history_type, "
            f"history_change_reason) SELECT {quoted}, COALESCE(published_at, now()), '+', NULL "
            f"FROM {Document._meta.db_table}"
        )
        cursor.execute(f"ANALYZE {history._meta.db_table}")
    print(f"history: {history.objects.count():,} rows", flush=True)


def addresses() -> dict[str, str]:
    """Name → path: the index, and from it the sections measured."""
    from django.test import Client

    body = Client().get("/sitemap.xml").content.decode()
    found: dict[str, list[str]] = {}
    for url in re.findall(r"<loc>([^<]+)</loc>", body):
        path = urlsplit(url).path
        kind = re.match(r"/sitemap-(\w+)-\d+\.xml", path).group(1)
        found.setdefault(kind, []).append(path)
    picked = {"index": "/sitemap.xml"}
    for kind, paths in found.items():
        picked[f"{kind} first"] = paths[0]
        if len(paths) > 2:
            picked[f"{kind} middle"] = paths[len(paths) // 2]
        if len(paths) > 1:
            picked[f"{kind} last"] = paths[-1]
    print(f"sections: { {kind: len(paths) for kind, paths in found.items()} }", flush=True)
    return picked


def answers(paths: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Name → (bytes, addresses) of each answer."""
    from django.test import Client

    client, sizes = Client(), {}
    for name, path in paths.items():
        content = client.get(path).content
        sizes[name] = (len(content), content.count(b"<loc>"))
    return sizes


def crawl() -> str:
    """A crawler's whole visit, in-process: the index, then every section in turn."""
    import resource

    from django.test import Client

    client, before = Client(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    index = client.get("/sitemap.xml").content.decode()
    sections = [urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", index)]
    urls = sizes = 0
    slowest = 0.0
    for path in sections:
        begun = time.perf_counter()
        content = client.get(path).content
        slowest = max(slowest, time.perf_counter() - begun)
        urls, sizes = urls + content.count(b"<loc>"), sizes + len(content)
    seconds = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    return (
        f"A whole crawl, in-process: the index and {len(sections)} sections, {urls:,} addresses, "
        f"{sizes / 1e6:.1f} MB in {seconds:.1f} s (slowest section {slowest * 1000:.0f} ms); "
        f"peak memory +{grown:.0f} MB."
    )


def table(rows, sizes) -> str:
    head = "| answer | ratio to bare (median, range) | req/s | p50 ms | p99 ms | queries "
    head += "| KB | URLs |"
    lines = [head, "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        low, high = row["ratio_range"]
        size, count = sizes[row["page"]]
        cells = [
            f"{row['page']} `{row['path']}`",
            f"{row['ratio']:.3f} ({low:.3f}–{high:.3f})",
            f"{row['rps']:.0f}",
            f"{row['p50']:.1f}",
            f"{row['p99']:.1f}",
            str(row["queries"]) + (f" ({row['bad']} errors)" if row["bad"] else ""),
            f"{size / 1024:.0f}",
            str(count),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=["100k", "1m"], default="100k")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-write", action="store_true", help="leave docs/benchmarks.md")
    parser.add_argument("--drop", action="store_true", help="drop the copies and exit")
    parser.add_argument("--shared", action="store_true", help="read the shared register")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    if args.drop:
        for size in ("100k", "1m"):
            portal_data.drop(database(size))
        return
    portal_data.stop_on_sigterm()
    env = prepare(args.size, args.seed, args.shared)
    paths = addresses()
    print(f"queries per answer ({env['DATABASE_URL'].rsplit('/', 1)[-1]}):")
    counted = pages.queries(paths)
    sizes = answers(paths)
    whole = crawl()
    print(whole, flush=True)
    started = f"{time.strftime('%d/%m/%Y %H:%M UTC', time.gmtime())}, {portal_data.machine()}"
    measured = pages.measure(paths, args.rounds, args.seconds, args.connections, env)
    rows = pages.summarise(paths, measured, counted)
    bare = ", ".join(f"{value:.0f}" for value in measured["bare"])
    worst = min(row["ratio"] for row in rows)
    register = "the shared register, no history rows" if args.shared else "a copy"
    block = (
        f"**{args.size}**, {register} ({started}; {pages.load()} at the end; "
        f"bare view {bare} req/s by round; "
        f"`wrk -t2 -c{args.connections} -d{args.seconds}s`, {args.rounds} rounds; "
        f"lowest median ratio {worst:.3f}; response cache off)\n\n{table(rows, sizes)}\n\n{whole}"
    )
    print("\n" + block)
    print(f"median bare {statistics.median(measured['bare']):.0f} req/s")
    if not args.no_write:
        pages.write(block, args.size + (" shared" if args.shared else ""), "sitemap.py", SECTION)


if __name__ == "__main__":
    main()
