output "alert_topic_arns" {
  description = "SNS topic per severity: { critical = ..., warning = ... }."
  value       = { for k, t in aws_sns_topic.alerts : k => t.arn }
}

output "alarm_names" {
  description = "Names of the CloudWatch alarms."
  value = concat(
    [aws_cloudwatch_metric_alarm.high_error_rate.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.db_connections : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.memory_high : a.alarm_name],
  )
}

output "budget_name" {
  description = "Name of the monthly budget."
  value       = aws_budgets_budget.monthly.name
}
