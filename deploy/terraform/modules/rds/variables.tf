variable "identifier" {
  description = "Identifier of the primary instance, e.g. cleanstation-production; replicas add -replica and -dr."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,50}$", var.identifier))
    error_message = "identifier must start with a letter and hold lowercase letters, digits and hyphens (at most 51)."
  }
}

variable "engine_version" {
  description = "PostgreSQL version; a major version alone (15) lets RDS apply minor upgrades in the maintenance window."
  type        = string
  default     = "15"

  validation {
    condition     = can(regex("^15(\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be PostgreSQL 15 (15 or 15.x): the parameter group family is postgres15."
  }
}

variable "instance_class" {
  description = "Instance class of the primary (production db.r6g.xlarge, staging db.t3.medium)."
  type        = string

  validation {
    condition     = startswith(var.instance_class, "db.")
    error_message = "instance_class must be an RDS class such as db.r6g.xlarge."
  }
}

variable "multi_az" {
  description = "Synchronous standby in a second availability zone with automatic failover."
  type        = bool
}

variable "allocated_storage" {
  description = "Storage in GiB (gp3)."
  type        = number

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536
    error_message = "allocated_storage must be between 20 and 65536 GiB."
  }
}

variable "max_allocated_storage" {
  description = "Storage autoscaling ceiling in GiB (0 turns autoscaling off)."
  type        = number
  default     = 0
}

variable "iops" {
  description = "Provisioned gp3 IOPS, or null for the baseline. RDS gp3 for PostgreSQL gives 3,000 IOPS below 400 GiB (fixed) and 12,000 from 400 GiB, and accepts a value only from 400 GiB and only at or above 12,000."
  type        = number
  default     = null

  validation {
    condition     = var.iops == null || try(var.iops >= 12000 && var.iops <= 64000, false)
    error_message = "iops must be null (baseline) or between 12000 and 64000 (storage of 400 GiB or more)."
  }
}

variable "database_name" {
  description = "Database created on the primary."
  type        = string
  default     = "cleanstation"
}

variable "master_username" {
  description = "Administrator user; its password is generated and rotated by RDS in Secrets Manager. The application connects as its own user (see README)."
  type        = string
  default     = "cleanstation_admin"
}

variable "subnet_ids" {
  description = "Private subnets of the database (three availability zones)."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group admitting PostgreSQL from the application tier only."
  type        = string
}

variable "kms_key_arn" {
  description = "Key for storage, Performance Insights and the master secret."
  type        = string
}

variable "backup_retention_days" {
  description = "Days of automated backups and of the point-in-time-recovery window."
  type        = number
  default     = 30

  validation {
    condition     = var.backup_retention_days >= 7 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 7 and 35."
  }
}

variable "backup_window" {
  description = "Daily backup window (UTC), outside the maintenance window."
  type        = string
  default     = "02:00-03:00"
}

variable "maintenance_window" {
  description = "Weekly maintenance window (UTC)."
  type        = string
  default     = "sun:03:30-sun:04:30"
}

variable "deletion_protection" {
  description = "Refuse to delete the instances (turn off deliberately before a destroy)."
  type        = bool
  default     = true
}

variable "slow_query_ms" {
  description = "Statements slower than this are logged with their SQL (log_min_duration_statement); bind parameters are not logged."
  type        = number
  default     = 1000
}

variable "monitoring_interval" {
  description = "Enhanced Monitoring interval in seconds; 0 is basic monitoring."
  type        = number
  default     = 60

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "monitoring_interval must be 0, 1, 5, 10, 15, 30 or 60."
  }
}

variable "performance_insights_enabled" {
  description = "Performance Insights (7 days of history are free)."
  type        = bool
  default     = true
}

variable "read_replica_enabled" {
  description = "Create the in-region read replica (DATABASE_READONLY_URL)."
  type        = bool
  default     = false
}

variable "replica_instance_class" {
  description = "Instance class of the in-region read replica."
  type        = string
  default     = "db.r6g.large"
}

variable "dr_replica_enabled" {
  description = "Create a cross-region read replica in the DR region (provider aws.dr)."
  type        = bool
  default     = false
}

variable "dr_promoted" {
  description = "Failover: promote the DR replica to a standalone primary (Terraform drops replicate_source_db, RDS promotes). One-way."
  type        = bool
  default     = false
}

variable "dr_instance_class" {
  description = "Instance class of the DR replica."
  type        = string
  default     = "db.r6g.large"
}

variable "dr_subnet_ids" {
  description = "Private subnets in the DR region for the replica."
  type        = list(string)
  default     = []
}

variable "dr_security_group_id" {
  description = "Database security group in the DR region."
  type        = string
  default     = null
}

variable "dr_kms_key_arn" {
  description = "Key in the DR region for the replica's storage."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
