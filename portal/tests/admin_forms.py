"""What staff are and what they send from admin pages, for the publication rule's tests.

Users in the roles as `sync_roles` makes them, and a change form read back from its
HTML the way a browser would submit it (inputs, selects, textareas; read-only fields are
not inputs, so they are not sent), so a test can alter one field and post the rest as shown.
"""

from html.parser import HTMLParser

from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from portal.roles import EDITORS, INTERNAL_READERS, PUBLISHERS, sync_roles

from .factories import make_staff

LOCKED = "chỉ người công bố được sửa"
INTERNAL_LABEL = "(văn bản nội bộ)"


def make_member(*group_names: str):
    """A staff user whose only permissions are those of the roles `group_names`."""
    sync_roles()
    user = make_staff()
    user.groups.add(*Group.objects.filter(name__in=group_names))
    return user


def make_editor(*, reads_internal: bool = False):
    """An editor; one who also holds the internal readers' role when `reads_internal`."""
    return make_member(EDITORS, *([INTERNAL_READERS] if reads_internal else []))


def make_publisher():
    """A publisher of every app (the role includes reading internal documents)."""
    return make_member(PUBLISHERS)


def make_publisher_of(*app_labels: str):
    """A publisher of `app_labels` who may look documents up (to link them) but may not
    read internal ones."""
    sync_roles()
    permissions = Permission.objects.filter(
        group__name=PUBLISHERS, content_type__app_label__in=app_labels
    ).select_related("content_type")
    return make_staff(
        *[f"{p.content_type.app_label}.{p.codename}" for p in permissions],
        "documents.view_document",
    )


class _FormReader(HTMLParser):
    def __init__(self, form_ids: set[str]):
        super().__init__(convert_charrefs=True)
        self.form_ids = form_ids
        self.inside = False
        self.names: set[str] = set()
        self.pairs: list[tuple[str, str]] = []
        self._select: dict | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") in self.form_ids:
            self.inside = True
        if not self.inside:
            return
        name = attributes.get("name") or ""
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("submit", "button", "reset", "image"):
                return
            self.names.add(name)
            if kind == "file" or (kind in ("checkbox", "radio") and "checked" not in attributes):
                return
            self.pairs.append(
                (name, attributes.get("value") or ("on" if kind == "checkbox" else ""))
            )
        elif tag == "select" and name:
            self.names.add(name)
            self._select = {"name": name, "multiple": "multiple" in attributes, "first": None}
            self._select["chosen"] = False
        elif tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attributes:
                self.pairs.append((self._select["name"], value))
                self._select["chosen"] = True
        elif tag == "textarea" and name:
            self.names.add(name)
            self._textarea = name
            self._text = []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            select = self._select
            if not select["multiple"] and not select["chosen"] and select["first"] is not None:
                self.pairs.append((select["name"], select["first"]))  # what a browser sends
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # Browsers drop the newline Django writes after <textarea>.
            text = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self.pairs.append((self._textarea, text))
            self._textarea = None


class ChangeForm:
    """The admin form of a page, as its HTML offers it."""

    def __init__(self, html: str, form_ids: set[str]):
        reader = _FormReader(form_ids)
        reader.feed(html)
        reader.close()
        self.html = html
        self.names = {name for name in reader.names if "__prefix__" not in name}
        self.pairs = [(name, value) for name, value in reader.pairs if "__prefix__" not in name]

    def data(self, **changes) -> dict:
        """What a browser would post, with `changes` typed over it (or forged in)."""
        data: dict[str, str | list[str]] = {}
        for name, value in self.pairs:
            if name in data:
                previous = data[name]
                data[name] = (
                    [*previous, value] if isinstance(previous, list) else [previous, value]
                )
            else:
                data[name] = value
        return data | changes

    def has_input(self, name: str) -> bool:
        return name in self.names

    def with_new_row(self, prefix: str, data: dict | None = None, **fields) -> dict:
        """The posted data with one more row typed into the inline `prefix` ("Add
        another")."""
        data = self.data() if data is None else data
        index = int(data[f"{prefix}-TOTAL_FORMS"])
        new = {f"{prefix}-{index}-{name}": value for name, value in fields.items()}
        return data | new | {f"{prefix}-TOTAL_FORMS": str(index + 1)}

    def with_blank_row_filled(self, prefix: str, data: dict | None = None, **fields) -> dict:
        """The posted data with the inline's first blank row (its `extra`) typed in."""
        data = self.data() if data is None else data
        index = int(data[f"{prefix}-INITIAL_FORMS"])
        assert int(data[f"{prefix}-TOTAL_FORMS"]) > index, f"{prefix} shows no blank row"
        return data | {f"{prefix}-{index}-{name}": value for name, value in fields.items()}


def messages_of(response) -> list[str]:
    """The messages shown at the top of an admin page (a followed response)."""
    return [str(message) for message in response.context["messages"]]


def read_form(client, url: str, model) -> ChangeForm:
    """GET an admin page of `model` (its change form, or a history version) and read its
    form."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    name = model._meta.model_name
    form = ChangeForm(response.content.decode(), {f"{name}_form", f"historical{name}_form"})
    assert form.names, f"no form on {url}"
    return form


def public_text(record) -> str:
    """What an anonymous visitor reads on `record`'s public page ("" when it is not found)."""
    response = Client().get(record.get_absolute_url())
    return response.content.decode() if response.status_code == 200 else ""


def run_action(client, action: str, *records):
    """A bulk action of the records' admin list, posted as the list's form posts it."""
    opts = records[0]._meta
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": action, "_selected_action": [r.pk for r in records], "index": "0"},
        follow=True,
    )
