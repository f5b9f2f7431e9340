import pathlib

import aws_cdk.aws_apigateway as apigateway
import aws_cdk.aws_lambda as lambda_
from aws_cdk.aws_lambda_python_alpha import PythonFunction
from constructs import Construct


class API(Construct):
    def __init__(self, scope: Construct, id_: str, *, dynamodb_table_name: str, lambda_reserved_concurrency: int):
        super().__init__(scope, id_)
        self.lambda_function = PythonFunction(
            self,
            "LambdaFunction",
            runtime=lambda_.Runtime.PYTHON_3_13,
            environment={"DYNAMODB_TABLE_NAME": dynamodb_table_name},
            reserved_concurrent_executions=lambda_reserved_concurrency,
            entry=str(pathlib.Path(__file__).parent.joinpath("runtime").resolve()),
            index="lambda_function.py",
            handler="lambda_handler",
        )
        api_gateway = apigateway.LambdaRestApi(self, "APIGateway", handler=self.lambda_function, proxy=False)
        api_gateway.root.add_resource("users").add_method("POST")
        self.api_gateway_endpoint = api_gateway.url
