variable "name" {
  description = "Name prefix of every resource, e.g. tms-production."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3-31 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "cidr_block" {
  description = "CIDR of the VPC; must not overlap any site LAN reached over the VPN."
  type        = string
  validation {
    condition     = can(cidrnetmask(var.cidr_block))
    error_message = "cidr_block must be an IPv4 CIDR such as 10.40.0.0/16."
  }
}

variable "az_count" {
  description = "Availability zones to spread subnets over (production: 3)."
  type        = number
  default     = 3
  validation {
    condition     = var.az_count >= 2 && var.az_count <= 4
    error_message = "az_count must be 2-4 (EKS and Multi-AZ RDS need at least 2)."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all zones (cheaper, dev) instead of one per zone (production)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
