output "primary_identifier" {
  description = "Identifier of the primary instance."
  value       = aws_db_instance.primary.identifier
}

output "primary_address" {
  description = "Host name of the primary (DATABASE_URL)."
  value       = aws_db_instance.primary.address
}

output "replica_address" {
  description = "Host name of the in-region read replica (DATABASE_READONLY_URL); null without one."
  value       = one(aws_db_instance.replica[*].address)
}

output "dr_address" {
  description = "Host name of the DR replica (the database after a failover); null without one."
  value       = one(aws_db_instance.dr[*].address)
}

output "dr_identifier" {
  description = "Identifier of the DR replica; null without one."
  value       = one(aws_db_instance.dr[*].identifier)
}

output "instance_identifiers" {
  description = "Identifiers of the primary and the in-region replica (alarm dimensions)."
  value       = concat([aws_db_instance.primary.identifier], aws_db_instance.replica[*].identifier)
}

output "port" {
  description = "PostgreSQL port."
  value       = aws_db_instance.primary.port
}

output "database_name" {
  description = "Database on the primary."
  value       = aws_db_instance.primary.db_name
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret holding the administrator password (rotated by RDS)."
  value       = try(aws_db_instance.primary.master_user_secret[0].secret_arn, null)
}
