output "kms_key_arn" {
  description = "Customer-managed key of the primary region."
  value       = aws_kms_key.main.arn
}

output "dr_kms_key_arn" {
  description = "Customer-managed key of the DR region; null without DR."
  value       = one(aws_kms_key.dr[*].arn)
}

output "parameter_arns" {
  description = "Environment variable name -> Parameter Store ARN in the primary region (the task definition's secrets)."
  value       = { for k, p in aws_ssm_parameter.secret : k => p.arn }
}

output "dr_parameter_arns" {
  description = "Environment variable name -> Parameter Store ARN in the DR region; empty without DR."
  value       = { for k, p in aws_ssm_parameter.secret_dr : k => p.arn }
}

output "parameter_names" {
  description = "Parameter names the operator fills in (aws ssm put-parameter --overwrite)."
  value       = sort([for p in aws_ssm_parameter.secret : p.name])
}

output "execution_role_arn" {
  description = "ECS task execution role (available once its policy is attached)."
  value       = aws_iam_role.execution.arn
  depends_on  = [aws_iam_role_policy.execution]
}

output "task_role_arn" {
  description = "ECS task role of the application (available once its policy is attached)."
  value       = aws_iam_role.task.arn
  depends_on  = [aws_iam_role_policy.task]
}
