from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .number_check import MAX_NUMBERS, numbers_in


class NumberCheckForm(forms.Form):
    """Numbers pasted one per line, or a text citing them (`number_check.numbers_in`)."""

    numbers = forms.CharField(
        label=_("Các số, ký hiệu cần kiểm tra"),
        help_text=_(
            "Mỗi dòng một số (ví dụ 341 KH TU), hoặc dán cả đoạn văn bản có trích dẫn số."
        ),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def clean_numbers(self):
        found = numbers_in(self.cleaned_data["numbers"])
        if not found:
            raise ValidationError(_("Không tìm thấy số văn bản nào trong nội dung đã nhập."))
        if len(found) > MAX_NUMBERS:
            raise ValidationError(
                ngettext(
                    "Mỗi lần kiểm tra tối đa %(max)d số; nội dung có %(count)d số.",
                    "Mỗi lần kiểm tra tối đa %(max)d số; nội dung có %(count)d số.",
                    MAX_NUMBERS,
                )
                % {"max": MAX_NUMBERS, "count": len(found)}
            )
        return found
