variable "state_bucket_name" {
  description = "Globally unique name of the Terraform state bucket, e.g. cleanstation-tfstate-<account id>."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be a valid S3 bucket name."
  }
}

variable "lock_table_name" {
  description = "Name of the DynamoDB table holding Terraform state locks."
  type        = string
  default     = "cleanstation-terraform-locks"
}

variable "noncurrent_state_days" {
  description = "Days superseded state versions are kept (the way back from a bad apply)."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
