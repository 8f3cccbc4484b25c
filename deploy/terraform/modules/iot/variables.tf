variable "name" {
  description = "Name prefix, e.g. tms-production."
  type        = string
}

variable "stream_shards" {
  description = "Shards of the telemetry Kinesis stream (1 MB/s in each)."
  type        = number
  default     = 1
  validation {
    condition     = var.stream_shards >= 1 && var.stream_shards <= 64
    error_message = "stream_shards must be 1-64."
  }
}

variable "stream_retention_hours" {
  description = "Hours the stream keeps records."
  type        = number
  default     = 24
}

variable "consumer_package" {
  description = "Path of the Lambda consumer's zip (built by the pipeline)."
  type        = string
}

variable "consumer_handler" {
  description = "Handler of the Lambda consumer."
  type        = string
  default     = "io.tms.telemetry.StreamConsumer::handleRequest"
}

variable "consumer_memory_mb" {
  description = "Memory of the Lambda consumer."
  type        = number
  default     = 512
}

variable "log_retention_days" {
  description = "Days the consumer's logs are kept."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
