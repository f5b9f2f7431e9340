import json
import os
import uuid
from typing import Any

import boto3

dynamodb_client = boto3.client("dynamodb")


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    user_id = str(uuid.uuid4())
    body = json.loads(event["body"])
    dynamodb_client.put_item(
        TableName=os.environ["DYNAMODB_TABLE_NAME"],
        Item={"id": {"S": user_id}, "username": {"S": body["username"]}},
    )
    return {"statusCode": 200, "body": json.dumps({"id": user_id})}
