"""detect-secrets' AWSKeyDetector (with its default filters) on every file of a folder.

Prints one `path<TAB>line` per secret found, as `detect-secrets scan --all-files` with only
that plugin would report it. Used by tests/secrets_ground_truth.rs.
"""

import os
import sys

from detect_secrets import SecretsCollection
from detect_secrets.settings import transient_settings

root = sys.argv[1]
paths = sorted(
    os.path.relpath(os.path.join(folder, name), root)
    for folder, _, names in os.walk(root)
    if "/.git" not in folder + "/" and not folder.endswith(".git")
    for name in names
)
with transient_settings({"plugins_used": [{"name": "AWSKeyDetector"}]}):
    secrets = SecretsCollection(root=root)
    for path in paths:
        secrets.scan_file(path)
for path, secret in secrets:
    print(f"{path}\t{secret.line_number}")
