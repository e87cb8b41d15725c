# Keys, secrets and identities of one environment:
#   - a customer-managed KMS key per region (RDS, S3 documents, Parameter
#     Store, SNS, ECR, CloudWatch Logs);
#   - the Parameter Store names the task definition maps to environment
#     variables (values are written out of band, never by Terraform);
#   - the ECS execution role (pulls the image, writes logs, injects secrets)
#     and the task role, each limited to this environment's own parameters,
#     bucket and key. The application signs S3 requests with the task role's
#     temporary credentials (ADR 014): no IAM user, no long-lived access key.

terraform {
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      configuration_aliases = [aws.dr]
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

data "aws_region" "dr" {
  provider = aws.dr
}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  regions   = var.dr_enabled ? [data.aws_region.current.name, data.aws_region.dr.name] : [data.aws_region.current.name]

  # Environment variable -> parameter name under var.parameter_prefix.
  # ops.md's s3/credentials is not among them: the task role signs S3.
  parameters = {
    DATABASE_URL          = "database/url"
    DATABASE_READONLY_URL = "database/readonly_url"
    JWT_PRIVATE_KEY       = "jwt/private_key"
    JWT_PUBLIC_KEY        = "jwt/public_key"
    ENCRYPTION_KEY        = "encryption/key"
    SMTP_URL              = "smtp/credentials"
    # ADR 009: the key that seals the records, which the database never
    # holds, and the schema owner's URL, given to the migration task only.
    AUDIT_SIGNING_KEY      = "audit/signing_key"
    DATABASE_MIGRATION_URL = "database/migration_url"
  }

  # Every parameter of this environment, in each region it exists in.
  parameter_arns = [
    for r in local.regions : "arn:${local.partition}:ssm:${r}:${local.account}:parameter${var.parameter_prefix}/*"
  ]
  kms_key_arns = concat([aws_kms_key.main.arn], aws_kms_key.dr[*].arn)
  # Built from names rather than taken from the ecs module, so that the roles
  # and their policies exist before any task starts.
  repository_arns = [
    for r in local.regions : "arn:${local.partition}:ecr:${r}:${local.account}:repository/${var.ecr_repository_name}"
  ]
  log_stream_arns = [
    for r in local.regions : "arn:${local.partition}:logs:${r}:${local.account}:log-group:${var.log_group_name}:log-stream:*"
  ]

  # Written by Terraform only at creation; the operator overwrites it
  # (`aws ssm put-parameter --overwrite`) and Terraform ignores the value from
  # then on. A task started before that fails fast: the application refuses to
  # start in production with an invalid secret and names it.
  placeholder = "UNSET: write the value with aws ssm put-parameter --overwrite"
}

# --- KMS -------------------------------------------------------------------------

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109:A key policy's "*" resource is the key itself; administration is delegated to the account's IAM policies.
  #checkov:skip=CKV_AWS_111:A key policy's "*" resource is the key itself; service statements are conditioned on this account.
  #checkov:skip=CKV_AWS_356:A key policy's "*" resource is the key itself.
  for_each = toset(local.regions)

  statement {
    sid       = "AccountAdministersKeyThroughIAM"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogsEncryptsThisAccountsLogGroups"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${each.value}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${each.value}:${local.account}:log-group:*"]
    }
  }

  statement {
    sid       = "AlarmsAndBudgetsPublishToEncryptedTopics"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_kms_key" "main" {
  description             = "${var.name}: RDS, documents, Parameter Store, logs, alerts"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key[data.aws_region.current.name].json

  tags = var.tags
}

resource "aws_kms_alias" "main" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.main.key_id
}

resource "aws_kms_key" "dr" {
  count    = var.dr_enabled ? 1 : 0
  provider = aws.dr

  description             = "${var.name} (DR): database replica, document replica, Parameter Store"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key[data.aws_region.dr.name].json

  tags = var.tags
}

resource "aws_kms_alias" "dr" {
  count    = var.dr_enabled ? 1 : 0
  provider = aws.dr

  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.dr[0].key_id
}

# --- Parameter Store (names only) -------------------------------------------------

resource "aws_ssm_parameter" "secret" {
  for_each = local.parameters

  name        = "${var.parameter_prefix}/${each.value}"
  description = "CleanStation ${var.environment}: ${each.key} (value set out of band)"
  type        = "SecureString"
  key_id      = aws_kms_key.main.arn
  tier        = "Standard"
  value       = local.placeholder

  tags = merge(var.tags, { EnvVar = each.key })

  lifecycle {
    ignore_changes = [value]
  }
}

resource "aws_ssm_parameter" "secret_dr" {
  for_each = { for k, v in local.parameters : k => v if var.dr_enabled }
  provider = aws.dr

  name        = "${var.parameter_prefix}/${each.value}"
  description = "CleanStation ${var.environment} (DR): ${each.key} (value set out of band)"
  type        = "SecureString"
  key_id      = aws_kms_key.dr[0].arn
  tier        = "Standard"
  value       = local.placeholder

  tags = merge(var.tags, { EnvVar = each.key })

  lifecycle {
    ignore_changes = [value]
  }
}

# --- ECS execution role: pull, log, inject secrets ----------------------------

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  description        = "ECS agent for CleanStation ${var.environment}: pulls the image, writes logs, reads the environment's parameters"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json

  tags = var.tags
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "PullOwnImages"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
    resources = local.repository_arns
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = local.log_stream_arns
  }

  statement {
    sid       = "ReadOwnParameters"
    actions   = ["ssm:GetParameters"]
    resources = local.parameter_arns
  }

  statement {
    sid       = "DecryptOwnParameters"
    actions   = ["kms:Decrypt"]
    resources = local.kms_key_arns
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [for r in local.regions : "ssm.${r}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "pull-log-inject-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# --- Task role: what the running application may do ---------------------------

resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  description        = "CleanStation ${var.environment} application: its own parameters and its own document bucket, nothing else"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json

  tags = var.tags
}

# The task role's document-bucket permissions (it signs S3, ADR 014):
# HEAD/GET/PUT of objects (the application never deletes; versioning
# keeps every version), listing, so that a missing key answers 404, and a
# retention on what it writes (the audit checkpoints, ADR 009): it may lock
# an object, never shorten or bypass a lock.
data "aws_iam_policy_document" "documents" {
  statement {
    sid       = "ListOwnBucket"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = var.documents_bucket_arns
  }

  statement {
    sid       = "ReadWriteOwnObjects"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
    resources = [for b in var.documents_bucket_arns : "${b}/*"]
  }

  # The audit checkpoints only (ADR 009), and for no longer than the
  # application asks: a planted object cannot be locked for decades.
  statement {
    sid       = "LockOwnCheckpoints"
    actions   = ["s3:PutObjectRetention"]
    resources = [for b in var.documents_bucket_arns : "${b}/audit-checkpoints/*"]
    condition {
      test     = "NumericLessThanEquals"
      variable = "s3:object-lock-remaining-retention-days"
      values   = [tostring(var.audit_checkpoint_lock_days)]
    }
  }

  statement {
    sid       = "UseOwnKeyForObjects"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = local.kms_key_arns
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [for r in local.regions : "s3.${r}.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "task" {
  source_policy_documents = [data.aws_iam_policy_document.documents.json]

  statement {
    sid       = "ReadOwnParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]
    resources = local.parameter_arns
  }

  statement {
    sid       = "DecryptOwnParameters"
    actions   = ["kms:Decrypt"]
    resources = local.kms_key_arns
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [for r in local.regions : "ssm.${r}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "own-parameters-and-documents"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}
