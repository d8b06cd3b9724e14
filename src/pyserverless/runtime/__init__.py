"""The runtime shipped to AWS Lambda: stdlib and twilio only (a test enforces it).

It turns a transport-neutral `Request` into an `HttpResponse` by running the project's handlers exactly as
Twilio Functions would. The local server (`pyserverless.server.app`) and the Lambda entry point are thin
adapters around it.
"""
