variable "name" {
  description = "Prefix for resource names, e.g. cleanstation-production. Bucket names add the account ID to be globally unique."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer-managed key for the document bucket (SSE-KMS with a bucket key)."
  type        = string
}

variable "infrequent_access_after_days" {
  description = "Days after which document objects move to STANDARD_IA."
  type        = number
  default     = 30

  validation {
    condition     = var.infrequent_access_after_days >= 30
    error_message = "S3 accepts STANDARD_IA transitions after 30 days at the earliest."
  }
}

variable "glacier_after_days" {
  description = "Days after which document objects move to Glacier Instant Retrieval (downloads keep working in milliseconds)."
  type        = number
  default     = 90

  validation {
    condition     = var.glacier_after_days >= 90
    error_message = "glacier_after_days must be at least 90 (STANDARD_IA objects must stay 30 days, Glacier IR bills 90)."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days a superseded or deleted document version is kept before it expires. The application never overwrites or deletes (keys are content hashes), so these versions come only from operator actions."
  type        = number
  default     = 365
}

variable "log_retention_days" {
  description = "Days to keep load-balancer and S3 access logs in the log bucket."
  type        = number
  default     = 365
}

variable "replication_enabled" {
  description = "Replicate the document bucket to a bucket in the DR region (provider aws.dr)."
  type        = bool
  default     = false
}

variable "replica_kms_key_arn" {
  description = "Customer-managed key in the DR region for the replica bucket; required when replication_enabled."
  type        = string
  default     = null
}

variable "assets_domain_name" {
  description = "Host name CloudFront serves the static assets under, e.g. assets.cleanstation.torvan.com."
  type        = string
}

variable "cdn_certificate_arn" {
  description = "Validated ACM certificate for assets_domain_name, in us-east-1 (CloudFront's requirement)."
  type        = string
}

variable "cdn_price_class" {
  description = "CloudFront price class; PriceClass_100 serves from North America and Europe."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.cdn_price_class)
    error_message = "cdn_price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
