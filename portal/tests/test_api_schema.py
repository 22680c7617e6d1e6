"""The API does what its schema says: schemathesis, every check, from the live schema.

Schemathesis reads `/api/schema/` from the application and sends what the schema allows
(and what it does not: wrong types, values out of range, undeclared methods), then checks
each answer against the schema: status codes, bodies, headers, content types, 405s with an
`Allow` header, valid input accepted and invalid input refused, no 5xx. The examples are
bounded and the seed fixed, so a run takes well under a minute and fails the same way
twice; `st run <url>/api/schema/ --checks all` explores further.
"""

import threading

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import connections
from schemathesis.engine import Status, events, from_schema

from documents.tests.factories import make_document
from indicators.tests.factories import make_value
from meetings.tests.factories import make_item, make_meeting
from projects.tests.factories import make_project

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = 8
SEED = 20261206


@pytest.fixture
def records():
    """One published record of each kind, linked as on the site, so that the lists and the
    choices the records decide (types, issuers, bodies, periods) are not empty."""
    document = make_document(number="341-KH/TU")
    meeting = make_meeting(number=23)
    make_item(meeting).documents.add(document)
    make_value()
    make_project(slug="vanh-dai-4")


def portal_app():
    """Django's WSGI application, called in process (no server, no sockets). Schemathesis
    calls it from threads of its own, each reading the committed records through its own
    database connections: they are closed after each request, so that none outlives the
    thread and keeps PostgreSQL from dropping the test database."""
    django_app = get_wsgi_application()

    def app(environ, start_response):
        try:
            return django_app(environ, start_response)
        finally:
            if threading.current_thread() is not threading.main_thread():
                connections.close_all()

    return app


def failures_of(run) -> tuple[int, list[str]]:
    """How many scenarios passed; every failed check and engine error, one line each."""
    passed, found = 0, []
    for event in run:
        if isinstance(event, events.ScenarioFinished) and event.status == Status.SUCCESS:
            passed += 1
        elif isinstance(event, events.ScenarioFinished) and event.status == Status.FAILURE:
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.status == Status.FAILURE and check.failure_info:
                        failure = check.failure_info.failure
                        found.append(
                            f"{event.recorder.label}: {failure.title}: {failure.message}\n"
                            f"    {check.failure_info.code_sample}"
                        )
        elif isinstance(event, events.NonFatalError | events.FatalError):
            found.append(f"engine error: {event}")
        elif isinstance(event, events.EngineFinished):
            found.extend(f"after the run: {failure}" for failure in event.failures)
    return passed, found


def test_the_api_answers_as_its_schema_says(records):
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "checks": {"enabled": True},
            "generation": {"max-examples": EXAMPLES, "database": "none"},
            "warnings": False,
        }
    )
    schema = schemathesis.openapi.from_wsgi("/api/schema/", portal_app(), config=config)
    tested, failures = failures_of(from_schema(schema).execute())
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
    assert tested >= len(schema.raw_schema["paths"])
