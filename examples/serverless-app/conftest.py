# Puts the project root on sys.path so bare `pytest` can import `functions.*`.
