"""Writes schemas/*.json: JSON schemas for the custom kinds the skeleton
generates, which kubernetes-validate only warns about. They cover the fields
the templates use and refuse unknown ones, so a typo fails. Regenerate with
`python3 scripts/deploy/make_schemas.py` after changing this file."""

import json
from pathlib import Path

STRING = {"type": "string", "minLength": 1}
DURATION = {"type": "string", "pattern": r"^([0-9]+(ms|s|m|h|d|w|y))+$"}
CIDR = {"type": "string", "pattern": r"^([0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]{1,2}$|^[0-9a-fA-F:]+/[0-9]{1,3}$"}
LABELS = {"type": "object", "additionalProperties": {"type": "string"}}
DNS_NAME = {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", "maxLength": 253}


def obj(properties, required=(), closed=True):
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if closed:
        schema["additionalProperties"] = False
    return schema


def array(items, min_items=1):
    return {"type": "array", "items": items, "minItems": min_items}


def resource(api_version, kind, spec, metadata_required=("name",), metadata_extra=None):
    metadata = obj({"name": DNS_NAME, "namespace": DNS_NAME, "labels": LABELS, "annotations": LABELS,
                    **(metadata_extra or {})}, metadata_required)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{api_version} {kind}",
        **obj({"apiVersion": {"const": api_version}, "kind": {"const": kind}, "metadata": metadata,
               "spec": spec}, ("apiVersion", "kind", "metadata", "spec")),
    }


PORT = {"oneOf": [{"type": "integer", "minimum": 1, "maximum": 65535}, {"type": "string", "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "maxLength": 15}]}
LABEL_SELECTOR = obj({
    "matchLabels": LABELS,
    "matchExpressions": array(obj({"key": STRING, "operator": {"enum": ["In", "NotIn", "Exists", "DoesNotExist"]},
                                   "values": array({"type": "string"}, 0)}, ("key", "operator"))),
})

# Traefik v3: traefik.io/v1alpha1 IngressRoute.
ROUTE_MATCHER = r"^!?\(?\s*(Host|HostRegexp|Path|PathPrefix|PathRegexp|Header|HeaderRegexp|Method|Query|QueryRegexp|ClientIP)\(`"
ingressroute = resource("traefik.io/v1alpha1", "IngressRoute", obj({
    "entryPoints": array(STRING),
    "routes": array(obj({
        "kind": {"const": "Rule"},
        "match": {"type": "string", "pattern": ROUTE_MATCHER},
        "priority": {"type": "integer", "minimum": 0},
        "middlewares": array(obj({"name": STRING, "namespace": STRING}, ("name",)), 0),
        "services": array(obj({
            "name": STRING, "namespace": STRING, "port": PORT,
            "kind": {"enum": ["Service", "TraefikService"]},
            "scheme": {"enum": ["http", "https", "h2c"]},
            "weight": {"type": "integer", "minimum": 0},
            "passHostHeader": {"type": "boolean"},
        }, ("name", "port"))),
    }, ("kind", "match", "services"))),
    "tls": obj({
        "secretName": STRING, "certResolver": STRING,
        "options": obj({"name": STRING, "namespace": STRING}, ("name",)),
        "domains": array(obj({"main": STRING, "sans": array(STRING, 0)}, ("main",)), 0),
    }),
}, ("routes",)))

# prometheus-operator: monitoring.coreos.com/v1 ServiceMonitor and PrometheusRule.
servicemonitor = resource("monitoring.coreos.com/v1", "ServiceMonitor", obj({
    "jobLabel": STRING,
    "targetLabels": array(STRING, 0),
    "podTargetLabels": array(STRING, 0),
    "sampleLimit": {"type": "integer", "minimum": 0},
    "selector": LABEL_SELECTOR,
    "namespaceSelector": obj({"any": {"type": "boolean"}, "matchNames": array(DNS_NAME)}),
    "endpoints": array(obj({
        "port": {"type": "string", "minLength": 1}, "targetPort": PORT,
        "path": {"type": "string", "pattern": "^/"},
        "scheme": {"enum": ["http", "https"]},
        "interval": DURATION, "scrapeTimeout": DURATION,
        "honorLabels": {"type": "boolean"},
        "params": {"type": "object"},
        "relabelings": array({"type": "object"}, 0),
        "metricRelabelings": array({"type": "object"}, 0),
    }, ())),
}, ("selector", "endpoints")))
RULE = {
    **obj({
        "alert": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
        "record": {"type": "string", "pattern": "^[a-zA-Z_:][a-zA-Z0-9_:]*$"},
        "expr": {"type": ["string", "integer"], "minLength": 1},
        "for": DURATION, "keep_firing_for": DURATION,
        "labels": LABELS, "annotations": LABELS,
    }, ("expr",)),
    "oneOf": [{"required": ["alert"]}, {"required": ["record"]}],
}
prometheusrule = resource("monitoring.coreos.com/v1", "PrometheusRule", obj({
    "groups": array(obj({"name": STRING, "interval": DURATION, "limit": {"type": "integer"},
                         "rules": array(RULE)}, ("name", "rules"))),
}, ("groups",)))

# kops: kops.k8s.io/v1alpha2 Cluster and InstanceGroup.
ZONE = {"type": "string", "pattern": r"^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$"}
ENABLED = obj({"enabled": {"type": "boolean"}}, ("enabled",))
QUANTITY = {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi)?$"}
NETWORKING = {"type": "object", "minProperties": 1, "maxProperties": 1, "propertyNames": {
    "enum": ["cilium", "calico", "amazonvpc", "flannel", "kindnet", "kubenet", "kopeio", "canal", "gce"]}}
cluster = resource("kops.k8s.io/v1alpha2", "Cluster", obj({
    "kubernetesVersion": {"type": "string", "pattern": r"^v?1\.[0-9]+\.[0-9]+$"},
    "cloudProvider": {"const": "aws"},
    "configBase": {"type": "string", "pattern": "^s3://"},
    "channel": {"enum": ["stable", "alpha"]},
    "api": obj({"loadBalancer": obj({"type": {"enum": ["Public", "Internal"]},
                                     "class": {"enum": ["Classic", "Network"]}}, ("type",))}),
    "authorization": {"oneOf": [obj({"rbac": obj({})}, ("rbac",)), obj({"alwaysAllow": obj({})}, ("alwaysAllow",))]},
    "kubelet": obj({"anonymousAuth": {"type": "boolean"}, "authenticationTokenWebhook": {"type": "boolean"},
                    "authorizationMode": {"enum": ["Webhook", "AlwaysAllow"]}}),
    "metricsServer": obj({"enabled": {"type": "boolean"}, "insecure": {"type": "boolean"}}, ("enabled",)),
    "certManager": obj({"enabled": {"type": "boolean"}, "managed": {"type": "boolean"}}, ("enabled",)),
    "clusterAutoscaler": ENABLED,
    "iam": obj({"allowContainerRegistry": {"type": "boolean"}, "legacy": {"const": False},
                "useServiceAccountExternalPermissions": {"type": "boolean"}}),
    "serviceAccountIssuerDiscovery": obj({"discoveryStore": {"type": "string", "pattern": "^s3://"},
                                          "enableAWSOIDCProvider": {"type": "boolean"}}),
    "etcdClusters": {**array(obj({
        "name": {"enum": ["main", "events", "cilium"]},
        "cpuRequest": QUANTITY, "memoryRequest": QUANTITY,
        "etcdMembers": array(obj({"name": STRING, "instanceGroup": STRING, "encryptedVolume": {"type": "boolean"},
                                  "volumeType": STRING, "volumeSize": {"type": "integer"}}, ("name", "instanceGroup"))),
    }, ("name", "etcdMembers"))), "minItems": 2},
    "networking": NETWORKING,
    "networkCIDR": CIDR,
    "nonMasqueradeCIDR": CIDR,
    "kubernetesApiAccess": array(CIDR),
    "sshAccess": array(CIDR, 0),
    "subnets": array(obj({"name": STRING, "type": {"enum": ["Public", "Private", "Utility", "DualStack"]},
                          "zone": ZONE, "cidr": CIDR}, ("name", "type", "zone"))),
    "topology": obj({"dns": obj({"type": {"enum": ["Public", "Private", "None"]}}, ("type",))}),
}, ("kubernetesVersion", "cloudProvider", "configBase", "etcdClusters", "networking", "networkCIDR", "subnets")))
instancegroup = resource("kops.k8s.io/v1alpha2", "InstanceGroup", obj({
    "role": {"enum": ["ControlPlane", "Node", "Bastion", "APIServer"]},
    "image": STRING,
    "machineType": {"type": "string", "pattern": r"^[a-z][a-z0-9-]*\.[a-z0-9]+$"},
    "minSize": {"type": "integer", "minimum": 0},
    "maxSize": {"type": "integer", "minimum": 1},
    "rootVolumeSize": {"type": "integer", "minimum": 8},
    "rootVolumeEncryption": {"type": "boolean"},
    "subnets": array(STRING),
    "cloudLabels": LABELS,
    "nodeLabels": LABELS,
}, ("role", "machineType", "minSize", "maxSize", "subnets")),
    metadata_required=("name", "labels"),
)
instancegroup["properties"]["metadata"]["properties"]["labels"] = {
    **LABELS, "required": ["kops.k8s.io/cluster"]}

out = Path(__file__).resolve().parent / "schemas"
out.mkdir(exist_ok=True)
for name, schema in {"ingressroute": ingressroute, "servicemonitor": servicemonitor,
                     "prometheusrule": prometheusrule, "kops-cluster": cluster,
                     "kops-instancegroup": instancegroup}.items():
    (out / f"{name}.json").write_text(json.dumps(schema, indent=2) + "\n")
    print(f"wrote {out / name}.json")
