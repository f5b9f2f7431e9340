from functions.add.handler import handler


def test_add() -> None:
    assert handler({"a": 2, "b": 2}, None) == {"result": 4}
