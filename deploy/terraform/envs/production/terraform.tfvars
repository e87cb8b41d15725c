# Production: the guide's environment table (3 tasks; Multi-AZ db.r6g.xlarge,
# 500 GB gp3; db.r6g.large read replica; full monitoring).

environment      = "production"
region           = "us-east-1"
dr_region        = "us-west-2"
zone_name        = "torvan.com"
domain_name      = "cleanstation.torvan.com"
parameter_prefix = "/cleanstation/prod"
log_group_name   = "/aws/ecs/cleanstation"

vpc_cidr    = "10.40.0.0/16"
dr_vpc_cidr = "10.41.0.0/16"

# First apply only; releases register their own task-definition revisions.
image_tag = "initial"

# Task size: the provisional 0.5 vCPU / 1 GiB of deploy/aws/task-definition.json;
# deploy/COSTS.md section 3 (measured) decides. The MemoryHigh alarm is a
# percentage, so it follows the size.
task_cpu           = 512
task_memory        = 1024
task_count         = 3
task_count_max     = 9
cpu_target_percent = 60

# Nights (20:00-06:00) and weekends: two tasks in two zones instead of three.
off_hours = {
  enabled         = true
  timezone        = "America/New_York"
  scale_down_cron = "cron(0 20 ? * MON-FRI *)"
  scale_up_cron   = "cron(0 6 ? * MON-FRI *)"
  min             = 2
  max             = 3
}

detailed_monitoring = true
deletion_protection = true
waf_enabled         = true
log_retention_days  = 365

db_instance_class         = "db.r6g.xlarge"
db_multi_az               = true
db_allocated_storage      = 500
db_max_allocated_storage  = 1000
db_iops                   = null # 500 GiB gp3 has a 12,000 IOPS baseline (>= the guide's 3,000); RDS rejects 3000 at this size
db_backup_retention_days  = 30
db_read_replica_enabled   = true
db_replica_instance_class = "db.r6g.large"

# DR in us-west-2 is off in the guide's estimate; see the README for its cost
# and the failover procedure.
dr_database_replica      = false
dr_documents_replication = false
dr_failover              = false

monthly_budget_usd = 1600

# Fill in: PagerDuty's CloudWatch integration URL and the Slack/AWS Chatbot or
# e-mail endpoints. Subscriptions by e-mail must be confirmed by the recipient.
critical_alert_subscriptions = []
warning_alert_subscriptions  = []
budget_alert_emails          = []
