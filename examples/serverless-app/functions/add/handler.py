from typing import Any

from shared.math import Addition


def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    return {"result": Addition().add(event["a"], event["b"])}
