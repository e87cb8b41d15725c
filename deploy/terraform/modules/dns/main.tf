# Certificates (DNS-validated) and the alias records of one environment.
# The application certificate lives in the load balancer's region (and, with
# DR, also in the DR region); CloudFront's must be in us-east-1.

terraform {
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      configuration_aliases = [aws.us_east_1, aws.dr]
    }
  }
}

data "aws_route53_zone" "this" {
  name         = var.zone_name
  private_zone = false
}

resource "aws_acm_certificate" "app" {
  domain_name       = var.domain_name
  validation_method = "DNS"

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_acm_certificate" "app_dr" {
  count    = var.dr_enabled ? 1 : 0
  provider = aws.dr

  domain_name       = var.domain_name
  validation_method = "DNS"

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_acm_certificate" "cdn" {
  provider = aws.us_east_1

  domain_name       = var.assets_domain_name
  validation_method = "DNS"

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

locals {
  # ACM gives the same validation record for the same name in every region,
  # so the map keyed by domain name holds one record per name.
  validation_records = merge(
    { for o in aws_acm_certificate.app.domain_validation_options : o.domain_name => o },
    { for o in aws_acm_certificate.cdn.domain_validation_options : o.domain_name => o },
    { for o in flatten([for c in aws_acm_certificate.app_dr : tolist(c.domain_validation_options)]) : o.domain_name => o },
  )
}

resource "aws_route53_record" "validation" {
  for_each = local.validation_records

  zone_id         = data.aws_route53_zone.this.zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "app" {
  certificate_arn         = aws_acm_certificate.app.arn
  validation_record_fqdns = [aws_route53_record.validation[var.domain_name].fqdn]
}

resource "aws_acm_certificate_validation" "app_dr" {
  count    = var.dr_enabled ? 1 : 0
  provider = aws.dr

  certificate_arn         = aws_acm_certificate.app_dr[0].arn
  validation_record_fqdns = [aws_route53_record.validation[var.domain_name].fqdn]
}

resource "aws_acm_certificate_validation" "cdn" {
  provider = aws.us_east_1

  certificate_arn         = aws_acm_certificate.cdn.arn
  validation_record_fqdns = [aws_route53_record.validation[var.assets_domain_name].fqdn]
}

# --- Alias records -------------------------------------------------------------------

# IPv4 only: the load balancer and the VPC have no IPv6.
resource "aws_route53_record" "app" {
  zone_id = data.aws_route53_zone.this.zone_id
  name    = var.domain_name
  type    = "A"

  alias {
    name                   = var.alb_dns_name
    zone_id                = var.alb_zone_id
    evaluate_target_health = true
  }
}

resource "aws_route53_record" "assets" {
  for_each = toset(["A", "AAAA"])

  zone_id = data.aws_route53_zone.this.zone_id
  name    = var.assets_domain_name
  type    = each.value

  alias {
    name                   = var.cdn_domain_name
    zone_id                = var.cdn_hosted_zone_id
    evaluate_target_health = false
  }
}
