# CleanStation on AWS: one environment. envs/staging and envs/production hold
# the same files; terraform.tfvars sets the differences (see the README's
# environment table).

data "aws_caller_identity" "current" {}

locals {
  name               = "cleanstation-${var.environment}"
  family             = "cleanstation" # task family, ECR repository, services cleanstation-blue/-green
  assets_domain_name = "assets.${var.domain_name}"
  container_port     = 3000
  dr_enabled         = var.dr_database_replica || var.dr_documents_replication

  scaling_schedule = {
    enabled         = var.off_hours.enabled
    timezone        = var.off_hours.timezone
    scale_down_cron = var.off_hours.scale_down_cron
    scale_up_cron   = var.off_hours.scale_up_cron
    off_hours_min   = var.off_hours.min
    off_hours_max   = var.off_hours.max
  }

  # Plain environment of the container; secrets come from Parameter Store.
  app_environment = merge(
    {
      ENVIRONMENT = var.environment
      PORT        = tostring(local.container_port)
      HOST        = "0.0.0.0"
      PUBLIC_URL  = "https://${var.domain_name}"
      LOG_LEVEL   = var.log_level
      LOG_FORMAT  = "json"
      APP_VERSION = var.image_tag
      # The load balancer's addresses: X-Forwarded-For is believed from them
      # only, for sign-in limits, sessions and the audit trail.
      TRUSTED_PROXIES = join(",", [var.vpc_cidr, var.dr_vpc_cidr])
      # ADR 009: checkpoints of the audit trail, locked in S3.
      AUDIT_CHECKPOINT_LOCK_DAYS = tostring(var.audit_checkpoint_lock_days)
    },
    # Optional settings, left out when empty.
    {
      for k, v in {
        OTEL_EXPORTER_OTLP_ENDPOINT = var.otel_exporter_endpoint
        SMTP_FROM                   = var.smtp_from
      } : k => v if v != ""
    },
  )
}

# --- Keys, secrets, roles -------------------------------------------------------------

module "secrets" {
  source    = "../../modules/secrets"
  providers = { aws = aws, aws.dr = aws.dr }

  name                = local.name
  environment         = var.environment
  parameter_prefix    = var.parameter_prefix
  dr_enabled          = local.dr_enabled
  ecr_repository_name = local.family
  log_group_name      = var.log_group_name
  documents_bucket_arns = compact([
    module.storage.documents_bucket_arn,
    module.storage.replica_bucket_arn,
  ])
  audit_checkpoint_lock_days = var.audit_checkpoint_lock_days
}

# --- Network --------------------------------------------------------------------------------

module "network" {
  source = "../../modules/network"

  name                    = local.name
  cidr_block              = var.vpc_cidr
  availability_zones      = var.availability_zones
  app_port                = local.container_port
  kms_key_arn             = module.secrets.kms_key_arn
  flow_log_retention_days = var.log_retention_days
}

# --- Certificates and DNS ---------------------------------------------------------------

module "dns" {
  source    = "../../modules/dns"
  providers = { aws = aws, aws.us_east_1 = aws.us_east_1, aws.dr = aws.dr }

  zone_name          = var.zone_name
  domain_name        = var.domain_name
  assets_domain_name = local.assets_domain_name
  dr_enabled         = var.dr_database_replica

  # The application record follows the failover switch.
  alb_dns_name       = var.dr_failover ? module.alb_dr[0].dns_name : module.alb.dns_name
  alb_zone_id        = var.dr_failover ? module.alb_dr[0].zone_id : module.alb.zone_id
  cdn_domain_name    = module.storage.cdn_domain_name
  cdn_hosted_zone_id = module.storage.cdn_hosted_zone_id
}

# --- Storage and CDN -------------------------------------------------------------------

module "storage" {
  source    = "../../modules/storage"
  providers = { aws = aws, aws.dr = aws.dr }

  name                = local.name
  kms_key_arn         = module.secrets.kms_key_arn
  replication_enabled = var.dr_documents_replication
  replica_kms_key_arn = module.secrets.dr_kms_key_arn
  assets_domain_name  = local.assets_domain_name
  cdn_certificate_arn = module.dns.cdn_certificate_arn
  log_retention_days  = var.log_retention_days
}

# --- Load balancer ------------------------------------------------------------------

module "alb" {
  source = "../../modules/alb"

  name                      = local.name
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.public_subnet_ids
  security_group_id         = module.network.alb_security_group_id
  certificate_arn           = module.dns.app_certificate_arn
  container_port            = local.container_port
  health_check_path         = "/api/ready"
  access_logs_bucket        = module.storage.logs_bucket_name
  deletion_protection       = var.deletion_protection
  waf_enabled               = var.waf_enabled
  color_header_source_cidrs = var.color_header_source_cidrs
}

# --- Database -------------------------------------------------------------------------

module "rds" {
  source    = "../../modules/rds"
  providers = { aws = aws, aws.dr = aws.dr }

  identifier                   = local.name
  instance_class               = var.db_instance_class
  multi_az                     = var.db_multi_az
  allocated_storage            = var.db_allocated_storage
  max_allocated_storage        = var.db_max_allocated_storage
  iops                         = var.db_iops
  subnet_ids                   = module.network.private_subnet_ids
  security_group_id            = module.network.db_security_group_id
  kms_key_arn                  = module.secrets.kms_key_arn
  backup_retention_days        = var.db_backup_retention_days
  deletion_protection          = var.deletion_protection
  monitoring_interval          = var.detailed_monitoring ? 60 : 0
  performance_insights_enabled = var.detailed_monitoring
  read_replica_enabled         = var.db_read_replica_enabled
  replica_instance_class       = var.db_replica_instance_class

  dr_replica_enabled   = var.dr_database_replica
  dr_promoted          = var.dr_failover
  dr_instance_class    = var.dr_db_instance_class
  dr_subnet_ids        = var.dr_database_replica ? module.network_dr[0].private_subnet_ids : []
  dr_security_group_id = var.dr_database_replica ? module.network_dr[0].db_security_group_id : null
  dr_kms_key_arn       = module.secrets.dr_kms_key_arn
}

# --- Application ------------------------------------------------------------------------

module "ecs" {
  source = "../../modules/ecs"

  name                       = local.name
  family                     = local.family
  create_repository          = var.ecr_create_repository
  repository_url             = "${data.aws_caller_identity.current.account_id}.dkr.ecr.${var.region}.amazonaws.com/${local.family}"
  environment                = var.environment
  image_tag                  = var.image_tag
  container_port             = local.container_port
  cpu                        = var.task_cpu
  memory                     = var.task_memory
  min_capacity               = var.task_count
  max_capacity               = var.task_count_max
  cpu_target_percent         = var.cpu_target_percent
  schedule                   = local.scaling_schedule
  subnet_ids                 = module.network.private_subnet_ids
  security_group_id          = module.network.app_security_group_id
  target_group_arns          = module.alb.target_group_arns
  execution_role_arn         = module.secrets.execution_role_arn
  task_role_arn              = module.secrets.task_role_arn
  secrets                    = module.secrets.parameter_arns
  log_group_name             = var.log_group_name
  log_retention_days         = var.log_retention_days
  kms_key_arn                = module.secrets.kms_key_arn
  container_insights         = var.detailed_monitoring
  replicate_images_to_region = var.dr_database_replica ? var.dr_region : null

  environment_variables = merge(local.app_environment, {
    S3_BUCKET = module.storage.documents_bucket_name
    S3_REGION = var.region
  })
}

# --- Alarms and budget ------------------------------------------------------------------

module "monitoring" {
  source = "../../modules/monitoring"

  name                    = local.name
  environment             = var.environment
  kms_key_arn             = module.secrets.kms_key_arn
  alb_arn_suffix          = module.alb.arn_suffix
  db_instance_identifiers = module.rds.instance_identifiers
  ecs_cluster_name        = module.ecs.cluster_name
  ecs_service_names       = values(module.ecs.service_names)
  critical_subscriptions  = var.critical_alert_subscriptions
  warning_subscriptions   = var.warning_alert_subscriptions
  monthly_budget_usd      = var.monthly_budget_usd
  budget_alert_emails     = var.budget_alert_emails
}

# --- Disaster-recovery region -----------------------------------------------------------
# Pilot light (dr_database_replica): network without NAT, the database replica,
# the certificate. Failover (dr_failover): NAT, load balancer and services in
# the DR region, the replica promoted, DNS switched.

module "network_dr" {
  source    = "../../modules/network"
  count     = var.dr_database_replica ? 1 : 0
  providers = { aws = aws.dr }

  name                    = "${local.name}-dr"
  cidr_block              = var.dr_vpc_cidr
  availability_zones      = var.dr_availability_zones
  app_port                = local.container_port
  kms_key_arn             = module.secrets.dr_kms_key_arn
  flow_log_retention_days = var.log_retention_days
  enable_nat_gateway      = var.dr_failover
}

module "alb_dr" {
  source    = "../../modules/alb"
  count     = var.dr_failover ? 1 : 0
  providers = { aws = aws.dr }

  name                      = "${local.name}-dr"
  vpc_id                    = module.network_dr[0].vpc_id
  subnet_ids                = module.network_dr[0].public_subnet_ids
  security_group_id         = module.network_dr[0].alb_security_group_id
  certificate_arn           = module.dns.app_dr_certificate_arn
  container_port            = local.container_port
  health_check_path         = "/api/ready"
  access_logs_bucket        = null # the log bucket is in the primary region
  deletion_protection       = false
  waf_enabled               = var.waf_enabled
  color_header_source_cidrs = var.color_header_source_cidrs
}

module "ecs_dr" {
  source    = "../../modules/ecs"
  count     = var.dr_failover ? 1 : 0
  providers = { aws = aws.dr }

  name               = local.name
  family             = local.family
  environment        = var.environment
  create_repository  = false
  repository_url     = "${data.aws_caller_identity.current.account_id}.dkr.ecr.${var.dr_region}.amazonaws.com/${local.family}"
  image_tag          = var.image_tag
  container_port     = local.container_port
  cpu                = var.task_cpu
  memory             = var.task_memory
  min_capacity       = var.task_count
  max_capacity       = var.task_count_max
  cpu_target_percent = var.cpu_target_percent
  schedule           = local.scaling_schedule
  subnet_ids         = module.network_dr[0].private_subnet_ids
  security_group_id  = module.network_dr[0].app_security_group_id
  target_group_arns  = module.alb_dr[0].target_group_arns
  execution_role_arn = module.secrets.execution_role_arn
  task_role_arn      = module.secrets.task_role_arn
  secrets            = module.secrets.dr_parameter_arns
  log_group_name     = var.log_group_name
  log_retention_days = var.log_retention_days
  kms_key_arn        = module.secrets.dr_kms_key_arn
  container_insights = var.detailed_monitoring

  environment_variables = merge(local.app_environment, {
    S3_BUCKET = module.storage.replica_bucket_name
    S3_REGION = var.dr_region
  })
}
