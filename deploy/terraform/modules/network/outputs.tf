output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "public_subnet_ids" {
  description = "Public subnets (load balancer, NAT gateway), one per availability zone."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets (Fargate tasks, database), one per availability zone."
  value       = aws_subnet.private[*].id
}

output "alb_security_group_id" {
  description = "Security group of the load balancer."
  value       = aws_security_group.alb.id
}

output "app_security_group_id" {
  description = "Security group of the application tasks (also for `aws ecs run-task` of the migration)."
  value       = aws_security_group.app.id
}

output "db_security_group_id" {
  description = "Security group of the database instances."
  value       = aws_security_group.db.id
}

output "nat_public_ip" {
  description = "Address the tasks' outbound traffic comes from (for SMTP relay allow-lists); null without a NAT gateway."
  value       = one(aws_eip.nat[*].public_ip)
}
