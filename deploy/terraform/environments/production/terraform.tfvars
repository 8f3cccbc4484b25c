region                     = "eu-west-1"
pipeline_role_arn          = "arn:aws:iam::123456789012:role/tms-pipeline"
releases_bucket            = "tms-production-releases-123456789012"
telemetry_consumer_package = "../../build/telemetry-consumer.zip"
admin_cidrs                = []

# Sites on a site-to-site VPN (the others reach the cloud over the internet, mTLS).
vpn_sites = {
  HOU1 = { public_ip = "203.0.113.10", lan_cidr = "192.168.10.0/24" }
  BTR2 = { public_ip = "203.0.113.20", lan_cidr = "192.168.20.0/24" }
}
