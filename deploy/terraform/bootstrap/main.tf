# Creates the remote-state bucket and lock table, once per AWS account, with
# local state (this directory's terraform.tfstate: keep it, or migrate it into
# the new bucket afterwards - see ../README.md).

terraform {
  required_version = ">= 1.6.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}

# The state lives in the DR region on purpose: the one time Terraform must
# run while the primary region (us-east-1) is impaired is the failover.
variable "region" {
  description = "Region of the state bucket and lock table (the DR region, us-west-2; see ../README.md)."
  type        = string
  default     = "us-west-2"
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project   = "cleanstation"
      ManagedBy = "terraform"
      Stack     = "bootstrap"
    }
  }
}

data "aws_caller_identity" "current" {}

module "state" {
  source = "../modules/bootstrap"

  state_bucket_name = "cleanstation-tfstate-${data.aws_caller_identity.current.account_id}"
  lock_table_name   = "cleanstation-terraform-locks"
}

output "state_bucket" {
  description = "S3 bucket holding the environments' state."
  value       = module.state.state_bucket
}

output "lock_table" {
  description = "DynamoDB table holding the state locks."
  value       = module.state.lock_table
}

output "kms_key_arn" {
  description = "KMS key encrypting the state."
  value       = module.state.kms_key_arn
}
