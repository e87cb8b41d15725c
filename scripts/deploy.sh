#!/usr/bin/env bash
# shellcheck disable=SC2016  # JMESPath literals are `backticked`
# Rolling deployment of CleanStation to ECS Fargate (ops.md, "Deployment").
#   scripts/deploy.sh ENV TAG          ENV: staging | production
#   DRY_RUN=1 scripts/deploy.sh staging abc1234   # print the commands only
# Steps: build and push the image (or promote the one already in ECR),
# register a task definition revision, run `cleanstation migrate` as a
# one-off task, update the service, wait until it is stable (the
# deployment circuit breaker rolls a failing revision back), then poll
# /api/ready through the public URL.
# On the environment deploy/terraform creates, the service is the live
# colour (the one the switch rule forwards to, cleanstation-blue or
# cleanstation-green), updated in place; the idle colour is left alone.
# A release that starts an idle colour (the first one, or the live colour
# scaled to 0 by staging's night schedule) is scripts/blue-green.sh's job.
# SERVICE=NAME skips the colour lookup (a service created from
# deploy/aws/service-definition.json without Terraform).
# Needs: docker, aws CLI v2, python3, curl; AWS_ACCOUNT_ID; the Terraform
# outputs (see scripts/lib/deploy-common.sh for these and other variables).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/deploy-common.sh
source "$here/lib/deploy-common.sh"

if [ $# -lt 1 ] || [ "${1-}" = -h ] || [ "${1-}" = --help ]; then
    echo "usage: $0 ENV TAG   (ENV: staging | production; DRY_RUN=1 prints the commands)" >&2
    [ $# -ge 1 ] && exit 0
fi
validate_args "${1-}" "${2-}"
setup_context "$1" "$2"
if [ -z "${SERVICE:-}" ]; then
    find_live_colour
    SERVICE=$LIVE_SERVICE
    tasks=$(capture "$MIN_CAPACITY" aws ecs describe-services --region "$AWS_REGION" --cluster "$CLUSTER" \
        --services "$SERVICE" --query 'services[0].desiredCount' --output text)
    [ "$tasks" != 0 ] || fail "$SERVICE, the live colour, runs no tasks: start the release with scripts/blue-green.sh $ENV_NAME $TAG"
    note "live: $LIVE ($SERVICE, $tasks tasks), rolling $TAG onto it"
fi

build_and_push
td_arn=$(register_task_definition)
run_migrations "$SERVICE"

note "updating service $SERVICE in $CLUSTER"
run aws ecs update-service --region "$AWS_REGION" --cluster "$CLUSTER" --service "$SERVICE" \
    --task-definition "$td_arn" --query 'service.deployments[0].id' --output text
run aws ecs wait services-stable --region "$AWS_REGION" --cluster "$CLUSTER" --services "$SERVICE"

# services-stable also returns after the circuit breaker rolled back to the
# previous revision: make sure the new one is what runs.
state=$(capture "$td_arn COMPLETED" aws ecs describe-services --region "$AWS_REGION" --cluster "$CLUSTER" \
    --services "$SERVICE" --query 'services[0].deployments[?status==`PRIMARY`] | [0].[taskDefinition, rolloutState]' \
    --output text)
[ "$(echo "$state" | awk '{print $1, $2}')" = "$td_arn COMPLETED" ] \
    || fail "the service did not settle on $td_arn (got: $state); the circuit breaker may have rolled back"

run "$here/health-check.sh" "$HEALTH_URL" 120
note "deployed $IMAGE to $ENV_NAME"
