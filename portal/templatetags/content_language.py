"""`{% lang_vi %}` on an element holding a record's own words (a title, a name, a
summary): records are written in Vietnamese, so in the English interface the element is
marked `lang="vi"` and a screen reader reads it with Vietnamese rules (WCAG 3.1.2). In the
Vietnamese interface the page's own `lang` already says so, and nothing is written."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def lang_vi() -> str:
    return "" if get_language() == "vi" else mark_safe(' lang="vi"')
