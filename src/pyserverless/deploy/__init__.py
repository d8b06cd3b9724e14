"""Deploying a project to AWS Lambda: `package` builds the zip, `variables` checks its variables, `steps`
converges AWS to it through `aws`'s clients and names, `state` records what was deployed."""
