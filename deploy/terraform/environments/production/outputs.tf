output "cluster_name" {
  description = "EKS cluster (aws eks update-kubeconfig --name ...)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "EKS API endpoint."
  value       = module.eks.cluster_endpoint
}

output "db_jdbc_url" {
  description = "TMS_DB_URL for values-cloud.yaml (database.url)."
  value       = module.rds.jdbc_url
}

output "db_master_secret_arn" {
  description = "Secrets Manager secret with the database password."
  value       = module.rds.master_user_secret_arn
}

output "image_repositories" {
  description = "ECR repository URL per image."
  value       = module.ecr.repository_urls
}

output "releases_domain" {
  description = "CloudFront domain of the chart repository and releases."
  value       = module.releases.distribution_domain_name
}

output "vpn_site_tunnels" {
  description = "Tunnel endpoints per site."
  value       = module.vpn.site_tunnels
}

output "telemetry_stream_arn" {
  description = "Kinesis stream of exported telemetry."
  value       = module.iot.stream_arn
}
