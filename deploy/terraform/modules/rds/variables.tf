variable "name" {
  description = "Identifier prefix of the database, e.g. tms-production."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the database."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the DB subnet group (at least two zones)."
  type        = list(string)
  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids must name at least 2 subnets."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to connect on 5432 (the EKS cluster's)."
  type        = list(string)
}

variable "engine_version" {
  description = "PostgreSQL major version (the design was measured on 17)."
  type        = string
  default     = "17"
}

variable "instance_class" {
  description = "DB instance class."
  type        = string
  default     = "db.t4g.medium"
  validation {
    condition     = can(regex("^db\\.", var.instance_class))
    error_message = "instance_class must be an RDS class such as db.r7g.large."
  }
}

variable "allocated_storage_gb" {
  description = "Initial storage in GiB (autoscaled up to 4x)."
  type        = number
  default     = 50
  validation {
    condition     = var.allocated_storage_gb >= 20
    error_message = "allocated_storage_gb must be >= 20."
  }
}

variable "multi_az" {
  description = "Synchronous standby in another zone with automatic failover (production)."
  type        = bool
  default     = false
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 7
  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be 1-35: automated backups are always on."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the database (staging, production)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
