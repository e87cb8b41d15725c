output "state_bucket" {
  description = "Bucket for backend.hcl (bucket = ...)."
  value       = aws_s3_bucket.state.bucket
}

output "lock_table" {
  description = "Table for backend.hcl (dynamodb_table = ...)."
  value       = aws_dynamodb_table.locks.name
}

output "kms_key_arn" {
  description = "Key for backend.hcl (kms_key_id = ...)."
  value       = aws_kms_key.state.arn
}
