# PostgreSQL 15 on RDS: the primary (Multi-AZ in production), an in-region
# read replica for the read-only pool, and optionally a cross-region replica
# in the DR region that a failover promotes.

terraform {
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      configuration_aliases = [aws.dr]
    }
  }
}

resource "aws_db_subnet_group" "this" {
  name        = var.identifier
  description = "Private subnets of ${var.identifier}"
  subnet_ids  = var.subnet_ids

  tags = var.tags
}

resource "aws_db_parameter_group" "this" {
  name        = "${var.identifier}-pg15"
  family      = "postgres15"
  description = "CleanStation: slow-statement log without parameters, TLS only"

  # ops.md: statements slower than 1000 ms are logged with their SQL...
  parameter {
    name  = "log_min_duration_statement"
    value = tostring(var.slow_query_ms)
  }
  # ...and without their bind parameters (PostgreSQL 13+).
  parameter {
    name  = "log_parameter_max_length"
    value = "0"
  }
  parameter {
    name  = "log_parameter_max_length_on_error"
    value = "0"
  }
  # Schema changes (migrations) are logged; ordinary statements are not.
  parameter {
    name  = "log_statement"
    value = "ddl"
  }
  parameter {
    name  = "log_lock_waits"
    value = "1"
  }
  # Clients must use TLS.
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

data "aws_iam_policy_document" "monitoring_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  count = var.monitoring_interval > 0 ? 1 : 0

  name               = "${var.identifier}-rds-monitoring"
  description        = "Enhanced Monitoring of ${var.identifier}"
  assume_role_policy = data.aws_iam_policy_document.monitoring_assume.json

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  count = var.monitoring_interval > 0 ? 1 : 0

  role       = aws_iam_role.monitoring[0].name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

resource "aws_db_instance" "primary" {
  #checkov:skip=CKV_AWS_157:Multi-AZ is var.multi_az: true in production, false in staging (the environment table).
  #checkov:skip=CKV_AWS_118:Enhanced Monitoring is var.monitoring_interval: 60 s in production, 0 (basic monitoring) in staging.
  #checkov:skip=CKV_AWS_353:Performance Insights is var.performance_insights_enabled: on in production, off in staging (basic monitoring).
  identifier     = var.identifier
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class
  multi_az       = var.multi_az
  port           = 5432

  db_name                       = var.database_name
  username                      = var.master_username
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.kms_key_arn

  storage_type          = "gp3"
  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage > 0 ? var.max_allocated_storage : null
  iops                  = var.iops
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [var.security_group_id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.this.name
  ca_cert_identifier     = "rds-ca-rsa2048-g1"

  # Automated backups give point-in-time recovery to any second of the window.
  backup_retention_period   = var.backup_retention_days
  backup_window             = var.backup_window
  maintenance_window        = var.maintenance_window
  copy_tags_to_snapshot     = true
  delete_automated_backups  = false
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.identifier}-final"

  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = false
  apply_immediately           = false

  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]

  monitoring_interval                   = var.monitoring_interval
  monitoring_role_arn                   = var.monitoring_interval > 0 ? aws_iam_role.monitoring[0].arn : null
  performance_insights_enabled          = var.performance_insights_enabled
  performance_insights_kms_key_id       = var.performance_insights_enabled ? var.kms_key_arn : null
  performance_insights_retention_period = var.performance_insights_enabled ? 7 : null

  tags = merge(var.tags, { Role = "primary" })

  lifecycle {
    precondition {
      condition     = var.iops == null || var.allocated_storage >= 400
      error_message = "gp3 IOPS can be provisioned only from 400 GiB; below that RDS gives a fixed 3,000."
    }
  }
}

# In-region read replica: reports, lists, dashboards and exports
# (DATABASE_READONLY_URL). Asynchronous; the application falls back to the
# primary when it is unavailable.
resource "aws_db_instance" "replica" {
  #checkov:skip=CKV_AWS_157:A read replica is single-AZ; the primary is Multi-AZ and a failed replica is replaced.
  #checkov:skip=CKV_AWS_133:Backups are taken on the primary; the replica holds the same data.
  #checkov:skip=CKV_AWS_118:Enhanced Monitoring follows var.monitoring_interval (on in production).
  #checkov:skip=CKV_AWS_353:Performance Insights follows var.performance_insights_enabled (on in production).
  #checkov:skip=CKV2_AWS_60:A replica takes no snapshots of its own.
  count = var.read_replica_enabled ? 1 : 0

  identifier          = "${var.identifier}-replica"
  replicate_source_db = aws_db_instance.primary.identifier
  instance_class      = var.replica_instance_class
  multi_az            = false

  storage_type      = "gp3"
  iops              = var.iops
  storage_encrypted = true
  kms_key_id        = var.kms_key_arn

  vpc_security_group_ids = [var.security_group_id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.this.name
  ca_cert_identifier     = "rds-ca-rsa2048-g1"

  backup_retention_period = 0
  maintenance_window      = var.maintenance_window
  deletion_protection     = var.deletion_protection
  skip_final_snapshot     = true

  auto_minor_version_upgrade = true
  apply_immediately          = false

  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]

  monitoring_interval                   = var.monitoring_interval
  monitoring_role_arn                   = var.monitoring_interval > 0 ? aws_iam_role.monitoring[0].arn : null
  performance_insights_enabled          = var.performance_insights_enabled
  performance_insights_kms_key_id       = var.performance_insights_enabled ? var.kms_key_arn : null
  performance_insights_retention_period = var.performance_insights_enabled ? 7 : null

  tags = merge(var.tags, { Role = "read-replica" })
}

# --- Cross-region replica in the DR region ---------------------------------------------

resource "aws_db_subnet_group" "dr" {
  count    = var.dr_replica_enabled ? 1 : 0
  provider = aws.dr

  name        = "${var.identifier}-dr"
  description = "Private subnets of the DR replica of ${var.identifier}"
  subnet_ids  = var.dr_subnet_ids

  tags = var.tags
}

resource "aws_db_parameter_group" "dr" {
  count    = var.dr_replica_enabled ? 1 : 0
  provider = aws.dr

  name        = "${var.identifier}-dr-pg15"
  family      = "postgres15"
  description = "CleanStation: slow-statement log without parameters, TLS only"

  # ops.md: statements slower than 1000 ms are logged with their SQL...
  parameter {
    name  = "log_min_duration_statement"
    value = tostring(var.slow_query_ms)
  }
  # ...and without their bind parameters (PostgreSQL 13+).
  parameter {
    name  = "log_parameter_max_length"
    value = "0"
  }
  parameter {
    name  = "log_parameter_max_length_on_error"
    value = "0"
  }
  # Schema changes (migrations) are logged; ordinary statements are not.
  parameter {
    name  = "log_statement"
    value = "ddl"
  }
  parameter {
    name  = "log_lock_waits"
    value = "1"
  }
  # Clients must use TLS.
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "dr" {
  #checkov:skip=CKV_AWS_157:Single-AZ while it is a standby replica (cost); after promotion it follows var.multi_az.
  #checkov:skip=CKV_AWS_133:No backups while it is a replica (the primary's are authoritative); promotion turns on var.backup_retention_days.
  #checkov:skip=CKV_AWS_118:Enhanced Monitoring on a standby replica is not worth its cost; it follows var.monitoring_interval after promotion.
  #checkov:skip=CKV_AWS_353:Performance Insights is off on the standby replica; it can be turned on after promotion.
  #checkov:skip=CKV2_AWS_60:A replica takes no snapshots of its own.
  count    = var.dr_replica_enabled ? 1 : 0
  provider = aws.dr

  identifier = "${var.identifier}-dr"
  # Failover: null promotes the replica to a standalone primary.
  replicate_source_db = var.dr_promoted ? null : aws_db_instance.primary.arn
  instance_class      = var.dr_instance_class
  multi_az            = var.dr_promoted ? var.multi_az : false

  storage_type      = "gp3"
  iops              = var.iops
  storage_encrypted = true
  kms_key_id        = var.dr_kms_key_arn

  db_subnet_group_name   = aws_db_subnet_group.dr[0].name
  vpc_security_group_ids = [var.dr_security_group_id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.dr[0].name
  ca_cert_identifier     = "rds-ca-rsa2048-g1"

  backup_retention_period   = var.dr_promoted ? var.backup_retention_days : 0
  backup_window             = var.dr_promoted ? var.backup_window : null
  maintenance_window        = var.maintenance_window
  copy_tags_to_snapshot     = true
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = !var.dr_promoted
  final_snapshot_identifier = "${var.identifier}-dr-final"

  auto_minor_version_upgrade = true
  apply_immediately          = var.dr_promoted

  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]

  monitoring_interval = var.dr_promoted ? var.monitoring_interval : 0
  monitoring_role_arn = var.dr_promoted && var.monitoring_interval > 0 ? aws_iam_role.monitoring[0].arn : null

  tags = merge(var.tags, { Role = var.dr_promoted ? "primary-dr" : "dr-replica" })

  lifecycle {
    precondition {
      condition     = var.dr_kms_key_arn != null && var.dr_security_group_id != null && length(var.dr_subnet_ids) >= 2
      error_message = "The DR replica needs dr_kms_key_arn, dr_security_group_id and at least two dr_subnet_ids."
    }
  }
}
