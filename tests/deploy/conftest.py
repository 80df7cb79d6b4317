# the cbkit tests' fresh database and queue namespace per test (tests/cbkit/conftest.py)
from tests.cbkit.conftest import plumbing  # noqa: F401
