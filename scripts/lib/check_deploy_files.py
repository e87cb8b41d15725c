#!/usr/bin/env python3
"""Structural checks of the deployment files, run by scripts/check-deploy.sh.

Parses every YAML/JSON deployment file and checks that they agree with
ops.md and with each other: the dashboard and the alert rules use only the
metrics the app (or the recording rules over postgres_exporter) exports,
the three alerts and their routing labels, the ECS task's secrets, port,
health check and Terraform names, the MemoryHigh constant against the
task's memory, the compose services and mounts, the CI jobs, and the cost
table of deploy/terraform/README.md against deploy/COSTS.md. Prints "ok: ..." per check; exits 1 on any
failure.
"""
import json
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = []


def path(*parts):
    return os.path.join(ROOT, *parts)


def check(name, problems):
    if problems:
        failures.append(name)
        print(f"FAIL: {name}")
        for problem in problems:
            print(f"    {problem}")
    else:
        print(f"ok: {name}")


def load_yaml(rel):
    with open(path(rel)) as handle:
        return yaml.safe_load(handle)


def load_json(rel):
    with open(path(rel)) as handle:
        return json.load(handle)


# --- metrics --------------------------------------------------------------
# What the app exports (ops.md; Sources/CleanStationServer/Metrics).
APP_COUNTERS_GAUGES = {
    "http_requests_total", "process_resident_memory_bytes", "process_cpu_seconds_total",
    "postgresql_connections_active", "orders_created_total", "qc_checks_completed_total",
    "assembly_tasks_completed_total", "user_sessions_active",
}
APP_HISTOGRAMS = {"http_request_duration_seconds", "postgresql_query_duration_seconds"}
# Recorded in deploy/prometheus/recording.yml from postgres_exporter.
RECORDED = {"postgresql_deadlocks_total", "postgresql_cache_hit_ratio"}
# postgres_exporter's own series, allowed only in the recording rules.
EXPORTER = {"pg_stat_database_deadlocks", "pg_stat_database_blks_hit", "pg_stat_database_blks_read"}

APP_METRICS = set(APP_COUNTERS_GAUGES) | RECORDED
for histogram in APP_HISTOGRAMS:
    APP_METRICS |= {histogram + suffix for suffix in ("_bucket", "_sum", "_count")}

PROMQL_WORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
    "offset", "bool", "le", "inf", "nan",
}


def metric_names(expr):
    """Metric names in a PromQL expression (good enough for our own rules)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)           # string literals
    text = re.sub(r"\{[^}]*\}", "", text)                       # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)                      # ranges
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)
    text = re.sub(r"\$\{?\w+\}?", "", text)                    # Grafana variables
    names = set()
    for match in re.finditer(r"(?<![\w.])([A-Za-z_:][A-Za-z0-9_:]*)\s*(\()?", text):
        word, call = match.group(1), match.group(2)
        if call or word.lower() in PROMQL_WORDS or re.fullmatch(r"\d.*", word):
            continue
        names.add(word)
    return names


def unknown_metrics(expr, allowed):
    return sorted(metric_names(expr) - allowed)


# --- Prometheus rules ---------------------------------------------------------
def check_rules():
    alerts = load_yaml("deploy/prometheus/alerts.yml")
    rules = [rule for group in alerts["groups"] for rule in group["rules"]]
    problems = []
    names = [rule.get("alert") for rule in rules]
    expected = {"HighErrorRate": "critical", "ConnectionPoolExhausted": "warning", "MemoryHigh": "warning"}
    if sorted(names) != sorted(expected):
        problems.append(f"alerts are {names}, expected exactly {sorted(expected)}")
    with open(path("deploy/RUNBOOK.md")) as handle:
        anchors = {
            re.sub(r"[^a-z0-9-]", "", line[3:].strip().lower().replace(" ", "-"))
            for line in handle if line.startswith("## ")
        }
    for rule in rules:
        name = rule.get("alert")
        labels, annotations = rule.get("labels", {}), rule.get("annotations", {})
        if name in expected and labels.get("severity") != expected[name]:
            problems.append(f"{name}: severity {labels.get('severity')!r}, expected {expected[name]!r}")
        if not labels.get("team"):
            problems.append(f"{name}: no team label")
        for key in ("summary", "description", "runbook"):
            if not annotations.get(key):
                problems.append(f"{name}: no {key} annotation")
        anchor = annotations.get("runbook", "").partition("#")[2]
        if anchor not in anchors:
            problems.append(f"{name}: runbook anchor #{anchor} is not a section of deploy/RUNBOOK.md")
        bad = unknown_metrics(rule["expr"], APP_METRICS)
        if bad:
            problems.append(f"{name}: unknown metrics {bad}")
        if 'job="cleanstation"' not in rule["expr"]:
            problems.append(f"{name}: does not select job=\"cleanstation\"")
    check("alerts.yml: exactly the three alerts of ops.md, labels, annotations, runbook sections, metric names", problems)

    problems = []
    recording = load_yaml("deploy/prometheus/recording.yml")
    recorded = set()
    for group in recording["groups"]:
        for rule in group["rules"]:
            recorded.add(rule["record"])
            bad = unknown_metrics(rule["expr"], EXPORTER)
            if bad:
                problems.append(f"{rule['record']}: unknown metrics {bad}")
    if recorded != RECORDED:
        problems.append(f"records {sorted(recorded)}, expected {sorted(RECORDED)}")
    check("recording.yml: postgresql_deadlocks_total and postgresql_cache_hit_ratio from postgres_exporter", problems)

    # MemoryHigh's constant is the task's memory limit.
    problems = []
    task = load_json("deploy/aws/task-definition.json")
    limit = int(task["memory"]) * 1024 * 1024
    memory = next(rule for rule in rules if rule.get("alert") == "MemoryHigh")
    match = re.search(r">\s*0\.9\s*\*\s*(\d+)", memory["expr"])
    if not match or int(match.group(1)) != limit:
        problems.append(f"MemoryHigh compares with {match and match.group(1)}, task memory is {limit} bytes")
    compose = load_yaml("docker-compose.yml")
    mem_limit = str(compose["services"]["app"].get("mem_limit", ""))
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    parsed = re.fullmatch(r"(\d+)([kmg])b?", mem_limit.lower())
    if not parsed or int(parsed.group(1)) * units[parsed.group(2)] != limit:
        problems.append(f"docker-compose app mem_limit {mem_limit!r} differs from the task's {limit} bytes")
    check(f"MemoryHigh threshold = 90% of the task memory ({task['memory']} MiB) = compose mem_limit", problems)


# --- Grafana -----------------------------------------------------------------
def check_dashboard():
    dashboard = load_json("deploy/grafana/dashboards/cleanstation.json")
    problems = []
    if dashboard.get("title") != "CleanStation Production Metrics":
        problems.append(f"title {dashboard.get('title')!r}")
    if dashboard.get("uid") != "cleanstation-prod":
        problems.append(f"uid {dashboard.get('uid')!r}")
    rows, current, ids = {}, None, set()
    for panel in dashboard["panels"]:
        if panel["id"] in ids:
            problems.append(f"duplicate panel id {panel['id']}")
        ids.add(panel["id"])
        if panel["type"] == "row":
            current = panel["title"]
            rows[current] = []
            continue
        if current is None:
            problems.append(f"panel {panel['title']!r} is above the first row")
            continue
        rows[current].append(panel)
        if panel.get("datasource", {}).get("uid") != "prometheus":
            problems.append(f"{panel['title']}: datasource is not the provisioned uid 'prometheus'")
        if not panel.get("targets"):
            problems.append(f"{panel['title']}: no query")
        for target in panel.get("targets", []):
            bad = unknown_metrics(target["expr"], APP_METRICS)
            if bad:
                problems.append(f"{panel['title']}: unknown metrics {bad} in {target['expr']}")
    expected_rows = ["Application Health", "Database Performance", "Business Metrics"]
    if list(rows) != expected_rows:
        problems.append(f"rows {list(rows)}, expected {expected_rows}")
    used = set()
    for panels in rows.values():
        for panel in panels:
            for target in panel["targets"]:
                used |= metric_names(target["expr"])
    base = {re.sub(r"_(bucket|sum|count)$", "", name) for name in used}
    missing = sorted((APP_COUNTERS_GAUGES | APP_HISTOGRAMS | RECORDED) - base)
    if missing:
        problems.append(f"metrics of ops.md on no panel: {missing}")
    check("dashboard: title, uid, the three rows, every panel's metrics exported and every metric shown", problems)

    problems = []
    datasources = load_yaml("deploy/grafana/provisioning/datasources/prometheus.yml")
    source = datasources["datasources"][0]
    if source.get("uid") != "prometheus" or source.get("url") != "http://prometheus:9090":
        problems.append(f"datasource {source}")
    providers = load_yaml("deploy/grafana/provisioning/dashboards/cleanstation.yml")
    if providers["providers"][0]["options"]["path"] != "/var/lib/grafana/dashboards":
        problems.append("dashboard provider path is not /var/lib/grafana/dashboards")
    check("grafana provisioning: datasource uid/url, dashboard path", problems)


# --- ECS -------------------------------------------------------------------
FARGATE_MEMORY = {
    256: [512, 1024, 2048], 512: list(range(1024, 4097, 1024)), 1024: list(range(2048, 8193, 1024)),
    2048: list(range(4096, 16385, 1024)), 4096: list(range(8192, 30721, 1024)),
}
SECRETS = {
    "DATABASE_URL": "database/url", "DATABASE_READONLY_URL": "database/readonly_url",
    "JWT_PRIVATE_KEY": "jwt/private_key", "JWT_PUBLIC_KEY": "jwt/public_key",
    "ENCRYPTION_KEY": "encryption/key", "SMTP_URL": "smtp/credentials",
    # No s3/credentials: S3 is signed with the task role's temporary
    # credentials (ADR 014). ADR 009: beyond ops.md's list, the key that seals the records.
    "AUDIT_SIGNING_KEY": "audit/signing_key",
}
# The migration task's only (ADR 009): the schema owner's URL.
MIGRATION_SECRETS = {"DATABASE_MIGRATION_URL": "database/migration_url"}


def check_ecs():
    task = load_json("deploy/aws/task-definition.json")
    problems = []
    cpu, memory = int(task["cpu"]), int(task["memory"])
    if task["family"] != "cleanstation":
        problems.append(f"family {task['family']}")
    if task.get("requiresCompatibilities") != ["FARGATE"] or task.get("networkMode") != "awsvpc":
        problems.append("not a Fargate/awsvpc task")
    if memory not in FARGATE_MEMORY.get(cpu, []):
        problems.append(f"{cpu} CPU / {memory} MiB is not a Fargate size")
    [container] = task["containerDefinitions"]
    if container["name"] != "cleanstation":
        problems.append(f"container name {container['name']}")
    ports = [mapping["containerPort"] for mapping in container["portMappings"]]
    if ports != [3000]:
        problems.append(f"ports {ports}")
    env = {item["name"]: item["value"] for item in container["environment"]}
    if env.get("PORT") != "3000" or env.get("HOST") != "0.0.0.0" or env.get("ENVIRONMENT") != "production":
        problems.append(f"PORT/HOST/ENVIRONMENT {env.get('PORT')}/{env.get('HOST')}/{env.get('ENVIRONMENT')}")
    secrets = {item["name"]: item["valueFrom"] for item in container["secrets"]}
    expected = {name: f"arn:aws:ssm:us-east-1:ACCOUNT:parameter/cleanstation/prod/{p}" for name, p in SECRETS.items()}
    if secrets != expected:
        problems.append(f"secrets differ from ops.md's Parameter Store paths: {sorted(set(secrets.items()) ^ set(expected.items()))}")
    if set(secrets) & set(env):
        problems.append(f"both plain and secret: {sorted(set(secrets) & set(env))}")
    # deploy/terraform's names (modules/secrets, modules/storage) for production.
    roles = (task.get("executionRoleArn"), task.get("taskRoleArn"))
    expected_roles = tuple(f"arn:aws:iam::ACCOUNT:role/cleanstation-production-{r}" for r in ("execution", "task"))
    if roles != expected_roles:
        problems.append(f"roles {roles}, expected Terraform's {expected_roles}")
    if env.get("S3_BUCKET") != "cleanstation-production-documents-ACCOUNT":
        problems.append(f"S3_BUCKET {env.get('S3_BUCKET')}, expected Terraform's cleanstation-production-documents-ACCOUNT")
    if not env.get("AUDIT_CHECKPOINT_LOCK_DAYS", "0").isdigit() or int(env.get("AUDIT_CHECKPOINT_LOCK_DAYS", "0")) < 1:
        problems.append("AUDIT_CHECKPOINT_LOCK_DAYS is not a positive number of days: the audit checkpoints would not be locked (ADR 009)")
    tfvars = open(path("deploy/terraform/envs/production/terraform.tfvars")).read()
    cidrs = [re.search(rf'^{name}\s*=\s*"([^"]+)"', tfvars, re.M).group(1) for name in ("vpc_cidr", "dr_vpc_cidr")]
    if env.get("TRUSTED_PROXIES") != ",".join(cidrs):
        problems.append(f"TRUSTED_PROXIES {env.get('TRUSTED_PROXIES')}, expected production's VPCs {','.join(cidrs)} (the load balancer's addresses)")
    if "METRICS_ALLOW" in env:
        problems.append("METRICS_ALLOW is set: on AWS /metrics is loopback-only (deploy/aws/README.md)")
    health = " ".join(container["healthCheck"]["command"])
    if "curl" not in health or "/api/health" not in health or ":3000" not in health:
        problems.append(f"health check {health}")
    logs = container["logConfiguration"]
    if logs["logDriver"] != "awslogs" or logs["options"]["awslogs-group"] != "/aws/ecs/cleanstation":
        problems.append(f"logs {logs}")
    if container.get("readonlyRootFilesystem") is not True:
        problems.append("root file system is writable")
    mounts = {mount["containerPath"] for mount in container.get("mountPoints", [])}
    if not {"/app/data", "/var/log/cleanstation", "/tmp"} <= mounts:
        problems.append(f"writable volumes {sorted(mounts)}")
    if env.get("AUDIT_LOG_PATH", "").rpartition("/")[0] not in mounts:
        problems.append("AUDIT_LOG_PATH is not on a writable volume")
    check(f"task-definition.json: Fargate {cpu}/{memory}, port 3000, ops.md secrets, Terraform's role and bucket names, awslogs, health check, read-only root", problems)

    service = load_json("deploy/aws/service-definition.json")
    problems = []
    config = service["deploymentConfiguration"]
    vpc = service["networkConfiguration"]["awsvpcConfiguration"]
    [balancer] = service["loadBalancers"]
    if service["serviceName"] != "cleanstation-blue" or "targetgroup/cleanstation-production-blue/" not in balancer["targetGroupArn"]:
        problems.append(f"service {service['serviceName']} / {balancer['targetGroupArn']}: not Terraform's blue colour")
    if service["desiredCount"] != 3:
        problems.append(f"desiredCount {service['desiredCount']}")
    if service.get("launchType") != "FARGATE":
        problems.append("not FARGATE")
    if vpc.get("assignPublicIp") != "DISABLED" or not vpc.get("subnets"):
        problems.append("tasks not in private subnets")
    if balancer["containerName"] != container["name"] or balancer["containerPort"] != 3000:
        problems.append(f"load balancer {balancer}")
    if config.get("deploymentCircuitBreaker") != {"enable": True, "rollback": True}:
        problems.append("no circuit breaker with rollback")
    if (config.get("minimumHealthyPercent"), config.get("maximumPercent")) != (100, 200):
        problems.append("minimum/maximum percent not 100/200")
    if service["taskDefinition"] != task["family"]:
        problems.append("taskDefinition is not the family")
    migrate = load_json("deploy/aws/migrate-task.json")
    if migrate["family"] != task["family"] + "-migrate" or migrate["command"] != ["migrate"]:
        problems.append(f"migration task {migrate['family']} {migrate['command']}")
    extra = {item["name"]: item["valueFrom"] for item in migrate["secrets"]}
    if extra != {name: f"arn:aws:ssm:us-east-1:ACCOUNT:parameter/cleanstation/prod/{p}" for name, p in MIGRATION_SECRETS.items()}:
        problems.append(f"migration task's secrets {extra}")
    check("service-definition.json: cleanstation-blue, 3 tasks, private subnets, ALB port 3000, circuit breaker 100/200; migration task", problems)


# --- compose, Prometheus, Dockerfile, CI ---------------------------------------
def check_compose_and_prometheus():
    compose = load_yaml("docker-compose.yml")
    services = compose["services"]
    problems = []
    wanted = {"postgres", "migrate", "app", "nginx", "prometheus", "alertmanager", "grafana", "postgres-exporter"}
    if not wanted <= set(services):
        problems.append(f"missing services {sorted(wanted - set(services))}")
    if services["postgres"]["image"] != "postgres:15":
        problems.append(f"postgres image {services['postgres']['image']}")
    if services["migrate"].get("command") != ["migrate"]:
        problems.append("migrate does not run `migrate`")
    if services["app"].get("depends_on", {}).get("migrate", {}).get("condition") != "service_completed_successfully":
        problems.append("app does not wait for migrate")
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./") and not os.path.exists(path(source)):
                problems.append(f"{name}: mount source {source} does not exist")
    env = services["app"]["environment"]
    subnet = compose["networks"]["default"]["ipam"]["config"][0]["subnet"]
    if env.get("METRICS_ALLOW") != subnet:
        problems.append(f"METRICS_ALLOW {env.get('METRICS_ALLOW')} is not the compose subnet {subnet}")
    check("docker-compose.yml: services, migrate before app, mount sources exist, METRICS_ALLOW = compose subnet", problems)

    prometheus = load_yaml("deploy/prometheus/prometheus.yml")
    problems = []
    jobs = {job["job_name"]: job for job in prometheus["scrape_configs"]}
    app_sd = jobs.get("cleanstation", {}).get("dns_sd_configs", [{}])[0]
    if app_sd.get("names") != ["app"] or app_sd.get("port") != 3000:
        problems.append(f"cleanstation job does not scrape app:3000 ({app_sd})")
    exporter = jobs.get("postgres", {}).get("static_configs", [{}])[0].get("targets")
    if exporter != ["postgres-exporter:9187"]:
        problems.append(f"postgres job targets {exporter}")
    manager = prometheus["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"]
    if manager != ["alertmanager:9093"]:
        problems.append(f"alertmanager targets {manager}")
    for host in ("app", "postgres-exporter", "alertmanager"):
        if host not in services:
            problems.append(f"{host} is scraped/targeted but not a compose service")
    if prometheus.get("rule_files") != ["recording.yml", "alerts.yml"]:
        problems.append(f"rule_files {prometheus.get('rule_files')}")
    check("prometheus.yml: scrape app:3000 and postgres-exporter:9187, alertmanager:9093, both rule files", problems)


def check_dockerfile():
    with open(path("Dockerfile")) as handle:
        text = handle.read()
    problems = []
    for needle, what in [
        ("--static-swift-stdlib", "static stdlib release build"),
        ("-c release --product cleanstation", "release build of the cleanstation product"),
        ("FROM ${SWIFT_IMAGE} AS build", "build stage"),
        ("ARG SWIFT_IMAGE=swift:6.3-noble", "Swift 6.3 image"),
        ("ARG RUNTIME_IMAGE=ubuntu:noble", "noble runtime"),
        ("USER cleanstation", "non-root user"),
        ("EXPOSE 3000", "port 3000"),
        ("/api/health", "HEALTHCHECK on /api/health"),
        ('ENTRYPOINT ["cleanstation"]', "entrypoint"),
        ('CMD ["serve"]', "default command"),
        ("postgresql-client", "pg_dump for backups"),
        ("/var/log/cleanstation", "audit log directory"),
    ]:
        if needle not in text:
            problems.append(f"no {what} ({needle})")
    with open(path("Package.swift")) as handle:
        manifest = handle.read()
    for providers in re.findall(r"\.apt\(\[([^\]]*)\]\)", manifest):
        for package in re.findall(r'"([^"]+)"', providers):
            if package not in text:
                problems.append(f"Package.swift's system library package {package} is not installed in the build stage")
    if len(re.findall(r"^FROM ", text, re.M)) < 2:
        problems.append("not multi-stage")
    if not re.search(r"^HEALTHCHECK ", text, re.M):
        problems.append("no HEALTHCHECK instruction")
    check("Dockerfile: multi-stage static release build (with Package.swift's apt libraries), non-root, HEALTHCHECK /api/health, port 3000", problems)


def check_ci():
    """The hosted workflow runs the Makefile's targets (the ones .ci/run runs in a row), never a restatement of them."""
    workflow = load_yaml(".github/workflows/ci.yml")
    jobs = workflow["jobs"]
    problems = []
    for job in ("lint", "build", "test", "config", "release", "deploy-staging", "deploy-production"):
        if job not in jobs:
            problems.append(f"no job {job}")

    def runs(job: dict) -> list[str]:
        return [step["run"] for step in job.get("steps", []) if "run" in step]

    for name, target in (("lint", "make lint"), ("build", "make build"), ("config", "make checks")):
        if target not in runs(jobs.get(name, {})):
            problems.append(f"{name} does not run {target}")
    stages = {entry.get("stage"): entry.get("targets", "").split() for entry in
              jobs.get("test", {}).get("strategy", {}).get("matrix", {}).get("include", [])}
    for stage, target in (("unit", "quick"), ("integration", "suites"), ("integration", "integration"), ("e2e", "e2e")):
        if target not in stages.get(stage, []):
            problems.append(f"the {stage} stage does not run make {target}")
    if "make ${{ matrix.targets }}" not in runs(jobs.get("test", {})):
        problems.append("the test stages do not run their make targets")
    for name in ("lint", "build", "test", "config"):
        for line in runs(jobs.get(name, {})):
            if any(word in line for word in ("swift test", "swift build", "swift format", "scripts/")):
                problems.append(f"{name} restates a make target: {line.strip()}")
    if "refs/heads/develop" not in jobs.get("deploy-staging", {}).get("if", ""):
        problems.append("deploy-staging not gated on develop")
    production = jobs.get("deploy-production", {})
    if "refs/heads/main" not in production.get("if", "") or production.get("environment", {}).get("name") != "production":
        problems.append("deploy-production not gated on main with the production environment")
    for env_name in ("staging", "production"):
        steps = jobs.get(f"deploy-{env_name}", {}).get("steps", [])
        text = " ".join(step.get("run", "") for step in steps)
        deploy_env = next((step.get("env", {}) for step in steps if "blue-green.sh" in step.get("run", "")), {})
        if f"scripts/blue-green.sh {env_name}" not in text or "TF_OUTPUTS" not in deploy_env or "terraform output -json" not in text:
            problems.append(f"deploy-{env_name} does not run scripts/blue-green.sh {env_name} with the Terraform outputs")
    for name, job in jobs.items():
        image = job.get("container")
        if isinstance(image, str) and image.startswith("swift:") and not image.startswith("swift:6.3"):
            problems.append(f"{name}: {image}")
    check("ci.yml: make lint, build, quick / suites, integration, robustness / e2e, checks; release; gated blue-green deploys", problems)


# --- cost tables ------------------------------------------------------------
def markdown_table(text, header):
    """Rows (lists of cells, header and separator left out) of the table whose header row starts with `header`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def amount(cell):
    match = re.match(r"\**([\d,]+)", cell)
    return int(match.group(1).replace(",", "")) if match else None


def check_costs():
    """deploy/COSTS.md section 3 and deploy/terraform/README.md's production columns: same lines, same figures."""
    with open(path("deploy/COSTS.md")) as handle:
        costs = markdown_table(handle.read(), "| item | guide, $/month | recomputed")
    with open(path("deploy/terraform/README.md")) as handle:
        terraform = markdown_table(handle.read(), "| item | production, guide | production, this configuration")
    problems = []
    if len(costs) != len(terraform):
        problems.append(f"{len(costs)} rows in COSTS.md section 3, {len(terraform)} in the Terraform README")
    other = 0
    for mine, theirs in zip(costs, terraform):
        item = theirs[0]
        if amount(mine[1]) != amount(theirs[1]):
            problems.append(f"{item}: guide {mine[1]} in COSTS.md, {theirs[1]} in the Terraform README")
        if "Fargate" in item:
            if "COSTS.md" not in theirs[2] or "COSTS.md" not in theirs[3]:
                problems.append(f"{item}: the Terraform README does not refer to COSTS.md for it")
        elif "total" in item:
            expected = f"{other:,} + Fargate"
            if expected not in mine[2] + mine[3] or expected not in theirs[2]:
                problems.append(f"total: expected '{expected}' in both files ({mine[2]} {mine[3]} / {theirs[2]})")
        else:
            other += amount(mine[2]) or 0
            if amount(mine[2]) != amount(theirs[2]):
                problems.append(f"{item}: {mine[2]} in COSTS.md section 3, {theirs[2]} in the Terraform README")
    check("costs: the Terraform README's production lines equal COSTS.md section 3 (Fargate from COSTS.md)", problems)


def main():
    check_costs()
    check_rules()
    check_dashboard()
    check_ecs()
    check_compose_and_prometheus()
    check_dockerfile()
    check_ci()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
