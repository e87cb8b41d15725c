# Application load balancer with a blue and a green target group.
#
# The HTTPS listener's rule "app" forwards every request to the live colour.
# scripts/blue-green.sh switches colours by rewriting that rule's action
# (aws elbv2 modify-rule --rule-arn <listener_rule_arn> --actions
# Type=forward,TargetGroupArn=<idle target group>), so Terraform creates it
# pointing at blue and then ignores its action: an apply never switches
# traffic back.
# Two header rules reach one colour explicitly, for checking the idle colour
# before the switch: `X-CleanStation-Color: green` (or blue).

locals {
  # Names as scripts/blue-green.sh looks them up: load balancer <name>,
  # target groups <name>-blue and <name>-green (AWS allows 32 characters).
  colors = {
    blue  = 10
    green = 11
  }
  color_header = "X-CleanStation-Color"
}

resource "aws_lb" "this" {
  #checkov:skip=CKV2_AWS_76:The Log4j rules are in AWSManagedRulesKnownBadInputsRuleSet, which the web ACL has; the anonymous-IP list the check also wants would block staff on commercial VPNs.
  name                       = var.name
  internal                   = false
  load_balancer_type         = "application"
  security_groups            = [var.security_group_id]
  subnets                    = var.subnet_ids
  idle_timeout               = var.idle_timeout
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection

  dynamic "access_logs" {
    for_each = var.access_logs_bucket == null ? [] : [var.access_logs_bucket]
    content {
      bucket  = access_logs.value
      prefix  = "alb"
      enabled = true
    }
  }

  tags = var.tags
}

resource "aws_lb_target_group" "app" {
  #checkov:skip=CKV_AWS_378:TLS ends at the load balancer; the hop to the task stays in the private subnets, and the application serves plain HTTP on its port.
  for_each = local.colors

  name                 = "${var.name}-${each.key}"
  vpc_id               = var.vpc_id
  target_type          = "ip"
  protocol             = "HTTP"
  port                 = var.container_port
  deregistration_delay = var.deregistration_delay

  health_check {
    path                = var.health_check_path
    matcher             = "200"
    protocol            = "HTTP"
    port                = "traffic-port"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = merge(var.tags, { Color = each.key })
}

resource "aws_lb_listener" "http" {
  #checkov:skip=CKV_AWS_2:This listener only redirects to HTTPS (HTTP 301).
  #checkov:skip=CKV_AWS_103:No TLS on the redirect-only HTTP listener; the HTTPS listener uses TLS 1.2+.
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }

  tags = var.tags
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  # Reached only if no rule matches (never, with the catch-all rule below).
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "no route"
      status_code  = "503"
    }
  }

  tags = var.tags
}

# /metrics is for the in-cluster collector only: the application would answer
# 403 to the load balancer's address anyway, this keeps it off the internet.
resource "aws_lb_listener_rule" "metrics" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 1

  condition {
    path_pattern {
      values = ["/metrics", "/metrics/*"]
    }
  }

  action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "not found"
      status_code  = "404"
    }
  }

  tags = var.tags
}

resource "aws_lb_listener_rule" "color" {
  for_each = local.colors

  listener_arn = aws_lb_listener.https.arn
  priority     = each.value

  condition {
    http_header {
      http_header_name = local.color_header
      values           = [each.key]
    }
  }

  dynamic "condition" {
    for_each = length(var.color_header_source_cidrs) > 0 ? [1] : []
    content {
      source_ip {
        values = var.color_header_source_cidrs
      }
    }
  }

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app[each.key].arn
  }

  tags = var.tags
}

resource "aws_lb_listener_rule" "app" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 100

  condition {
    path_pattern {
      values = ["/*"]
    }
  }

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app["blue"].arn
  }

  tags = merge(var.tags, { Role = "blue-green-switch" })

  lifecycle {
    # Owned by scripts/blue-green.sh after creation.
    ignore_changes = [action]
  }
}

# --- WAF -------------------------------------------------------------------------------

resource "aws_wafv2_web_acl" "this" {
  #checkov:skip=CKV2_AWS_31:Sampled requests and CloudWatch metrics are on; full request logging is a cost outside the guide's estimate - add an aws_wafv2_web_acl_logging_configuration when investigating.
  count = var.waf_enabled ? 1 : 0

  name        = "${var.name}-alb"
  description = "CleanStation load balancer: AWS managed rules and a per-IP rate limit"
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "aws-common"
    priority = 10
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"
        # Document uploads are larger than the rule group's 8 KB body limit.
        rule_action_override {
          name = "SizeRestrictions_BODY"
          action_to_use {
            count {}
          }
        }
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "aws-common"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-known-bad-inputs"
    priority = 20
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "aws-known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-ip-reputation"
    priority = 30
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesAmazonIpReputationList"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "aws-ip-reputation"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "rate-limit-per-ip"
    priority = 40
    action {
      block {}
    }
    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit
        aggregate_key_type = "IP"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "rate-limit-per-ip"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-alb"
    sampled_requests_enabled   = true
  }

  tags = var.tags
}

resource "aws_wafv2_web_acl_association" "this" {
  count = var.waf_enabled ? 1 : 0

  resource_arn = aws_lb.this.arn
  web_acl_arn  = aws_wafv2_web_acl.this[0].arn
}
