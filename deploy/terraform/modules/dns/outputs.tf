output "app_certificate_arn" {
  description = "Validated certificate of the application host, in the load balancer's region."
  value       = aws_acm_certificate_validation.app.certificate_arn
}

output "app_dr_certificate_arn" {
  description = "Validated certificate of the application host in the DR region; null without DR."
  value       = one(aws_acm_certificate_validation.app_dr[*].certificate_arn)
}

output "cdn_certificate_arn" {
  description = "Validated certificate of the assets host, in us-east-1."
  value       = aws_acm_certificate_validation.cdn.certificate_arn
}

output "zone_id" {
  description = "Hosted zone the records were written to."
  value       = data.aws_route53_zone.this.zone_id
}
