"""Full downloads of the register through gunicorn with `gunicorn.conf.py` (issue 19).

Not a test. Against an existing register (read only: `DATABASE_URL`, e.g. the 1,000,000
documents of `bench/documents_search.py`), for each round:

1. `/documents/?format=csv` and `?format=json`, streamed, fetched with curl through one
   worker of the repository's configuration (gthread; its 30 s timeout unchanged): the
   time, the size, the rows received against the database's count of published public
   documents, whether curl saw the transfer end properly, and the worker's peak resident
   memory (VmHWM) after each download;
2. `manage.py export_register` into a scratch PORTAL_OPEN_DATA_DIR: its time and peak
   memory;
3. the exported files from /documents/open-data/, fetched with curl the same way.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_1m \\
        .venv/bin/python bench/full_downloads.py --rounds 2
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(open_data_dir: str) -> dict:
    return os.environ | {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-key",
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_SECURE_HTTPS": "false",
        "PORTAL_OPEN_DATA_DIR": open_data_dir,
        "PORTAL_RATE_DOWNLOAD": "",
    }


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for {pid}")


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    if len(children) != 1:
        raise RuntimeError(f"expected one worker, found {children}")
    return int(children[0])


def public_count() -> int:
    script = "from documents.open_data import public_documents; print(public_documents().count())"
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE_DIR,
        env=environment(tempfile.gettempdir()),
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.split()[-1])


def fetch(port: int, path: str, target: Path) -> dict:
    """curl the path into `target`: seconds, bytes, whether the transfer ended whole."""
    done = subprocess.run(
        ["curl", "-sS", "-o", str(target), "-H", "Host: localhost"]
        + ["-w", "%{http_code} %{size_download} %{time_total}", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
    )
    status, size, seconds = done.stdout.split()
    return {
        "status": int(status),
        "bytes": int(size),
        "seconds": float(seconds),
        "curl_exit": done.returncode,
        "curl_error": done.stderr.strip(),
    }


def rows_in(target: Path, fmt: str) -> int:
    """Rows in a downloaded file: CSV lines after the header (no title holds a line
    break in these registers), or JSON objects, one per line."""
    lines = 0
    with target.open("rb") as file:
        for line in file:
            if fmt == "csv" or line.startswith(b"{"):
                lines += 1
    return lines - 1 if fmt == "csv" else lines


def serve(open_data_dir: str):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=BASE_DIR,
        env=environment(open_data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)
    return server, port


def export(open_data_dir: str) -> dict:
    started = time.monotonic()
    command = subprocess.Popen(
        [sys.executable, "manage.py", "export_register", "--origin", "https://localhost"],
        cwd=BASE_DIR,
        env=environment(open_data_dir),
    )
    _pid, status, usage = os.wait4(command.pid, 0)
    if status != 0:
        raise RuntimeError(f"export_register failed: {status}")
    return {"seconds": round(time.monotonic() - started, 1), "peak_mib": usage.ru_maxrss // 1024}


def one_round(expected: int) -> dict:
    report = {}
    with tempfile.TemporaryDirectory() as scratch:
        server, port = serve(scratch)
        try:
            fetch(port, "/robots.txt", Path(scratch) / "warm")
            worker = worker_pid(server.pid)
            report["boot_peak_mib"] = peak_kib(worker) // 1024
            for fmt in ("csv", "json"):
                target = Path(scratch) / f"stream.{fmt}"
                result = fetch(port, f"/documents/?format={fmt}", target)
                result["rows"] = rows_in(target, fmt)
                result["whole"] = result["curl_exit"] == 0 and result["rows"] == expected
                result["worker_peak_mib"] = peak_kib(worker) // 1024
                report[f"stream_{fmt}"] = result
                target.unlink()
            report["export"] = export(scratch)
            for name, fmt in (("documents.csv", "csv"), ("documents.json", "json")):
                target = Path(scratch) / name
                result = fetch(port, f"/documents/open-data/{name}", target)
                result["rows"] = rows_in(target, fmt)
                result["whole"] = result["curl_exit"] == 0 and result["rows"] == expected
                result["worker_peak_mib"] = peak_kib(worker) // 1024
                report[f"file_{fmt}"] = result
                target.unlink()
        finally:
            server.terminate()
            server.wait(timeout=150)
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("/tmp/full_downloads.json"))
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        parser.error("set DATABASE_URL to the register to read")
    expected = public_count()
    print(f"published public documents: {expected:,}", flush=True)
    rounds = []
    for number in range(1, args.rounds + 1):
        rounds.append(one_round(expected))
        print(f"round {number}: {json.dumps(rounds[-1])}", flush=True)
    args.out.write_text(json.dumps({"expected_rows": expected, "rounds": rounds}, indent=2))


if __name__ == "__main__":
    main()
