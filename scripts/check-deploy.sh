#!/usr/bin/env bash
# Validates the deployment files offline, in well under a minute once the
# tools are installed; safe to run again and again:
#   nginx -t (throw-away certificates, scratch pid/log paths; /etc/nginx
#     untouched), promtool check config / check rules / test rules,
#   amtool check-config and routing, docker-compose config, structural and
#   cross-file checks (scripts/lib/check_deploy_files.py), bash -n of all
#   scripts and ShellCheck of the deploy scripts, the deploy scripts'
#   argument checks and DRY_RUN plans, health-check.sh against a loopback
#   stub.
# Installs what is missing from Debian: nginx-light (nginx), prometheus
# (promtool), prometheus-alertmanager (amtool), docker-compose, shellcheck;
# PyYAML from PyPI (or python3-yaml). Prints "ok: ..." per check and exits
# non-zero when any check fails.
set -euo pipefail
cd "$(dirname "$0")/.."

failed=0
scratch=$(mktemp -d /tmp/cleanstation-check-deploy.XXXXXX)
stub_pid=""
cleanup() {
    if [ -n "$stub_pid" ]; then kill "$stub_pid" 2>/dev/null || true; wait "$stub_pid" 2>/dev/null || true; fi
    rm -rf "$scratch"
}
trap cleanup EXIT

ok() { echo "ok: $*"; }
fail() {
    echo "FAIL: $*"
    failed=$((failed + 1))
}
# check NAME CMD...: runs CMD quietly; on failure shows its output.
check() {
    local name=$1
    shift
    if "$@" >"$scratch/out" 2>&1; then
        ok "$name"
    else
        fail "$name"
        sed 's/^/    /' "$scratch/out" | tail -40
    fi
}

# --- tools -------------------------------------------------------------------
missing=()
command -v nginx >/dev/null || missing+=(nginx-light)
command -v promtool >/dev/null || missing+=(prometheus)
command -v amtool >/dev/null || missing+=(prometheus-alertmanager)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v shellcheck >/dev/null || missing+=(shellcheck)
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
    echo "check-deploy: installing ${missing[*]} from Debian" >&2
    # Packages that ship a daemon (prometheus, nginx) must not start it:
    # a policy-rc.d that forbids starting services, only during the install.
    made_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
fi
if ! python3 -c 'import yaml' 2>/dev/null; then
    python3 -m pip install -q pyyaml 2>/dev/null \
        || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-yaml >/dev/null; }
fi

# --- nginx -------------------------------------------------------------------
# A scratch copy of deploy/nginx with throw-away certificates where Let's
# Encrypt's are, and pid/log files in the scratch directory.
nginx_test() { # nginx_test UPSTREAM_FILE
    local dir="$scratch/nginx"
    rm -rf "$dir" && mkdir -p "$dir/logs" "$dir/certs"
    cp -R deploy/nginx "$dir/conf"
    cp "$1" "$dir/conf/upstream.conf"
    # compose service names do not resolve here: stand loopback in for them.
    sed -i -E 's/server [a-z][a-z0-9-]*:([0-9]+)/server 127.0.0.1:\1/' "$dir/conf/upstream.conf"
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=cleanstation.torvan.com" \
        -keyout "$dir/certs/privkey.pem" -out "$dir/certs/fullchain.pem" 2>/dev/null
    grep -q /etc/letsencrypt/live/cleanstation.torvan.com/fullchain.pem "$dir/conf/snippets/tls.conf"
    sed -i "s|/etc/letsencrypt/live/cleanstation.torvan.com/|$dir/certs/|" "$dir/conf/snippets/tls.conf"
    find "$dir/conf" -name '*.conf' -exec sed -i -e "s|/var/log/nginx/|$dir/logs/|g" \
        -e "s|^pid /run/nginx.pid;|pid $dir/nginx.pid;|" {} +
    nginx -t -q -c "$dir/conf/nginx.conf" -p "$dir/" -e "$dir/logs/error.log"
}
check "nginx -t: deploy/nginx (Let's Encrypt paths, upstream.conf) with throw-away certificates" \
    nginx_test deploy/nginx/upstream.conf
check "nginx -t: deploy/nginx with docker-compose's upstream.compose.conf" \
    nginx_test deploy/nginx/upstream.compose.conf

# --- Prometheus, Alertmanager ------------------------------------------------
check "promtool check config deploy/prometheus/prometheus.yml (and its rule files)" \
    promtool check config deploy/prometheus/prometheus.yml
check "promtool check rules alerts.yml recording.yml" \
    promtool check rules deploy/prometheus/alerts.yml deploy/prometheus/recording.yml
check "promtool test rules alerts_test.yml (each alert fires and stays quiet)" \
    bash -c 'cd deploy/prometheus && promtool test rules alerts_test.yml'
check "amtool check-config deploy/alertmanager/alertmanager.yml" \
    amtool check-config deploy/alertmanager/alertmanager.yml
amtool_route() { # amtool_route RECEIVER LABELS...
    local receiver=$1
    shift
    amtool config routes test --config.file=deploy/alertmanager/alertmanager.yml --verify.receivers="$receiver" "$@"
}
check "alertmanager routing: critical → pagerduty-critical, warning → slack-warnings" \
    bash -c "$(declare -f amtool_route); amtool_route pagerduty-critical alertname=HighErrorRate severity=critical \
        && amtool_route slack-warnings alertname=MemoryHigh severity=warning \
        && amtool_route slack-warnings alertname=ConnectionPoolExhausted severity=warning"

# --- compose and the structural checks -----------------------------------------
check "docker-compose config -q (docker-compose.yml)" docker-compose -f docker-compose.yml config -q
# One "ok:"/"FAIL:" line per check from the Python side; a crash counts too.
files_status=0
python3 scripts/lib/check_deploy_files.py >"$scratch/files" 2>&1 || files_status=$?
cat "$scratch/files"
files_failed=$(grep -c '^FAIL:' "$scratch/files" || true)
failed=$((failed + files_failed))
if [ "$files_status" != 0 ] && [ "$files_failed" = 0 ]; then
    fail "structural checks (scripts/lib/check_deploy_files.py) exited $files_status"
fi

# --- scripts -----------------------------------------------------------------
syntax_all() {
    local script
    for script in scripts/*.sh scripts/lib/*.sh; do bash -n "$script" || return 1; done
}
check "bash -n scripts/*.sh scripts/lib/*.sh" syntax_all
deploy_scripts=(scripts/deploy.sh scripts/blue-green.sh scripts/health-check.sh scripts/check-deploy.sh scripts/lib/deploy-common.sh)
check "shellcheck ${deploy_scripts[*]}" shellcheck -x --source-path=SCRIPTDIR "${deploy_scripts[@]}"

# expect_run NAME EXPECTED_STATUS PATTERN... -- CMD...: CMD exits with
# EXPECTED_STATUS and its output (stdout and stderr) matches every PATTERN
# (extended regex), in the order given; a PATTERN starting with `!` must
# match no line at all.
expect_run() {
    local name=$1 expected=$2 status=0
    shift 2
    local patterns=()
    while [ "$1" != -- ]; do patterns+=("$1"); shift; done
    shift
    "$@" >"$scratch/run" 2>&1 || status=$?
    if [ "$status" != "$expected" ]; then
        fail "$name (exit $status, expected $expected)"
        sed 's/^/    /' "$scratch/run" | tail -20
        return
    fi
    local line=0 pattern found
    for pattern in "${patterns[@]}"; do
        if [ "${pattern:0:1}" = "!" ]; then
            if grep -qE -- "${pattern:1}" "$scratch/run"; then
                fail "$name (unexpected '${pattern:1}')"
                sed 's/^/    /' "$scratch/run" | tail -30
                return
            fi
            continue
        fi
        found=$(grep -nE -- "$pattern" "$scratch/run" | awk -F: -v after="$line" '$1 > after {print $1; exit}' || true)
        if [ -z "$found" ]; then
            fail "$name (no '$pattern' after line $line of the output)"
            sed 's/^/    /' "$scratch/run" | tail -30
            return
        fi
        line=$found
    done
    ok "$name"
}
# The deploy scripts read deploy/terraform's outputs; here there are none
# (TF_DIR names no initialised directory), so DRY_RUN's placeholders and
# Terraform's naming stand in, as on a machine without Terraform.
unset AWS_ACCOUNT_ID AWS_REGION CLUSTER SERVICE HEALTH_URL TF_OUTPUTS
while read -r variable; do unset "$variable"; done <<<"$(sed -nE 's/^ +[a-z_.]+=([A-Z_]+)$/\1/p' scripts/lib/deploy-common.sh)"
export TF_DIR="$scratch/no-terraform"
expect_run "deploy.sh bad ENV → exit 1 with the message" 1 \
    "ENV must be 'staging' or 'production'" -- env DRY_RUN=1 scripts/deploy.sh qa abc1234
expect_run "deploy.sh without ENV → exit 1" 1 "ENV" -- env DRY_RUN=1 scripts/deploy.sh
expect_run "deploy.sh without TAG → exit 1" 1 "TAG is required" -- env DRY_RUN=1 scripts/deploy.sh staging
expect_run "deploy.sh bad TAG → exit 1" 1 "not a valid image tag" -- env DRY_RUN=1 scripts/deploy.sh production 'v1;rm'
expect_run "deploy.sh without AWS_ACCOUNT_ID (not a dry run) → exit 1" 1 "AWS_ACCOUNT_ID is required" \
    -- env DRY_RUN=0 scripts/deploy.sh staging abc1234
expect_run "DRY_RUN=1 deploy.sh staging: live colour from the rule, build, push, register, migrate, update it, wait, health check" 0 \
    '^\+ aws elbv2 --region us-east-1 describe-rules --rule-arns .*listener-rule/app/cleanstation-staging/' \
    '^\+ docker build .*APP_VERSION=abc1234' \
    '^\+ docker push 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com/cleanstation:abc1234' \
    '^\+ aws ecs register-task-definition .*/cleanstation\.json' \
    '^\+ aws ecs register-task-definition .*/cleanstation-migrate\.json' \
    '^\+ aws ecs run-task .*--cluster cleanstation-staging --task-definition .*task-definition/cleanstation-migrate:' \
    '^\+ aws ecs wait tasks-stopped' \
    '^\+ aws ecs update-service .*--cluster cleanstation-staging --service cleanstation-blue ' \
    '^\+ aws ecs wait services-stable' \
    '^\+ .*scripts/health-check\.sh https://staging\.cleanstation\.torvan\.com' \
    -- env DRY_RUN=1 scripts/deploy.sh staging abc1234
expect_run "DRY_RUN=1 blue-green.sh production: rule read, green activated (3..9) and healthy, rule switched, blue drained and idled" 0 \
    '^\+ aws elbv2 --region us-east-1 describe-rules --rule-arns .*listener-rule/app/cleanstation-production/' \
    'live: blue, deploying v1\.4\.0 to green' \
    '^\+ aws ecs run-task ' \
    '^\+ aws ecs --region us-east-1 update-service .*--service cleanstation-green .*--desired-count 3 ' \
    '^\+ aws application-autoscaling --region us-east-1 register-scalable-target .*--resource-id service/cleanstation-production/cleanstation-green --min-capacity 3 --max-capacity 9 --suspended-state DynamicScalingInSuspended=false,DynamicScalingOutSuspended=false,ScheduledScalingSuspended=false' \
    '^\+ aws ecs --region us-east-1 wait services-stable .*cleanstation-green' \
    '^\+ aws elbv2 --region us-east-1 wait target-in-service .*cleanstation-production-green' \
    '^\+ aws elbv2 --region us-east-1 modify-rule --rule-arn .*listener-rule/.* --actions Type=forward,TargetGroupArn=.*cleanstation-production-green' \
    '^\+ .*scripts/health-check\.sh https://cleanstation\.torvan\.com' \
    '^\+ sleep 30' \
    '^\+ aws application-autoscaling --region us-east-1 register-scalable-target .*service/cleanstation-production/cleanstation-blue --min-capacity 0 --max-capacity 0 --suspended-state DynamicScalingInSuspended=true,DynamicScalingOutSuspended=true,ScheduledScalingSuspended=true' \
    '^\+ aws ecs --region us-east-1 update-service .*--service cleanstation-blue --desired-count 0' \
    '!modify-listener' \
    -- env DRY_RUN=1 scripts/blue-green.sh production v1.4.0
expect_run "DRY_RUN=1 blue-green.sh staging: green gets staging's 1 task (scaling 1..2)" 0 \
    '^\+ aws ecs --region us-east-1 update-service .*--service cleanstation-green .*--desired-count 1 ' \
    '^\+ aws application-autoscaling .*service/cleanstation-staging/cleanstation-green --min-capacity 1 --max-capacity 2 ' \
    '^\+ aws elbv2 --region us-east-1 modify-rule ' \
    '^\+ .*scripts/health-check\.sh https://staging\.cleanstation\.torvan\.com' \
    '^\+ aws ecs --region us-east-1 update-service .*--service cleanstation-blue --desired-count 0' \
    -- env DRY_RUN=1 scripts/blue-green.sh staging abc1234
expect_run "blue-green.sh bad ENV → exit 1" 1 "ENV must be 'staging' or 'production'" \
    -- env DRY_RUN=1 scripts/blue-green.sh prod v1.4.0
expect_run "blue-green.sh (not a dry run) without Terraform outputs → exit 1 before any AWS call" 1 \
    'LISTENER_RULE_ARN is unknown' '!^\+ ' \
    -- env DRY_RUN=0 AWS_ACCOUNT_ID=123456789012 scripts/blue-green.sh production v1.4.0

# `terraform output -json` as deploy/terraform/envs/production gives it
# after a DR failover (region us-west-2), with other scaling bounds: every
# name and ARN must come from it.
cat >"$scratch/outputs.json" <<'JSON'
{
  "region": {"sensitive": false, "type": "string", "value": "us-west-2"},
  "app_url": {"sensitive": false, "type": "string", "value": "https://cleanstation.torvan.com"},
  "cluster_name": {"sensitive": false, "type": "string", "value": "tf-cluster"},
  "service_names": {"sensitive": false, "type": ["object", {}], "value": {"blue": "tf-blue", "green": "tf-green"}},
  "listener_rule_arn": {"sensitive": false, "type": "string", "value": "arn:aws:elasticloadbalancing:us-west-2:210987654321:listener-rule/app/tf-alb/1/2/3"},
  "target_group_arns": {"sensitive": false, "type": ["object", {}], "value": {
    "blue": "arn:aws:elasticloadbalancing:us-west-2:210987654321:targetgroup/tf-tg-blue/1",
    "green": "arn:aws:elasticloadbalancing:us-west-2:210987654321:targetgroup/tf-tg-green/2"}},
  "scaling": {"sensitive": false, "type": ["object", {}], "value": {"min_capacity": 2, "max_capacity": 5,
    "resource_ids": {"blue": "service/tf-cluster/tf-blue", "green": "service/tf-cluster/tf-green"}}},
  "task_family": {"sensitive": false, "type": "string", "value": "cleanstation"},
  "container_name": {"sensitive": false, "type": "string", "value": "cleanstation"},
  "execution_role_arn": {"sensitive": false, "type": "string", "value": "arn:aws:iam::210987654321:role/tf-execution"},
  "task_role_arn": {"sensitive": false, "type": "string", "value": "arn:aws:iam::210987654321:role/tf-task"},
  "documents_bucket": {"sensitive": false, "type": "string", "value": "tf-documents-dr"},
  "log_group_name": {"sensitive": false, "type": "string", "value": "/tf/logs"},
  "run_task_subnet_ids": {"sensitive": false, "type": ["list", "string"], "value": ["subnet-tf1", "subnet-tf2", "subnet-tf3"]},
  "run_task_security_group_id": {"sensitive": false, "type": "string", "value": "sg-tf"},
  "parameter_names": {"sensitive": false, "type": ["list", "string"], "value": [
    "/cleanstation/prod/database/readonly_url", "/cleanstation/prod/database/url", "/cleanstation/prod/encryption/key",
    "/cleanstation/prod/jwt/private_key", "/cleanstation/prod/jwt/public_key",
    "/cleanstation/prod/smtp/credentials", "/cleanstation/prod/audit/signing_key",
    "/cleanstation/prod/database/migration_url"]}
}
JSON
expect_run "DRY_RUN=1 blue-green.sh with TF_OUTPUTS: region, cluster, services, rule, target groups, scaling, subnets from the outputs" 0 \
    'region us-west-2 from Terraform' \
    '^\+ aws elbv2 --region us-west-2 describe-rules --rule-arns arn:aws:elasticloadbalancing:us-west-2:210987654321:listener-rule/app/tf-alb/1/2/3 ' \
    '^\+ docker push 210987654321\.dkr\.ecr\.us-west-2\.amazonaws\.com/cleanstation:v1\.4\.0' \
    '^\+ aws ecs run-task --region us-west-2 --cluster tf-cluster .*awsvpcConfiguration=\{subnets=\[subnet-tf1,subnet-tf2,subnet-tf3\],securityGroups=\[sg-tf\],assignPublicIp=DISABLED\}' \
    '^\+ aws ecs --region us-west-2 update-service --cluster tf-cluster --service tf-green .*--desired-count 2 ' \
    '^\+ aws application-autoscaling --region us-west-2 register-scalable-target .*--resource-id service/tf-cluster/tf-green --min-capacity 2 --max-capacity 5 ' \
    '^\+ aws elbv2 --region us-west-2 wait target-in-service --target-group-arn .*targetgroup/tf-tg-green/2' \
    '^\+ aws elbv2 --region us-west-2 modify-rule --rule-arn .*listener-rule/app/tf-alb/1/2/3 --actions Type=forward,TargetGroupArn=.*targetgroup/tf-tg-green/2 ' \
    '^\+ aws ecs --region us-west-2 update-service --cluster tf-cluster --service tf-blue --desired-count 0' \
    -- env DRY_RUN=1 AWS_REGION=us-east-1 AWS_ACCOUNT_ID=210987654321 TF_OUTPUTS="$scratch/outputs.json" \
    scripts/blue-green.sh production v1.4.0
python3 - "$scratch/outputs.json" "$scratch/outputs-missing-parameter.json" <<'PY'
import json, sys
outputs = json.load(open(sys.argv[1]))
outputs["parameter_names"]["value"].remove("/cleanstation/prod/smtp/credentials")
json.dump(outputs, open(sys.argv[2], "w"))
PY
expect_run "blue-green.sh: Terraform's parameter_names differ from the task definition's secrets → exit 1" 1 \
    "parameters .*smtp/credentials.* differ from the app task definition's secrets" \
    -- env DRY_RUN=1 AWS_ACCOUNT_ID=210987654321 TF_OUTPUTS="$scratch/outputs-missing-parameter.json" \
    scripts/blue-green.sh production v1.4.0

# The task definition as the scripts render it: for staging without
# outputs (Terraform's naming), and for production from the outputs above.
render() { # render ENV REGION [TF_OUTPUTS]
    (
        # shellcheck source=lib/deploy-common.sh
        source scripts/lib/deploy-common.sh
        DRY_RUN=1 AWS_REGION=$2 AWS_ACCOUNT_ID=210987654321 TF_OUTPUTS=${3:-}
        setup_context "$1" abc1234 3>/dev/null 2>/dev/null
        render_task_definition "$scratch/td.json"
        render_task_definition "$scratch/migrate-td.json" migrate
    )
}
render_staging() {
    render staging eu-west-1
    python3 - "$scratch/td.json" <<'PY'
import json, sys
td = json.load(open(sys.argv[1]))
[c] = td["containerDefinitions"]
env = {e["name"]: e["value"] for e in c["environment"]}
text = json.dumps(td)
assert c["image"] == "210987654321.dkr.ecr.eu-west-1.amazonaws.com/cleanstation:abc1234", c["image"]
assert env["ENVIRONMENT"] == "staging" and env["APP_VERSION"] == "abc1234", env
assert env["S3_BUCKET"] == "cleanstation-staging-documents-210987654321" and env["S3_REGION"] == "eu-west-1", env
assert env["PUBLIC_URL"] == "https://staging.cleanstation.torvan.com", env
assert env["TRUSTED_PROXIES"] == "10.50.0.0/16,10.51.0.0/16", env
assert td["executionRoleArn"] == "arn:aws:iam::210987654321:role/cleanstation-staging-execution", td["executionRoleArn"]
assert td["taskRoleArn"] == "arn:aws:iam::210987654321:role/cleanstation-staging-task", td["taskRoleArn"]
assert all(s["valueFrom"].startswith("arn:aws:ssm:eu-west-1:210987654321:parameter/cleanstation/staging/") for s in c["secrets"])
assert "ACCOUNT" not in text and "us-east-1" not in text and "/prod/" not in text and "production" not in text
PY
}
check "deploy.sh renders the task definition for staging (image, ENVIRONMENT, Terraform's role/bucket names, secrets path, account, region)" render_staging
render_from_outputs() {
    render production eu-west-1 "$scratch/outputs.json"
    python3 - "$scratch/td.json" <<'PY'
import json, sys
td = json.load(open(sys.argv[1]))
[c] = td["containerDefinitions"]
env = {e["name"]: e["value"] for e in c["environment"]}
assert (td["executionRoleArn"], td["taskRoleArn"]) == ("arn:aws:iam::210987654321:role/tf-execution", "arn:aws:iam::210987654321:role/tf-task")
assert env["S3_BUCKET"] == "tf-documents-dr" and env["S3_REGION"] == "us-west-2", env
assert c["logConfiguration"]["options"]["awslogs-group"] == "/tf/logs"
assert c["logConfiguration"]["options"]["awslogs-region"] == "us-west-2"
assert c["image"] == "210987654321.dkr.ecr.us-west-2.amazonaws.com/cleanstation:abc1234", c["image"]
assert all(s["valueFrom"].startswith("arn:aws:ssm:us-west-2:210987654321:parameter/cleanstation/prod/") for s in c["secrets"])
PY
}
check "the task definition rendered from TF_OUTPUTS: roles, bucket, region, log group from the outputs" render_from_outputs
migration_task() {
    render production eu-west-1 "$scratch/outputs.json"
    python3 - "$scratch/td.json" "$scratch/migrate-td.json" <<'PY'
import json, sys
app, migrate = (json.load(open(path)) for path in sys.argv[1:3])
[a], [m] = app["containerDefinitions"], migrate["containerDefinitions"]
secrets = lambda c: {s["name"]: s["valueFrom"] for s in c["secrets"]}
# ADR 009: only the migration task holds the schema owner's URL.
assert "DATABASE_MIGRATION_URL" not in secrets(a), secrets(a)
assert secrets(m) == {**secrets(a), "DATABASE_MIGRATION_URL": "arn:aws:ssm:us-west-2:210987654321:parameter/cleanstation/prod/database/migration_url"}, secrets(m)
assert "AUDIT_SIGNING_KEY" in secrets(a)
assert (app["family"], migrate["family"]) == ("cleanstation", "cleanstation-migrate")
assert m["command"] == ["migrate"] and "portMappings" not in m and "healthCheck" not in m, m
assert m["logConfiguration"]["options"]["awslogs-stream-prefix"] == "migrate"
assert m["image"] == a["image"] and m["environment"] == a["environment"] and migrate["taskRoleArn"] == app["taskRoleArn"]
PY
}
check "the migration task: its own family and command, the app's secrets plus the schema owner's URL, which the app's lacks" migration_task

# health-check.sh against a stub on loopback: 200, then 503, then nothing.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$port" "$scratch/ready-status" >/dev/null 2>&1 <<'PY' &
import http.server, sys
port, status_file = int(sys.argv[1]), sys.argv[2]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        status = int(open(status_file).read())
        body = b'{"status":"ready"}' if status == 200 else b'{"status":"not ready","reason":"migrations pending"}'
        self.send_response(status if self.path == "/api/ready" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
PY
# shellcheck disable=SC2031  # render's subshell assigns variables by name (printf -v), not $!
stub_pid=$!
echo 200 >"$scratch/ready-status"
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/api/ready" && break; sleep 0.1; done
expect_run "health-check.sh: 200 from /api/ready → exit 0" 0 "ready after" \
    -- scripts/health-check.sh "http://127.0.0.1:$port/" 5
echo 503 >"$scratch/ready-status"
expect_run "health-check.sh: 503 until the timeout → exit 1" 1 "not ready after .*HTTP 503" \
    -- env INTERVAL=1 scripts/health-check.sh "http://127.0.0.1:$port" 2
kill "$stub_pid" 2>/dev/null || true
wait "$stub_pid" 2>/dev/null || true
stub_pid=""
expect_run "health-check.sh: nothing listening → exit 1" 1 "not ready after .*no answer" \
    -- env INTERVAL=1 scripts/health-check.sh "http://127.0.0.1:$port" 1
expect_run "health-check.sh without URL → usage, exit 2" 2 "usage" -- scripts/health-check.sh

if [ "$failed" -gt 0 ]; then
    echo "check-deploy: $failed check(s) failed"
    exit 1
fi
echo "check-deploy: all checks passed"
