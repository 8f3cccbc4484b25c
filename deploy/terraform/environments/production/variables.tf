variable "region" {
  description = "AWS region of this environment."
  type        = string
  default     = "eu-west-1"
}

variable "owner" {
  description = "Team that owns this environment (tag)."
  type        = string
  default     = "tms-fleet-engineering"
}

variable "admin_cidrs" {
  description = "CIDRs allowed to reach the EKS API endpoint (empty: private endpoint only)."
  type        = list(string)
  default     = []
}

variable "pipeline_role_arn" {
  description = "IAM role of the CI/CD pipeline (pushes images, uploads charts)."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", var.pipeline_role_arn))
    error_message = "pipeline_role_arn must be an IAM role ARN."
  }
}

variable "releases_bucket" {
  description = "Globally unique bucket name for charts and signed releases."
  type        = string
}

variable "telemetry_consumer_package" {
  description = "Path of the telemetry Lambda consumer's zip."
  type        = string
}

variable "vpn_sites" {
  description = "Sites with a site-to-site VPN: site code => router public IP and LAN CIDR."
  type = map(object({
    public_ip = string
    lan_cidr  = string
    bgp_asn   = optional(number, 65000)
  }))
  default = {}
}
