"""Operating deployed environments: `listing` (what is deployed), `logs` (CloudWatch Logs per request),
`variables` (the deployed `.env`), `promote` (one environment's code to another) and `remove` (teardown).
`environment` finds the function an operation acts on and turns AWS errors into messages."""
