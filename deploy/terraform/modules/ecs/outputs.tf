output "cluster_name" {
  description = "ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "service_names" {
  description = "Service per colour: { blue = ..., green = ... }."
  value       = { for c, s in aws_ecs_service.app : c => s.name }
}

output "container_name" {
  description = "Name of the application container in both task families."
  value       = local.container_name
}

output "task_family" {
  description = "Task definition family of the application; releases register new revisions of it."
  value       = aws_ecs_task_definition.app.family
}

output "task_definition_arn" {
  description = "Revision Terraform registered (the template a release copies)."
  value       = aws_ecs_task_definition.app.arn
}

output "migrate_task_family" {
  description = "Task definition family of the migration task."
  value       = aws_ecs_task_definition.migrate.family
}

output "migrate_task_definition_arn" {
  description = "Revision of the migration task Terraform registered."
  value       = aws_ecs_task_definition.migrate.arn
}

output "repository_url" {
  description = "Image repository the release job pushes to."
  value       = local.repository_url
}

output "repository_arn" {
  description = "ARN of the image repository created here; null when pulling from a replica."
  value       = one(aws_ecr_repository.app[*].arn)
}

output "log_group_name" {
  description = "CloudWatch log group of the containers."
  value       = aws_cloudwatch_log_group.app.name
}

output "log_group_arn" {
  description = "ARN of that log group."
  value       = aws_cloudwatch_log_group.app.arn
}

output "scaling" {
  description = "Capacities scripts/blue-green.sh gives the colour it activates (register-scalable-target), and the scalable-target resource ID per colour."
  value = {
    min_capacity = var.min_capacity
    max_capacity = var.max_capacity
    resource_ids = { for c, t in aws_appautoscaling_target.app : c => t.resource_id }
  }
}
