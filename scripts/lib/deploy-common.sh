# shellcheck shell=bash disable=SC2016  # JMESPath literals are `backticked`
# Shared by scripts/deploy.sh and scripts/blue-green.sh: argument checks,
# DRY_RUN, the names of the AWS environment (from Terraform), the image
# build and push, the task definition and the migration step. Source it; it
# defines functions and reads these variables:
#   DRY_RUN=1        print every AWS/docker command instead of running it
#                    (local steps such as rendering JSON still run; without
#                    TF_OUTPUTS, placeholders stand for the Terraform values)
#   AWS_ACCOUNT_ID   required (DRY_RUN: 123456789012 when unset)
#   TF_OUTPUTS       a file holding `terraform output -json` of
#                    deploy/terraform/envs/ENV; without it the scripts run
#                    `terraform output -json` there when that directory is
#                    initialised (TF_DIR overrides the directory)
#   AWS_REGION       default us-east-1; the Terraform output `region` wins
#                    (after a DR failover it is us-west-2)
#   HEALTH_URL       default: the output app_url (https://cleanstation.torvan.com,
#                    https://staging.cleanstation.torvan.com)
# Every value taken from an output can also be given as an environment
# variable, which wins (TF_OUTPUT_VARIABLES below lists them); names that
# follow from Terraform's naming default to it. Only the switch rule's and
# the target groups' ARNs cannot be derived: without outputs or those
# variables a real run stops and says so.

DEPLOY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Terraform output (a dotted path into its value) -> the variable it sets.
# deploy/terraform/tests/test_invariants.py checks that each output exists.
TF_OUTPUT_VARIABLES=(
    region=TF_REGION
    app_url=APP_URL
    cluster_name=CLUSTER
    service_names.blue=BLUE_SERVICE
    service_names.green=GREEN_SERVICE
    listener_rule_arn=LISTENER_RULE_ARN
    target_group_arns.blue=BLUE_TARGET_GROUP_ARN
    target_group_arns.green=GREEN_TARGET_GROUP_ARN
    scaling.min_capacity=MIN_CAPACITY
    scaling.max_capacity=MAX_CAPACITY
    task_family=TF_TASK_FAMILY
    container_name=TF_CONTAINER_NAME
    execution_role_arn=EXECUTION_ROLE_ARN
    task_role_arn=TASK_ROLE_ARN
    documents_bucket=DOCUMENTS_BUCKET
    log_group_name=LOG_GROUP
    run_task_subnet_ids=SUBNET_IDS
    run_task_security_group_id=SECURITY_GROUP_ID
    parameter_names=PARAMETER_NAMES
)

fail() {
    echo "Error: $*" >&2
    exit 1
}

note() {
    echo "==> $*" >&2
}

# validate_args ENV TAG: exits 1 with a message unless both are sane.
validate_args() {
    local env=${1-} tag=${2-}
    case "$env" in
        staging | production) ;;
        "") fail "ENV is required: ENV must be 'staging' or 'production'" ;;
        *) fail "ENV must be 'staging' or 'production' (got '$env')" ;;
    esac
    [ -n "$tag" ] || fail "TAG is required (an image tag such as a git SHA or v1.2.3)"
    # Docker's tag grammar; `latest` is refused because a deployment must
    # name an immutable image.
    [[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] \
        || fail "TAG '$tag' is not a valid image tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})"
    [ "$tag" != latest ] || fail "TAG must name an immutable image, not 'latest'"
}

# setup_context ENV TAG: the names every later step uses.
setup_context() {
    ENV_NAME=$1
    TAG=$2
    DRY_RUN=${DRY_RUN:-0}
    if [ -z "${AWS_ACCOUNT_ID:-}" ]; then
        [ "$DRY_RUN" = 1 ] || fail "AWS_ACCOUNT_ID is required"
        AWS_ACCOUNT_ID=123456789012
    fi
    [[ "$AWS_ACCOUNT_ID" =~ ^[0-9]{12}$ ]] || fail "AWS_ACCOUNT_ID must be 12 digits"
    exec 3>&1
    WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cleanstation-deploy.XXXXXX")
    trap 'rm -rf "$WORK_DIR"' EXIT
    [ "$DRY_RUN" = 1 ] && note "DRY_RUN=1: commands are printed, not run"

    load_terraform_outputs
    if [ -n "${TF_REGION:-}" ]; then
        [ -z "${AWS_REGION:-}" ] || [ "$AWS_REGION" = "$TF_REGION" ] \
            || note "region $TF_REGION from Terraform (AWS_REGION=$AWS_REGION ignored)"
        AWS_REGION=$TF_REGION
    fi
    AWS_REGION=${AWS_REGION:-us-east-1}
    [[ "$AWS_REGION" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]$ ]] || fail "AWS_REGION '$AWS_REGION' is not a region name"

    # Terraform's naming (deploy/terraform/README.md) for whatever the
    # outputs did not give. Secrets live under /cleanstation/prod (ops.md)
    # and /cleanstation/staging: parameter_prefix in terraform.tfvars.
    local tfvars="$DEPLOY_ROOT/deploy/terraform/envs/$ENV_NAME/terraform.tfvars"
    case "$ENV_NAME" in
        production) PARAMETER_PREFIX=/cleanstation/prod ;;
        staging) PARAMETER_PREFIX=/cleanstation/staging ;;
    esac
    APP_URL=${APP_URL:-https://$(tfvar domain_name "$tfvars")}
    # The load balancer's addresses are in the environment's VPCs (primary
    # and DR): the application believes X-Forwarded-For from them only.
    TRUSTED_PROXIES=${TRUSTED_PROXIES:-$(tfvar vpc_cidr "$tfvars"),$(tfvar dr_vpc_cidr "$tfvars")}
    HEALTH_URL=${HEALTH_URL:-$APP_URL}
    CLUSTER=${CLUSTER:-cleanstation-$ENV_NAME}
    BLUE_SERVICE=${BLUE_SERVICE:-cleanstation-blue}
    GREEN_SERVICE=${GREEN_SERVICE:-cleanstation-green}
    MIN_CAPACITY=${MIN_CAPACITY:-$(tfvar task_count "$tfvars")}
    MAX_CAPACITY=${MAX_CAPACITY:-$(tfvar task_count_max "$tfvars")}
    EXECUTION_ROLE_ARN=${EXECUTION_ROLE_ARN:-arn:aws:iam::$AWS_ACCOUNT_ID:role/cleanstation-$ENV_NAME-execution}
    TASK_ROLE_ARN=${TASK_ROLE_ARN:-arn:aws:iam::$AWS_ACCOUNT_ID:role/cleanstation-$ENV_NAME-task}
    DOCUMENTS_BUCKET=${DOCUMENTS_BUCKET:-cleanstation-$ENV_NAME-documents-$AWS_ACCOUNT_ID}
    LOG_GROUP=${LOG_GROUP:-/aws/ecs/cleanstation}
    [[ "$MIN_CAPACITY" =~ ^[0-9]+$ && "$MAX_CAPACITY" =~ ^[0-9]+$ ]] \
        || fail "min/max capacity '$MIN_CAPACITY'/'$MAX_CAPACITY' are not numbers"
    # deploy/aws/task-definition.json registers family and container `cleanstation`.
    if [ "${TF_TASK_FAMILY:-cleanstation}" != cleanstation ] || [ "${TF_CONTAINER_NAME:-cleanstation}" != cleanstation ]; then
        fail "Terraform's task family/container ($TF_TASK_FAMILY/$TF_CONTAINER_NAME) differ from deploy/aws/task-definition.json's cleanstation/cleanstation"
    fi
    REGISTRY="$AWS_ACCOUNT_ID.dkr.ecr.$AWS_REGION.amazonaws.com"
    IMAGE="$REGISTRY/cleanstation:$TAG"
    return 0
}

# tfvar NAME FILE: a plain `NAME = value` of a terraform.tfvars (quotes removed).
tfvar() {
    sed -nE "s/^$1[[:space:]]*=[[:space:]]*\"?([^\"#[:space:]]+)\"?.*/\1/p" "$2" | head -n 1
}

# load_terraform_outputs: sets the variables of TF_OUTPUT_VARIABLES from
# `terraform output -json` (TF_OUTPUTS, or terraform run in the initialised
# environment directory); a variable already set keeps its value.
load_terraform_outputs() {
    local file=${TF_OUTPUTS:-} dir=${TF_DIR:-$DEPLOY_ROOT/deploy/terraform/envs/$ENV_NAME} name value
    if [ -z "$file" ] && [ "$DRY_RUN" != 1 ] && [ -d "$dir/.terraform" ] && command -v terraform >/dev/null; then
        file="$WORK_DIR/terraform-outputs.json"
        show terraform -chdir="$dir" output -json >&2
        terraform -chdir="$dir" output -json >"$file" || fail "terraform output failed in $dir"
    fi
    if [ -z "$file" ]; then
        note "no Terraform outputs (TF_OUTPUTS unset, $dir not initialised): names from Terraform's naming"
        return 0
    fi
    [ -r "$file" ] || fail "TF_OUTPUTS: cannot read $file"
    python3 - "$file" "${TF_OUTPUT_VARIABLES[@]}" >"$WORK_DIR/outputs.env" <<'PY' || fail "TF_OUTPUTS: $file is not the JSON of terraform output -json"
import json, sys
outputs = json.load(open(sys.argv[1]))
for spec in sys.argv[2:]:
    path, variable = spec.split("=")
    first, *rest = path.split(".")
    value = outputs.get(first, {}).get("value")
    for key in rest:
        value = value.get(key) if isinstance(value, dict) else None
    if isinstance(value, list):
        value = ",".join(str(item) for item in value)
    if value is not None and "\n" not in str(value):
        print(f"{variable}={value}")
PY
    while IFS='=' read -r name value; do
        [ -n "${!name:-}" ] || printf -v "$name" '%s' "$value"
    done <"$WORK_DIR/outputs.env"
    note "Terraform outputs from ${TF_OUTPUTS:-$dir}"
}

# find_live_colour: which colour the switch rule forwards to. Sets LIVE and
# IDLE (blue/green), LIVE_SERVICE, IDLE_SERVICE, LIVE_TG and IDLE_TG.
# shellcheck disable=SC2034  # the sourcing scripts use them
find_live_colour() {
    local prefix="arn:aws:elasticloadbalancing:$AWS_REGION:$AWS_ACCOUNT_ID" variable live_tg
    if [ "$DRY_RUN" = 1 ]; then
        LISTENER_RULE_ARN=${LISTENER_RULE_ARN:-$prefix:listener-rule/app/cleanstation-$ENV_NAME/DRY-RUN/DRY-RUN/DRY-RUN}
        BLUE_TARGET_GROUP_ARN=${BLUE_TARGET_GROUP_ARN:-$prefix:targetgroup/cleanstation-$ENV_NAME-blue/DRY-RUN}
        GREEN_TARGET_GROUP_ARN=${GREEN_TARGET_GROUP_ARN:-$prefix:targetgroup/cleanstation-$ENV_NAME-green/DRY-RUN}
    fi
    for variable in LISTENER_RULE_ARN BLUE_TARGET_GROUP_ARN GREEN_TARGET_GROUP_ARN; do
        [ -n "${!variable:-}" ] || fail "$variable is unknown: run 'terraform init' in deploy/terraform/envs/$ENV_NAME (the script reads its outputs), pass TF_OUTPUTS=FILE (terraform output -json), or set $variable"
    done
    live_tg=$(capture "$BLUE_TARGET_GROUP_ARN" aws elbv2 --region "$AWS_REGION" describe-rules --rule-arns "$LISTENER_RULE_ARN" \
        --query 'Rules[0].Actions[?Type==`forward`] | [0].TargetGroupArn' --output text)
    case "$live_tg" in
        "$BLUE_TARGET_GROUP_ARN") LIVE=blue IDLE=green ;;
        "$GREEN_TARGET_GROUP_ARN") LIVE=green IDLE=blue ;;
        *) fail "the switch rule $LISTENER_RULE_ARN forwards to '$live_tg', neither the blue nor the green target group" ;;
    esac
    if [ "$LIVE" = blue ]; then
        LIVE_SERVICE=$BLUE_SERVICE IDLE_SERVICE=$GREEN_SERVICE
        LIVE_TG=$BLUE_TARGET_GROUP_ARN IDLE_TG=$GREEN_TARGET_GROUP_ARN
    else
        LIVE_SERVICE=$GREEN_SERVICE IDLE_SERVICE=$BLUE_SERVICE
        LIVE_TG=$GREEN_TARGET_GROUP_ARN IDLE_TG=$BLUE_TARGET_GROUP_ARN
    fi
}

# show CMD...: the command as one line a person can paste (arguments with
# shell characters in single quotes).
show() {
    local out="+" arg
    for arg in "$@"; do
        if [[ "$arg" =~ ^[A-Za-z0-9_./:=@,+%-]+$ ]]; then
            out+=" $arg"
        elif [[ "$arg" != *"'"* ]]; then
            out+=" '$arg'"
        else
            out+=" $(printf '%q' "$arg")"
        fi
    done
    echo "$out"
}

# run CMD...: runs a command, or prints it under DRY_RUN. Printed commands
# go to fd 3 (the script's stdout, also from inside $(...)), so a dry run
# lists every step in order; a real run traces them on stderr.
run() {
    if [ "${DRY_RUN:-0}" = 1 ]; then
        show "$@" >&3
    else
        show "$@" >&2
        "$@"
    fi
}

# capture PLACEHOLDER CMD...: the command's stdout, for $(...); under
# DRY_RUN the command is printed and PLACEHOLDER stands for its output.
capture() {
    local placeholder=$1
    shift
    if [ "${DRY_RUN:-0}" = 1 ]; then
        show "$@" >&3
        echo "$placeholder"
    else
        show "$@" >&2
        "$@"
    fi
}

# build_and_push: builds and pushes the image unless the tag is already in
# ECR (then it is promoted as it is: staging and production run the same
# bytes, and an immutable-tag repository would refuse a second push anyway).
build_and_push() {
    if [ "${DRY_RUN:-0}" != 1 ] && aws ecr describe-images --region "$AWS_REGION" --repository-name cleanstation \
        --image-ids imageTag="$TAG" >/dev/null 2>&1; then
        note "image $IMAGE already in ECR: promoting it, no rebuild"
        return 0
    fi
    note "building $IMAGE"
    run docker build --pull --build-arg "APP_VERSION=$TAG" -t "cleanstation:$TAG" "$DEPLOY_ROOT"
    run docker tag "cleanstation:$TAG" "$IMAGE"
    if [ "${DRY_RUN:-0}" = 1 ]; then
        echo "+ aws ecr get-login-password --region $AWS_REGION | docker login --username AWS --password-stdin $REGISTRY" >&3
    else
        echo "+ aws ecr get-login-password --region $AWS_REGION | docker login --username AWS --password-stdin $REGISTRY" >&2
        aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "$REGISTRY"
    fi
    run docker push "$IMAGE"
}

# render_task_definition FILE [migrate]: deploy/aws/task-definition.json
# (written for production in us-east-1) for this environment, account,
# region, image and the Terraform's roles, bucket, log group and parameter
# names, to FILE. With `migrate`, the migration task instead: the same
# container changed by deploy/aws/migrate-task.json (its own family and
# command, no port or health check, and the schema owner's URL among the
# secrets: an ECS run-task override cannot add a secret, and the serving
# tasks must never hold it, ADR 009).
render_task_definition() {
    ACCOUNT="$AWS_ACCOUNT_ID" REGION="$AWS_REGION" IMAGE="$IMAGE" ENV_NAME="$ENV_NAME" TAG="$TAG" \
        APP_URL="$APP_URL" TRUSTED_PROXIES="$TRUSTED_PROXIES" PARAMETER_PREFIX="$PARAMETER_PREFIX" BUCKET="$DOCUMENTS_BUCKET" LOG_GROUP="$LOG_GROUP" \
        EXECUTION_ROLE_ARN="$EXECUTION_ROLE_ARN" TASK_ROLE_ARN="$TASK_ROLE_ARN" PARAMETER_NAMES="${PARAMETER_NAMES:-}" \
        python3 - "$DEPLOY_ROOT/deploy/aws/task-definition.json" "$DEPLOY_ROOT/deploy/aws/migrate-task.json" "$1" "${2:-app}" <<'PY'
import json, os, sys
v = os.environ
src, migrate_src, dst, kind = sys.argv[1:5]

def load(path):
    text = open(path).read()
    text = text.replace("us-east-1", v["REGION"]).replace("ACCOUNT", v["ACCOUNT"])
    text = text.replace("parameter/cleanstation/prod/", "parameter" + v["PARAMETER_PREFIX"] + "/")
    return json.loads(text)

td, migrate = load(src), load(migrate_src)
td["executionRoleArn"], td["taskRoleArn"] = v["EXECUTION_ROLE_ARN"], v["TASK_ROLE_ARN"]
[container] = td["containerDefinitions"]
container["image"] = v["IMAGE"]
values = {"ENVIRONMENT": v["ENV_NAME"], "APP_VERSION": v["TAG"], "PUBLIC_URL": v["APP_URL"],
          "TRUSTED_PROXIES": v["TRUSTED_PROXIES"], "S3_BUCKET": v["BUCKET"], "S3_REGION": v["REGION"]}
for variable in container["environment"]:
    variable["value"] = values.get(variable["name"], variable["value"])
container["logConfiguration"]["options"]["awslogs-group"] = v["LOG_GROUP"]
migration_only = {s["valueFrom"].partition(":parameter")[2] for s in migrate["secrets"]}
if kind == "migrate":
    td["family"] = migrate["family"]
    container["command"] = migrate["command"]
    for key in ("portMappings", "healthCheck"):
        container.pop(key, None)
    container["secrets"] += migrate["secrets"]
    container["logConfiguration"]["options"]["awslogs-stream-prefix"] = migrate["awslogs-stream-prefix"]
# The parameters Terraform created (output parameter_names) must be exactly
# the ones the tasks map; a missing one would stop every task at start.
if v["PARAMETER_NAMES"]:
    created = set(v["PARAMETER_NAMES"].split(","))
    if kind != "migrate":
        created -= migration_only
    mapped = {s["valueFrom"].partition(":parameter")[2] for s in container["secrets"]}
    if created != mapped:
        sys.exit(f"Error: Terraform's parameters {sorted(created ^ mapped)} differ from the {kind} task definition's secrets")
json.dump(td, open(dst, "w"), indent=2)
PY
}

# register_task_definition [migrate]: registers a revision of the
# application's task definition (or, with `migrate`, of the migration
# task's) with this release's image, and prints its ARN.
register_task_definition() {
    local kind=${1:-app} family=cleanstation file
    [ "$kind" = migrate ] && family=cleanstation-migrate
    file="$WORK_DIR/$family.json"
    # (this runs inside $(...), where a failing command would not stop it)
    render_task_definition "$file" "$kind" || fail "deploy/aws/task-definition.json could not be rendered ($kind)"
    note "task definition $family: image $IMAGE, ENVIRONMENT=$ENV_NAME, secrets $PARAMETER_PREFIX/, bucket $DOCUMENTS_BUCKET"
    capture "arn:aws:ecs:$AWS_REGION:$AWS_ACCOUNT_ID:task-definition/$family:DRY-RUN" \
        aws ecs register-task-definition --region "$AWS_REGION" --cli-input-json "file://$file" \
        --query taskDefinition.taskDefinitionArn --output text
}

# run_migrations SERVICE: `cleanstation migrate` as a one-off task of a new
# revision of the migration task (register_task_definition migrate), as the
# schema's owner, in the application's private subnets and security group
# (the outputs run_task_subnet_ids and run_task_security_group_id, else
# SERVICE's own network), before any new task takes traffic. Fails (and
# stops the deployment) unless it exits 0. Migrations must keep the running
# version working (expand, then contract in a later release): the old tasks
# serve during and after.
run_migrations() {
    local service=$1 td network task code
    td=$(register_task_definition migrate)
    note "running migrations with $td"
    if [ -n "${SUBNET_IDS:-}" ] && [ -n "${SECURITY_GROUP_ID:-}" ]; then
        network="awsvpcConfiguration={subnets=[$SUBNET_IDS],securityGroups=[$SECURITY_GROUP_ID],assignPublicIp=DISABLED}"
    else
        network=$(capture '{"awsvpcConfiguration":{"subnets":["subnet-DRY-RUN"],"securityGroups":["sg-DRY-RUN"],"assignPublicIp":"DISABLED"}}' \
            aws ecs describe-services --region "$AWS_REGION" --cluster "$CLUSTER" --services "$service" \
            --query 'services[0].networkConfiguration' --output json)
    fi
    task=$(capture "arn:aws:ecs:$AWS_REGION:$AWS_ACCOUNT_ID:task/$CLUSTER/DRY-RUN" \
        aws ecs run-task --region "$AWS_REGION" --cluster "$CLUSTER" --task-definition "$td" \
        --launch-type FARGATE --network-configuration "$network" \
        --started-by "migrate-$TAG" --query 'tasks[0].taskArn' --output text)
    run aws ecs wait tasks-stopped --region "$AWS_REGION" --cluster "$CLUSTER" --tasks "$task"
    code=$(capture 0 aws ecs describe-tasks --region "$AWS_REGION" --cluster "$CLUSTER" --tasks "$task" \
        --query 'tasks[0].containers[?name==`cleanstation`].exitCode | [0]' --output text)
    [ "$code" = 0 ] || fail "migration task exited with '$code' (log group $LOG_GROUP); nothing was switched"
    note "migrations applied"
}
