import pytest

from tests.e2e.logger.infrastructure import LoggerStack


@pytest.fixture(scope="module", autouse=True)
def infrastructure():
    """Deploys the feature's stack and deletes it afterwards."""
    stack = LoggerStack()
    yield stack.deploy()
    stack.delete()
