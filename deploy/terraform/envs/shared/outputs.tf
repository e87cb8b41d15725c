# What scripts/blue-green.sh, the migration step and the operator read
# (terraform output -json). During a failover they describe the DR region.

locals {
  live_region  = var.dr_failover ? var.dr_region : var.region
  live_alb     = var.dr_failover ? module.alb_dr[0] : module.alb
  live_ecs     = var.dr_failover ? module.ecs_dr[0] : module.ecs
  live_network = var.dr_failover ? module.network_dr[0] : module.network
}

output "region" {
  description = "Region the application runs in (aws --region)."
  value       = local.live_region
}

output "app_url" {
  description = "Public URL of the application."
  value       = "https://${var.domain_name}"
}

output "assets_url" {
  description = "Public URL of the static assets."
  value       = "https://${local.assets_domain_name}"
}

# --- Blue-green ---------------------------------------------------------------------------

output "cluster_name" {
  description = "ECS cluster."
  value       = local.live_ecs.cluster_name
}

output "service_names" {
  description = "ECS service per colour: { blue = ..., green = ... }."
  value       = local.live_ecs.service_names
}

output "listener_rule_arn" {
  description = "Listener rule whose forward weights scripts/blue-green.sh switches."
  value       = local.live_alb.listener_rule_arn
}

output "target_group_arns" {
  description = "Target group per colour: { blue = ..., green = ... }."
  value       = local.live_alb.target_group_arns
}

output "color_header" {
  description = "Header that addresses one colour directly (value blue or green) for the pre-switch check."
  value       = local.live_alb.color_header
}

output "task_family" {
  description = "Task definition family of the application (releases register revisions of it)."
  value       = local.live_ecs.task_family
}

output "task_definition_arn" {
  description = "Application task-definition revision registered by Terraform (the template)."
  value       = local.live_ecs.task_definition_arn
}

output "container_name" {
  description = "Container name in both task families."
  value       = local.live_ecs.container_name
}

output "scaling" {
  description = "min/max capacity the script restores on the colour it activates, and the scalable-target resource IDs."
  value       = local.live_ecs.scaling
}

output "ecr_repository_url" {
  description = "Repository the release job pushes to (always the primary region's; ECR replicates to the DR region)."
  value       = module.ecs.repository_url
}

output "execution_role_arn" {
  description = "executionRoleArn of task definitions a release registers."
  value       = module.secrets.execution_role_arn
}

output "task_role_arn" {
  description = "taskRoleArn of task definitions a release registers."
  value       = module.secrets.task_role_arn
}

# --- Migrations (aws ecs run-task) ------------------------------------------------------

output "migrate_task_family" {
  description = "Task definition family of `cleanstation migrate`."
  value       = local.live_ecs.migrate_task_family
}

output "migrate_task_definition_arn" {
  description = "Migration task-definition revision registered by Terraform."
  value       = local.live_ecs.migrate_task_definition_arn
}

output "run_task_subnet_ids" {
  description = "Private subnets for run-task (awsvpcConfiguration.subnets)."
  value       = local.live_network.private_subnet_ids
}

output "run_task_security_group_id" {
  description = "Security group for run-task: the application tier's, the only one the database admits."
  value       = local.live_network.app_security_group_id
}

# --- Data ----------------------------------------------------------------------------------

output "db_primary_address" {
  description = "Host of DATABASE_URL (after a failover: the promoted DR instance)."
  value       = var.dr_failover ? module.rds.dr_address : module.rds.primary_address
}

output "db_replica_address" {
  description = "Host of DATABASE_READONLY_URL; null without a read replica (use the primary's URL)."
  value       = module.rds.replica_address
}

output "db_dr_address" {
  description = "Host of the DR replica; null without one."
  value       = module.rds.dr_address
}

output "db_master_secret_arn" {
  description = "Secrets Manager secret with the administrator password (for creating the application's database user)."
  value       = module.rds.master_user_secret_arn
}

output "documents_bucket" {
  description = "S3_BUCKET of the live region."
  value       = var.dr_failover ? module.storage.replica_bucket_name : module.storage.documents_bucket_name
}

output "parameter_names" {
  description = "Parameter Store names to fill in before the first start."
  value       = module.secrets.parameter_names
}

output "assets_bucket" {
  description = "Bucket of the static assets."
  value       = module.storage.assets_bucket_name
}

output "cdn_distribution_id" {
  description = "CloudFront distribution of the assets (for invalidations)."
  value       = module.storage.cdn_distribution_id
}

output "log_group_name" {
  description = "CloudWatch log group of the containers."
  value       = var.log_group_name
}

output "alert_topic_arns" {
  description = "SNS topics of the alarms: { critical = ..., warning = ... }."
  value       = module.monitoring.alert_topic_arns
}

output "nat_public_ip" {
  description = "Source address of the tasks' outbound traffic (SMTP relay allow-lists)."
  value       = local.live_network.nat_public_ip
}
