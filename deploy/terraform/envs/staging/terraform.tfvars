# Staging: the guide's environment table (one task; db.t3.medium; basic
# monitoring). Same code as production, smaller values.

environment      = "staging"
region           = "us-east-1"
dr_region        = "us-west-2"
zone_name        = "torvan.com"
domain_name      = "staging.cleanstation.torvan.com"
parameter_prefix = "/cleanstation/staging"
log_group_name   = "/aws/ecs/cleanstation" # give staging its own group if it shares production's account

vpc_cidr    = "10.50.0.0/16"
dr_vpc_cidr = "10.51.0.0/16"

# First apply only; releases register their own task-definition revisions.
image_tag = "initial"

task_cpu           = 512
task_memory        = 1024
task_count         = 1
task_count_max     = 2
cpu_target_percent = 60

# Nights (20:00-06:00) and weekends: no tasks at all (the site answers 503).
off_hours = {
  enabled         = true
  timezone        = "America/New_York"
  scale_down_cron = "cron(0 20 ? * MON-FRI *)"
  scale_up_cron   = "cron(0 6 ? * MON-FRI *)"
  min             = 0
  max             = 0
}

detailed_monitoring = false
deletion_protection = true
waf_enabled         = true
log_retention_days  = 365

db_instance_class         = "db.t3.medium"
db_multi_az               = false
db_allocated_storage      = 50
db_max_allocated_storage  = 200
db_iops                   = null # below 400 GiB gp3 has a fixed 3,000 IOPS baseline
db_backup_retention_days  = 30
db_read_replica_enabled   = false
db_replica_instance_class = "db.t3.medium"

dr_database_replica      = false
dr_documents_replication = false
dr_failover              = false

monthly_budget_usd = 200

critical_alert_subscriptions = []
warning_alert_subscriptions  = []
budget_alert_emails          = []
