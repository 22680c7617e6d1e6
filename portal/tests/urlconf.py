"""The public URL patterns, read from the URLconf itself, for the tests (and benchmarks)
that must cover every public surface without anyone keeping a list by hand.

`public_patterns()` walks `portal.urls` and yields every pattern outside the admin and the
language switcher (`/i18n/setlang/` is a POST that only sets a cookie). A pattern is known
by its namespaced name (`documents:detail`); one without a name gets its route instead, so
that a test's "do I know how to fill this?" check still sees it.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Probes whose 503 is their answer ("do not send traffic here"), not a failure.
MAY_ANSWER_503 = {"health"}

# Whole includes that are not public surfaces: staff screens and the language POST.
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_URLCONFS = {"django.conf.urls.i18n"}


@dataclass(frozen=True)
class PublicPattern:
    name: str  # "documents:detail", or the route when the pattern has no name
    route: str  # "documents/<int:year>/<slug:slug>/"
    arguments: tuple[str, ...]  # the names of its converters / groups
    named: bool = True

    @property
    def takes_arguments(self) -> bool:
        return bool(self.arguments)

    def address(self) -> str:
        """The URL of a pattern that takes no argument."""
        if self.named:
            return reverse(self.name)
        return "/" + self.route.lstrip("^").rstrip("$")


def _arguments(pattern) -> tuple[str, ...]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return tuple(converters)
    regex = pattern.pattern.regex
    return tuple(regex.groupindex) or tuple(f"_{i}" for i in range(regex.groups))


def _skipped(resolver: URLResolver) -> bool:
    urlconf = resolver.urlconf_name
    module = urlconf if isinstance(urlconf, str) else getattr(urlconf, "__name__", "")
    return resolver.namespace in SKIPPED_NAMESPACES or module in SKIPPED_URLCONFS


def public_patterns(
    resolver: URLResolver | None = None,
    prefix: str = "",
    namespace: str = "",
    inherited: tuple[str, ...] = (),
) -> Iterator[PublicPattern]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        arguments = inherited + _arguments(entry)
        if isinstance(entry, URLResolver):
            if _skipped(entry):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from public_patterns(entry, route, inner, arguments)
            continue
        assert isinstance(entry, URLPattern)
        name = f"{namespace}{entry.name}" if entry.name else route
        yield PublicPattern(name=name, route=route, arguments=arguments, named=bool(entry.name))


def selects_records(pattern: PublicPattern) -> bool:
    """A page whose query string selects records: a list (named `list`, as STYLE.md names
    them, API lists `<kind>-list`), its feeds and calendar, and the site search."""
    name = pattern.name.rsplit(":", 1)[-1]
    return name.endswith("list") or name.startswith("feed") or name in {"calendar", "search"}


def list_patterns() -> list[PublicPattern]:
    """Public patterns that take no argument: home, lists, feeds, API lists, sitemap…"""
    return [p for p in public_patterns() if not p.takes_arguments]
