# The staging environment: the modules composed with staging sizes.

locals {
  name = "tms-staging"
  tags = {
    Project     = "tms"
    Environment = "staging"
    Owner       = var.owner
    ManagedBy   = "terraform"
  }
}

module "vpc" {
  source             = "../../modules/vpc"
  name               = local.name
  cidr_block         = "10.41.0.0/16"
  az_count           = 3
  single_nat_gateway = true
  tags               = local.tags
}

module "eks" {
  source                = "../../modules/eks"
  name                  = local.name
  private_subnet_ids    = module.vpc.private_subnet_ids
  node_instance_types   = ["m6i.large"]
  node_min_size         = 2
  node_desired_size     = 3
  node_max_size         = 4
  public_endpoint_cidrs = var.admin_cidrs
  tags                  = local.tags
}

module "rds" {
  source                     = "../../modules/rds"
  name                       = local.name
  vpc_id                     = module.vpc.vpc_id
  subnet_ids                 = module.vpc.private_subnet_ids
  allowed_security_group_ids = [module.eks.cluster_security_group_id]
  instance_class             = "db.r7g.large"
  allocated_storage_gb       = 50
  multi_az                   = true
  backup_retention_days      = 7
  deletion_protection        = true
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
