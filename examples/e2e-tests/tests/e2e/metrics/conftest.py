import pytest

from tests.e2e.metrics.infrastructure import MetricsStack


@pytest.fixture(scope="module", autouse=True)
def infrastructure():
    """Deploys the feature's stack and deletes it afterwards."""
    stack = MetricsStack()
    yield stack.deploy()
    stack.delete()
