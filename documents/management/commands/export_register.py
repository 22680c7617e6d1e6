from django.core.management.base import BaseCommand, CommandError

from ...open_data import public_documents, write_export


class Command(BaseCommand):
    help = (
        "Xuất toàn bộ văn bản công khai đã công bố ra CSV và JSON kèm manifest (số dòng, "
        "SHA-256), phục vụ tại /documents/open-data/. Chạy hằng đêm."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--origin",
            required=True,
            help="Địa chỉ gốc của cổng cho cột url, ví dụ https://portal.example.gov.vn.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ đếm, không ghi.")

    def handle(self, *args, origin, dry_run, **options):
        origin = origin.rstrip("/")
        if not origin.startswith(("https://", "http://")) or "/" in origin.split("://", 1)[1]:
            raise CommandError(
                f"--origin={origin!r}: ghi dạng https://tên-miền, không có đường dẫn."
            )
        if dry_run:
            count = public_documents().count()
            self.stdout.write(f"Sẽ xuất {count} văn bản.")
            return
        manifest = write_export(origin=origin)
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã xuất {manifest['documents']} văn bản ({manifest['generated_at']})."
                )
            )
