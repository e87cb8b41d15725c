locals {
  default_tags = {
    Project     = "cleanstation"
    Environment = var.environment
    ManagedBy   = "terraform"
    Repository  = "cleanstation/deploy/terraform"
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.default_tags
  }
}

# Disaster-recovery region: the database replica, the document replica and,
# during a failover, the application tier.
provider "aws" {
  alias  = "dr"
  region = var.dr_region

  default_tags {
    tags = local.default_tags
  }
}

# CloudFront certificates must live in us-east-1.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = local.default_tags
  }
}
