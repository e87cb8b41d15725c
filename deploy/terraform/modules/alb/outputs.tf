output "arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "arn_suffix" {
  description = "Load balancer dimension of its CloudWatch metrics."
  value       = aws_lb.this.arn_suffix
}

output "dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "zone_id" {
  description = "Route 53 zone ID of the load balancer (for alias records)."
  value       = aws_lb.this.zone_id
}

output "https_listener_arn" {
  description = "HTTPS listener."
  value       = aws_lb_listener.https.arn
}

output "listener_rule_arn" {
  description = "The rule scripts/blue-green.sh rewrites to move traffic between the blue and green target groups."
  value       = aws_lb_listener_rule.app.arn
}

output "target_group_arns" {
  description = "Target group ARN per colour: { blue = ..., green = ... } (available once the listener rules attach them, as ECS requires)."
  value       = { for c, tg in aws_lb_target_group.app : c => tg.arn }
  depends_on  = [aws_lb_listener_rule.app, aws_lb_listener_rule.color]
}

output "target_group_arn_suffixes" {
  description = "Target group dimension of CloudWatch metrics per colour."
  value       = { for c, tg in aws_lb_target_group.app : c => tg.arn_suffix }
}

output "color_header" {
  description = "Request header that reaches one colour directly (value blue or green), for checking the idle colour before the switch."
  value       = local.color_header
}
