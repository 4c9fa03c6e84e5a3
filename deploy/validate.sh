#!/usr/bin/env bash
# Static checks of the deployment files (Dockerfile, compose, Prometheus, Grafana, Kubernetes).
# Nothing here starts a container: it parses and cross-checks the files, and runs promtool and
# `kubectl kustomize` when they are installed (skipped with a message otherwise).
#
#   deploy/validate.sh          # from anywhere; exit status 0 when every check passed
set -euo pipefail
cd "$(dirname "$0")/.."

# PyYAML: Debian's python3-yaml (pip cannot reach PyPI on the project's machines).
if ! python3 -c 'import yaml' 2>/dev/null; then
  echo "PyYAML missing: installing python3-yaml with apt-get"
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq python3-yaml >/dev/null || { apt-get update -qq && apt-get install -y -qq python3-yaml >/dev/null; }
  fi
  python3 -c 'import yaml' || { echo "FAIL: python3 cannot import yaml (install python3-yaml)"; exit 1; }
fi

python3 - <<'PY'
import json, re, sys, pathlib
import yaml

failures = []
checks = 0

def check(ok, message):
    global checks
    checks += 1
    if not ok:
        failures.append(message)
    return ok

def section(title):
    print(f"-- {title}")

# Metrics the gateway exports: read from the meters src/main/java/io/tokenrouter/metrics/
# GatewayMetrics.java registers, named as Micrometer's Prometheus registry names them (dots become
# underscores; counters end in _total; timers are histograms in seconds with _bucket/_sum/_count/
# _max; gauges keep their name). The JVM binders export jvm_*, process_*, system_*.
METRICS_SOURCE = pathlib.Path("src/main/java/io/tokenrouter/metrics/GatewayMetrics.java")
registered = re.findall(r'\b(Counter|Timer|Gauge|DistributionSummary)\.builder\(\s*"([a-z0-9_.]+)"',
                        METRICS_SOURCE.read_text())
KNOWN = {"up"}   # made by Prometheus itself for every target
for kind, dotted in registered:
    base = dotted.replace(".", "_")
    if kind == "Counter":
        KNOWN.add(base + "_total")
    elif kind == "Gauge":
        KNOWN.add(base)
    elif kind == "Timer":
        KNOWN |= {base + "_seconds" + s for s in ("_bucket", "_sum", "_count", "_max")}
    else:
        KNOWN |= {base + s for s in ("_bucket", "_sum", "_count", "_max")}
JVM_PREFIXES = ("jvm_", "process_", "system_")

PROMQL_WORDS = {
    # aggregations, functions, keywords
    "sum", "avg", "min", "max", "count", "topk", "bottomk", "quantile", "stddev", "stdvar", "group",
    "count_values", "rate", "irate", "increase", "delta", "idelta", "deriv", "histogram_quantile",
    "abs", "ceil", "floor", "round", "clamp", "clamp_min", "clamp_max", "sort", "sort_desc", "time",
    "vector", "scalar", "absent", "absent_over_time", "avg_over_time", "max_over_time",
    "min_over_time", "sum_over_time", "count_over_time", "last_over_time", "label_replace",
    "label_join", "changes", "resets", "predict_linear", "and", "or", "unless", "bool", "offset",
    "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan",
}

def metric_names(expr):
    """The metric names a PromQL expression selects (strings, label matchers, grouping labels,
    ranges, numbers and function names removed)."""
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    e = re.sub(r"\{[^}]*\}", " ", e)
    e = re.sub(r"\[[^\]]*\]", " ", e)
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    e = re.sub(r"\$\w+", " ", e)
    names = set()
    for tok in re.findall(r"(?<![\w.])[A-Za-z_:][A-Za-z0-9_:]*", e):
        if tok.lower() in PROMQL_WORDS:
            continue
        names.add(tok)
    return names

def check_metrics(where, expr):
    names = metric_names(expr)
    check(names, f"{where}: no metric found in {expr!r}")
    for n in names:
        check(n in KNOWN or n.startswith(JVM_PREFIXES),
              f"{where}: {n!r} is not a metric the gateway exports (see {METRICS_SOURCE}) in {expr!r}")
    return names

# ---- (a) every YAML file parses --------------------------------------------------------------
section("(a) YAML syntax")
yaml_files = sorted(p for p in pathlib.Path("deploy").rglob("*") if p.suffix in (".yml", ".yaml"))
yaml_files.append(pathlib.Path("config/tokenrouter.example.yaml"))
docs = {}
for p in yaml_files:
    try:
        docs[str(p)] = [d for d in yaml.safe_load_all(p.read_text()) if d is not None]
        check(docs[str(p)], f"{p}: empty")
    except yaml.YAMLError as e:
        check(False, f"{p}: not valid YAML: {e}")
print(f"   parsed {len(docs)} YAML files")

# ---- container configuration --------------------------------------------------------------------
section("gateway configuration deploy/tokenrouter.yaml")
conf = docs["deploy/tokenrouter.yaml"][0]
check(conf.get("server", {}).get("host") == "0.0.0.0", "tokenrouter.yaml: server.host must be 0.0.0.0")
check(conf.get("server", {}).get("port") == 8080, "tokenrouter.yaml: server.port must be 8080")
check(str(conf.get("database", {}).get("url", "")).startswith("jdbc:postgresql://"),
      "tokenrouter.yaml: database.url must be PostgreSQL")
check("redis" in conf and str(conf["redis"].get("url", "")).startswith("redis://"), "tokenrouter.yaml: redis.url missing")
providers = {p["name"]: p for p in conf.get("providers", [])}
check(any(p.get("type") == "mock" for p in providers.values()), "tokenrouter.yaml: needs a mock provider")
for name, p in providers.items():
    key = p.get("api_key")
    if key is not None:
        check(re.fullmatch(r"\$\{[A-Z0-9_]+:-\}", key), f"tokenrouter.yaml: providers.{name}.api_key must be ${{VAR:-}} (starts without secrets), got {key!r}")
for m in conf.get("models", []):
    for t in m.get("targets", []):
        check(t.get("provider") in providers, f"tokenrouter.yaml: model {m.get('name')} targets unknown provider {t.get('provider')}")
check(conf.get("mode") == "production", "tokenrouter.yaml: mode must be production (refuses unsafe defaults)")
check(re.fullmatch(r"\$\{[A-Z0-9_]+\}", str(conf.get("admin", {}).get("token", ""))),
      "tokenrouter.yaml: admin.token must come from the environment, ${VAR}")
check("*" not in conf.get("server", {}).get("cors_origins", []), "tokenrouter.yaml: cors_origins must not be *")
SPOOL = str(conf.get("usage", {}).get("spool_dir", "./data/spool"))
check(SPOOL.startswith("/"), f"tokenrouter.yaml: usage.spool_dir must be an absolute path on a volume, was {SPOOL!r}")

def under(path, mount):
    return path == mount or path.startswith(mount.rstrip("/") + "/")

# ---- (b) Kubernetes manifests ------------------------------------------------------------------
section("(b) Kubernetes manifests")
K8S = pathlib.Path("deploy/k8s")
kust = docs[str(K8S / "kustomization.yaml")][0]
listed = kust.get("resources", [])
on_disk = sorted(p.name for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")
check(sorted(listed) == on_disk, f"kustomization.yaml resources {sorted(listed)} != files {on_disk}")
objects = {}
for name in listed:
    for d in docs.get(str(K8S / name), []):
        where = f"k8s/{name}"
        check(isinstance(d.get("apiVersion"), str) and d["apiVersion"], f"{where}: apiVersion missing")
        check(isinstance(d.get("kind"), str) and d["kind"], f"{where}: kind missing")
        check(d.get("metadata", {}).get("name"), f"{where}: metadata.name missing")
        check("namespace" not in d.get("metadata", {}), f"{where}: must be namespace-less")
        objects[d.get("kind")] = d
for kind in ("ConfigMap", "Secret", "Deployment", "Service", "HorizontalPodAutoscaler"):
    check(kind in objects, f"k8s: no {kind}")

dep = objects.get("Deployment", {})
dep_name = dep.get("metadata", {}).get("name")
check(dep.get("apiVersion") == "apps/v1", "deployment: apiVersion must be apps/v1")
spec = dep.get("spec", {})
pod = spec.get("template", {}).get("spec", {})
labels = spec.get("template", {}).get("metadata", {}).get("labels", {})
check(spec.get("replicas") == 3, "deployment: replicas must be 3")
check(spec.get("selector", {}).get("matchLabels") and
      all(labels.get(k) == v for k, v in spec["selector"]["matchLabels"].items()),
      "deployment: selector does not match the pod labels")
ann = spec.get("template", {}).get("metadata", {}).get("annotations", {})
check(ann.get("prometheus.io/scrape") == "true" and ann.get("prometheus.io/path") == "/metrics"
      and ann.get("prometheus.io/port") == "8080", "deployment: prometheus.io annotations missing")
check(pod.get("terminationGracePeriodSeconds", 30) >= 40, "deployment: terminationGracePeriodSeconds must be >= 40")
check(pod.get("securityContext", {}).get("runAsNonRoot") is True, "deployment: pod must runAsNonRoot")
containers = pod.get("containers", [])
check(len(containers) == 1, "deployment: expected one container")
c = containers[0] if containers else {}
ports = {p.get("name"): p.get("containerPort") for p in c.get("ports", [])}
check(8080 in ports.values(), "deployment: containerPort 8080 missing")

def probe_ok(probe, path):
    get = (probe or {}).get("httpGet", {})
    port = get.get("port")
    return get.get("path") == path and (port == 8080 or ports.get(port) == 8080)
check(probe_ok(c.get("livenessProbe"), "/health"), "deployment: livenessProbe must GET /health on 8080")
check(probe_ok(c.get("readinessProbe"), "/health/ready"), "deployment: readinessProbe must GET /health/ready on 8080")
if "startupProbe" in c:
    check(probe_ok(c["startupProbe"], "/health"), "deployment: startupProbe must GET /health on 8080")
res = c.get("resources", {})
check(res.get("requests", {}).get("cpu") and res.get("requests", {}).get("memory")
      and res.get("limits", {}).get("memory"), "deployment: resources requests cpu/memory and limits memory needed")
sc = c.get("securityContext", {})
check(sc.get("readOnlyRootFilesystem") is True and sc.get("allowPrivilegeEscalation") is False,
      "deployment: container must be readOnlyRootFilesystem without privilege escalation")
mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}
volumes = {v["name"]: v for v in pod.get("volumes", [])}
check("/tmp" in mounts and "emptyDir" in volumes.get(mounts["/tmp"], {}), "deployment: /tmp must be an emptyDir")
# The root file system is read-only, so usage.spool_dir must lie on a mounted volume the pod's user
# can write: an emptyDir (world-writable, and group-owned by fsGroup) or a claim, not mounted read-only.
spool_mounts = [m for m in c.get("volumeMounts", []) if under(SPOOL, m["mountPath"])]
spool_mount = max(spool_mounts, key=lambda m: len(m["mountPath"]), default=None)
check(spool_mount is not None, f"deployment: usage.spool_dir {SPOOL} is on the read-only root file system (mount a volume there)")
if spool_mount:
    vol = volumes.get(spool_mount["name"], {})
    check(not spool_mount.get("readOnly", False), f"deployment: the volume holding {SPOOL} is mounted read-only")
    check("emptyDir" in vol or "persistentVolumeClaim" in vol or "ephemeral" in vol,
          f"deployment: {SPOOL} must be on an emptyDir or a claim, is on {sorted(vol)}")
    check("persistentVolumeClaim" not in vol or pod.get("securityContext", {}).get("fsGroup"),
          "deployment: a claim holding the spool needs securityContext.fsGroup to be writable")
check(pod.get("enableServiceLinks") is False, "deployment: enableServiceLinks must be false (TOKENROUTER_* service links)")
cm_name = objects.get("ConfigMap", {}).get("metadata", {}).get("name")
check("/etc/tokenrouter" in mounts and volumes.get(mounts["/etc/tokenrouter"], {}).get("configMap", {}).get("name") == cm_name,
      "deployment: /etc/tokenrouter must mount the ConfigMap")
args = c.get("args") or []
check("--config" in args and args[args.index("--config") + 1] == "/etc/tokenrouter/tokenrouter.yaml",
      "deployment: args must pass --config /etc/tokenrouter/tokenrouter.yaml")
secret_name = objects.get("Secret", {}).get("metadata", {}).get("name")
check(any(e.get("secretRef", {}).get("name") == secret_name for e in c.get("envFrom", [])),
      "deployment: envFrom must reference the Secret")
env = {e["name"]: e.get("value") for e in c.get("env", [])}
check(env.get("TOKENROUTER_USAGE_SPOOL_DIR", SPOOL) == SPOOL, "deployment: TOKENROUTER_USAGE_SPOOL_DIR overrides the spool elsewhere")
check(env.get("TOKENROUTER_SERVER_HOST") == "0.0.0.0", "deployment: TOKENROUTER_SERVER_HOST=0.0.0.0 missing")
for var in ("TOKENROUTER_DATABASE_URL", "TOKENROUTER_DATABASE_USERNAME", "TOKENROUTER_REDIS_URL"):
    check(var in env, f"deployment: {var} missing")

secret = objects.get("Secret", {})
sdata = secret.get("stringData", {})
check("TOKENROUTER_DATABASE_PASSWORD" in sdata, "secret: TOKENROUTER_DATABASE_PASSWORD missing")
needed = set(re.findall(r"\$\{([A-Z0-9_]+)", (K8S / "configmap.yaml").read_text()))
check(needed <= set(sdata), f"secret: no value for {sorted(needed - set(sdata))} used by the configuration")

cm = objects.get("ConfigMap", {})
check(cm.get("data", {}).get("tokenrouter.yaml") == pathlib.Path("deploy/tokenrouter.yaml").read_text(),
      "configmap: data.tokenrouter.yaml differs from deploy/tokenrouter.yaml")

svc = objects.get("Service", {})
check(svc.get("spec", {}).get("selector") and all(labels.get(k) == v for k, v in svc["spec"]["selector"].items()),
      "service: selector does not match the pod labels")
check(any(p.get("port") == 8080 and (p.get("targetPort") in (8080,) or ports.get(p.get("targetPort")) == 8080)
          for p in svc.get("spec", {}).get("ports", [])), "service: port 8080 -> container 8080 missing")

hpa = objects.get("HorizontalPodAutoscaler", {})
check(hpa.get("apiVersion") == "autoscaling/v2", "hpa: apiVersion must be autoscaling/v2")
ref = hpa.get("spec", {}).get("scaleTargetRef", {})
check(ref.get("kind") == "Deployment" and ref.get("name") == dep_name and ref.get("apiVersion") == "apps/v1",
      f"hpa: scaleTargetRef must be Deployment {dep_name}")
metrics = hpa.get("spec", {}).get("metrics", [])
check(any(m.get("type") == "Resource" and m["resource"].get("name") == "cpu"
          and m["resource"].get("target", {}).get("averageUtilization") for m in metrics), "hpa: CPU utilization target missing")
pods_metrics = [m for m in metrics if m.get("type") == "Pods"]
check(any(m["pods"]["metric"]["name"] == "tokenrouter_active_streams" and m["pods"]["target"].get("type") == "AverageValue"
          for m in pods_metrics), "hpa: Pods metric tokenrouter_active_streams (AverageValue) missing")
for m in pods_metrics:
    check_metrics("hpa", m["pods"]["metric"]["name"])
check("prometheus-adapter" in (K8S / "hpa.yaml").read_text(), "hpa.yaml: comment on the prometheus-adapter prerequisite missing")
check(hpa.get("spec", {}).get("minReplicas", 1) <= hpa.get("spec", {}).get("maxReplicas", 0), "hpa: minReplicas > maxReplicas")
if "PodDisruptionBudget" in objects:
    pdb = objects["PodDisruptionBudget"]["spec"]
    check(all(labels.get(k) == v for k, v in pdb.get("selector", {}).get("matchLabels", {}).items()),
          "pdb: selector does not match the pod labels")
print(f"   {len(objects)} objects: " + ", ".join(f"{k}/{v['metadata']['name']}" for k, v in objects.items()))

# ---- (c) Grafana and Prometheus: JSON and metric names ---------------------------------------
section("(c) Grafana dashboard, Prometheus config and alert rules")
dash_path = pathlib.Path("deploy/grafana/dashboards/tokenrouter.json")
try:
    dash = json.loads(dash_path.read_text())
except ValueError as e:
    dash = {}
    check(False, f"{dash_path}: not valid JSON: {e}")
ds_docs = docs.get("deploy/grafana/provisioning/datasources/prometheus.yml", [{}])[0]
ds_uids = {d.get("uid") for d in ds_docs.get("datasources", [])}
panels = dash.get("panels", [])
ids = [p.get("id") for p in panels]
check(len(ids) == len(set(ids)), "dashboard: duplicate panel ids")
check(dash.get("uid") and dash.get("title"), "dashboard: uid and title needed")
used = set()
for p in panels:
    where = f"dashboard panel {p.get('title')!r}"
    check(all(k in p.get("gridPos", {}) for k in "xywh"), f"{where}: gridPos incomplete")
    check(p.get("datasource", {}).get("uid") in ds_uids, f"{where}: datasource uid not provisioned")
    check(p.get("targets"), f"{where}: no targets")
    for t in p.get("targets", []):
        used |= check_metrics(where, t.get("expr", ""))
for v in dash.get("templating", {}).get("list", []):
    q = v.get("query")
    q = q.get("query", "") if isinstance(q, dict) else (q or "")
    m = re.match(r"label_values\(\s*([A-Za-z_:][\w:]*)", q)
    if m:
        used |= check_metrics(f"dashboard variable {v.get('name')}", m.group(1))
titles = " | ".join(p.get("title", "") for p in panels).lower()
for want in ("qps", "p50", "p95", "p99", "error rate", "active streams", "tokens", "time to first token", "provider errors"):
    check(want in titles, f"dashboard: no panel about {want!r}")
for m in ("tokenrouter_requests_total", "tokenrouter_request_duration_seconds_bucket", "tokenrouter_active_streams",
          "tokenrouter_tokens_total", "tokenrouter_time_to_first_token_seconds_bucket", "tokenrouter_provider_errors_total"):
    check(m in used, f"dashboard: {m} not charted")
print(f"   dashboard: {len(panels)} panels, metrics {sorted(used)}")

dash_prov = docs.get("deploy/grafana/provisioning/dashboards/tokenrouter.yml", [{}])[0]
compose = docs["deploy/docker-compose.yml"][0]
gvols = compose.get("services", {}).get("grafana", {}).get("volumes", [])
for prov in dash_prov.get("providers", []):
    path = prov.get("options", {}).get("path")
    check(any(v.startswith("./grafana/dashboards:") and v.split(":")[1] == path for v in gvols),
          f"grafana: dashboards path {path} is not mounted from ./grafana/dashboards")

prom = docs["deploy/prometheus/prometheus.yml"][0]
targets = [t for sc in prom.get("scrape_configs", []) if sc.get("job_name") == "tokenrouter"
           for s in sc.get("static_configs", []) for t in s.get("targets", [])]
check("tokenrouter:8080" in targets, "prometheus.yml: job tokenrouter must scrape tokenrouter:8080")
check(all(sc.get("metrics_path", "/metrics") == "/metrics" for sc in prom.get("scrape_configs", [])),
      "prometheus.yml: metrics_path must be /metrics")
for rf in prom.get("rule_files", []):
    check((pathlib.Path("deploy/prometheus") / rf).is_file(), f"prometheus.yml: rule file {rf} not found next to it")
alerts = docs["deploy/prometheus/alerts.yml"][0]
rules = [r for g in alerts.get("groups", []) for r in g.get("rules", [])]
by_name = {r.get("alert"): r for r in rules}
for r in rules:
    check(r.get("alert") and r.get("expr"), f"alerts.yml: rule without alert/expr: {r}")
    check(r.get("labels", {}).get("severity") in ("critical", "warning", "info"), f"alerts.yml: {r.get('alert')}: severity label")
    check_metrics(f"alert {r.get('alert')}", r.get("expr", ""))
def alert_like(pred, msg):
    check(any(pred(r) for r in rules), msg)
alert_like(lambda r: "tokenrouter_requests_total" in r["expr"] and "0.05" in r["expr"] and r.get("for") == "5m"
           and r["labels"]["severity"] == "critical", "alerts: high error rate >5% for 5m (critical) missing")
alert_like(lambda r: "tokenrouter_provider_errors_total" in r["expr"] and "0.5" in r["expr"] and r.get("for") == "2m"
           and r["labels"]["severity"] == "critical", "alerts: provider error rate >50% for 2m (critical) missing")
alert_like(lambda r: "tokenrouter_usage_queue_full_total" in r["expr"], "alerts: usage queue full missing")
alert_like(lambda r: re.search(r"histogram_quantile\(\s*0\.99", r["expr"])
           and "tokenrouter_request_duration_seconds_bucket" in r["expr"], "alerts: p99 latency missing")
print(f"   alerts: {', '.join(by_name)}")

# ---- (d) docker compose ------------------------------------------------------------------------
section("(d) docker compose")
services = compose.get("services", {})
for s in ("tokenrouter", "postgres", "redis", "prometheus", "grafana"):
    check(s in services, f"compose: service {s} missing")
def major(image):
    tag = image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else "latest"
    return tag.split(".")[0].split("-")[0]
check(services.get("postgres", {}).get("image", "").startswith("postgres:") and major(services["postgres"]["image"]) == "16",
      "compose: postgres image must be postgres:16")
check(services.get("redis", {}).get("image", "").startswith("redis:") and major(services["redis"]["image"]) == "7",
      "compose: redis image must be redis:7")
for s in ("prometheus", "grafana"):
    check(major(services.get(s, {}).get("image", ":latest")) != "latest", f"compose: pin a {s} version, not latest")
for s in ("postgres", "redis"):
    check("healthcheck" in services.get(s, {}), f"compose: {s} needs a healthcheck")
tr = services.get("tokenrouter", {})
build = tr.get("build", {})
check(build.get("context") == ".." and (pathlib.Path("deploy") / build.get("context", "") / build.get("dockerfile", "Dockerfile")).resolve().is_file(),
      "compose: tokenrouter must build the root Dockerfile (context ..)")
check("8080:8080" in [str(p) for p in tr.get("ports", [])], "compose: tokenrouter must publish 8080")
tenv = tr.get("environment", {})
check(tenv.get("TOKENROUTER_SERVER_HOST") == "0.0.0.0", "compose: TOKENROUTER_SERVER_HOST=0.0.0.0 missing")
check(str(tenv.get("TOKENROUTER_DATABASE_URL", "")).startswith("jdbc:postgresql://postgres:5432/"), "compose: database URL must point at postgres")
check(str(tenv.get("TOKENROUTER_REDIS_URL", "")).startswith("redis://redis:6379"), "compose: redis URL must point at redis")
for var in re.findall(r"\$\{([A-Z0-9_]+)", pathlib.Path("deploy/tokenrouter.yaml").read_text()):
    check(var in tenv, f"compose: tokenrouter environment lacks {var} (used by tokenrouter.yaml)")
check("./tokenrouter.yaml:/etc/tokenrouter/tokenrouter.yaml:ro" in tr.get("volumes", []), "compose: tokenrouter.yaml mount missing")
spool_vols = [v for v in tr.get("volumes", []) if not v.startswith(".") and under(SPOOL, v.split(":")[1])]
check(spool_vols and not spool_vols[0].endswith(":ro"),
      f"compose: usage.spool_dir {SPOOL} must be on a named volume (records survive a restart), writable")
check(re.search(r"chown[^\n]*" + re.escape(SPOOL), pathlib.Path("Dockerfile").read_text().replace("\\\n", " ")),
      f"Dockerfile: {SPOOL} must be created owned by the runtime user (a new named volume copies that ownership)")
for dep_svc in ("postgres", "redis"):
    check(tr.get("depends_on", {}).get(dep_svc, {}).get("condition") == "service_healthy", f"compose: tokenrouter must wait for {dep_svc} healthy")
grace = str(tr.get("stop_grace_period", "10s"))
check(re.fullmatch(r"\d+s", grace) and int(grace[:-1]) >= 40, "compose: stop_grace_period must be >= 40s")
for s, spec in services.items():
    for v in spec.get("volumes", []):
        src = v.split(":")[0]
        if src.startswith("."):
            check((pathlib.Path("deploy") / src).exists(), f"compose: {s} mounts missing {src}")
        else:
            check(src in (compose.get("volumes") or {}), f"compose: {s} uses undeclared volume {src}")

# ---- (e) Dockerfile ----------------------------------------------------------------------------
section("(e) Dockerfile")
df = pathlib.Path("Dockerfile").read_text()
lines = [l.strip() for l in re.sub(r"\\\n", " ", df).splitlines() if l.strip() and not l.strip().startswith("#")]
froms = [l for l in lines if l.upper().startswith("FROM ")]
check(len(froms) >= 2, f"Dockerfile: {len(froms)} FROM stage(s), want >= 2")
check(any("maven:3.9" in f and "temurin-21" in f for f in froms), "Dockerfile: build stage must be maven:3.9 with temurin 21")
check(froms and froms[-1].split()[1] == "eclipse-temurin:25-jre", "Dockerfile: runtime stage must be eclipse-temurin:25-jre (its AOT cache)")
check(any("dependency:go-offline" in l for l in lines), "Dockerfile: dependency:go-offline layer missing")
check(any(l.startswith("COPY pom.xml") for l in lines) and
      lines.index(next(l for l in lines if l.startswith("COPY pom.xml"))) < lines.index(next(l for l in lines if "dependency:go-offline" in l)),
      "Dockerfile: copy pom.xml before dependency:go-offline")
users = [l.split()[1] for l in lines if l.upper().startswith("USER ")]
check(users and users[-1].split(":")[0] not in ("root", "0"), "Dockerfile: final USER must be non-root")
check("EXPOSE 8080" in lines, "Dockerfile: EXPOSE 8080 missing")
check(any(l.startswith("COPY --from=") and "tokenrouter.jar" in l for l in lines), "Dockerfile: jar not copied from the build stage")
ep = [l for l in lines if l.startswith("ENTRYPOINT")]
entry = json.loads(ep[-1][len("ENTRYPOINT"):]) if ep else []
# the JVM options between "java" and the AOT cache: G1 and a heap sized from the container's memory
jvm = entry[1:-3]
check(entry[:1] == ["java"] and entry[-3:] == ["-XX:AOTCache=/app/tokenrouter.aot", "-jar", "/app/tokenrouter.jar"]
      and "-XX:+UseG1GC" in jvm and "-XX:MaxRAMPercentage=50" in jvm and all(o.startswith("-XX:") for o in jvm),
      "Dockerfile: ENTRYPOINT must be exec form java -XX:+UseG1GC -XX:MaxRAMPercentage=50 [other -XX options] "
      "-XX:AOTCache=/app/tokenrouter.aot -jar /app/tokenrouter.jar")
check("-XX:AOTCacheOutput=/app/tokenrouter.aot" in df and " ".join(jvm) + " -XX:AOTCacheOutput" in df,
      "Dockerfile: the AOT cache must be trained at build time with the ENTRYPOINT's JVM options")
cmd = [l for l in lines if l.startswith("CMD")]
check(cmd and json.loads(cmd[-1][len("CMD"):]) == ["serve", "--config", "/etc/tokenrouter/tokenrouter.yaml"],
      "Dockerfile: CMD must be serve --config /etc/tokenrouter/tokenrouter.yaml")
for l in lines:
    if l.startswith("COPY ") and not l.startswith("COPY --from"):
        for src in l.split()[1:-1]:
            check(pathlib.Path(src).exists(), f"Dockerfile: COPY source {src} missing")
di = pathlib.Path(".dockerignore").read_text().split()
for want in ("target/", "data/", ".git", "bench/out/"):
    check(want in di, f".dockerignore: {want} missing")
print(f"   {len(froms)} stages: " + " ; ".join(froms))

print()
if failures:
    print(f"FAILED {len(failures)} of {checks} checks:")
    for f in failures:
        print("  - " + f)
    sys.exit(1)
print(f"OK: {checks} static checks passed")
PY

# ---- tools, when installed ---------------------------------------------------------------------
if command -v promtool >/dev/null; then
  echo "-- promtool ($(promtool --version 2>&1 | head -1))"
  (cd deploy/prometheus && promtool check config prometheus.yml && promtool check rules alerts.yml \
     && promtool test rules alerts.test.yml)
else
  echo "-- promtool not installed: skipped promtool check config / check rules / test rules"
  echo "   (Debian: apt-get install prometheus ships promtool)"
fi

if command -v kubectl >/dev/null; then
  echo "-- kubectl kustomize deploy/k8s"
  rendered=$(kubectl kustomize deploy/k8s)
  kinds=$(printf '%s\n' "$rendered" | sed -n 's/^kind: //p' | sort | tr '\n' ' ')
  echo "   renders: $kinds"
  for k in ConfigMap Deployment HorizontalPodAutoscaler Secret Service; do
    case " $kinds" in *" $k "*) ;; *) echo "FAIL: kustomize output lacks $k"; exit 1 ;; esac
  done
else
  echo "-- kubectl not installed: skipped kustomize rendering"
fi

echo "-- not checked here (no container engine, no cluster): docker build, docker compose config/up,"
echo "   server-side validation of the manifests (kubectl apply --dry-run=server)"
echo "deploy/validate.sh: all checks passed"
