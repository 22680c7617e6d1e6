"""The portal as production runs it, for the request benchmarks of issue 14 (`fuzz.py`,
`soak.py`): PostgreSQL with a realistic register, and gunicorn with sync workers, debug
off, on the loopback interface only.

`configure()` sets the environment (a throwaway secret key, plain HTTP, rate limits set
far out of reach: the benchmarks send thousands of searches and downloads from one
address); `prepare()` creates and migrates the database, generates the documents with
`documents_search.py`'s generator, loads the demo and adds generated meetings (agenda,
votes, participants), indicators with figures, projects with progress and milestones,
about 8 % of them drafts, and attachments; `gunicorn()` serves it and stops it. Both
scripts take `--database` and drop it with `--drop`.
"""

import contextlib
import datetime
import http.client
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

# Far beyond what the benchmarks send per minute from 127.0.0.1 (the limits stay on: the
# code that counts runs as in production).
RATE = "100000000/m"
MARKER_SLUG = "bench-"


def configure(database: str, workdir: Path) -> dict[str, str]:
    """Environment for the set-up here and for gunicorn; returns what was set."""
    values = {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_HTTPS": "false",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "PORTAL_RATE_SEARCH": RATE,
        "PORTAL_RATE_DOWNLOAD": RATE,
        "PORTAL_RATE_API": RATE,
        "PORTAL_BACKUP_DIR": str(workdir / "backups"),
    }
    os.environ.update(values)
    return values


def stop_on_sigterm() -> None:
    """`kill <pid>` stops a run cleanly: gunicorn and the client processes are ended (a
    background job started from a script ignores Ctrl-C's SIGINT)."""

    def interrupt(_signal, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def default_signals() -> None:
    """For client processes forked by a run: SIGTERM ends them at once."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def workdir(database: str) -> Path:
    path = Path(tempfile.gettempdir()) / f"{database}-files"
    path.mkdir(exist_ok=True)
    return path


def drop(database: str) -> None:
    """Drop the database and remove its files (static, attachments)."""
    path = Path(tempfile.gettempdir()) / f"{database}-files"
    configure(database, path)
    import documents_search

    documents_search.ensure_database(drop=True)
    shutil.rmtree(path, ignore_errors=True)


def prepare(documents: int, seed: int) -> dict:
    """Create, migrate and fill the database (again only what is missing)."""
    import django
    import documents_search

    documents_search.ensure_database()
    django.setup()
    from django.core.management import call_command

    from documents.models import Document
    from projects.models import Project

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if Document.objects.count() < documents:
        print(f"generating {documents:,} documents …", flush=True)
        documents_search.generate(documents, seed, workers=2)
    if not Project.objects.filter(slug__startswith=MARKER_SLUG).exists():
        call_command("load_demo", verbosity=0)
        _generate_others(random.Random(seed))
        _attachments(random.Random(seed), 300)
    call_command("collectstatic", verbosity=0, interactive=False)
    print(f"data ready in {time.perf_counter() - started:.0f} s", flush=True)
    return counts()


def counts() -> dict[str, int]:
    from documents.models import Attachment, Document
    from indicators.models import Indicator, Value
    from meetings.models import AgendaItem, Meeting, Vote
    from projects.models import Milestone, ProgressUpdate, Project

    return {
        model._meta.verbose_name_plural.__str__(): model._default_manager.count()
        for model in (
            Document,
            Attachment,
            Meeting,
            AgendaItem,
            Vote,
            Indicator,
            Value,
            Project,
            ProgressUpdate,
            Milestone,
        )
    }


PLACES = ["Trụ sở Thành ủy, số 16 Lê Lai", "Trung tâm Hội nghị Thành phố, 35 Lê Thánh Tông"]
ITEMS = [
    "Báo cáo tình hình kinh tế - xã hội {period} và nhiệm vụ trọng tâm thời gian tới",
    "Cho ý kiến về công tác cán bộ, kiện toàn Ban Thường vụ Thành ủy",
    "Kế hoạch chỉnh trang đô thị, cải tạo sông Tô Lịch và các sông nội đô",
    "Điều chỉnh kế hoạch kiểm tra, giám sát năm {year}",
    "Quy chế làm việc của Ban Chấp hành Đảng bộ thành phố khóa XVII",
    "Đề án phát triển hệ thống đường sắt đô thị Thủ đô",
]
PROJECTS = [
    ("Cầu {name} bắc qua sông Hồng", "bridge"),
    ("Đường vành đai {n} đoạn qua {name}", "ring_road"),
    ("Tuyến đường sắt đô thị số {n} đoạn {name}", "urban_railway"),
    ("Nhà máy xử lý nước thải {name}", "wastewater_treatment"),
    ("Cải tạo, làm sống lại sông {name}", "river_remediation"),
]
PLACE_NAMES = ["Tứ Liên", "Trần Hưng Đạo", "Ngọc Hồi", "Thượng Cát", "Vân Phúc", "Hồng Hà"]


def _published(rng, share_draft=0.08) -> dict:
    from django.utils import timezone

    if rng.random() < share_draft:
        return {"status": "draft"}
    return {"status": "published", "published_at": timezone.now()}


def _generate_others(rng: random.Random) -> None:
    """Meetings, indicators and projects in the proportions of a city's ten years."""
    from django.db import transaction

    from documents.models import Document
    from indicators.models import Category, Indicator, Period, Unit, Value, ValueKind
    from indicators.periods import PeriodKind
    from meetings.models import (
        AgendaItem,
        AgendaItemKind,
        Meeting,
        MeetingParticipant,
        PersonVote,
        Term,
        Vote,
    )
    from meetings.voting import Choice, VoteResult
    from portal.models import Organization, Person, Position
    from projects.models import Milestone, ProgressUpdate, Project

    public_docs = list(
        Document.objects.published().public().order_by("?").values_list("pk", flat=True)[:3000]
    )
    with transaction.atomic():
        people = []
        bodies = [
            Organization.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})[0]
            for code, name, kind in [
                ("BCHTU", "Ban Chấp hành Đảng bộ thành phố Hà Nội", "party"),
                ("BTVTU", "Ban Thường vụ Thành ủy Hà Nội", "party"),
                ("HĐNDTP", "Hội đồng nhân dân thành phố Hà Nội", "assembly"),
            ]
        ]
        for n in range(60):
            person = Person.objects.create(
                full_name=f"{rng.choice(['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Đỗ'])} "
                f"{rng.choice(['Văn', 'Thị', 'Đức', 'Minh'])} "
                f"{rng.choice(['Hùng', 'Thảo', 'Quang', 'Hương', 'Dũng'])} {n}"
            )
            Position.objects.create(
                person=person,
                organization=rng.choice(bodies),
                title="Ủy viên Ban Thường vụ Thành ủy",
                start_date=datetime.date(2020, 10, 15),
            )
            people.append(person)
        for body in bodies:
            for ordinal, start in (("XVI", 2015), ("XVIII", 2025)):
                term = Term.objects.get_or_create(
                    body=body, ordinal=ordinal, defaults={"start_year": start}
                )[0]
                for number in range(1, 61):
                    day = datetime.date(start, 1, 1) + datetime.timedelta(days=number * 25)
                    meeting = Meeting.objects.create(
                        term=term,
                        number=number,
                        kind="regular",
                        title=f"Hội nghị lần thứ {number} {body.name} khóa {ordinal}",
                        date=day,
                        place=rng.choice(PLACES),
                        summary="Hội nghị xem xét, cho ý kiến về các nội dung quan trọng.",
                        **_published(rng),
                    )
                    for order in range(1, rng.randint(3, 7)):
                        item = AgendaItem.objects.create(
                            meeting=meeting,
                            order=str(order),
                            kind=rng.choice(AgendaItemKind.values),
                            title=rng.choice(ITEMS).format(period="6 tháng", year=day.year),
                            outcome="Hội nghị thống nhất thông qua.",
                            presenter=rng.choice(people),
                        )
                        item.documents.add(*rng.sample(public_docs, 2))
                        vote = Vote.objects.create(
                            meeting=meeting,
                            agenda_item=item,
                            question=f"Biểu quyết thông qua nội dung {order}",
                            votes_for=50,
                            votes_against=1,
                            abstentions=0,
                            present=51,
                            total=53,
                            result=VoteResult.ADOPTED,
                        )
                        PersonVote.objects.create(
                            vote=vote, person=rng.choice(people), choice=Choice.FOR
                        )
                    for chair in rng.sample(people, 3):
                        MeetingParticipant.objects.create(meeting=meeting, person=chair)

        quarters = []
        for year in range(2019, 2026):
            for q in range(4):
                end = datetime.date(year + (q == 3), 1 if q == 3 else 3 * q + 4, 1)
                quarters.append(
                    Period.objects.get_or_create(
                        kind=PeriodKind.QUARTER,
                        start=datetime.date(year, 3 * q + 1, 1),
                        end=end - datetime.timedelta(days=1),
                    )[0]
                )
        for n in range(60):
            indicator = Indicator.objects.create(
                code=f"{MARKER_SLUG}chi-tieu-{n}",
                name=f"Chỉ tiêu kinh tế - xã hội số {n} của Thành phố",
                unit=rng.choice([Unit.PERCENT, Unit.PERCENT_CHANGE]),
                category=rng.choice(Category.values),
                definition="Theo báo cáo của Cục Thống kê thành phố Hà Nội.",
                is_headline=n < 6,
                order=n,
                **_published(rng),
            )
            Value.objects.bulk_create(
                Value(
                    indicator=indicator,
                    period=period,
                    kind=kind,
                    value=Decimal(rng.randint(10, 1200)) / 10,
                )
                for period in quarters
                for kind in (ValueKind.ACTUAL, ValueKind.TARGET)
            )

        for n in range(200):
            template, sector = rng.choice(PROJECTS)
            name = template.format(name=rng.choice(PLACE_NAMES), n=n % 9 + 1)
            project = Project.objects.create(
                name=f"{name} ({n})",
                slug=f"{MARKER_SLUG}du-an-{n}",
                sector=sector,
                is_key=n % 10 == 0,
                location="Quận Long Biên, huyện Gia Lâm",
                description="Dự án trọng điểm của Thành phố giai đoạn 2021–2030.",
                approval_document_id=rng.choice(public_docs),
                planned_start=datetime.date(2022, 1, 1),
                planned_finish=datetime.date(2022 + rng.randint(2, 8), 12, 31),
                stage="under_construction",
                **_published(rng),
            )
            project.documents.add(*rng.sample(public_docs, 3))
            ProgressUpdate.objects.bulk_create(
                ProgressUpdate(
                    project=project,
                    date=datetime.date(2022, 3, 31) + datetime.timedelta(days=91 * i),
                    physical_percent=Decimal(min(100, 6 * (i + 1))),
                    note="Theo báo cáo của chủ đầu tư.",
                )
                for i in range(12)
            )
            Milestone.objects.bulk_create(
                Milestone(project=project, name=label, planned_on=datetime.date(year, 6, 30))
                for label, year in (("Khởi công", 2022), ("Thông xe kỹ thuật", 2026))
            )


def _attachments(rng: random.Random, count: int) -> None:
    from django.core.files.base import ContentFile

    from documents.models import Attachment, Document

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * 40_000
    documents = Document.objects.published().public().order_by("?")[:count]
    for document in documents:
        attachment = Attachment(
            document=document,
            original_name=f"{document.display or 'van-ban'}.pdf",
            content_type="application/pdf",
            size=len(pdf),
        )
        attachment.file.save("van-ban.pdf", ContentFile(pdf), save=True)


# Serving --------------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(port: int, workers: int = 2, log: Path | None = None):
    """gunicorn on 127.0.0.1:`port` with `workers` sync workers; yields its process."""
    log = log or Path(tempfile.gettempdir()) / f"gunicorn-{port}.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "portal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "120",
        # A reverse proxy usually allows 8 KB of request line; gunicorn's own limit is 4 KB.
        "--limit-request-line",
        "8190",
    ]
    with open(log, "w") as output:
        server = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=output)
        try:
            _wait_until_up(port, server)
            yield server
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_up(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        with contextlib.suppress(OSError):
            if get(port, "/robots.txt").status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within a minute")


class Answer:
    __slots__ = ("status", "size", "seconds", "from_django")

    def __init__(self, status, size, seconds, from_django):
        self.status = status
        self.size = size
        self.seconds = seconds
        self.from_django = from_django


def get(port: int, path: str, headers: dict | None = None, timeout: float = 120) -> Answer:
    """One GET on a new connection (sync workers close it after each response); the body
    is read to the end, as a browser or a download manager does."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        size = len(response.read())
        # Django's security middleware sets this on every answer; gunicorn's own refusals
        # (a request line too long) do not carry it.
        from_django = response.getheader("X-Content-Type-Options") is not None
        return Answer(response.status, size, time.perf_counter() - started, from_django)
    finally:
        connection.close()


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers: the processes whose parent is the master."""
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
            if int(fields.get("PPid", "0").strip()) == master:
                pids.append(int(status.parent.name))
    return sorted(pids)


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def machine() -> str:
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} CPUs, load {load:.1f} at the start, Python {sys.version.split()[0]}"
