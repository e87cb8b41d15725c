variable "name" {
  description = "Prefix for resource names, e.g. cleanstation-production."
  type        = string
}

variable "environment" {
  description = "Deployment environment (staging or production); the container's ENVIRONMENT."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "family" {
  description = "Base name of the task family, the ECR repository and the services (<family>-blue, <family>-green), as scripts/blue-green.sh and deploy/aws/ name them. The cluster is named after var.name."
  type        = string
  default     = "cleanstation"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,40}$", var.family))
    error_message = "family must be lowercase letters, digits and hyphens."
  }
}

variable "create_repository" {
  description = "Create the ECR repository here. The DR region's instance sets false and pulls from the replicated repository (repository_url)."
  type        = bool
  default     = true
}

variable "repository_url" {
  description = "Image repository when create_repository is false (e.g. the DR region's replica)."
  type        = string
  default     = null
}

variable "image_tag" {
  description = "Image tag of the task-definition revisions Terraform registers. Releases register their own revisions (scripts/blue-green.sh), so this matters for the first apply only."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "image_tag must be a valid Docker tag."
  }
}

variable "container_port" {
  description = "Port the application listens on (PORT)."
  type        = number
  default     = 3000
}

variable "cpu" {
  description = "Task CPU units (1024 = 1 vCPU)."
  type        = number
  default     = 1024

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be a Fargate size: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "memory" {
  description = "Task memory in MiB; must suit the CPU size (Fargate's table)."
  type        = number
  default     = 2048

  validation {
    condition     = var.memory >= 512 && var.memory <= 122880 && var.memory % 512 == 0
    error_message = "memory must be a multiple of 512 MiB between 512 and 122880."
  }
}

variable "cpu_architecture" {
  description = "X86_64 or ARM64 (Graviton, about 20 % cheaper; needs an arm64 image)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "min_capacity" {
  description = "Tasks of the live colour during business hours: the lowest count auto scaling keeps (production 3)."
  type        = number

  validation {
    condition     = var.min_capacity >= 1
    error_message = "min_capacity must be at least 1."
  }
}

variable "max_capacity" {
  description = "Highest task count auto scaling may reach."
  type        = number
}

variable "cpu_target_percent" {
  description = "Average service CPU the target-tracking policy holds."
  type        = number
  default     = 60

  validation {
    condition     = var.cpu_target_percent >= 20 && var.cpu_target_percent <= 90
    error_message = "cpu_target_percent must be between 20 and 90."
  }
}

variable "schedule" {
  description = "Scheduled scale-down outside business hours (nights and weekends): at scale_down_cron the capacity drops to off_hours_min..off_hours_max, at scale_up_cron it returns to min_capacity..max_capacity. Cron expressions in Application Auto Scaling syntax, evaluated in timezone."
  type = object({
    enabled         = bool
    timezone        = string
    scale_down_cron = string
    scale_up_cron   = string
    off_hours_min   = number
    off_hours_max   = number
  })

  validation {
    condition     = startswith(var.schedule.scale_down_cron, "cron(") && startswith(var.schedule.scale_up_cron, "cron(")
    error_message = "schedule crons must be cron(...) expressions."
  }

  validation {
    condition     = var.schedule.off_hours_min >= 0 && var.schedule.off_hours_min <= var.schedule.off_hours_max
    error_message = "schedule.off_hours_min must be between 0 and off_hours_max."
  }
}

variable "health_check_grace_period" {
  description = "Seconds after a task starts before load-balancer health checks count."
  type        = number
  default     = 60
}

variable "subnet_ids" {
  description = "Private subnets of the tasks."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the tasks."
  type        = string
}

variable "target_group_arns" {
  description = "Target group per colour: { blue = arn, green = arn }."
  type        = map(string)

  validation {
    condition     = toset(keys(var.target_group_arns)) == toset(["blue", "green"])
    error_message = "target_group_arns must have exactly the keys blue and green."
  }
}

variable "execution_role_arn" {
  description = "ECS task execution role."
  type        = string
}

variable "task_role_arn" {
  description = "Role of the running application."
  type        = string
}

variable "secrets" {
  description = "Environment variable -> Parameter Store ARN, injected by ECS at start."
  type        = map(string)
}

variable "migration_only_secrets" {
  description = "Secrets (keys of var.secrets) only the migration task receives: the schema owner's database URL (ADR 009)."
  type        = list(string)
  default     = ["DATABASE_MIGRATION_URL"]
}

variable "environment_variables" {
  description = "Plain environment variables of the container (no secrets)."
  type        = map(string)
}

variable "container_user" {
  description = "uid:gid the container runs as (the Dockerfile's unprivileged user)."
  type        = string
  default     = "10001:10001"
}

variable "migrate_command" {
  description = "Command (after the image's entry point, the cleanstation binary) of the migration task."
  type        = list(string)
  default     = ["migrate"]
}

variable "log_group_name" {
  description = "CloudWatch log group of the containers."
  type        = string
}

variable "log_retention_days" {
  description = "Days to keep container logs."
  type        = number
  default     = 365
}

variable "kms_key_arn" {
  description = "Key for the log group and the image repository."
  type        = string
}

variable "container_insights" {
  description = "Container Insights (per-task metrics; about $0.30 per task-month plus log ingestion). Off is the basic monitoring of staging."
  type        = bool
  default     = true
}

variable "replicate_images_to_region" {
  description = "If set, replicate this account's cleanstation images to that region (ECR registry replication, for the DR region)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
