"""Deploying a project to AWS Lambda: `package` builds the zip, `aws_lambda` converges AWS to it, `state`
records what was deployed."""
