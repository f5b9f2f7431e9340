def get_logs(function_name: str) -> list[str]:
    return []
