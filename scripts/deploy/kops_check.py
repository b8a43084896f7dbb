"""What a JSON schema cannot say about infra/kops/cluster.yaml: the parts
refer to each other correctly (kops itself is not available offline).

  kops_check.py split CLUSTER_YAML OUT_DIR
writes each document to OUT_DIR (NN-Kind-name.yaml, for check-jsonschema);
  kops_check.py check CLUSTER_YAML
then (once the schemas passed) checks that every
etcd member names a control-plane InstanceGroup, each etcd cluster has an odd
number of members, every InstanceGroup's subnets exist, belongs to this
cluster, and has minSize <= maxSize, and the subnets' CIDRs do not overlap."""

import ipaddress
import sys
from pathlib import Path

import yaml


def documents_of(path: str) -> list:
    return [d for d in yaml.safe_load_all(Path(path).read_text()) if d is not None]


def split(path: str, out_dir: str) -> int:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for number, document in enumerate(documents_of(path), start=1):
        name = (document.get("metadata") or {}).get("name", "unnamed")
        (out / f"{number:02d}-{document.get('kind')}-{name}.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    return 0


def check(path: str) -> int:
    documents = documents_of(path)
    errors = []
    clusters = [d for d in documents if d.get("kind") == "Cluster"]
    groups = [d for d in documents if d.get("kind") == "InstanceGroup"]
    if len(clusters) != 1:
        return report([f"{len(clusters)} Cluster documents; there must be one"])
    cluster = clusters[0]
    name, spec = cluster["metadata"]["name"], cluster["spec"]
    subnets = {s["name"]: s for s in spec.get("subnets", [])}
    control_plane = {g["metadata"]["name"] for g in groups if g["spec"].get("role") == "ControlPlane"}
    if not control_plane:
        errors.append("no ControlPlane InstanceGroup")
    if not any(g["spec"].get("role") == "Node" for g in groups):
        errors.append("no Node InstanceGroup")
    for etcd in spec.get("etcdClusters", []):
        members = etcd.get("etcdMembers", [])
        if len(members) % 2 == 0:
            errors.append(f"etcd cluster {etcd['name']}: {len(members)} members; etcd needs an odd number")
        for member in members:
            if member["instanceGroup"] not in control_plane:
                errors.append(f"etcd {etcd['name']} member {member['name']}: no ControlPlane InstanceGroup {member['instanceGroup']}")
    for group in groups:
        group_name, group_spec = group["metadata"]["name"], group["spec"]
        if group["metadata"].get("labels", {}).get("kops.k8s.io/cluster") != name:
            errors.append(f"InstanceGroup {group_name}: not labelled kops.k8s.io/cluster={name}")
        if group_spec["minSize"] > group_spec["maxSize"]:
            errors.append(f"InstanceGroup {group_name}: minSize {group_spec['minSize']} > maxSize {group_spec['maxSize']}")
        for subnet in group_spec.get("subnets", []):
            if subnet not in subnets:
                errors.append(f"InstanceGroup {group_name}: no subnet {subnet} in the Cluster")
    network = ipaddress.ip_network(spec["networkCIDR"])
    seen = []
    for subnet in subnets.values():
        cidr = ipaddress.ip_network(subnet["cidr"])
        if not cidr.subnet_of(network):
            errors.append(f"subnet {subnet['name']} {cidr} is outside networkCIDR {network}")
        for other_name, other in seen:
            if cidr.overlaps(other):
                errors.append(f"subnets {subnet['name']} and {other_name} overlap ({cidr}, {other})")
        seen.append((subnet["name"], cidr))
    print(f"{path}: Cluster {name}, {len(groups)} InstanceGroups, {len(subnets)} subnets")
    return report(errors)


def report(errors: list[str]) -> int:
    for error in errors:
        print(f"ERROR: {error}")
    return 1 if errors else 0


if __name__ == "__main__":
    command, *args = sys.argv[1:] or [""]
    if command not in ("split", "check"):
        sys.exit(__doc__)
    sys.exit({"split": split, "check": check}[command](*args))
