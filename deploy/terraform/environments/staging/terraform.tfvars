region                     = "eu-west-1"
pipeline_role_arn          = "arn:aws:iam::123456789012:role/tms-pipeline"
releases_bucket            = "tms-staging-releases-123456789012"
telemetry_consumer_package = "../../build/telemetry-consumer.zip"
