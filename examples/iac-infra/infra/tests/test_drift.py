from __future__ import annotations

from infra.core.state_manager import backend_url


def test_each_environment_has_its_own_state() -> None:
    assert backend_url("prod") != backend_url("dev")
