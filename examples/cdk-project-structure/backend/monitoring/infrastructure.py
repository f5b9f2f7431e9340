from typing import Any

import aws_cdk.aws_cloudwatch as cloudwatch
from constructs import Construct


class Monitoring(Construct):
    def __init__(self, scope: Construct, id_: str, *, database: Any, api: Any):
        super().__init__(scope, id_)
        widgets = [cloudwatch.SingleValueWidget(metrics=[api.api_gateway.metric_count()])]
        cloudwatch.Dashboard(self, "CloudWatchDashboard", widgets=[widgets])
