variable "name" {
  description = "Name prefix, e.g. tms-production."
  type        = string
}

variable "vpc_id" {
  description = "VPC the virtual private gateway attaches to."
  type        = string
}

variable "route_table_ids" {
  description = "Route tables that learn the site LAN routes (the private subnets')."
  type        = list(string)
}

variable "amazon_side_asn" {
  description = "BGP ASN of the AWS side."
  type        = number
  default     = 64512
}

variable "sites" {
  description = "Edge sites with a site-to-site VPN: site code => public IP of its router and its LAN CIDR."
  type = map(object({
    public_ip = string
    lan_cidr  = string
    bgp_asn   = optional(number, 65000)
  }))
  default = {}
  validation {
    condition     = alltrue([for code, s in var.sites : can(regex("^[A-Z][A-Z0-9]{1,9}$", code)) && can(cidrnetmask(s.lan_cidr))])
    error_message = "sites keys must be site codes (2-10 upper-case letters or digits) and lan_cidr IPv4 CIDRs."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
