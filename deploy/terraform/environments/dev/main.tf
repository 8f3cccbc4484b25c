# The dev environment: the modules composed with dev sizes.

locals {
  name = "tms-dev"
  tags = {
    Project     = "tms"
    Environment = "dev"
    Owner       = var.owner
    ManagedBy   = "terraform"
  }
}

module "vpc" {
  source             = "../../modules/vpc"
  name               = local.name
  cidr_block         = "10.40.0.0/16"
  az_count           = 2
  single_nat_gateway = true
  tags               = local.tags
}

module "eks" {
  source                = "../../modules/eks"
  name                  = local.name
  private_subnet_ids    = module.vpc.private_subnet_ids
  node_instance_types   = ["t3.large"]
  node_min_size         = 1
  node_desired_size     = 2
  node_max_size         = 3
  public_endpoint_cidrs = var.admin_cidrs
  tags                  = local.tags
}

module "rds" {
  source                     = "../../modules/rds"
  name                       = local.name
  vpc_id                     = module.vpc.vpc_id
  subnet_ids                 = module.vpc.private_subnet_ids
  allowed_security_group_ids = [module.eks.cluster_security_group_id]
  instance_class             = "db.t4g.medium"
  allocated_storage_gb       = 20
  multi_az                   = false
  backup_retention_days      = 3
  deletion_protection        = false
  tags                       = local.tags
}

module "releases" {
  source      = "../../modules/s3-cloudfront"
  name        = local.name
  bucket_name = var.releases_bucket
  tags        = local.tags
}

module "vpn" {
  source          = "../../modules/vpn-gateway"
  name            = local.name
  vpc_id          = module.vpc.vpc_id
  route_table_ids = module.vpc.private_route_table_ids
  sites           = var.vpn_sites
  tags            = local.tags
}

module "ecr" {
  source              = "../../modules/ecr"
  repositories        = ["tms-api", "tms-agent"]
  push_principal_arns = [var.pipeline_role_arn]
  tags                = local.tags
}

module "iot" {
  source           = "../../modules/iot"
  name             = local.name
  stream_shards    = 1
  consumer_package = var.telemetry_consumer_package
  tags             = local.tags
}
