"""Pages against a bare Django view (issue 18).

Not a test. The portal and a bare Django project (`bench/bare/`: one view answering 1 KB
of HTML, no apps, no middleware, no database) are served side by side by the same
gunicorn command (2 sync workers, debug off, 127.0.0.1). Each round loads the bare view,
then every page, then the bare view again, with `wrk -t2 -c8 -d15s`; a page's ratio is
its requests per second over the mean of the bare view's two runs in the same round.
Three rounds (`--rounds`); the table gives the median ratio, the median p50 and p99
latency, and the queries the page runs (counted in-process with Django's test client,
on the second request of the URL, so per-process caches are warm). Two floor rows say what
any page costs at least: `/robots.txt` (the middleware alone) and the demo's about page (the
site's frame around one row).

The register is a copy of the shared, read-only `portal_bench_100k` (or `portal_bench_1m`
with `--size 1m`) named `portal_pages_<size>`, migrated, and at 100k given the demo and
`portal_data.py`'s generated meetings, indicators and projects. At 1M only the documents
pages are measured; `--compare` then adds each page's p50 over its p50 in the JSON of an
earlier run (at 100k, or before a change). `--shared` reads `portal_bench_<size>` itself,
unmigrated, when no copy can be made (a copy needs the template free of sessions).
`--profile` runs no server: each page through the WSGI app in this process, its CPU time
per request and cProfile's top functions (CPU time, so other work on the machine counts
less). The response cache stays off unless `--response-cache` (Redis) is given.

    .venv/bin/python bench/pages.py                       # 100k, writes docs/benchmarks.md
    .venv/bin/python bench/pages.py --size 1m --compare /tmp/pages-100k-before.json
    .venv/bin/python bench/pages.py --label after --compare /tmp/pages-100k-before.json
    .venv/bin/python bench/pages.py --profile --only document  # where the time goes
    .venv/bin/python bench/pages.py --drop                # drop the copies and exit
"""

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import portal_data

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DOCS = ROOT / "docs" / "benchmarks.md"
PORTAL_PORT, BARE_PORT = 8762, 8763
SECTION = "## Issue 18: pages against a bare Django view"
DOCUMENT_PAGES = {"documents", "documents p50", "document cites", "document plain"}
DOCUMENT_PAGES |= {"number (redirect)", "title words", "feed rss", "api documents"}


def database(size: str) -> str:
    return f"portal_pages_{size}"


def prepare(size: str, seed: int, response_cache: bool, shared: bool) -> dict[str, str]:
    """The copy of the shared register, migrated, with the records the pages show (or with
    `shared`, the shared register itself, read as it is); returns the environment of the
    portal's server (the response cache off unless asked)."""
    name = f"portal_bench_{size}" if shared else database(size)
    if not shared and not _exists(name):
        for _attempt in range(30):  # the template must have no other session meanwhile
            done = subprocess.run(
                [
                    "createdb",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-T",
                    f"portal_bench_{size}",
                    name,
                ],
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
    env["PORTAL_RESPONSE_CACHE"] = str(response_cache).lower()
    if response_cache:
        env["REDIS_URL"] = "redis://127.0.0.1:6379/3"
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from projects.models import Project

    if shared:
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
        print(f"{name}, read as it is; not applied: {[m.name for m, _ in missing]}")
    else:
        call_command("migrate", verbosity=0)
    if (
        not shared
        and size == "100k"
        and not Project.objects.filter(slug__startswith="bench-").exists()
    ):
        import random

        try:
            call_command("load_demo", verbosity=0)
        except Exception as error:  # a large register may trip it: the generated rows suffice
            print(f"load_demo failed ({error!r}); generated records only", flush=True)
        portal_data._generate_others(random.Random(seed))
        call_command("dbshell", "--", "-c", "ANALYZE")  # as autovacuum would, soon after
    call_command("collectstatic", verbosity=0, interactive=False)
    return env


def _exists(name: str) -> bool:
    listed = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "select datname from pg_database"],
        capture_output=True,
        text=True,
        check=True,
    )
    return name in listed.stdout.split()


def pages(size: str) -> dict[str, str]:
    """Name → path of every page measured, picked from the register."""
    from documents.citations import find_citations
    from documents.models import Document
    from indicators.models import Indicator
    from meetings.models import Meeting
    from projects.models import Project

    recent = list(Document.objects.published().public().order_by("-issued_on", "-pk")[:400])
    cites = next(d for d in recent if find_citations(d.body))
    plain = next(d for d in recent if not find_citations(f"{d.title} {d.summary} {d.body}"))
    number = "341 KH TU"
    if in_process().get("/documents/?" + urlencode({"q": number})).status_code != 302:
        number = cites.display.replace("/", " ").replace("-", " ")
    words = " ".join(re.findall(r"\w+", cites.title)[1:3])
    found = {
        "home": "/",
        "documents": "/documents/",
        "documents p50": "/documents/?page=50",
        "document cites": cites.get_absolute_url(),
        "document plain": plain.get_absolute_url(),
        "number (redirect)": "/documents/?" + urlencode({"q": number}),
        "title words": "/documents/?" + urlencode({"q": words}),
        "meetings": "/meetings/",
        "meeting": _url(Meeting.objects.published().order_by("-date")),
        "indicators": "/indicators/",
        "indicator": _url(Indicator.objects.published().order_by("order")),
        "projects": "/projects/",
        "project": _url(Project.objects.published().order_by("pk")),
        "site search": "/search/?q=ha+noi",
        "api documents": "/api/documents/",
        "feed rss": "/documents/feed/rss/",
        **_sitemaps(),
        # What any page of the portal costs at least: the middleware alone (a text file),
        # and the frame around one published row (the demo's about page, one query).
        "floor robots.txt": "/robots.txt",
        "floor about page": "/pages/gioi-thieu/",
    }
    return {
        name: path
        for name, path in found.items()
        if path and (size == "100k" or name in DOCUMENT_PAGES)
    }


def _url(queryset) -> str | None:
    first = queryset.first()
    return first.get_absolute_url() if first else None


def _sitemaps() -> dict[str, str]:
    """`/sitemap.xml`, and when it is an index, the first section of each kind."""
    found = {"sitemap.xml": "/sitemap.xml"}
    body = in_process().get("/sitemap.xml").content.decode()
    if "<sitemapindex" in body:
        sections = {}
        for url in re.findall(r"<loc>([^<]+)</loc>", body):
            parts = urlsplit(url.replace("&amp;", "&"))
            kind = re.sub(r"[\W\d_]+", " ", parts.path[8:].removesuffix(".xml")).strip()
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            sections.setdefault(f"sitemap {kind}".strip(), local)
        found |= sections
    return found


def queries(paths: dict[str, str]) -> dict[str, int]:
    """Queries each page runs on its second request (the first warms per-process caches)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, counted = in_process(), {}
    for name, path in paths.items():
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path).status_code
        counted[name] = len(captured)
        print(f"  {name:18} {status} {len(captured):3} queries  {path}", flush=True)
    return counted


def profile(paths: dict[str, str], repeat: int, top: int) -> None:
    """Each page `repeat` times through the WSGI app, then as many under cProfile: CPU ms
    per request and the functions with the most cumulative and own CPU time."""
    client = in_process()
    for name, path in paths.items():
        client.get(path)
        plain = time.process_time()
        for _ in range(repeat):
            client.get(path)
        plain = (time.process_time() - plain) / repeat * 1000
        # CPU time, not wall time: on a shared machine the wall clock mostly counts waits.
        profiler = cProfile.Profile(time.process_time)
        wall, cpu = time.perf_counter(), time.process_time()
        profiler.enable()
        for _ in range(repeat):
            client.get(path)
        profiler.disable()
        wall = (time.perf_counter() - wall) / repeat * 1000
        cpu = (time.process_time() - cpu) / repeat * 1000
        print(
            f"\n=== {name} {path}: {plain:.1f} ms CPU per request; profiled {cpu:.1f} ms CPU, "
            f"{wall:.1f} ms wall ==="
        )
        # The portal's own functions (templates tags, views, models), then everything.
        own = re.escape(str(ROOT)) + r"/(?!\.venv)"
        for order, restriction in (("cumulative", own), ("cumulative", ""), ("tottime", "")):
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats(order)
            stats.print_stats(restriction, top)
            lines = out.getvalue().replace(str(ROOT) + "/", "").splitlines()[6:]
            print("\n".join(line for line in lines if line.strip()))


@contextlib.contextmanager
def serve(app: str, port: int, env: dict[str, str], cwd: Path, ready: str):
    """gunicorn as the issue measures it: 2 sync workers on 127.0.0.1."""
    log = Path(tempfile.gettempdir()) / f"pages-gunicorn-{port}.log"
    command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--worker-class", "sync", "--timeout", "120"]
    with open(log, "w") as output:
        server = subprocess.Popen(
            command, cwd=cwd, env={**os.environ, **env}, stdout=output, stderr=output
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn {app} did not start: see {log}")
                with contextlib.suppress(OSError):
                    if portal_data.get(port, ready).status < 400:
                        break
                time.sleep(0.3)
            yield server
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def in_process():
    """Django's test client, under the name the servers answer to."""
    from django.test import Client

    return Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


def wrk(port: int, path: str, seconds: int, connections: int) -> dict:
    """Requests per second and p50/p99 latency (ms) of `wrk -t2 -c<n> -d<s>s`."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "60s"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout

    def latency(share):
        found = re.search(rf"^\s+{share}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
        if not found:  # no request answered in time
            print(out, flush=True)
            return float("nan")
        return float(found.group(1)) * UNITS[found.group(2)]

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "bad": int(bad.group(1)) if bad else 0,
        "errors": sum(map(int, errors.groups())) if errors else 0,
    }


def measure(paths, rounds, seconds, connections, env) -> dict:
    bare_env = {"DJANGO_SETTINGS_MODULE": "bare.settings"}
    runs = {name: [] for name in paths}
    bare_runs = []
    with (
        serve("bare.wsgi", BARE_PORT, bare_env, BENCH, "/"),
        serve("portal.wsgi", PORTAL_PORT, env, ROOT, "/robots.txt"),
    ):
        for path in paths.values():  # warm both workers: imports, connections, caches
            for _ in range(4):
                portal_data.get(PORTAL_PORT, path)
        for number in range(1, rounds + 1):
            before = wrk(BARE_PORT, "/", seconds, connections)
            measured = {
                name: wrk(PORTAL_PORT, path, seconds, connections) for name, path in paths.items()
            }
            after = wrk(BARE_PORT, "/", seconds, connections)
            bare = (before["rps"] + after["rps"]) / 2
            bare_runs.append(bare)
            print(f"round {number}: bare {before['rps']:.0f} / {after['rps']:.0f} req/s, {load()}")
            for name, result in measured.items():
                result["ratio"] = result["rps"] / bare
                runs[name].append(result)
                print(
                    f"  {name:18} {result['rps']:8.1f} req/s  {result['ratio']:.4f}× bare  "
                    f"p50 {result['p50']:.1f} ms  p99 {result['p99']:.1f} ms"
                    + (f"  {result['bad']} non-2xx/3xx" if result["bad"] else "")
                    + (f"  {result['errors']} socket errors" if result["errors"] else ""),
                    flush=True,
                )
    return {"bare": bare_runs, "pages": runs}


def load() -> str:
    return "load " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def summarise(paths, measured, counted) -> list[dict]:
    rows = []
    for name, path in paths.items():
        runs = measured["pages"][name]
        ratios = [run["ratio"] for run in runs]
        rows.append(
            {
                "page": name,
                "path": path,
                "ratio": statistics.median(ratios),
                "ratio_range": [min(ratios), max(ratios)],
                "rps": statistics.median(run["rps"] for run in runs),
                "p50": statistics.median(run["p50"] for run in runs),
                "p99": statistics.median(run["p99"] for run in runs),
                "queries": counted[name],
                "bad": sum(run["bad"] + run["errors"] for run in runs),
            }
        )
    return rows


def table(rows, compare: dict | None) -> str:
    head = "| page | ratio to bare (median, range) | req/s | p50 ms | p99 ms | queries |"
    rule = "|---|---|---|---|---|---|"
    if compare:
        head, rule = head + " p50 ÷ p50 of `--compare` |", rule + "---|"
    lines = [head, rule]
    for row in rows:
        low, high = row["ratio_range"]
        cells = [
            f"{row['page']} `{row['path'][:60]}`",
            f"{row['ratio']:.3f} ({low:.3f}–{high:.3f})",
            f"{row['rps']:.1f}",
            f"{row['p50']:.1f}",
            f"{row['p99']:.1f}",
            str(row["queries"]) + (f" ({row['bad']} errors)" if row["bad"] else ""),
        ]
        if compare:
            earlier = compare.get(row["page"])
            cells.append(f"{row['p50'] / earlier:.2f}" if earlier else "–")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write(block: str, label: str, script: str = "pages.py", section: str = SECTION) -> None:
    """Replace (or add) the `label` block of `script`'s section of docs/benchmarks.md."""
    start, end = f"<!-- bench/{script}: {label} -->", f"<!-- end bench/{script}: {label} -->"
    text = DOCS.read_text()
    if section not in text:
        text = (
            text.rstrip()
            + f"\n\n{section}\n\nMeasured by `bench/{script}` (its docstring says how).\n"
        )
    new = f"{start}\n{block}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _m: new, text, flags=re.S)
    else:  # at the end of this section, before the next one
        after = text.index(section) + len(section)
        cut = text.find("\n## ", after)
        cut = len(text) if cut < 0 else cut + 1
        text = text[:cut].rstrip() + f"\n\n{new}\n\n" + text[cut:].lstrip("\n")
    DOCS.write_text(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=["100k", "1m"], default="100k")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", help="measure only the pages whose name contains this")
    parser.add_argument("--label", default="before", help="the block of docs/benchmarks.md")
    parser.add_argument("--no-write", action="store_true", help="leave docs/benchmarks.md")
    parser.add_argument("--compare", type=Path, help="JSON of an earlier run: p50 ratios")
    parser.add_argument("--out", type=Path, help="JSON of the figures (default /tmp)")
    parser.add_argument("--profile", action="store_true", help="cProfile each page, no server")
    parser.add_argument("--repeat", type=int, default=30, help="requests per page profiled")
    parser.add_argument(
        "--shared", action="store_true", help="read portal_bench_<size> itself (no copy)"
    )
    parser.add_argument("--response-cache", action="store_true", help="with Redis's cache")
    parser.add_argument("--drop", action="store_true", help="drop the copies and exit")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    if args.drop:
        for size in ("100k", "1m"):
            name = database(size)
            command = ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force"]
            subprocess.run([*command, name], check=True)
            shutil.rmtree(Path(tempfile.gettempdir()) / f"{name}-files", ignore_errors=True)
        return
    portal_data.stop_on_sigterm()
    env = prepare(args.size, args.seed, args.response_cache, args.shared)
    paths = {n: p for n, p in pages(args.size).items() if not args.only or args.only in n}
    if args.profile:
        profile(paths, args.repeat, top=25)
        return
    counted = queries(paths)
    name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    started = (
        f"{time.strftime('%d/%m/%Y %H:%M UTC', time.gmtime())}, {name}, {portal_data.machine()}"
    )
    measured = measure(paths, args.rounds, args.seconds, args.connections, env)
    rows = summarise(paths, measured, counted)
    compare = None
    if args.compare:
        compare = {row["page"]: row["p50"] for row in json.loads(args.compare.read_text())["rows"]}
    bare = ", ".join(f"{value:.0f}" for value in measured["bare"])
    block = (
        f"**{args.label}, {args.size}{', response cache on' * args.response_cache}** "
        f"({started}; {load()} at the end; bare view {bare} "
        f"req/s by round; `wrk -t2 -c{args.connections} -d{args.seconds}s`, "
        f"{args.rounds} rounds)\n\n{table(rows, compare)}"
    )
    print("\n" + block)
    label = re.sub(r"\W+", "-", args.label)  # a file name, whatever the label says
    out = args.out or Path(tempfile.gettempdir()) / f"pages-{args.size}-{label}.json"
    out.write_text(json.dumps({"rows": rows, "runs": measured, "machine": started}, indent=1))
    if not args.no_write:
        write(block, f"{args.label} {args.size}")


if __name__ == "__main__":
    main()
