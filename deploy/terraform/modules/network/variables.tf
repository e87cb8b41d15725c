variable "name" {
  description = "Prefix for resource names, e.g. cleanstation-production."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}$", var.name))
    error_message = "name must be 3-41 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "cidr_block" {
  description = "IPv4 range of the VPC; a /16 leaves room for three public and three private /20 subnets."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && tonumber(split("/", var.cidr_block)[1]) <= 18
    error_message = "cidr_block must be an IPv4 CIDR of /18 or larger."
  }
}

variable "availability_zones" {
  description = "The three availability zones of the subnets, e.g. [\"us-east-1a\", \"us-east-1b\", \"us-east-1c\"]."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) == 3 && length(distinct(var.availability_zones)) == 3
    error_message = "availability_zones must name three different zones."
  }
}

variable "app_port" {
  description = "Port the application container listens on; the only port the load balancer may reach."
  type        = number
  default     = 3000

  validation {
    condition     = var.app_port > 0 && var.app_port < 65536
    error_message = "app_port must be a TCP port number."
  }
}

variable "db_port" {
  description = "PostgreSQL port; the only port the application tier may reach on the database."
  type        = number
  default     = 5432
}

variable "app_egress_ports" {
  description = "TCP ports the application may open to the internet through the NAT gateway: 443 (ECR, SSM, S3, CloudWatch, OTLP over HTTPS) and 587 (SMTP submission)."
  type        = list(number)
  default     = [443, 587]

  validation {
    condition     = alltrue([for p in var.app_egress_ports : p > 0 && p < 65536])
    error_message = "app_egress_ports must be TCP port numbers."
  }
}

variable "enable_nat_gateway" {
  description = "Create the single NAT gateway for the private subnets. The DR region's pilot-light network leaves it off until failover."
  type        = bool
  default     = true
}

variable "flow_log_retention_days" {
  description = "Days to keep VPC flow logs in CloudWatch."
  type        = number
  default     = 365
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the flow-log group (its policy must admit CloudWatch Logs)."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource (the provider adds the default tags)."
  type        = map(string)
  default     = {}
}
