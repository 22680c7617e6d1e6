from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Frequency, Language


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Địa chỉ email của bạn"),
        max_length=254,
        error_messages={"invalid": _("Xin nhập một địa chỉ email hợp lệ, ví dụ ten@example.vn.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    frequency = forms.ChoiceField(
        label=_("Nhận thư"),
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Ngôn ngữ của thư"), choices=Language.choices, widget=forms.RadioSelect
    )


class FrequencyForm(forms.Form):
    subscription = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    frequency = forms.ChoiceField(label=_("Nhận thư"), choices=Frequency.choices)
