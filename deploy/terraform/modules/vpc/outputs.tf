output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "cidr_block" {
  description = "CIDR of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets, one per zone (load balancers)."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets, one per zone (EKS nodes, RDS)."
  value       = aws_subnet.private[*].id
}

output "private_route_table_ids" {
  description = "Route tables of the private subnets (the VPN propagates site routes into them)."
  value       = aws_route_table.private[*].id
}
