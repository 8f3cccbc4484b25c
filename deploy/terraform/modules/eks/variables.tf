variable "name" {
  description = "Cluster name, e.g. tms-production."
  type        = string
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
  default     = "1.31"
  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must look like 1.31."
  }
}

variable "private_subnet_ids" {
  description = "Private subnets of the managed node groups and the control plane ENIs."
  type        = list(string)
  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "private_subnet_ids must name at least 2 subnets in different zones."
  }
}

variable "node_instance_types" {
  description = "Instance types of the managed node group."
  type        = list(string)
  default     = ["m6i.large"]
}

variable "node_min_size" {
  description = "Minimum nodes of the managed node group."
  type        = number
  default     = 2
}

variable "node_desired_size" {
  description = "Desired nodes of the managed node group."
  type        = number
  default     = 3
}

variable "node_max_size" {
  description = "Maximum nodes of the managed node group."
  type        = number
  default     = 6
  validation {
    condition     = var.node_max_size >= 1 && var.node_max_size <= 50
    error_message = "node_max_size must be 1-50."
  }
}

variable "public_endpoint_cidrs" {
  description = "CIDRs allowed to reach the public API endpoint (empty: private endpoint only)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
