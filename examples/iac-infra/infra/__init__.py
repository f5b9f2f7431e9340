"""Public component APIs."""
from __future__ import annotations

from infra.components.vpc import VpcConfig, VpcOutputs, provision_vpc

__all__ = ["VpcConfig", "VpcOutputs", "provision_vpc"]
