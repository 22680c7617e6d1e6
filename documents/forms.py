from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import number_files
from .number_check import MAX_NUMBERS, numbers_in


class NumberCheckForm(forms.Form):
    """Numbers pasted one per line, or a text citing them (`number_check.numbers_in`), or
    an uploaded report (`number_files`); both together are read as one text."""

    numbers = forms.CharField(
        label=_("Các số, ký hiệu cần kiểm tra"),
        help_text=_(
            "Mỗi dòng một số (ví dụ 341 KH TU, hoặc 341-KH/TU năm 2019), một bảng sao chép, "
            "hoặc dán cả đoạn văn bản có trích dẫn số."
        ),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    file = forms.FileField(
        label=_("Hoặc tải lên tệp báo cáo"),
        help_text=format_lazy(
            _("Tệp .txt, .docx hoặc .pdf có lớp chữ, tối đa {mb} MB."),
            mb=number_files.MAX_BYTES // (1024 * 1024),
        ),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        try:
            return number_files.text_of(upload)
        except number_files.UnreadableFile as error:
            raise ValidationError(str(error)) from error

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        typed, uploaded = cleaned.get("numbers", ""), cleaned.get("file", "")
        field = "numbers" if typed.strip() or not uploaded else "file"
        if not typed.strip() and not uploaded:
            self.add_error("numbers", self.fields["numbers"].error_messages["required"])
            return cleaned
        found = list(dict.fromkeys(numbers_in(typed) + numbers_in(uploaded, unread_too=False)))
        if not found:
            message = _("Không tìm thấy số văn bản nào trong nội dung đã nhập.")
            self.add_error(field, message)
        elif len(found) > MAX_NUMBERS:
            self.add_error(
                field,
                ngettext(
                    "Mỗi lần kiểm tra tối đa %(max)d số; nội dung có %(count)d số.",
                    "Mỗi lần kiểm tra tối đa %(max)d số; nội dung có %(count)d số.",
                    MAX_NUMBERS,
                )
                % {"max": MAX_NUMBERS, "count": len(found)},
            )
        else:
            cleaned["found"] = found
        return cleaned

    def text_to_show(self) -> str:
        """What the box shows after a check: as typed, or, when a file was read, the numbers
        found, one per line, so that the CSV button and a new check need no new upload."""
        if self.is_bound and not self.errors and self.cleaned_data.get("file"):
            return "\n".join(typed.line for typed in self.cleaned_data["found"])
        return self["numbers"].value() or ""
