"""One contract for every public list (documents, meetings, indicators, projects).

Each list is reached six ways: its HTML page, its downloads (`?format=csv|json`), its
feeds, the API, the admin's search box and the site search. They read a request the same
way because they share what is here and in each app's FilterSet:

- `q` is a `QueryFilter` on every FilterSet: the text is read once (`portal.text.
  search_query`: cleaned, cut to MAX_QUERY_LENGTH) and selected by the kind's own
  `QuerySet.search(q)`, which the admin and the site search call too;
- bad input follows one policy (README, "Bad input on lists"): the HTML page drops an
  invalid filter with a visible warning (`html_filterset`), shows the last page for a page
  past the end (`paginate`); downloads and feeds answer 400 in plain text naming the
  filter; the API answers 400 in JSON naming the parameter (DRF's filter backend); a valid
  value that selects nothing is an empty result everywhere.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .text import MAX_QUERY_LENGTH, search_query

PER_PAGE = 20
# Deep pages stay cheap: a list never counts or skips past this many rows (50 pages), so
# neither COUNT(*) nor OFFSET grows with the register; narrower filters reach the rest.
MAX_LISTED = 1_000


class QueryField(forms.CharField):
    """A search box: read by `search_query` (never refused for its length, cut)."""

    def to_python(self, value):
        return search_query(super().to_python(value) or "")[0]


class QueryFilter(django_filters.CharFilter):
    """`q` of every list: the rows the kind's `QuerySet.search(q)` selects."""

    field_class = QueryField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Từ khóa"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "search"}))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.search(value) if value else qs


class YearFilter(django_filters.NumberFilter):
    """A whole year (1945–2100): "2025.5" is refused by the form instead of reaching the
    lookup; a real year without records is an empty answer, never an error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1945)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class PlainSelect(forms.Select):
    """A select of flat choices written in Python: Django's templates include one template
    per option and another for its attributes, which made a filter of a hundred options
    cost several milliseconds a page. The same markup, without option groups."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        options = "".join(
            f'<option value="{escape(option)}"{" selected" if str(option) in chosen else ""}>'
            f"{conditional_escape(label)}</option>"
            for option, label in self.choices
        )
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attrs, mark_safe(options))


class ReadChoices(django_filters.fields.ModelChoiceIterator):
    """A filter's records read in one plain query: Django's `iterator()` opens a
    server-side cursor on PostgreSQL, three more round trips for a few dozen rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for record in self.queryset:
            yield self.choice(record)


class RecordChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ReadChoices


class RecordFilter(django_filters.ModelChoiceFilter):
    """A choice of one record (a type, an issuer…), its options read in one query and
    written without templates (`PlainSelect`)."""

    field_class = RecordChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", PlainSelect)
        super().__init__(*args, **kwargs)


class MenuFilter(django_filters.ChoiceFilter):
    """A choice among fixed values, its options written without templates (`PlainSelect`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", PlainSelect)
        super().__init__(*args, **kwargs)


class ListSearchAdmin:
    """A ModelAdmin mixin: the admin's search box (and its autocompletes) selects what the
    public list's `q` selects, the kind's `QuerySet.search`, over the rows the admin shows
    (drafts included). `search_fields` must still be set: it shows the box."""

    def get_search_results(self, request, queryset, search_term):
        query = search_query(search_term)[0]
        return (queryset.search(query) if query else queryset), False


def without_nul(params: QueryDict) -> QueryDict:
    """The query string without NUL characters (PostgreSQL refuses them)."""
    cleaned = QueryDict(mutable=True)
    for key, values in params.lists():
        cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    return cleaned


def html_filterset(request, filterset_class, params: QueryDict, /, **kwargs):
    """The HTML list's filterset: each invalid filter dropped with a warning naming it (the
    value is not echoed: it may be huge); a `q` that was cut says so."""
    typed = params.get("q")
    if typed is not None:
        # The form shows the query as searched, never the raw (maybe huge) value.
        params = params.copy()
        params["q"] = search_query(typed)[0]
    filterset = filterset_class(params, **kwargs)
    if not filterset.is_valid():
        valid = params.copy()
        for name, errors in filterset.errors.items():
            label = filterset.filters[name].label if name in filterset.filters else name[:40]
            messages.warning(
                request,
                _("Bỏ qua bộ lọc “%(label)s”: %(error)s") % {"label": label, "error": errors[0]},
            )
            valid.pop(name, None)
        filterset = filterset_class(valid, **kwargs)
        filterset.is_valid()  # the values left are valid: this only cleans them
    if typed is not None and search_query(typed)[1]:
        messages.warning(request, query_too_long())
    return filterset


def query_too_long() -> str:
    """What an HTML page says when it searched a cut `q` (`portal.text.search_query`)."""
    return _("Từ khóa quá dài; chỉ tìm theo %(n)d ký tự đầu.") % {"n": MAX_QUERY_LENGTH}


class ListPaginator(Paginator):
    """A paginator whose COUNT and OFFSET never go past `MAX_LISTED` rows."""

    @cached_property
    def count(self):
        if isinstance(self.object_list, QuerySet):
            # Unordered: counting needs no sort, so a filter stops after MAX_LISTED + 1
            # rows instead of sorting all of them; and only keys, so no annotation (a
            # project's progress and plan: seven subqueries a row) is computed for it.
            found = self.object_list.order_by().values("pk")[: MAX_LISTED + 1].count()
        else:  # a list, or a sequence that reads at most MAX_LISTED + 1 (TextMatches)
            found = len(self.object_list)
        self.truncated = found > MAX_LISTED
        return min(found, MAX_LISTED)


def paginate(request, params: QueryDict, rows, per_page: int = PER_PAGE):
    """The requested page of `rows`; a page that is not a number shows the first, one past
    the end the last, each with a message."""
    paginator = ListPaginator(rows, per_page)
    requested = params.get("page", "1")
    page = paginator.get_page(requested)
    if requested not in ("", str(page.number)):
        messages.warning(
            request,
            _("Không có trang “%(page)s”; đang hiển thị trang %(shown)d.")
            % {"page": requested[:20], "shown": page.number},
        )
    if getattr(paginator, "truncated", False):
        messages.info(
            request,
            _("Chỉ liệt kê %(n)s kết quả đầu tiên; hãy lọc thêm để xem các kết quả khác.")
            % {"n": number_format(MAX_LISTED, force_grouping=True)},
        )
    return page


def without_page(params: QueryDict) -> str:
    """The query string for the pagination links (`includes/pagination.html`)."""
    rest = params.copy()
    rest.pop("page", None)
    return rest.urlencode()
