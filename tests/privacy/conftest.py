"""The privacy tests attack the files and logs of the real bot, driven through the sandbox."""

from tests.e2e.conftest import make_harness, sandbox  # noqa: F401 - registers the fixtures
