# The telemetry export of DESIGN §7 as the original system had it: an IoT Core thing type and a
# policy that lets a site's certificate publish only to its own topic, a rule into a Kinesis
# stream, a Lambda consumer reading the stream, and a DynamoDB table of device state. Every role
# may do exactly what its part needs.

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  topic_prefix = "tms/${var.name}/sites"
  account      = data.aws_caller_identity.current.account_id
  region       = data.aws_region.current.name
}

resource "aws_iot_thing_type" "edge" {
  name = "${var.name}-edge-agent"
  properties {
    description           = "A TMS edge agent (one per terminal site)"
    searchable_attributes = ["site", "release"]
  }
  tags = var.tags
}

data "aws_iam_policy_document" "iot_device" {
  statement {
    sid       = "ConnectAsOwnThing"
    actions   = ["iot:Connect"]
    resources = ["arn:aws:iot:${local.region}:${local.account}:client/$${iot:Connection.Thing.ThingName}"]
  }
  statement {
    sid       = "PublishOwnTelemetry"
    actions   = ["iot:Publish"]
    resources = ["arn:aws:iot:${local.region}:${local.account}:topic/${local.topic_prefix}/$${iot:Connection.Thing.ThingName}/telemetry"]
  }
}

resource "aws_iot_policy" "edge" {
  name   = "${var.name}-edge-agent"
  policy = data.aws_iam_policy_document.iot_device.json
  tags   = var.tags
}

resource "aws_kinesis_stream" "telemetry" {
  name             = "${var.name}-telemetry"
  shard_count      = var.stream_shards
  retention_period = var.stream_retention_hours
  encryption_type  = "KMS"
  kms_key_id       = "alias/aws/kinesis"
  stream_mode_details {
    stream_mode = "PROVISIONED"
  }
  tags = var.tags
}

data "aws_iam_policy_document" "iot_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["iot.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "iot_rule" {
  name               = "${var.name}-iot-to-kinesis"
  assume_role_policy = data.aws_iam_policy_document.iot_assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "iot_rule" {
  statement {
    actions   = ["kinesis:PutRecord"]
    resources = [aws_kinesis_stream.telemetry.arn]
  }
}

resource "aws_iam_role_policy" "iot_rule" {
  name   = "put-telemetry"
  role   = aws_iam_role.iot_rule.id
  policy = data.aws_iam_policy_document.iot_rule.json
}

resource "aws_iot_topic_rule" "telemetry" {
  name        = replace("${var.name}_telemetry", "-", "_")
  enabled     = true
  sql         = "SELECT *, topic(4) AS site FROM '${local.topic_prefix}/+/telemetry'"
  sql_version = "2016-03-23"
  kinesis {
    role_arn      = aws_iam_role.iot_rule.arn
    stream_name   = aws_kinesis_stream.telemetry.name
    partition_key = "$${topic(4)}"
  }
  tags = var.tags
}

resource "aws_dynamodb_table" "device_state" {
  name         = "${var.name}-device-state"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "site"
  range_key    = "device"
  attribute {
    name = "site"
    type = "S"
  }
  attribute {
    name = "device"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  server_side_encryption {
    enabled = true
  }
  tags = var.tags
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "consumer" {
  name               = "${var.name}-telemetry-consumer"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
  tags               = var.tags
}

resource "aws_cloudwatch_log_group" "consumer" {
  name              = "/aws/lambda/${var.name}-telemetry-consumer"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

data "aws_iam_policy_document" "consumer" {
  statement {
    sid = "ReadTheStream"
    actions = [
      "kinesis:DescribeStream",
      "kinesis:DescribeStreamSummary",
      "kinesis:GetRecords",
      "kinesis:GetShardIterator",
      "kinesis:ListShards",
    ]
    resources = [aws_kinesis_stream.telemetry.arn]
  }
  statement {
    sid       = "WriteDeviceState"
    actions   = ["dynamodb:PutItem", "dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.device_state.arn]
  }
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.consumer.arn}:*"]
  }
}

resource "aws_iam_role_policy" "consumer" {
  name   = "consume-telemetry"
  role   = aws_iam_role.consumer.id
  policy = data.aws_iam_policy_document.consumer.json
}

resource "aws_lambda_function" "consumer" {
  function_name    = "${var.name}-telemetry-consumer"
  role             = aws_iam_role.consumer.arn
  runtime          = "java21"
  handler          = var.consumer_handler
  filename         = var.consumer_package
  source_code_hash = filebase64sha256(var.consumer_package)
  memory_size      = var.consumer_memory_mb
  timeout          = 60
  architectures    = ["arm64"]
  environment {
    variables = {
      DEVICE_STATE_TABLE = aws_dynamodb_table.device_state.name
    }
  }
  tags       = var.tags
  depends_on = [aws_cloudwatch_log_group.consumer]
}

resource "aws_lambda_event_source_mapping" "consumer" {
  event_source_arn                   = aws_kinesis_stream.telemetry.arn
  function_name                      = aws_lambda_function.consumer.arn
  starting_position                  = "LATEST"
  batch_size                         = 500
  maximum_batching_window_in_seconds = 5
  bisect_batch_on_function_error     = true
  maximum_retry_attempts             = 3
}
