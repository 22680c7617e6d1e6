"""Writes with rules: the bulk import of documents from a CSV register."""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Organization, OrganizationKind, Person
from portal.publication import PublicationStatus
from portal.text import fold

from . import numbering
from .models import Document, DocumentType, System, Visibility

REQUIRED_COLUMNS = ("number", "issued_on", "title")
OPTIONAL_COLUMNS = ("type", "issuer", "signer", "summary", "effective_on", "visibility")
MAX_ROWS = 20_000
VISIBILITY_WORDS = {
    "public": Visibility.PUBLIC,
    "cong khai": Visibility.PUBLIC,
    "internal": Visibility.INTERNAL,
    "noi bo": Visibility.INTERNAL,
}


@dataclass
class ImportReport:
    created: list[Document] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)
    new_issuers: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


class _Rollback(Exception):
    pass


def parse_date(text: str) -> datetime.date | None:
    """`YYYY-MM-DD` or `dd/mm/yyyy`; "" → None; anything else raises ValueError."""
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(
        _("Ngày “%(value)s” không hợp lệ (dùng YYYY-MM-DD hoặc dd/mm/yyyy).") % {"value": text}
    )


def read_rows(data: bytes | str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and (line number, row) pairs of a UTF-8 CSV (a BOM is accepted)."""
    if isinstance(data, bytes):
        data = data.decode("utf-8-sig")
    data = data.replace("\x00", "")
    reader = csv.DictReader(io.StringIO(data, newline=""))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    rows = []
    for row in reader:
        values = {key: (value or "").strip() for key, value in row.items() if key}
        if any(values.values()):
            rows.append((reader.line_num, values))
    return header, rows


def _find_type(text: str, system: str) -> DocumentType | None:
    wanted = fold(text)
    for document_type in DocumentType.objects.all():
        code = document_type.code_for(system)
        if fold(document_type.name) == wanted or (code and fold(code) == wanted):
            return document_type
    return None


def _issuer(code: str, system: str, report: ImportReport) -> Organization:
    organization = Organization.objects.filter(code__iexact=code).first()
    if organization is None:
        kind = OrganizationKind.PARTY if system == System.PARTY else OrganizationKind.STATE
        organization = Organization.objects.create(code=code, name=code, kind=kind)
        report.new_issuers.append(code)
    return organization


def _build(row: dict[str, str], *, publish: bool, report: ImportReport) -> list[str]:
    """Validate and save one row; returns its error messages (nothing saved on error)."""
    errors = []
    try:
        parsed = numbering.parse_number(row["number"]) if row["number"] else None
    except numbering.NumberError as error:
        return [str(error)]
    issued_on = effective_on = None
    try:
        issued_on = parse_date(row["issued_on"])
    except ValueError as error:
        errors.append(str(error))
    try:
        effective_on = parse_date(row.get("effective_on", ""))
    except ValueError as error:
        errors.append(str(error))
    if not row["title"]:
        errors.append(_("Thiếu trích yếu (cột title)."))
    issuer_code = row.get("issuer", "") or (parsed.issuer_code if parsed else "")
    if not issuer_code:
        errors.append(_("Thiếu cơ quan ban hành (cột issuer) và số không ghi cơ quan."))
    system = parsed.system if parsed else ""
    document_type = None
    if row.get("type"):
        document_type = _find_type(row["type"], system or System.STATE)
        if document_type is None:
            errors.append(_("Không biết loại văn bản “%(type)s”.") % {"type": row["type"]})
    elif parsed is not None and parsed.type_code:
        document_type = DocumentType.for_code(parsed.system, parsed.type_code)
    signer = None
    if row.get("signer"):
        signer = Person.objects.filter(full_name=row["signer"]).first()
        if signer is None:
            errors.append(_("Không tìm thấy người ký “%(name)s”.") % {"name": row["signer"]})
    visibility = Visibility.PUBLIC
    if row.get("visibility"):
        visibility = VISIBILITY_WORDS.get(fold(row["visibility"]))
        if visibility is None:
            errors.append(
                _("Phạm vi “%(value)s” không hợp lệ (public hoặc internal).")
                % {"value": row["visibility"]}
            )
    if errors:
        return errors
    document = Document(
        number=row["number"],
        title=row["title"],
        summary=row.get("summary", ""),
        issued_on=issued_on,
        effective_on=effective_on,
        system=system,
        document_type=document_type,
        issuer=_issuer(issuer_code, system, report),
        signer=signer,
        visibility=visibility,
        status=PublicationStatus.PUBLISHED if publish else PublicationStatus.DRAFT,
        published_at=timezone.now() if publish else None,
    )
    try:
        document.full_clean()
    except ValidationError as error:
        return sorted(set(error.messages))
    document.save()
    report.created.append(document)
    return []


def import_documents(
    *, data: bytes | str, publish: bool = False, dry_run: bool = False
) -> ImportReport:
    """Import a CSV register: all rows or none.

    Columns `number,issued_on,title` are required; `type,issuer,signer,summary,
    effective_on,visibility` optional. Type, issuer and system come from the number when
    absent; an unknown issuer code is created as an organization for staff to complete
    (listed in `new_issuers`). Every bad row is reported with its line number; on any
    error (or a dry run) nothing is written.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        header, rows = read_rows(data)
    except (UnicodeDecodeError, csv.Error) as error:
        report.errors.append(
            (0, _("Không đọc được tệp CSV (UTF-8): %(error)s") % {"error": error})
        )
        return report
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        report.errors.append(
            (1, _("Thiếu cột bắt buộc: %(columns)s.") % {"columns": ", ".join(missing)})
        )
        return report
    if len(rows) > MAX_ROWS:
        report.errors.append((0, _("Tệp quá lớn: tối đa %(n)d dòng.") % {"n": MAX_ROWS}))
        return report
    try:
        with transaction.atomic():
            for line, row in rows:
                for message in _build(row, publish=publish, report=report):
                    report.errors.append((line, message))
            if report.errors or dry_run:
                raise _Rollback
    except _Rollback:
        if report.errors:
            report.created = []
            report.new_issuers = []
    return report
