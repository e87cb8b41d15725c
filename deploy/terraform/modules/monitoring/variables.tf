variable "name" {
  description = "Prefix for resource names, e.g. cleanstation-production."
  type        = string
}

variable "environment" {
  description = "Deployment environment; the budget counts costs tagged Environment=<environment>."
  type        = string
}

variable "kms_key_arn" {
  description = "Key encrypting the alert topics (its policy admits CloudWatch and Budgets)."
  type        = string
}

variable "alb_arn_suffix" {
  description = "LoadBalancer dimension of the ALB metrics."
  type        = string
}

variable "db_instance_identifiers" {
  description = "RDS instances watched for connection exhaustion (primary and replica)."
  type        = list(string)
}

variable "ecs_cluster_name" {
  description = "ECS cluster of the services."
  type        = string
}

variable "ecs_service_names" {
  description = "ECS services watched for memory (blue and green; the idle one reports no data)."
  type        = list(string)
}

variable "error_rate_threshold_percent" {
  description = "Critical when 5xx responses exceed this share of requests over 5 minutes (Prometheus: HighErrorRate)."
  type        = number
  default     = 5
}

variable "db_connections_threshold" {
  description = "Warning when a database instance holds more connections than this for 5 minutes (Prometheus: connection pool exhausted)."
  type        = number
  default     = 80
}

variable "memory_threshold_percent" {
  description = "Warning when a task uses more than this share of its memory limit for 5 minutes (Prometheus: memory high)."
  type        = number
  default     = 90
}

variable "critical_subscriptions" {
  description = "Subscribers of the critical topic, e.g. the PagerDuty CloudWatch integration: [{ protocol = \"https\", endpoint = \"https://events.pagerduty.com/integration/<key>/enqueue\" }]."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default = []
}

variable "warning_subscriptions" {
  description = "Subscribers of the warning topic (e.g. AWS Chatbot for Slack, or e-mail)."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default = []
}

variable "monthly_budget_usd" {
  description = "Monthly cost budget of the environment in USD; alerts at 80 % and 100 % of it."
  type        = number

  validation {
    condition     = var.monthly_budget_usd > 0
    error_message = "monthly_budget_usd must be positive."
  }
}

variable "budget_alert_emails" {
  description = "Addresses the budget alerts are mailed to (in addition to the warning topic)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
