"""Admin imports (CSV or XLSX) in two steps, preview then write, each an `ImportJob`
whose page shows progress, then the result.

A file of up to `csvimport.MAX_ROWS` rows is read when it is uploaded (a malformed file is
refused at once, with its line numbers). Then the upload is previewed (`preview`): every
row is checked and counted (to create, to update, unchanged) or refused with its line,
and nothing is written; the job keeps the file. The preview's "Nhập thật" button
(`confirm`) starts a second job that checks the same file again and writes it, all or
nothing. A job of up to `IN_REQUEST_ROWS` rows runs within the request; a larger one in a
thread of the web worker, which checks its rows batch by batch, saving how many it has
checked, then writes them all in one transaction, while the staff member watches the
job's page, which reloads itself (`<meta http-equiv="refresh">`, no script) until the job
is done.

Why a thread and not steps driven by the page: checking can be split into steps, but the
write cannot without giving up all-or-nothing, and 20,000 documents take several seconds
to write (more on a busy server), too close to the worker timeout (30 s) to be safe in a
request. The thread has no such limit; the worker keeps answering requests meanwhile. If
the worker is stopped mid-import, the transaction is rolled back (nothing written) and the
job's page says so once it has not moved for `STALE_AFTER`. See docs/imports.md.
"""

import base64
import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.db import close_old_connections, connection
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import csvimport
from .models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)

# Files up to this many rows are imported within the upload request (about a second).
IN_REQUEST_ROWS = 1000
# A running job whose row has not changed for this long was stopped with its worker.
STALE_AFTER = timedelta(minutes=10)
# Seconds between two reloads of a running job's page.
REFRESH_SECONDS = 2
# Finished jobs are kept this long, for the staff member to come back to the result.
KEEP_FINISHED = timedelta(days=30)
# Bad rows listed on the page (every one is counted).
ERRORS_SHOWN = 500
# A preview keeps the uploaded file this long for its "Nhập thật" button.
PREVIEW_KEPT = timedelta(days=1)
# How a workbook (bytes) is kept in the job's text column.
XLSX_FORMAT = "xlsx"

_threads: dict[int, threading.Thread] = {}


def start(job: ImportJob, work: Callable[[ImportJob], None]) -> None:
    """Run `work(job)` in a background thread. `work` checks and writes the rows,
    calling `progress` and then `finish`; an exception ends the job as interrupted."""
    # Not a daemon: a worker that is shut down gracefully lets the import finish first.
    thread = threading.Thread(target=_run, args=(job.pk, work), name=f"import-{job.pk}")
    _threads[job.pk] = thread
    thread.start()


def _run(job_id: int, work: Callable[[ImportJob], None]) -> None:
    close_old_connections()
    try:
        _work(ImportJob.objects.select_related("user").get(pk=job_id), work)
    except Exception:
        logger.exception("Import job %s could not be recorded", job_id)
    finally:
        _threads.pop(job_id, None)
        connection.close()


def _work(job: ImportJob, work: Callable[[ImportJob], None]) -> None:
    with translation.override(job.language or None):
        try:
            work(job)
        except Exception:
            # Logged with its traceback for the operators; the staff member reads a
            # sentence. The write's transaction was rolled back: nothing was written.
            logger.exception("Import job %s failed", job.pk)
            finish(
                job,
                status=ImportStatus.INTERRUPTED,
                errors=[(0, _("Lỗi hệ thống khi nhập: không dòng nào được ghi."))],
            )


def upload_of(job: ImportJob) -> bytes | str:
    """The file a job imports, as it was uploaded (a CSV's text, a workbook's bytes)."""
    if job.options.get("format") == XLSX_FORMAT:
        return base64.b64decode(job.content)
    return job.content


def preview(
    request: HttpRequest,
    *,
    kind: str,
    file_name: str,
    data: bytes,
    rows: int,
    options: dict,
    work: Callable[[ImportJob], None],
) -> ImportJob:
    """Check an upload already read as a table (`rows` rows), writing nothing: within the
    request for a small file, in the background for a large one. The job keeps the file
    until it is confirmed (`confirm`), so the write imports exactly what was previewed."""
    ImportJob.objects.filter(
        updated_at__lt=timezone.now() - KEEP_FINISHED,
        status__in=[ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.INTERRUPTED],
    ).delete()
    ImportJob.objects.filter(
        updated_at__lt=timezone.now() - PREVIEW_KEPT, status=ImportStatus.DONE
    ).exclude(content="").update(content="")
    if data.startswith(csvimport.XLSX_MAGIC):
        content, options = (
            base64.b64encode(data).decode("ascii"),
            {**options, "format": XLSX_FORMAT},
        )
    else:
        content = csvimport.decode(data)
    job = ImportJob.objects.create(
        kind=kind,
        user=request.user,
        file_name=file_name[:255],
        content=content,
        options={**options, "dry_run": True},
        language=get_language() or "",
        rows_total=rows,
    )
    _launch(job, work)
    return job


def confirm(
    request: HttpRequest,
    job_id: int,
    *,
    kind: str,
    work: Callable[[ImportJob], None],
    options: dict | None = None,
) -> ImportJob | None:
    """The "Nhập thật" button of a good preview: a new job writes the file the preview
    checked (its rows checked again: the database may have changed meanwhile). None, with
    a message, when the preview cannot be confirmed (already confirmed, too old, refused)."""
    job = _own_jobs(request, kind).filter(pk=job_id).first()
    # The file is taken from the preview in one UPDATE, so a double click writes once.
    if (
        job is None
        or not confirmable(job)
        or not ImportJob.objects.filter(pk=job.pk).exclude(content="").update(content="")
    ):
        messages.error(request, _("Bản xem trước này không còn nhập được: hãy gửi lại tệp."))
        return None
    write = ImportJob.objects.create(
        kind=kind,
        user=request.user,
        file_name=job.file_name,
        content=job.content,
        options={**job.options, **(options or {}), "dry_run": False},
        language=get_language() or "",
        rows_total=job.rows_total,
    )
    _launch(write, work)
    return write


def confirmable(job: ImportJob) -> bool:
    """A preview whose rows were all good and whose file is still kept."""
    return bool(job.status == ImportStatus.DONE and job.options.get("dry_run") and job.content)


def _launch(job: ImportJob, work: Callable[[ImportJob], None]) -> None:
    if job.rows_total > IN_REQUEST_ROWS:
        start(job, work)
    else:
        _work(job, work)  # about a second: the result page is ready at once


def _own_jobs(request: HttpRequest, kind: str):
    jobs = ImportJob.objects.filter(kind=kind)
    if not request.user.is_superuser:
        jobs = jobs.filter(user=request.user)
    return jobs


def wait(job: ImportJob, timeout: float | None = None) -> None:
    """Wait for `job`'s thread, when it runs in this process (for tests and shutdown)."""
    thread = _threads.get(job.pk)
    if thread is not None:
        thread.join(timeout)


def progress(job: ImportJob, *, checked: int, status: str = ImportStatus.CHECKING) -> None:
    """Save how far `job` got (committed at once: the page reads it from other workers)."""
    job.rows_checked, job.status = checked, status
    job.save(update_fields=["rows_checked", "status", "updated_at"])


def finish(
    job: ImportJob,
    *,
    status: str,
    errors: list[tuple[int, str]] = (),
    summary: list[str] = (),
) -> None:
    """Record how `job` ended. The uploaded file is no longer needed, except by a good
    preview (a dry run), until it is confirmed."""
    job.status = status
    job.errors = [list(error) for error in errors]
    job.summary = [str(line) for line in summary]
    if not (status == ImportStatus.DONE and job.options.get("dry_run")):
        job.content = ""
    job.save(update_fields=["status", "errors", "summary", "content", "updated_at"])


def job_page(request, job_id: int, *, kind: str, context: dict) -> TemplateResponse:
    """The page of one of the user's import jobs: progress while it runs (reloading
    itself), then the result. Staff see only their own jobs (superusers every job)."""
    job = get_object_or_404(_own_jobs(request, kind), pk=job_id)
    if job.running and job.updated_at < timezone.now() - STALE_AFTER:
        finish(
            job,
            status=ImportStatus.INTERRUPTED,
            errors=[
                (
                    0,
                    _(
                        "Việc nhập bị dừng giữa chừng (máy chủ khởi động lại): không dòng "
                        "nào được ghi. Hãy nhập lại tệp."
                    ),
                )
            ],
        )
    return TemplateResponse(
        request,
        "admin/portal/import_job.html",
        {
            **context,
            "job": job,
            "confirmable": confirmable(job),
            "refresh_seconds": REFRESH_SECONDS,
            "errors_shown": job.errors[:ERRORS_SHOWN],
            "errors_more": max(0, len(job.errors) - ERRORS_SHOWN),
        },
    )
