from typing import Any

from shared.math import Multiplication


def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    return {"result": Multiplication().multiply(event["a"], event["b"])}
