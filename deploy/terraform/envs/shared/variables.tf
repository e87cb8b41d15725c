# The environments differ only in the values of these variables
# (terraform.tfvars); every .tf file is the same in envs/staging and
# envs/production, which tests/test_invariants.py checks.

# --- Identity ---------------------------------------------------------------------

variable "environment" {
  description = "Deployment environment: the container's ENVIRONMENT and part of every name."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "region" {
  description = "Primary AWS region."
  type        = string
  default     = "us-east-1"
}

variable "dr_region" {
  description = "Disaster-recovery region."
  type        = string
  default     = "us-west-2"

  validation {
    condition     = var.dr_region != var.region
    error_message = "dr_region must differ from region."
  }
}

variable "zone_name" {
  description = "Existing public Route 53 hosted zone."
  type        = string
  default     = "torvan.com"
}

variable "domain_name" {
  description = "Host name of the application (cleanstation.torvan.com, staging.cleanstation.torvan.com). Static assets are served from assets.<domain_name>."
  type        = string

  validation {
    condition     = endswith(var.domain_name, "cleanstation.torvan.com")
    error_message = "domain_name must be cleanstation.torvan.com or a name under it."
  }
}

variable "parameter_prefix" {
  description = "Parameter Store path of the environment's secrets (ops.md: /cleanstation/prod for production)."
  type        = string

  validation {
    condition     = can(regex("^/cleanstation/[a-z][a-z0-9-]*$", var.parameter_prefix))
    error_message = "parameter_prefix must look like /cleanstation/<env>."
  }
}

variable "log_group_name" {
  description = "CloudWatch log group of the containers (ops.md: /aws/ecs/cleanstation; staging gets its own group when it shares the account)."
  type        = string

  validation {
    condition     = startswith(var.log_group_name, "/aws/ecs/cleanstation")
    error_message = "log_group_name must start with /aws/ecs/cleanstation."
  }
}

# --- Network ----------------------------------------------------------------------

variable "vpc_cidr" {
  description = "IPv4 range of the VPC."
  type        = string
  default     = "10.40.0.0/16"
}

variable "availability_zones" {
  description = "The three availability zones of the primary region."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b", "us-east-1c"]
}

variable "dr_availability_zones" {
  description = "The three availability zones of the DR region."
  type        = list(string)
  default     = ["us-west-2a", "us-west-2b", "us-west-2c"]
}

variable "dr_vpc_cidr" {
  description = "IPv4 range of the VPC in the DR region (must not overlap vpc_cidr, for a later peering)."
  type        = string
  default     = "10.41.0.0/16"
}

# --- Application ------------------------------------------------------------------

variable "image_tag" {
  description = "Image tag of the task-definition revisions Terraform registers (first apply; releases register their own)."
  type        = string
}

variable "ecr_create_repository" {
  description = "Create the ECR repository cleanstation here. When staging and production share an AWS account, one of them creates it (false in the other) and both pull from it: images are promoted by tag, not rebuilt."
  type        = bool
  default     = true
}

variable "task_cpu" {
  description = "Fargate task CPU units (1024 = 1 vCPU). deploy/COSTS.md holds the measured size."
  type        = number
}

variable "task_memory" {
  description = "Fargate task memory in MiB."
  type        = number
}

variable "task_count" {
  description = "Tasks of the live colour during business hours (the environment table: 3 in production, 1 in staging); the release script starts this many."
  type        = number

  validation {
    condition     = var.task_count >= 1 && var.task_count <= 50
    error_message = "task_count must be between 1 and 50."
  }
}

variable "task_count_max" {
  description = "Ceiling for CPU target tracking."
  type        = number

  validation {
    condition     = var.task_count_max >= var.task_count
    error_message = "task_count_max must be at least task_count."
  }
}

variable "cpu_target_percent" {
  description = "Average CPU the target-tracking policy holds."
  type        = number
  default     = 60
}

variable "off_hours" {
  description = "Scheduled scale-down at night and on weekends: capacity between scale_down_cron and scale_up_cron (Application Auto Scaling cron syntax, in timezone). The guide's cost section."
  type = object({
    enabled         = bool
    timezone        = string
    scale_down_cron = string
    scale_up_cron   = string
    min             = number
    max             = number
  })
}

variable "log_level" {
  description = "LOG_LEVEL of the application."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["trace", "debug", "info", "notice", "warning", "error", "critical"], var.log_level)
    error_message = "log_level must be one the application accepts (trace ... critical)."
  }
}

variable "audit_checkpoint_lock_days" {
  description = "AUDIT_CHECKPOINT_LOCK_DAYS: days each audit checkpoint in the documents bucket is locked in compliance mode (ADR 009); 2557 is seven years."
  type        = number
  default     = 2557

  validation {
    condition     = var.audit_checkpoint_lock_days >= 1 && var.audit_checkpoint_lock_days <= 36500
    error_message = "audit_checkpoint_lock_days must be 1 to 36500: production checkpoints are always locked."
  }
}

variable "otel_exporter_endpoint" {
  description = "OTEL_EXPORTER_OTLP_ENDPOINT; empty leaves tracing off."
  type        = string
  default     = ""
}

variable "smtp_from" {
  description = "SMTP_FROM sender address; empty uses cleanstation@<SMTP host>."
  type        = string
  default     = ""
}

variable "color_header_source_cidrs" {
  description = "If not empty, only these CIDRs may address a colour directly with X-CleanStation-Color (e.g. the CI runners)."
  type        = list(string)
  default     = []
}

variable "waf_enabled" {
  description = "WAF web ACL on the load balancer (about $10 a month, outside the guide's estimate)."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Deletion protection on the load balancer and the database instances."
  type        = bool
  default     = true
}

variable "detailed_monitoring" {
  description = "Container Insights, RDS Enhanced Monitoring and Performance Insights; false is the basic monitoring of staging."
  type        = bool
}

variable "log_retention_days" {
  description = "Days to keep container logs, flow logs and access logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value."
  }
}

# --- Database -----------------------------------------------------------------------

variable "db_instance_class" {
  description = "Primary instance class (production db.r6g.xlarge, staging db.t3.medium)."
  type        = string
}

variable "db_multi_az" {
  description = "Multi-AZ standby for the primary."
  type        = bool
}

variable "db_allocated_storage" {
  description = "gp3 storage of the primary in GiB (production 500)."
  type        = number
}

variable "db_max_allocated_storage" {
  description = "Storage autoscaling ceiling in GiB; 0 turns it off."
  type        = number
  default     = 0

  validation {
    condition     = var.db_max_allocated_storage == 0 || var.db_max_allocated_storage >= var.db_allocated_storage
    error_message = "db_max_allocated_storage must be 0 or at least db_allocated_storage."
  }
}

variable "db_iops" {
  description = "Provisioned gp3 IOPS or null for the baseline (3,000 below 400 GiB; 12,000 from 400 GiB, which covers the guide's 3,000)."
  type        = number
  default     = null
}

variable "db_backup_retention_days" {
  description = "Automated backups and point-in-time-recovery window in days."
  type        = number
  default     = 30
}

variable "db_read_replica_enabled" {
  description = "In-region read replica for DATABASE_READONLY_URL."
  type        = bool
}

variable "db_replica_instance_class" {
  description = "Instance class of the in-region read replica (production db.r6g.large)."
  type        = string
  default     = "db.r6g.large"
}

# --- Disaster recovery ----------------------------------------------------------------

variable "dr_database_replica" {
  description = "Cross-region read replica of the database in dr_region (with the DR network, key and certificate it needs)."
  type        = bool
  default     = false
}

variable "dr_documents_replication" {
  description = "Replicate the document bucket to dr_region."
  type        = bool
  default     = false
}

variable "dr_failover" {
  description = "FAILOVER SWITCH: promote the DR database replica and run the application in dr_region (NAT, load balancer, ECS) with DNS pointing there. One-way for the database; see README."
  type        = bool
  default     = false

  validation {
    condition     = !var.dr_failover || (var.dr_database_replica && var.dr_documents_replication)
    error_message = "dr_failover needs dr_database_replica and dr_documents_replication."
  }
}

variable "dr_db_instance_class" {
  description = "Instance class of the DR database replica."
  type        = string
  default     = "db.r6g.large"
}

# --- Alerts and budget ---------------------------------------------------------------

variable "critical_alert_subscriptions" {
  description = "Subscribers of the critical alert topic (PagerDuty)."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default = []
}

variable "warning_alert_subscriptions" {
  description = "Subscribers of the warning alert topic (Slack via AWS Chatbot, or e-mail)."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default = []
}

variable "monthly_budget_usd" {
  description = "Monthly budget of the environment in USD (alerts at 80 % and 100 %)."
  type        = number
}

variable "budget_alert_emails" {
  description = "Addresses the budget alerts are mailed to."
  type        = list(string)
  default     = []
}
