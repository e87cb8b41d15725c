# terraform init -backend-config=backend.hcl \
#   -backend-config="bucket=$(terraform -chdir=../../bootstrap output -raw state_bucket)" \
#   -backend-config="kms_key_id=$(terraform -chdir=../../bootstrap output -raw kms_key_arn)"
key            = "cleanstation/production/terraform.tfstate"
region         = "us-west-2" # the state lives in the DR region (README, "Remote state")
dynamodb_table = "cleanstation-terraform-locks"
encrypt        = true
