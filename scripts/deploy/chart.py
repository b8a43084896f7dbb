"""The Helm chart's offline checks, with the Helm SDK that helm-python-sdk
bundles (no helm CLI, no cluster):

  chart.py lint CHART KUBE_VERSION [VALUES_FILE]
      helm lint --strict, with the chart's defaults or a values file on top.
  chart.py render CHART OUT_DIR RELEASE NAMESPACE [VALUES_FILE...]
      validates the values against values.schema.json, renders the chart as
      an install would, and writes one file per manifest to OUT_DIR
      (NN-Kind-name.yaml), all of them to OUT_DIR/all.yaml, and the templates'
      output as `helm template` prints it to OUT_DIR/helm-template.yaml.
  chart.py reject CHART VALUES_FILE
      succeeds only when values.schema.json rejects VALUES_FILE (a values file
      made wrong on purpose); it prints why.
"""

import os
import sys
from pathlib import Path

import helm_python as helm
import yaml


class StrictLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key twice in one mapping (PyYAML keeps the
    last; the API server may not)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} twice in one mapping", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def values_of(paths: list[str]) -> dict:
    """The values files merged as helm's repeated -f does: later files win."""
    merged: dict = {}
    for path in paths:
        merged = deep_merge(merged, helm.values_from_yaml(Path(path).read_text()) or {})
    return merged


def deep_merge(base: dict, top: dict) -> dict:
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def lint(chart: str, kube_version: str, *values_files: str) -> int:
    report = helm.lint(chart, values_of(list(values_files)), strict=True, kube_version=kube_version)
    failed = False
    for message in report.get("messages") or []:
        severity = {1: "INFO", 2: "WARNING", 3: "ERROR"}.get(message["severity"], "UNKNOWN")
        print(f"[{severity}] {message['path']}: {message['error']}")
        # --strict: warnings fail too, as `helm lint --strict` does.
        failed |= message["severity"] >= 2
    for error in report.get("errors") or []:
        print(f"[ERROR] {error}")
        failed = True
    print(f"{chart}: linted {report.get('total_charts_linted')} chart(s) with "
          f"{', '.join(values_files) or 'its default values'}: {'FAILED' if failed else 'ok'}")
    return 1 if failed else 0


def render(chart_dir: str, out_dir: str, release: str, namespace: str, *values_files: str) -> int:
    chart = helm.Chart.load(chart_dir)
    values = values_of(list(values_files))
    chart.validate_schema(values)  # raises HelmValuesError, naming the key
    manifests = chart.render(values, name=release, namespace=namespace, is_install=True)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    documents = []
    helm_output = []  # what `helm template` prints, for yamllint
    for template in sorted(manifests):
        if not template.endswith((".yaml", ".yml")):
            continue  # NOTES.txt and the like
        if manifests[template].strip():
            helm_output.append(f"---\n# Source: {template}\n{manifests[template].strip()}\n")
        for document in yaml.load_all(manifests[template], Loader=StrictLoader):
            if document is None:
                continue  # a template whose condition is off renders nothing
            documents.append((template, document))
    if not documents:
        print("the chart rendered no manifests")
        return 1
    combined = []
    for number, (template, document) in enumerate(documents, start=1):
        kind, name = document.get("kind"), (document.get("metadata") or {}).get("name")
        if not kind or not name or not document.get("apiVersion"):
            print(f"{template}: a manifest without apiVersion, kind or metadata.name")
            return 1
        text = yaml.safe_dump(document, sort_keys=False, explicit_start=True, width=1000)
        (out / f"{number:02d}-{kind}-{name}.yaml").write_text(text)
        combined.append(text)
        print(f"{template}: {document['apiVersion']} {kind} {name}")
    (out / "all.yaml").write_text("".join(combined))
    (out / "helm-template.yaml").write_text("".join(helm_output))
    return 0


def reject(chart_dir: str, values_file: str) -> int:
    chart = helm.Chart.load(chart_dir)
    try:
        chart.validate_schema(values_of([values_file]))
    except helm.HelmValuesError as error:
        print(f"{values_file}: rejected, as it must be: {error}")
        return 0
    print(f"{values_file}: values.schema.json ACCEPTED it, but it is wrong:")
    print(Path(values_file).read_text())
    return 1


if __name__ == "__main__":
    os.environ.setdefault("HELM_DEBUG", "false")
    command, *args = sys.argv[1:] or [""]
    commands = {"lint": lint, "render": render, "reject": reject}
    if command not in commands:
        sys.exit(__doc__)
    sys.exit(commands[command](*args))
