from __future__ import annotations

from infra.components.vpc import VpcConfig

VPC = VpcConfig(cidr="10.0.0.0/16", public_subnets=["10.0.1.0/24"])
