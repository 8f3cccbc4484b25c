output "endpoint" {
  description = "host:port of the database."
  value       = aws_db_instance.this.endpoint
}

output "jdbc_url" {
  description = "TMS_DB_URL for tms-api."
  value       = "jdbc:postgresql://${aws_db_instance.this.endpoint}/${aws_db_instance.this.db_name}?sslmode=require"
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret holding the master password (rotated by RDS)."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "security_group_id" {
  description = "Security group of the database."
  value       = aws_security_group.db.id
}
