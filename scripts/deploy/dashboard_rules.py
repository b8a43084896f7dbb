"""Prints the PromQL of the Grafana dashboards in a grafana chart values file
as a Prometheus rules file (one recording rule per query), so `promtool check
rules` parses every query. Grafana's own variables are replaced by values of
their kind first. Fails when a dashboard is not JSON or has no queries.

  dashboard_rules.py GRAFANA_VALUES > rules.yaml"""

import json
import re
import sys
from pathlib import Path

import yaml

values = yaml.safe_load(Path(sys.argv[1]).read_text())
rules = []
dashboards = [(name, board) for provider in (values.get("dashboards") or {}).values()
              for name, board in provider.items()]
if not dashboards:
    sys.exit("no dashboards in the values file")
for name, board in dashboards:
    dashboard = json.loads(board["json"])  # fails on anything that is not JSON
    datasources = {panel["datasource"]["uid"] for panel in dashboard["panels"]}
    for panel in dashboard["panels"]:
        if panel["datasource"]["type"] != "prometheus":
            continue
        for target in panel["targets"]:
            expr = re.sub(r"\$__(rate_)?interval", "5m", target["expr"])
            expr = re.sub(r"\$\{?[a-zA-Z_]+\}?", "x", expr)
            rules.append({"record": f"dashboard:{len(rules)}", "expr": expr})
    print(f"# {name}: {len(dashboard['panels'])} panels, data sources {sorted(datasources)}")
    known = {source["uid"] for source in values["datasources"]["datasources.yaml"]["datasources"]}
    if not datasources <= known:
        sys.exit(f"{name}: data sources {sorted(datasources - known)} are not provisioned")
if not rules:
    sys.exit("no Prometheus queries in the dashboards")
print(yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}, sort_keys=False, width=1000))
