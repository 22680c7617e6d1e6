"""Writes with rules: the bulk import of documents from a CSV register, and the search
text of an issuer's documents rewritten when it is renamed (`refresh_issuer_words`).

A register of up to 20,000 rows (`MAX_ROWS`, the same limit as every portal import) is
read strictly (`portal.csvimport`), checked row by row, and written all at once or not at
all. The checks that need the database are made per batch of `BATCH` rows, not per row:
organizations and document types are read once, signers and the numbers already
registered once per batch; the documents are then written with `bulk_create_with_history`
(each still gets its history row: who imported it, when). Per-row queries and
`full_clean()` made 3,000 rows take more than 30 s; see docs/imports.md for the figures.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from changes import log as change_log
from portal import csvimport, imports
from portal.csvimport import Row
from portal.models import ImportJob, ImportStatus, Organization, OrganizationKind, Person
from portal.publication import PublicationStatus, can_publish
from portal.response_cache import records_changed
from portal.text import fold

from . import numbering
from .cycles import describe_cycle
from .models import Document, DocumentType, System, Visibility, issuer_codes

REQUIRED_COLUMNS = ("number", "issued_on", "title")
OPTIONAL_COLUMNS = ("type", "issuer", "signer", "summary", "effective_on", "visibility")
# Only the summary may hold line breaks; anywhere else one means a missing closing quote.
MULTILINE_COLUMNS = frozenset({"summary"})
MAX_ROWS = csvimport.MAX_ROWS
BATCH = 500
# Documents whose search text is rewritten per query when their issuer is renamed.
REWRITE_BATCH = 2000
VISIBILITY_WORDS = {
    "public": Visibility.PUBLIC,
    "cong khai": Visibility.PUBLIC,
    "internal": Visibility.INTERNAL,
    "noi bo": Visibility.INTERNAL,
}
# Longest text each column may hold, from the fields it is stored in or matched against.
COLUMN_LIMITS = {
    "number": Document._meta.get_field("number").max_length,
    "type": DocumentType._meta.get_field("name").max_length,
    "issuer": Organization._meta.get_field("name").max_length,
    "signer": Person._meta.get_field("full_name").max_length,
    "issued_on": 20,
    "effective_on": 20,
    "visibility": 20,
}
CODE_MAX_LENGTH = Organization._meta.get_field("code").max_length
# Columns filled by the import itself or related objects it has already looked up.
_NOT_FIELD_CHECKED = ["issuer", "document_type", "signer", "slug", "url_year", "search_text"]


@dataclass
class ImportReport:
    created: list[Document] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)
    new_issuers: list[str] = field(default_factory=list)
    dry_run: bool = False
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


def parse_date(text: str) -> datetime.date | None:
    """`YYYY-MM-DD` or `dd/mm/yyyy`; "" → None; anything else raises ValueError."""
    text = text.strip()
    if not text:
        return None
    date = csvimport.read_date(text)
    if date is not None:
        return date
    raise ValueError(
        _("Ngày “%(value)s” không hợp lệ (dùng YYYY-MM-DD hoặc dd/mm/yyyy).") % {"value": text}
    )


def read_table(data: bytes | str) -> csvimport.Table:
    """The register's rows; raises csvimport.Refused when the file is malformed."""
    return csvimport.read_table(
        data, required=REQUIRED_COLUMNS, multiline=MULTILINE_COLUMNS, max_rows=MAX_ROWS
    )


class _Lookups:
    """What rows name, read in few queries: every organization (by code, name or short
    name, with its parents for the number check) and document type at once, signers
    and registered numbers per batch."""

    def __init__(self):
        organizations = list(Organization.objects.all())
        by_id = {organization.pk: organization for organization in organizations}
        self.by_code: dict[str, Organization] = {}
        self.by_folded_code: dict[str, list[Organization]] = defaultdict(list)
        self.by_name: dict[str, list[Organization]] = defaultdict(list)
        for organization in organizations:
            # Parents from memory: issuer_codes() walks them for every row.
            organization.parent = by_id.get(organization.parent_id)
            self.by_code.setdefault(organization.code.upper(), organization)
            self.by_folded_code[fold(organization.code)].append(organization)
            for name in {fold(organization.name), fold(organization.short_name)} - {""}:
                self.by_name[name].append(organization)
        self.new_issuers: dict[str, Organization] = {}
        types = list(DocumentType.objects.all())
        self.types_by_word: dict[str, dict[str, DocumentType]] = {}
        self.types_by_code: dict[str, dict[str, list[DocumentType]]] = {}
        for system in System.values:
            words, codes = {}, defaultdict(list)
            for document_type in types:
                code = document_type.code_for(system)
                words.setdefault(fold(document_type.name), document_type)
                if code:
                    words.setdefault(fold(code), document_type)
                    codes[code.upper()].append(document_type)
            self.types_by_word[system], self.types_by_code[system] = words, codes
        self.people: dict[str, Person] = {}

    def load_people(self, names: set[str]) -> None:
        wanted = names - self.people.keys()
        if wanted:
            for person in Person.objects.filter(full_name__in=wanted).order_by("-pk"):
                self.people[person.full_name] = person  # the first by pk wins, as before

    def type_named(self, text: str, system: str) -> DocumentType | None:
        return self.types_by_word[system].get(fold(text))

    def type_coded(self, system: str, code: str) -> DocumentType | None:
        """As DocumentType.for_code: the one type printed so, None when ambiguous."""
        found = self.types_by_code[system].get(code.upper(), [])
        return found[0] if len(found) == 1 and code else None

    def issuer(self, text: str, system: str) -> tuple[Organization | None, str]:
        """The organization a row names by code, name or short name (a new one, to be
        created, for an unknown code), or None and why."""
        found = self.by_code.get(text.upper())
        if found is not None:
            return found, ""
        folded = fold(text)
        for candidates in (self.by_folded_code.get(folded, []), self.by_name.get(folded, [])):
            if len(candidates) == 1:
                return candidates[0], ""
            if len(candidates) > 1:
                return None, _("“%(text)s” có thể là nhiều cơ quan (%(codes)s): ghi mã.") % {
                    "text": text,
                    "codes": ", ".join(sorted(c.code for c in candidates)),
                }
        if any(ch.isspace() for ch in text):
            return None, _("Không có cơ quan nào có mã hoặc tên “%(text)s”.") % {"text": text}
        if len(text) > CODE_MAX_LENGTH:
            return None, _(
                "Mã cơ quan “%(code)s” dài %(length)d ký tự, tối đa %(limit)d, và không "
                "trùng tên cơ quan nào."
            ) % {"code": text, "length": len(text), "limit": CODE_MAX_LENGTH}
        new = self.new_issuers.get(text.upper())
        if new is None:
            kind = OrganizationKind.PARTY if system == System.PARTY else OrganizationKind.STATE
            new = Organization(code=text, name=text, kind=kind)
            self.new_issuers[text.upper()] = new
        return new, ""

    def registered(self, documents: list[Document]) -> dict[tuple, datetime.date | None]:
        """(issuer id, display, cycle) → issued_on of the numbers already registered."""
        issuers = {d.issuer_id for d in documents if d.issuer_id is not None}
        displays = {d.display for d in documents if d.display}
        if not issuers or not displays:
            return {}
        rows = Document.objects.filter(issuer_id__in=issuers, display__in=displays).values_list(
            "issuer_id", "display", "cycle", "issued_on"
        )
        return {(issuer, display, cycle): issued_on for issuer, display, cycle, issued_on in rows}


class DocumentImport:
    """One import: rows checked batch by batch (`check`), then all written (`write`)."""

    def __init__(self, *, publish: bool = False, user=None):
        self.publish = publish
        self.user = user
        self.lookups = _Lookups()
        self.documents: list[Document] = []
        self.errors: list[tuple[int, str]] = []
        self.rows = 0
        # (issuer, display, cycle) → the line that used the number first.
        self.seen: dict[tuple, int] = {}
        self.now = timezone.now()

    @property
    def new_issuers(self) -> list[str]:
        return [organization.code for organization in self.lookups.new_issuers.values()]

    def check(self, rows: Iterable[Row]) -> None:
        """Check `rows` (one batch); good rows are kept for `write`, bad ones reported."""
        rows = list(rows)
        self.rows += len(rows)
        self.lookups.load_people({row.cells.get("signer", "") for row in rows} - {""})
        built = []
        for row in rows:
            document, problems = self._build(row.cells)
            self.errors.extend((row.line, message) for message in problems)
            if document is not None:
                built.append((row.line, document))
        registered = self.lookups.registered([document for _line, document in built])
        for line, document in built:
            problem = self._duplicate(line, document, registered)
            if problem:
                self.errors.append((line, problem))
            else:
                self.documents.append(document)

    def _duplicate(self, line: int, document: Document, registered: dict) -> str:
        if not document.display or not document.cycle:
            return ""
        issuer = document.issuer
        key = (document.issuer_id, document.display, document.cycle)
        if key in registered:
            return document.duplicate_message(registered[key])
        # A new issuer has no id yet: its code stands for it.
        seen_key = (issuer.pk or issuer.code.upper(), *key[1:])
        first = self.seen.setdefault(seen_key, line)
        if first != line:
            return _(
                "Số %(number)s của %(issuer)s đã có ở dòng %(line)d, cùng %(cycle)s. Cùng một "
                "số chỉ được dùng lại ở chu kỳ đánh số khác."
            ) % {
                "number": document.display,
                "issuer": issuer,
                "line": first,
                "cycle": describe_cycle(document.cycle),
            }
        return ""

    def _build(self, row: dict[str, str]) -> tuple[Document | None, list[str]]:
        """The document a row describes, or None and every reason it is refused."""
        errors = csvimport.length_problems(row, COLUMN_LIMITS)
        if errors:
            return None, errors
        try:
            parsed = numbering.parse_number(row["number"]) if row["number"] else None
        except numbering.NumberError as error:
            return None, [str(error)]
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
        issuer_text = row.get("issuer", "") or (parsed.issuer_code if parsed else "")
        issuer = None
        if not issuer_text:
            errors.append(_("Thiếu cơ quan ban hành (cột issuer) và số không ghi cơ quan."))
        else:
            issuer, problem = self.lookups.issuer(issuer_text, parsed.system if parsed else "")
            if problem:
                errors.append(problem)
        if parsed is not None:
            system = parsed.system
        elif issuer is not None:
            system = System.PARTY if issuer.kind == OrganizationKind.PARTY else System.STATE
        else:
            system = ""
        document_type = None
        if row.get("type"):
            document_type = self.lookups.type_named(row["type"], system or System.STATE)
            if document_type is None:
                errors.append(_("Không biết loại văn bản “%(type)s”.") % {"type": row["type"]})
        elif parsed is not None and parsed.type_code:
            document_type = self.lookups.type_coded(parsed.system, parsed.type_code)
        signer = None
        if row.get("signer"):
            signer = self.lookups.people.get(row["signer"])
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
            return None, errors
        document = Document(
            number=row["number"],
            title=row["title"],
            summary=row.get("summary", ""),
            issued_on=issued_on,
            effective_on=effective_on,
            system=system,
            document_type=document_type,
            issuer=issuer,
            signer=signer,
            visibility=visibility,
            status=PublicationStatus.PUBLISHED if self.publish else PublicationStatus.DRAFT,
            published_at=self.now if self.publish else None,
        )
        document.fill_derived()
        return document, self._rules(document, parsed)

    def _rules(self, document: Document, parsed) -> list[str]:
        """Document.clean()'s rules without its queries: the lookups are already made."""
        try:
            document.clean_fields(exclude=_NOT_FIELD_CHECKED)
        except ValidationError as error:
            return sorted(
                {
                    f"{Document._meta.get_field(name).verbose_name}: {message}"
                    for name, messages in error.message_dict.items()
                    for message in messages
                }
            )
        errors = {}
        if parsed is not None:
            errors = document._contradictions(parsed)
            issuer = document.issuer
            if issuer.pk is None and parsed.issuer_code.upper() not in issuer_codes(issuer):
                errors["issuer"] = _(
                    "Số %(number)s ghi cơ quan ban hành “%(found)s”, không khớp với "
                    "%(issuer)s (mã %(code)s)."
                ) % {
                    "number": parsed.display,
                    "found": parsed.issuer_code,
                    "issuer": issuer,
                    "code": issuer.code,
                }
        issued_on, effective_on = document.issued_on, document.effective_on
        if issued_on and effective_on and issued_on > effective_on:
            errors["effective_on"] = _("Ngày có hiệu lực không được trước ngày ban hành.")
        return sorted(set(errors.values()))

    def write(self) -> None:
        """Write every checked document (and the new issuers) in one transaction."""
        with transaction.atomic():
            for organization in self.lookups.new_issuers.values():
                organization._history_user = self.user  # read by simple-history
                organization.save()  # bulk_create then takes the new issuers' ids
            _give_slugs(self.documents)
            bulk_create_with_history(
                self.documents,
                Document,
                batch_size=BATCH,
                default_user=self.user,
                default_change_reason=_("Nhập từ tệp CSV"),
            )
            records_changed(Document)  # bulk_create sends no signal
            change_log.published_in_bulk(self.documents)


def _give_slugs(documents: list[Document]) -> None:
    """Each document its slug, unique in its year, as Document.save() would, with one
    query per batch (and one more per slug already taken)."""
    used: dict[int, set[str]] = defaultdict(set)
    for batch in batches(documents):
        bases = [(document, document._slug_base()) for document in batch]
        taken = set(
            Document.objects.filter(
                url_year__in={document.url_year for document in batch},
                slug__in={base for _document, base in bases},
            ).values_list("url_year", "slug")
        )
        for document, base in bases:
            year = document.url_year
            if (year, base) not in taken and base not in used[year]:
                slug = base
            else:
                stored = set(
                    Document.objects.filter(url_year=year, slug__startswith=base).values_list(
                        "slug", flat=True
                    )
                )
                slug, n = base, 1
                while slug in stored or slug in used[year]:
                    n += 1
                    slug = f"{base}--{n}"
            used[year].add(slug)
            document.slug = slug


def batches(items: list) -> Iterable[list]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def import_documents(
    *, data: bytes | str, publish: bool = False, dry_run: bool = False, user=None
) -> ImportReport:
    """Import a register, CSV or XLSX (`portal.csvimport.read_table`): all rows or none.

    Columns `number,issued_on,title` are required; `type,issuer,signer,summary,
    effective_on,visibility` optional. At most MAX_ROWS (20,000) rows. The issuer is
    given by its code or by the name the portal shows (full or short); type, issuer and
    system come from the number when absent; an unknown issuer code is created as an
    organization for staff to complete (listed in `new_issuers`). Every bad row is
    reported with its line number; on any error (or a dry run) nothing is written.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        table = read_table(data)
    except csvimport.Refused as refused:
        report.errors = [(problem.line, problem.message) for problem in refused.problems]
        return report
    run = DocumentImport(publish=publish, user=user)
    for batch in batches(table.rows):
        run.check(batch)
    return finish(run, dry_run=dry_run)


def finish(run: DocumentImport, *, dry_run: bool) -> ImportReport:
    """The report of a checked import, after writing it when it is good and not a dry
    run."""
    errors = sorted(run.errors, key=lambda error: error[0])  # by line, each row's in order
    report = ImportReport(dry_run=dry_run, rows=run.rows, errors=errors)
    if report.ok and not dry_run:
        try:
            run.write()
        except IntegrityError:
            # Another import or a staff member registered one of these numbers meanwhile.
            report.errors = [
                (
                    0,
                    _(
                        "Trong lúc nhập, một số văn bản trong tệp vừa được người khác nhập: "
                        "không văn bản nào được nhập. Hãy nhập lại."
                    ),
                )
            ]
    if report.ok:
        report.created = run.documents
        report.new_issuers = run.new_issuers
    return report


def summary(report: ImportReport) -> list[str]:
    """What a good import did (or would do, on a dry run), in sentences for staff."""
    n = number_format(len(report.created), force_grouping=True)
    if report.dry_run:
        lines = [_("Tệp hợp lệ: %(n)s văn bản sẽ được nhập. Chưa ghi gì.") % {"n": n}]
    else:
        lines = [_("Đã nhập %(n)s văn bản.") % {"n": n}]
    if report.new_issuers and report.dry_run:
        lines.append(
            _("Cơ quan mới sẽ được tạo, cần bổ sung thông tin sau khi nhập: %(codes)s")
            % {"codes": ", ".join(report.new_issuers)}
        )
    elif report.new_issuers:
        lines.append(
            _("Cơ quan mới được tạo, cần bổ sung thông tin: %(codes)s")
            % {"codes": ", ".join(report.new_issuers)}
        )
    return lines


def run_job(job: ImportJob) -> None:
    """The background part of an admin import (portal/imports.py): the job's rows checked
    batch by batch, with progress saved after each, then written all at once or not at
    all."""
    publish, dry_run = job.options.get("publish", False), job.options.get("dry_run", False)
    table = read_table(imports.upload_of(job))
    run = DocumentImport(publish=publish, user=job.user)
    for batch in batches(table.rows):
        run.check(batch)
        imports.progress(job, checked=run.rows)
    if publish and not (job.user and can_publish(job.user, Document)):
        run.errors.append((0, _("Bạn không còn quyền công bố văn bản.")))
    if not run.errors and not dry_run:
        imports.progress(job, checked=run.rows, status=ImportStatus.WRITING)
    report = finish(run, dry_run=dry_run)
    imports.finish(
        job,
        status=ImportStatus.DONE if report.ok else ImportStatus.REFUSED,
        errors=report.errors,
        summary=summary(report) if report.ok else [],
    )


def refresh_issuer_words(organization: Organization) -> int:
    """Rewrite the `search_text` of `organization`'s documents, which holds its names
    (`Document.searchable_text`), after it is renamed: a few thousand rows per query.
    Returns how many documents were rewritten."""
    rewritten = 0
    documents = (
        Document.objects.filter(issuer=organization)
        .only("pk", "issuer_id", "display", "title", "summary", "body")
        .order_by("pk")
    )
    batch = []
    for document in documents.iterator(chunk_size=REWRITE_BATCH):
        document.issuer = organization
        document.search_text = document.searchable_text()
        batch.append(document)
        if len(batch) == REWRITE_BATCH:
            rewritten += Document.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        rewritten += Document.objects.bulk_update(batch, ["search_text"])
    if rewritten:
        records_changed(Document)  # bulk_update sends no signal
    return rewritten
