variable "name" {
  description = "Prefix for resource names, e.g. cleanstation-production."
  type        = string
}

variable "environment" {
  description = "Deployment environment (staging or production)."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "parameter_prefix" {
  description = "Parameter Store path holding this environment's secrets, e.g. /cleanstation/prod (no trailing slash)."
  type        = string

  validation {
    condition     = can(regex("^/cleanstation/[a-z][a-z0-9-]*$", var.parameter_prefix))
    error_message = "parameter_prefix must look like /cleanstation/<env>."
  }
}

variable "dr_enabled" {
  description = "Also create the KMS key and the parameter names in the DR region (provider aws.dr)."
  type        = bool
  default     = false
}

variable "documents_bucket_arns" {
  description = "ARNs of the document buckets the application may read and write (the primary and, with DR, its replica)."
  type        = list(string)

  validation {
    condition     = length(var.documents_bucket_arns) > 0 && alltrue([for a in var.documents_bucket_arns : startswith(a, "arn:aws:s3:::")])
    error_message = "documents_bucket_arns must be S3 bucket ARNs."
  }
}

variable "audit_checkpoint_lock_days" {
  description = "The longest retention the application may put on an audit checkpoint (its AUDIT_CHECKPOINT_LOCK_DAYS, ADR 009)."
  type        = number

  validation {
    condition     = var.audit_checkpoint_lock_days >= 1
    error_message = "audit_checkpoint_lock_days must be at least 1."
  }
}

variable "ecr_repository_name" {
  description = "ECR repository the execution role may pull from (same name in the DR region's replica)."
  type        = string
}

variable "log_group_name" {
  description = "CloudWatch log group the execution role may write container logs to (same name in the DR region)."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
