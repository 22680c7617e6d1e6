"""Document types and their official codes per system.

Values copied from documents.numbering.DOCUMENT_TYPES (the table of docs/numbering.md
§2.1); copied, not imported, so that this migration
keeps working when the live code changes. A code of None means the type does not exist in
that system; "" means it exists without a code (a State công văn).
"""

from django.db import migrations

# (name, slug, state code, party code)
TYPES = [
    ("Nghị quyết", "nghi-quyet", "NQ", "NQ"),
    ("Quyết định", "quyet-dinh", "QĐ", "QĐ"),
    ("Chỉ thị", "chi-thi", "CT", "CT"),
    ("Quy chế", "quy-che", "QC", "QC"),
    ("Quy định", "quy-dinh", "QyĐ", "QĐ"),
    ("Thông cáo", "thong-cao", "TC", "TC"),
    ("Thông báo", "thong-bao", "TB", "TB"),
    ("Hướng dẫn", "huong-dan", "HD", "HD"),
    ("Chương trình", "chuong-trinh", "CTr", "CTr"),
    ("Kế hoạch", "ke-hoach", "KH", "KH"),
    ("Phương án", "phuong-an", "PA", "PA"),
    ("Đề án", "de-an", "ĐA", "ĐA"),
    ("Dự án", "du-an", "DA", "DA"),
    ("Báo cáo", "bao-cao", "BC", "BC"),
    ("Biên bản", "bien-ban", "BB", "BB"),
    ("Tờ trình", "to-trinh", "TTr", "TTr"),
    ("Hợp đồng", "hop-dong", "HĐ", None),
    ("Công văn", "cong-van", "", "CV"),
    ("Công điện", "cong-dien", "CĐ", None),
    ("Bản ghi nhớ", "ban-ghi-nho", "BGN", None),
    ("Bản thỏa thuận", "ban-thoa-thuan", "BTT", None),
    ("Giấy ủy quyền", "giay-uy-quyen", "GUQ", None),
    ("Giấy mời", "giay-moi", "GM", "GM"),
    ("Giấy giới thiệu", "giay-gioi-thieu", "GGT", "GGT"),
    ("Giấy nghỉ phép", "giay-nghi-phep", "GNP", "GNP"),
    ("Phiếu gửi", "phieu-gui", "PG", "PG"),
    ("Phiếu chuyển", "phieu-chuyen", "PC", "PC"),
    ("Phiếu báo", "phieu-bao", "PB", None),
    ("Thư công", "thu-cong", "", ""),
    ("Kết luận", "ket-luan", None, "KL"),
    ("Thông tri", "thong-tri", None, "TT"),
    ("Quy hoạch", "quy-hoach", None, "QH"),
    ("Giấy chứng nhận", "giay-chung-nhan", None, "GCN"),
    ("Giấy đi đường", "giay-di-duong", None, "GĐĐ"),
    ("Cương lĩnh chính trị", "cuong-linh-chinh-tri", None, ""),
    ("Điều lệ Đảng", "dieu-le-dang", None, ""),
    ("Chiến lược", "chien-luoc", None, ""),
    ("Tuyên bố", "tuyen-bo", None, ""),
    ("Lời kêu gọi", "loi-keu-goi", None, ""),
    ("Luật", "luat", "", None),
    ("Pháp lệnh", "phap-lenh", "", None),
    ("Nghị định", "nghi-dinh", "NĐ", None),
    ("Thông tư", "thong-tu", "TT", None),
    ("Thông tư liên tịch", "thong-tu-lien-tich", "TTLT", None),
]


def load_types(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for name, slug, state_code, party_code in TYPES:
        DocumentType.objects.update_or_create(
            name=name,
            defaults={
                "slug": slug,
                "in_state": state_code is not None,
                "state_code": state_code or "",
                "in_party": party_code is not None,
                "party_code": party_code or "",
            },
        )


def unload_types(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    DocumentType.objects.filter(name__in=[row[0] for row in TYPES], documents=None).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(load_types, unload_types)]
