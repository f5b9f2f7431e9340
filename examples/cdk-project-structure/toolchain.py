from typing import Any

import aws_cdk as cdk
from aws_cdk import pipelines
from constructs import Construct

import constants
from backend.component import Backend


class Toolchain(cdk.Stack):
    def __init__(self, scope: Construct, id_: str, **kwargs: Any):
        super().__init__(scope, id_, **kwargs)
        source = pipelines.CodePipelineSource.connection(
            constants.GITHUB_OWNER + "/" + constants.GITHUB_REPO,
            constants.GITHUB_TRUNK_BRANCH,
            connection_arn=constants.GITHUB_CONNECTION_ARN,
        )
        synth = pipelines.CodeBuildStep("Synth", input=source, commands=["./scripts/install-deps.sh", "npx cdk synth"])
        pipeline = pipelines.CodePipeline(self, "Pipeline", synth=synth)
        stage = cdk.Stage(self, "Production", env=constants.PRODUCTION_ENV)
        Backend(stage, constants.APP_NAME + "Production", api_lambda_reserved_concurrency=10)
        pipeline.add_stage(stage)
