variable "zone_name" {
  description = "Existing public Route 53 hosted zone the records go into, e.g. torvan.com."
  type        = string
}

variable "domain_name" {
  description = "Host name of the application, e.g. cleanstation.torvan.com or staging.cleanstation.torvan.com."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name."
  }
}

variable "assets_domain_name" {
  description = "Host name of the static assets on CloudFront, e.g. assets.cleanstation.torvan.com."
  type        = string
}

variable "dr_enabled" {
  description = "Also issue the application certificate in the DR region (provider aws.dr), ready for a failover."
  type        = bool
  default     = false
}

variable "alb_dns_name" {
  description = "DNS name of the load balancer the application record points to."
  type        = string
}

variable "alb_zone_id" {
  description = "Route 53 zone ID of that load balancer."
  type        = string
}

variable "cdn_domain_name" {
  description = "CloudFront domain of the assets distribution."
  type        = string
}

variable "cdn_hosted_zone_id" {
  description = "Route 53 zone ID of CloudFront aliases."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
