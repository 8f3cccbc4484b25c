output "repository_urls" {
  description = "Repository URL per image name (image.repository in the Helm values)."
  value       = { for name, r in aws_ecr_repository.this : name => r.repository_url }
}

output "repository_arns" {
  description = "Repository ARN per image name."
  value       = { for name, r in aws_ecr_repository.this : name => r.arn }
}
