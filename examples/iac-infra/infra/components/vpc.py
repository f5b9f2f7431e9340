from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, Field, IPvAnyNetwork


class VpcConfig(BaseModel):
    cidr: IPvAnyNetwork
    public_subnets: Sequence[str]
    enable_nat_gateway: bool = Field(default=True)


@dataclass(frozen=True)
class VpcOutputs:
    vpc_id: pulumi.Output[str]


def provision_vpc(config: VpcConfig, project_name: str) -> VpcOutputs:
    """Provision a strictly typed VPC with validated CIDR boundaries."""
    vpc = aws.ec2.Vpc(
        resource_name=f"{project_name}-main-vpc",
        cidr_block=str(config.cidr),
        enable_dns_support=True,
    )
    return VpcOutputs(vpc_id=vpc.id)
