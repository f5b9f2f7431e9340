from functions.multiply.handler import handler


def test_multiply() -> None:
    assert handler({"a": 2, "b": 3}, None) == {"result": 6}
