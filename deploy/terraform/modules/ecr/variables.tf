variable "repositories" {
  description = "Repositories to create: the two images of one build."
  type        = list(string)
  default     = ["tms-api", "tms-agent"]
}

variable "keep_tagged_images" {
  description = "Release images (tags v*) kept per repository; older ones expire."
  type        = number
  default     = 30
  validation {
    condition     = var.keep_tagged_images >= 5
    error_message = "keep_tagged_images must be >= 5 so a few releases can be rolled back to."
  }
}

variable "untagged_expiry_days" {
  description = "Days after which untagged images expire."
  type        = number
  default     = 7
}

variable "push_principal_arns" {
  description = "IAM principals allowed to push (the pipeline's role)."
  type        = list(string)
  default     = []
}

variable "pull_principal_arns" {
  description = "IAM principals allowed to pull besides this account (e.g. other environments' node roles)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
