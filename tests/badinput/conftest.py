"""The randomized end-to-end test uses the same harness as tests/e2e."""

from tests.e2e.conftest import make_harness, sandbox  # noqa: F401 - registers the fixtures
