from __future__ import annotations

import os


def backend_url(environment: str) -> str:
    """Route each environment to its own state backend."""
    bucket = os.environ.get("STATE_BUCKET", f"iac-state-{environment}")
    return f"s3://{bucket}/{environment}"
