#!/usr/bin/env bash
# shellcheck disable=SC2016  # JMESPath literals are `backticked`
# Blue-green deployment of CleanStation on ECS Fargate behind the ALB, on
# the environment deploy/terraform creates.
#   scripts/blue-green.sh ENV TAG      ENV: staging | production
#   DRY_RUN=1 scripts/blue-green.sh production v1.4.0   # print the plan
#
# Two services run side by side, cleanstation-blue and cleanstation-green,
# each registered in its own target group (cleanstation-ENV-blue / -green).
# The HTTPS listener's switch rule (Terraform output listener_rule_arn)
# forwards to one of them: that colour is live. The other is idle: 0
# tasks, its auto scaling suspended at 0..0 (how Terraform creates both).
#   1. describe-rules: the colour the switch rule forwards to is live
#   2. image and task definition as in deploy.sh; migrations run once
#   3. the idle colour gets the new revision and min_capacity tasks, then
#      its auto scaling is activated at min_capacity..max_capacity
#      (Terraform output `scaling`: 3..9 in production, 1..2 in staging)
#   4. wait until its service is stable and every target passes the ALB's
#      health check (/api/ready); failure → idle again, exit 1
#   5. modify-rule: the switch rule forwards to the idle colour's target group
#   6. poll HEALTH_URL/api/ready; failure → rule back to the old colour, the
#      new one idled, exit 1
#   7. wait DRAIN_SECONDS (default: the old target group's deregistration
#      delay) for requests in flight, then idle the old colour: scaling
#      suspended at 0..0, 0 tasks
# Names and ARNs come from `terraform output -json` (scripts/lib/
# deploy-common.sh: TF_OUTPUTS, or the initialised deploy/terraform/envs/ENV,
# or environment variables). Rolling back later is the same script with the
# previous TAG (its image is promoted from ECR, not rebuilt).
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
if [ "$MIN_CAPACITY" -lt 1 ] || [ "$MAX_CAPACITY" -lt "$MIN_CAPACITY" ]; then
    fail "scaling min/max capacity $MIN_CAPACITY/$MAX_CAPACITY: need 1 <= min <= max"
fi

# activate SERVICE TASK_DEFINITION: the revision and min_capacity tasks,
# then auto scaling at min..max with nothing suspended. In this order, so
# that the scaling target never starts tasks of the previous revision.
activate() {
    run aws ecs --region "$AWS_REGION" update-service --cluster "$CLUSTER" --service "$1" \
        --task-definition "$2" --desired-count "$MIN_CAPACITY" --query 'service.deployments[0].id' --output text
    run aws application-autoscaling --region "$AWS_REGION" register-scalable-target --service-namespace ecs \
        --scalable-dimension ecs:service:DesiredCount --resource-id "service/$CLUSTER/$1" \
        --min-capacity "$MIN_CAPACITY" --max-capacity "$MAX_CAPACITY" \
        --suspended-state DynamicScalingInSuspended=false,DynamicScalingOutSuspended=false,ScheduledScalingSuspended=false
}

# idle SERVICE: auto scaling suspended at 0..0 (first, so that neither the
# CPU policy nor the business-hours schedule starts tasks again), 0 tasks.
idle() {
    run aws application-autoscaling --region "$AWS_REGION" register-scalable-target --service-namespace ecs \
        --scalable-dimension ecs:service:DesiredCount --resource-id "service/$CLUSTER/$1" \
        --min-capacity 0 --max-capacity 0 \
        --suspended-state DynamicScalingInSuspended=true,DynamicScalingOutSuspended=true,ScheduledScalingSuspended=true
    run aws ecs --region "$AWS_REGION" update-service --cluster "$CLUSTER" --service "$1" --desired-count 0 \
        --query 'service.serviceName' --output text
}

# switch TARGET_GROUP_ARN: the switch rule forwards everything there.
switch() {
    run aws elbv2 --region "$AWS_REGION" modify-rule --rule-arn "$LISTENER_RULE_ARN" \
        --actions "Type=forward,TargetGroupArn=$1" --query 'Rules[0].RuleArn' --output text
}

# --- 1. where traffic goes now -----------------------------------------------
find_live_colour
note "live: $LIVE, deploying $TAG to $IDLE ($IDLE_SERVICE in $CLUSTER, $AWS_REGION)"

# --- 2. image, task definition, migrations ---------------------------------
build_and_push
td_arn=$(register_task_definition)
run_migrations "$LIVE_SERVICE"

# --- 3-4. start the idle colour and wait until it is healthy ----------------
note "activating $IDLE: $MIN_CAPACITY tasks, auto scaling $MIN_CAPACITY..$MAX_CAPACITY"
activate "$IDLE_SERVICE" "$td_arn"
if ! run aws ecs --region "$AWS_REGION" wait services-stable --cluster "$CLUSTER" --services "$IDLE_SERVICE" \
    || ! run aws elbv2 --region "$AWS_REGION" wait target-in-service --target-group-arn "$IDLE_TG"; then
    idle "$IDLE_SERVICE"
    fail "$IDLE did not become healthy; traffic stays on $LIVE, $IDLE idled again"
fi

# --- 5-6. switch traffic, check it through the public URL ------------------
note "switching the rule to $IDLE"
switch "$IDLE_TG"
if ! run "$here/health-check.sh" "$HEALTH_URL" 60; then
    switch "$LIVE_TG"
    idle "$IDLE_SERVICE"
    fail "$HEALTH_URL not ready after the switch; the rule is back on $LIVE, $IDLE idled again"
fi

# --- 7. drain and stop the old colour --------------------------------------
drain=${DRAIN_SECONDS:-$(capture 30 aws elbv2 --region "$AWS_REGION" describe-target-group-attributes --target-group-arn "$LIVE_TG" \
    --query 'Attributes[?Key==`deregistration_delay.timeout_seconds`] | [0].Value' --output text)}
note "draining $LIVE for ${drain}s"
run sleep "$drain"
idle "$LIVE_SERVICE"
run aws ecs --region "$AWS_REGION" wait services-stable --cluster "$CLUSTER" --services "$LIVE_SERVICE"
note "$TAG live on $IDLE in $ENV_NAME; $LIVE idled (kept for rollback: scripts/blue-green.sh $ENV_NAME PREVIOUS_TAG)"
