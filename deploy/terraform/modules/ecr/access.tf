# Who may push and pull: the pipeline pushes, this account (and listed principals) pull.

data "aws_iam_policy_document" "access" {
  dynamic "statement" {
    for_each = length(var.push_principal_arns) > 0 ? [1] : []
    content {
      sid = "PipelinePushes"
      actions = [
        "ecr:BatchCheckLayerAvailability",
        "ecr:CompleteLayerUpload",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
      ]
      principals {
        type        = "AWS"
        identifiers = var.push_principal_arns
      }
    }
  }
  dynamic "statement" {
    for_each = length(var.pull_principal_arns) > 0 ? [1] : []
    content {
      sid     = "OthersPull"
      actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      principals {
        type        = "AWS"
        identifiers = var.pull_principal_arns
      }
    }
  }
}

resource "aws_ecr_repository_policy" "this" {
  for_each   = length(var.push_principal_arns) + length(var.pull_principal_arns) > 0 ? toset(var.repositories) : toset([])
  repository = aws_ecr_repository.this[each.key].name
  policy     = data.aws_iam_policy_document.access.json
}
