"""PyYAML's verdict on every file of a folder, as SAM CLI and cfn-lint load templates:
`yaml.load` with a `SafeLoader` (pure Python, and the C `CSafeLoader` when present)
that knows CloudFormation's short-form tags, one document per file.

Prints one line per file: `name<TAB>pure<TAB>c`, each `ok` or `error: <message>`
(`c` is `absent` without libyaml)."""

import os
import sys

import yaml

TAGS = [
    "Ref", "Sub", "GetAtt", "Join", "Select", "Split", "FindInMap", "GetAZs",
    "ImportValue", "Base64", "Cidr", "Condition", "And", "Or", "Not", "Equals", "If",
    "Transform",
]


def intrinsic(loader, node):
    """SAM CLI's constructor for the short forms: `!GetAtt a.b` and `{Fn::X: value}`."""
    name = node.tag[1:]
    key = name if name in ("Ref", "Condition") else "Fn::" + name
    if name == "GetAtt" and isinstance(node, yaml.ScalarNode):
        return {key: loader.construct_scalar(node).split(".", 1)}
    if isinstance(node, yaml.ScalarNode):
        return {key: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {key: loader.construct_sequence(node)}
    return {key: loader.construct_mapping(node)}


class PureLoader(yaml.SafeLoader):
    pass


LOADERS = [PureLoader]
if getattr(yaml, "__with_libyaml__", False):

    class CLoader(yaml.CSafeLoader):
        pass

    LOADERS.append(CLoader)

for loader in LOADERS:
    for tag in TAGS:
        loader.add_constructor("!" + tag, intrinsic)


def verdict(loader, data):
    try:
        yaml.load(data, Loader=loader)
        return "ok"
    except Exception as error:  # any exception: safe_load raised, the tool cannot load it
        first = str(error).strip().splitlines()
        return "error: %s: %s" % (type(error).__name__, first[0] if first else "")


def main(folder):
    out = []
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            data = f.read()
        verdicts = [verdict(loader, data) for loader in LOADERS]
        if len(verdicts) == 1:
            verdicts.append("absent")
        out.append("%s\t%s\t%s" % (name, verdicts[0], verdicts[1]))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    sys.setrecursionlimit(1000)
    main(sys.argv[1])
