output "documents_bucket_name" {
  description = "Document bucket (the task's S3_BUCKET)."
  value       = aws_s3_bucket.documents.bucket
}

output "documents_bucket_arn" {
  description = "ARN of the document bucket."
  value       = aws_s3_bucket.documents.arn
}

output "replica_bucket_name" {
  description = "Document replica in the DR region (S3_BUCKET after a failover); null without replication."
  value       = one(aws_s3_bucket.replica[*].bucket)
}

output "replica_bucket_arn" {
  description = "ARN of the document replica; null without replication."
  value       = one(aws_s3_bucket.replica[*].arn)
}

output "logs_bucket_name" {
  description = "Bucket receiving load-balancer logs under alb/ and S3 access logs under s3/ (available once its policy admits the log deliveries)."
  value       = aws_s3_bucket.logs.bucket
  depends_on  = [aws_s3_bucket_policy.logs, aws_s3_bucket_server_side_encryption_configuration.logs]
}

output "assets_bucket_name" {
  description = "Bucket the release job uploads static assets to."
  value       = aws_s3_bucket.assets.bucket
}

output "cdn_distribution_id" {
  description = "CloudFront distribution ID (for invalidations)."
  value       = aws_cloudfront_distribution.assets.id
}

output "cdn_domain_name" {
  description = "CloudFront domain the assets alias points to."
  value       = aws_cloudfront_distribution.assets.domain_name
}

output "cdn_hosted_zone_id" {
  description = "Route 53 zone ID of CloudFront aliases."
  value       = aws_cloudfront_distribution.assets.hosted_zone_id
}
