"""The fault tests use the end-to-end harness: the real bot on a real SQLite file, against the sandbox."""

from tests.e2e.conftest import make_harness, sandbox  # noqa: F401 - registers the fixtures
