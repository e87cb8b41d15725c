variable "name" {
  description = "Name of the load balancer, e.g. cleanstation-production; the target groups are <name>-blue and <name>-green."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,25}$", var.name)) && !endswith(var.name, "-")
    error_message = "name must be at most 26 lowercase letters, digits and hyphens (target group names <name>-green must fit AWS's 32)."
  }
}

variable "vpc_id" {
  description = "VPC of the target groups."
  type        = string
}

variable "subnet_ids" {
  description = "Public subnets of the load balancer, in at least two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "An application load balancer needs subnets in at least two availability zones."
  }
}

variable "security_group_id" {
  description = "Security group of the load balancer (from the network module)."
  type        = string
}

variable "certificate_arn" {
  description = "Validated ACM certificate of the application host, in this region."
  type        = string
}

variable "container_port" {
  description = "Port the tasks listen on."
  type        = number
  default     = 3000
}

variable "health_check_path" {
  description = "Readiness path: 200 only when the database answers and no migration is pending."
  type        = string
  default     = "/api/ready"

  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "health_check_path must start with a slash."
  }
}

variable "color_header_source_cidrs" {
  description = "If not empty, the colour-header rules only apply to requests from these CIDRs (e.g. the CI runners); others get the live colour."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.color_header_source_cidrs : can(cidrhost(c, 0))])
    error_message = "color_header_source_cidrs must be CIDR blocks."
  }
}

variable "deregistration_delay" {
  description = "Seconds a target keeps serving in-flight requests after it leaves a target group (the blue-green drain)."
  type        = number
  default     = 30
}

variable "idle_timeout" {
  description = "Seconds a client connection may stay idle (exports and reports stream for a while)."
  type        = number
  default     = 120
}

variable "deletion_protection" {
  description = "Protect the load balancer against deletion."
  type        = bool
  default     = true
}

variable "access_logs_bucket" {
  description = "Bucket in this region receiving access logs under the alb/ prefix; null turns access logs off (the DR region during a failover)."
  type        = string
  default     = null
}

variable "waf_enabled" {
  description = "Attach a WAF web ACL with AWS managed rules (common, known bad inputs, IP reputation) and a rate limit."
  type        = bool
  default     = true
}

variable "waf_rate_limit" {
  description = "Requests per client IP per 5 minutes before WAF blocks it."
  type        = number
  default     = 2000
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
