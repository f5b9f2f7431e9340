import aws_cdk as cdk

APP_NAME = "UserManagementBackend"
GITHUB_CONNECTION_ARN = "CONNECTION_ARN"
GITHUB_OWNER = "OWNER"
GITHUB_REPO = "REPO"
GITHUB_TRUNK_BRANCH = "TRUNK_BRANCH"
TOOLCHAIN_ENV = cdk.Environment(account="111111111111", region="eu-west-1")
PRODUCTION_ENV = cdk.Environment(account="222222222222", region="eu-west-1")
