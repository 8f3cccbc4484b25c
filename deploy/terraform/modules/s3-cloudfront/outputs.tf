output "bucket_name" {
  description = "Name of the bucket."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the bucket (for the pipeline's upload role)."
  value       = aws_s3_bucket.this.arn
}

output "distribution_domain_name" {
  description = "CloudFront domain serving the bucket."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "distribution_id" {
  description = "CloudFront distribution ID (for invalidations)."
  value       = aws_cloudfront_distribution.this.id
}
