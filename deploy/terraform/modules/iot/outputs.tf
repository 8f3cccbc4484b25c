output "thing_type_name" {
  description = "IoT thing type of edge agents."
  value       = aws_iot_thing_type.edge.name
}

output "iot_policy_name" {
  description = "IoT policy to attach to each site's certificate."
  value       = aws_iot_policy.edge.name
}

output "telemetry_topic_pattern" {
  description = "Topic a site publishes telemetry to (THING = the site's thing name)."
  value       = "${local.topic_prefix}/THING/telemetry"
}

output "stream_arn" {
  description = "ARN of the telemetry Kinesis stream."
  value       = aws_kinesis_stream.telemetry.arn
}

output "device_state_table" {
  description = "DynamoDB table of device state."
  value       = aws_dynamodb_table.device_state.name
}
