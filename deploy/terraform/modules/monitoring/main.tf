# CloudWatch alarms mirroring the Prometheus alerts (deploy/prometheus), the
# two alert topics they go to, and the monthly budget with its 80 % and
# 100 % alerts.
#
#   Prometheus alert                     CloudWatch alarm            severity
#   5xx > 5 % of requests over 5 min     <name>-high-error-rate      critical
#   active DB connections > 80           <name>-db-connections-<id>  warning
#   resident memory > 90 % of limit      <name>-memory-high-<svc>    warning
#
# Critical goes to the topic PagerDuty subscribes to, warning to the one
# Slack (AWS Chatbot) subscribes to, as Alertmanager routes them.

data "aws_caller_identity" "current" {}

locals {
  topics = toset(["critical", "warning"])
}

resource "aws_sns_topic" "alerts" {
  for_each = local.topics

  name              = "${var.name}-alerts-${each.key}"
  kms_master_key_id = var.kms_key_arn

  tags = merge(var.tags, { Severity = each.key })
}

data "aws_iam_policy_document" "alerts" {
  for_each = local.topics

  statement {
    sid       = "AlarmsAndBudgetsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts[each.key].arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alerts" {
  for_each = local.topics

  arn    = aws_sns_topic.alerts[each.key].arn
  policy = data.aws_iam_policy_document.alerts[each.key].json
}

resource "aws_sns_topic_subscription" "critical" {
  for_each = { for s in var.critical_subscriptions : "${s.protocol}:${s.endpoint}" => s }

  topic_arn = aws_sns_topic.alerts["critical"].arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
}

resource "aws_sns_topic_subscription" "warning" {
  for_each = { for s in var.warning_subscriptions : "${s.protocol}:${s.endpoint}" => s }

  topic_arn = aws_sns_topic.alerts["warning"].arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
}

# --- High error rate (critical) ------------------------------------------------------------
# 5xx from the application and from the load balancer itself (502/503/504 when
# no target answers) over all requests, in one 5-minute window.

resource "aws_cloudwatch_metric_alarm" "high_error_rate" {
  alarm_name          = "${var.name}-high-error-rate"
  alarm_description   = "critical: more than ${var.error_rate_threshold_percent} % of requests answered 5xx over 5 minutes (mirrors Prometheus HighErrorRate)"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.error_rate_threshold_percent
  evaluation_periods  = 1
  datapoints_to_alarm = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts["critical"].arn]
  ok_actions          = [aws_sns_topic.alerts["critical"].arn]

  metric_query {
    id          = "error_rate"
    expression  = "IF(requests > 0, 100 * (FILL(target_5xx, 0) + FILL(elb_5xx, 0)) / requests, 0)"
    label       = "5xx share of requests (%)"
    return_data = true
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      period      = 300
      stat        = "Sum"
    }
  }

  metric_query {
    id = "target_5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      period      = 300
      stat        = "Sum"
    }
  }

  metric_query {
    id = "elb_5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      period      = 300
      stat        = "Sum"
    }
  }

  tags = merge(var.tags, { Severity = "critical" })
}

# --- Connection pool exhausted (warning) ---------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "db_connections" {
  for_each = toset(var.db_instance_identifiers)

  alarm_name          = "${var.name}-db-connections-${each.value}"
  alarm_description   = "warning: ${each.value} held more than ${var.db_connections_threshold} connections for 5 minutes (mirrors Prometheus connection pool exhausted)"
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  dimensions          = { DBInstanceIdentifier = each.value }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.db_connections_threshold
  treat_missing_data  = "missing"
  alarm_actions       = [aws_sns_topic.alerts["warning"].arn]
  ok_actions          = [aws_sns_topic.alerts["warning"].arn]

  tags = merge(var.tags, { Severity = "warning" })
}

# --- Memory high (warning) ---------------------------------------------------------------
# ECS's Maximum is the most loaded task of the service.

resource "aws_cloudwatch_metric_alarm" "memory_high" {
  for_each = toset(var.ecs_service_names)

  alarm_name          = "${var.name}-memory-high-${each.value}"
  alarm_description   = "warning: a task of ${each.value} used more than ${var.memory_threshold_percent} % of its memory limit for 5 minutes (mirrors Prometheus memory high)"
  namespace           = "AWS/ECS"
  metric_name         = "MemoryUtilization"
  dimensions          = { ClusterName = var.ecs_cluster_name, ServiceName = each.value }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.memory_threshold_percent
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts["warning"].arn]
  ok_actions          = [aws_sns_topic.alerts["warning"].arn]

  tags = merge(var.tags, { Severity = "warning" })
}

# --- Budget ---------------------------------------------------------------------------------
# Counts costs tagged Environment=<environment> (every resource here carries the
# provider's default tags). Activate "Environment" as a cost allocation tag in
# the Billing console once, or the filter matches nothing.

resource "aws_budgets_budget" "monthly" {
  name         = "${var.name}-monthly"
  budget_type  = "COST"
  limit_amount = format("%.2f", var.monthly_budget_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  cost_filter {
    name   = "TagKeyValue"
    values = [format("user:Environment$%s", var.environment)]
  }

  dynamic "notification" {
    for_each = {
      "actual-80"      = { threshold = 80, type = "ACTUAL", topic = "warning" }
      "actual-100"     = { threshold = 100, type = "ACTUAL", topic = "critical" }
      "forecasted-100" = { threshold = 100, type = "FORECASTED", topic = "warning" }
    }
    content {
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value.threshold
      threshold_type             = "PERCENTAGE"
      notification_type          = notification.value.type
      subscriber_sns_topic_arns  = [aws_sns_topic.alerts[notification.value.topic].arn]
      subscriber_email_addresses = var.budget_alert_emails
    }
  }

  depends_on = [aws_sns_topic_policy.alerts]
}
