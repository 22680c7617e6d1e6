from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...services import MAX_ROWS, import_documents


class Command(BaseCommand):
    help = (
        "Nhập văn bản từ tệp CSV UTF-8 hoặc Excel .xlsx, tối đa {} dòng "
        "(number,issued_on,title bắt buộc; type,issuer,signer,summary,effective_on,"
        "visibility tùy chọn; issuer là mã hoặc tên cơ quan). "
        "Có lỗi ở một dòng thì không nhập dòng nào."
    ).format(f"{MAX_ROWS:,}".replace(",", "."))

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Tệp .csv hoặc .xlsx (trang tính đầu tiên).")
        parser.add_argument("--publish", action="store_true", help="Công bố ngay.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")

    def handle(self, *args, path, publish, dry_run, **options):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Không đọc được {path}: {error}") from error
        report = import_documents(data=data, publish=publish, dry_run=dry_run)
        if not report.ok:
            for line, message in report.errors:
                self.stderr.write(f"{path}:{line}: {message}")
            raise CommandError(f"{len(report.errors)} lỗi; không văn bản nào được nhập.")
        verb = "Sẽ nhập" if dry_run else "Đã nhập"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(report.created)} văn bản."))
        if report.new_issuers:
            self.stdout.write(
                self.style.WARNING(
                    "Cơ quan mới cần bổ sung thông tin: " + ", ".join(report.new_issuers)
                )
            )
        if options["verbosity"] >= 2:
            for document in report.created:
                self.stdout.write(f"  {document.display or '-'}  {document.title[:80]}")
