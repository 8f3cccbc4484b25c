# PostgreSQL for tms-api: encrypted with its own KMS key, automated backups, Multi-AZ where asked,
# fsync and synchronous_commit left on (the cloud refuses a server with durability off), the
# master password generated and kept by RDS in Secrets Manager.

resource "aws_kms_key" "db" {
  description         = "${var.name} RDS storage encryption"
  enable_key_rotation = true
  tags                = var.tags
}

resource "aws_db_subnet_group" "this" {
  name       = "${var.name}-db"
  subnet_ids = var.subnet_ids
  tags       = var.tags
}

resource "aws_security_group" "db" {
  name        = "${var.name}-db"
  description = "PostgreSQL for tms-api, reachable from the EKS cluster only"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "postgres" {
  for_each                     = toset(var.allowed_security_group_ids)
  security_group_id            = aws_security_group.db.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  description                  = "PostgreSQL from ${each.value}"
}

resource "aws_db_parameter_group" "this" {
  name   = "${var.name}-pg${var.engine_version}"
  family = "postgres${var.engine_version}"
  tags   = var.tags

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
  parameter {
    name  = "synchronous_commit"
    value = "on"
  }
  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }
  # Fewer checkpoints under the uplink's steady inserts (fewer full-page writes): the embedded
  # PostgreSQL of tests and benchmarks runs the same (EmbeddedDatabase, docs/benchmarks.md).
  parameter {
    name  = "max_wal_size"
    value = "4096" # MB
  }
  parameter {
    name  = "checkpoint_timeout"
    value = "900" # seconds
  }
  # An uplink batch's COPY writes megabytes of WAL in one transaction (a 6 MiB batch of telemetry
  # blocks about as much): with the automatic 16 MB the buffers fill and backends write WAL out
  # themselves. Static: applied at the next reboot.
  parameter {
    name         = "wal_buffers"
    value        = "8192" # 8 kB pages: 64 MB
    apply_method = "pending-reboot"
  }
}

resource "aws_db_instance" "this" {
  identifier                      = "${var.name}-db"
  engine                          = "postgres"
  engine_version                  = var.engine_version
  instance_class                  = var.instance_class
  allocated_storage               = var.allocated_storage_gb
  max_allocated_storage           = var.allocated_storage_gb * 4
  storage_type                    = "gp3"
  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.db.arn
  db_name                         = "tms"
  username                        = "tms"
  manage_master_user_password     = true
  db_subnet_group_name            = aws_db_subnet_group.this.name
  vpc_security_group_ids          = [aws_security_group.db.id]
  parameter_group_name            = aws_db_parameter_group.this.name
  multi_az                        = var.multi_az
  publicly_accessible             = false
  backup_retention_period         = var.backup_retention_days
  backup_window                   = "02:00-03:00"
  maintenance_window              = "sun:03:30-sun:04:30"
  copy_tags_to_snapshot           = true
  deletion_protection             = var.deletion_protection
  skip_final_snapshot             = false
  final_snapshot_identifier       = "${var.name}-db-final"
  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.db.arn
  enabled_cloudwatch_logs_exports = ["postgresql"]
  auto_minor_version_upgrade      = true
  tags                            = var.tags
}
