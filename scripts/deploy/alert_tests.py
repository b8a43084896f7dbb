"""Prints a `promtool test rules` file for the chart's alerts, rendered with
the production values, so promtool proves each alert fires on series that
break it (and only after its `for:`), and none fires on healthy series.

  alert_tests.py RULES_FILE NAMESPACE RELEASE > tests.yaml

Every alert in RULES_FILE must have a case below: an alert added to the chart
without one fails here. The annotations are the rules' own, with the values
the series below give filled in."""

import sys
from pathlib import Path

import yaml

rules_file, namespace, release = sys.argv[1:]
groups = yaml.safe_load(Path(rules_file).read_text())["groups"]
alerts = {rule["alert"]: rule for group in groups for rule in group["rules"] if "alert" in rule}

backend = f'namespace="{namespace}", job="{release}-backend"'
exporter = f'namespace="{namespace}", job="{release}-celery-exporter"'
responses = "django_http_responses_total_by_status_view_method_total"
latency = "django_http_requests_latency_seconds_by_view_method_bucket"


def series(name, labels, values):
    return {"series": f"{name}{{{labels}}}", "values": values}


# Healthy: 1 % errors, every request under 0.25 s, a short queue, all scraped.
healthy = [
    series("up", backend, "1x40"),
    series("up", exporter, "1x40"),
    series(responses, f'{backend}, status="200", view="healthz", method="GET"', "0+99x40"),
    series(responses, f'{backend}, status="500", view="healthz", method="GET"', "0+1x40"),
    series(latency, f'{backend}, le="0.25", view="healthz", method="GET"', "0+100x40"),
    series(latency, f'{backend}, le="1.0", view="healthz", method="GET"', "0+100x40"),
    series(latency, f'{backend}, le="3.0", view="healthz", method="GET"', "0+100x40"),
    series(latency, f'{backend}, le="+Inf", view="healthz", method="GET"', "0+100x40"),
    series("celery_queue_length", f'{exporter}, queue_name="celery"', "3x40"),
]
# Broken: 10 % errors, the 95th percentile at 2.9 s, 5000 tasks queued.
broken = [
    series("up", backend, "1x40"),
    series("up", exporter, "1x40"),
    series(responses, f'{backend}, status="200", view="healthz", method="GET"', "0+90x40"),
    series(responses, f'{backend}, status="500", view="healthz", method="GET"', "0+10x40"),
    series(latency, f'{backend}, le="0.25", view="healthz", method="GET"', "0+0x40"),
    series(latency, f'{backend}, le="1.0", view="healthz", method="GET"', "0+0x40"),
    series(latency, f'{backend}, le="3.0", view="healthz", method="GET"', "0+100x40"),
    series(latency, f'{backend}, le="+Inf", view="healthz", method="GET"', "0+100x40"),
    series("celery_queue_length", f'{exporter}, queue_name="celery"', "5000x40"),
]
# Down: nothing answers Prometheus.
down = [series("up", backend, "0x40"), series("up", exporter, "0x40")]

# alert -> (the series that must fire it, the labels it has then, the values
# its annotations show).
CASES = {
    "BackendDown": (down, {}, {}),
    "BackendHighErrorRate": (broken, {}, {"{{ $value | humanizePercentage }}": "10%"}),
    "BackendHighLatency": (broken, {}, {"{{ $value | humanizeDuration }}": "2.9s"}),
    "CeleryQueueTooLong": (broken, {"queue_name": "celery"},
                           {"{{ $value }}": "5000", "{{ $labels.queue_name }}": "celery"}),
    "CeleryExporterDown": (down, {}, {}),
}
missing = sorted(set(alerts) - set(CASES))
if missing:
    sys.exit(f"no test case for the alerts {', '.join(missing)}: add them to {__file__}")


def expected(name):
    _, labels, filled = CASES[name]
    rule = alerts[name]
    annotations = {}
    for key, text in rule.get("annotations", {}).items():
        for template, value in filled.items():
            text = text.replace(template, value)
        annotations[key] = text
    return [{"exp_labels": {**rule.get("labels", {}), **labels}, "exp_annotations": annotations}]


def minutes(duration):
    units = {"s": 1 / 60, "m": 1, "h": 60}
    return float(duration[:-1]) * units[duration[-1]]


tests = [{
    "name": "healthy series fire nothing",
    "interval": "1m",
    "input_series": healthy,
    "alert_rule_test": [{"eval_time": "35m", "alertname": name, "exp_alerts": []} for name in alerts],
}]
for name in alerts:
    inputs = CASES[name][0]
    wait = minutes(alerts[name].get("for", "0m"))
    tests.append({
        "name": f"{name} fires after its for: ({alerts[name].get('for', '0m')}), not before",
        "interval": "1m",
        "input_series": inputs,
        "alert_rule_test": [
            {"eval_time": f"{max(wait - 4, 0):g}m", "alertname": name, "exp_alerts": [] if wait > 4 else expected(name)},
            {"eval_time": f"{wait + 10:g}m", "alertname": name, "exp_alerts": expected(name)},
        ],
    })
print(yaml.safe_dump({"rule_files": [Path(rules_file).name], "evaluation_interval": "1m", "tests": tests},
                     sort_keys=False, width=1000))
