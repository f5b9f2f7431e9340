import pytest


@pytest.fixture(scope="session", autouse=True)
def lambda_layer():
    """Builds the Lambda layer once for every feature."""
    yield "layer.zip"
