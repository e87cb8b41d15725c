# Fargate cluster, the application's task definitions and its two services.
#
# Blue-green: two services, "<family>-blue" and "<family>-green" in the
# cluster <name>, each registered in its own target group. Terraform creates
# both idle: 0 tasks, scaling targets at 0..0 with scaling suspended. Which
# colour runs, with which image, is the release's business
# (scripts/blue-green.sh): it registers a revision of the task family with
# the new image, runs the migration task, activates the idle colour (the
# revision and min_capacity tasks, then its scaling target to
# min_capacity..max_capacity, unsuspended), checks it, rewrites the listener
# rule, then drains the old colour and returns it to 0..0, suspended, and 0
# tasks. Terraform therefore never starts an unmigrated image,
# and ignores desired_count, task_definition and the scaling targets'
# capacities after creation.

data "aws_region" "current" {}

locals {
  colors         = toset(["blue", "green"])
  container_name = "cleanstation"
  repository_url = var.create_repository ? aws_ecr_repository.app[0].repository_url : var.repository_url
  image          = "${local.repository_url}:${var.image_tag}"

  environment = [for k in sort(keys(var.environment_variables)) : { name = k, value = var.environment_variables[k] }]
  # The serving tasks get every secret but the schema owner's
  # (var.migration_only_secrets, ADR 009); the migration task gets them all.
  migrate_secrets = [for k in sort(keys(var.secrets)) : { name = k, valueFrom = var.secrets[k] }]
  secrets         = [for s in local.migrate_secrets : s if !contains(var.migration_only_secrets, s.name)]

  log_options = {
    "awslogs-group"  = aws_cloudwatch_log_group.app.name
    "awslogs-region" = data.aws_region.current.name
    # A slow CloudWatch never blocks the application's stdout.
    "mode"            = "non-blocking"
    "max-buffer-size" = "4m"
  }

  # The root file system is read-only; these task volumes are the writable
  # paths (the Dockerfile declares the first two as VOLUMEs owned by the
  # application user, so ECS copies that ownership into the volume).
  volumes = {
    "data"      = "/app/data"
    "audit-log" = "/var/log/cleanstation"
    "tmp"       = "/tmp"
  }
  mount_points = [for v, path in local.volumes : { sourceVolume = v, containerPath = path, readOnly = false }]

  common_container = {
    name                   = local.container_name
    image                  = local.image
    essential              = true
    user                   = var.container_user
    readonlyRootFilesystem = true
    mountPoints            = local.mount_points
    environment            = local.environment
    linuxParameters        = { initProcessEnabled = true }
    ulimits                = [{ name = "nofile", softLimit = 65536, hardLimit = 65536 }]
  }

  app_container = merge(local.common_container, {
    secrets = local.secrets
    portMappings = [{
      name          = "http"
      containerPort = var.container_port
      protocol      = "tcp"
      appProtocol   = "http"
    }]
    # Liveness only (never touches the database); readiness is the load
    # balancer's /api/ready check.
    healthCheck = {
      command     = ["CMD-SHELL", "curl -fsS http://127.0.0.1:${var.container_port}/api/health >/dev/null || exit 1"]
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 30
    }
    stopTimeout = 30
    logConfiguration = {
      logDriver = "awslogs"
      options   = merge(local.log_options, { "awslogs-stream-prefix" = "app" })
    }
  })

  migrate_container = merge(local.common_container, {
    command = var.migrate_command
    secrets = local.migrate_secrets
    logConfiguration = {
      logDriver = "awslogs"
      options   = merge(local.log_options, { "awslogs-stream-prefix" = "migrate" })
    }
  })
}

# --- Image repository -----------------------------------------------------------------

resource "aws_ecr_repository" "app" {
  count = var.create_repository ? 1 : 0

  name                 = var.family
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }

  tags = var.tags
}

resource "aws_ecr_lifecycle_policy" "app" {
  count = var.create_repository ? 1 : 0

  repository = aws_ecr_repository.app[0].name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Drop untagged layers after a day"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = 1
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the 30 most recent releases (rollback targets)"
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = 30
        }
        action = { type = "expire" }
      },
    ]
  })
}

data "aws_caller_identity" "current" {}

resource "aws_ecr_replication_configuration" "dr" {
  count = var.create_repository && var.replicate_images_to_region != null ? 1 : 0

  replication_configuration {
    rule {
      destination {
        region      = var.replicate_images_to_region
        registry_id = data.aws_caller_identity.current.account_id
      }
      repository_filter {
        filter      = var.family
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}

# --- Logs ---------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "app" {
  name              = var.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = var.tags
}

# --- Cluster ----------------------------------------------------------------------------

resource "aws_ecs_cluster" "this" {
  #checkov:skip=CKV_AWS_65:Container Insights is var.container_insights: on in production, off in staging (basic monitoring, the environment table).
  name = var.name

  setting {
    name  = "containerInsights"
    value = var.container_insights ? "enabled" : "disabled"
  }

  tags = var.tags
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

# --- Task definitions ---------------------------------------------------------------

resource "aws_ecs_task_definition" "app" {
  family                   = var.family
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = var.task_role_arn
  container_definitions    = jsonencode([local.app_container])

  dynamic "volume" {
    for_each = local.volumes
    content {
      name = volume.key
    }
  }

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  tags = var.tags
}

# `cleanstation migrate` as a one-off task (aws ecs run-task), before the new
# version takes traffic. Same image and network as the service; its secrets
# add the schema owner's URL.
resource "aws_ecs_task_definition" "migrate" {
  family                   = "${var.family}-migrate"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = var.task_role_arn
  container_definitions    = jsonencode([local.migrate_container])

  dynamic "volume" {
    for_each = local.volumes
    content {
      name = volume.key
    }
  }

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  tags = var.tags
}

# --- Services (blue and green) ----------------------------------------------------------

resource "aws_ecs_service" "app" {
  for_each = local.colors

  name                               = "${var.family}-${each.key}"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.app.arn
  desired_count                      = 0
  launch_type                        = "FARGATE"
  platform_version                   = "LATEST"
  health_check_grace_period_seconds  = var.health_check_grace_period
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  enable_ecs_managed_tags            = true
  propagate_tags                     = "SERVICE"

  deployment_controller {
    type = "ECS"
  }

  # A deployment whose tasks do not become healthy stops and rolls back to
  # the last working revision.
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [var.security_group_id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arns[each.key]
    container_name   = local.container_name
    container_port   = var.container_port
  }

  tags = merge(var.tags, { Color = each.key })

  lifecycle {
    # Owned by scripts/blue-green.sh after creation.
    ignore_changes = [desired_count, task_definition]
  }

  depends_on = [aws_ecs_cluster_capacity_providers.this]
}

# --- Auto scaling -----------------------------------------------------------------------

resource "aws_appautoscaling_target" "app" {
  for_each = aws_ecs_service.app

  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${each.value.name}"
  min_capacity       = 0
  max_capacity       = 0

  # An idle colour must not be scaled up by its schedule or its policy.
  suspended_state {
    dynamic_scaling_in_suspended  = true
    dynamic_scaling_out_suspended = true
    scheduled_scaling_suspended   = true
  }

  tags = var.tags

  lifecycle {
    # Owned by scripts/blue-green.sh after creation.
    ignore_changes = [min_capacity, max_capacity, suspended_state]
  }
}

resource "aws_appautoscaling_policy" "cpu" {
  for_each = aws_appautoscaling_target.app

  name               = "${var.name}-${each.key}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = each.value.service_namespace
  scalable_dimension = each.value.scalable_dimension
  resource_id        = each.value.resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_percent
    scale_out_cooldown = 60
    scale_in_cooldown  = 300

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_scheduled_action" "off_hours" {
  for_each = { for c, t in aws_appautoscaling_target.app : c => t if var.schedule.enabled }

  name               = "${var.name}-${each.key}-off-hours"
  service_namespace  = each.value.service_namespace
  scalable_dimension = each.value.scalable_dimension
  resource_id        = each.value.resource_id
  schedule           = var.schedule.scale_down_cron
  timezone           = var.schedule.timezone

  scalable_target_action {
    min_capacity = var.schedule.off_hours_min
    max_capacity = var.schedule.off_hours_max
  }
}

resource "aws_appautoscaling_scheduled_action" "business_hours" {
  for_each = { for c, t in aws_appautoscaling_target.app : c => t if var.schedule.enabled }

  name               = "${var.name}-${each.key}-business-hours"
  service_namespace  = each.value.service_namespace
  scalable_dimension = each.value.scalable_dimension
  resource_id        = each.value.resource_id
  schedule           = var.schedule.scale_up_cron
  timezone           = var.schedule.timezone

  scalable_target_action {
    min_capacity = var.min_capacity
    max_capacity = var.max_capacity
  }

  # Two actions on one target must not be created concurrently.
  depends_on = [aws_appautoscaling_scheduled_action.off_hours]
}
