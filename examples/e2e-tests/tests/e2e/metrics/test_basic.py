def test_basic_handler(infrastructure):
    assert "BasicHandlerArn" in infrastructure
