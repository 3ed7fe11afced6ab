"""Drives boto3 for the behaviour suite: one JSON request per stdin line, one JSON reply per stdout line.

Request:  {"id": 1, "action": "SendMessage", "input": {...}}   (AWS casing, bytes as {"$bytes": "<base64>"})
Reply:    {"id": 1, "result": {...}}  or  {"id": 1, "error": {"code": ..., "message": ..., "exception": ...}}

Run with Debian's /usr/bin/python3 and python3-boto3 1.26.27 (botocore 1.29.27), which speak the
Query protocol. The first line written is {"ready": {"boto3": ..., "botocore": ..., "protocol": ...}}.
"""
import base64
import json
import sys

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError


def decode(value):
    if isinstance(value, dict):
        if set(value) == {"$bytes"}:
            return base64.b64decode(value["$bytes"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def encode(value):
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [encode(v) for v in value]
    return value


def main():
    endpoint = sys.argv[1]
    client = boto3.session.Session().client(
        "sqs",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        # Leave range checks to the server: the suite asserts the server's answers.
        config=Config(retries={"total_max_attempts": 1}, parameter_validation=False),
    )
    write({"ready": {
        "boto3": boto3.__version__,
        "botocore": botocore.__version__,
        "protocol": client.meta.service_model.protocol,
    }})
    for line in sys.stdin:
        request = json.loads(line)
        reply = {"id": request["id"]}
        try:
            operation = getattr(client, botocore.xform_name(request["action"]))
            reply["result"] = encode(operation(**decode(request["input"])))
        except ClientError as e:
            error = e.response.get("Error", {})
            reply["error"] = {
                "code": error.get("Code"),
                "message": error.get("Message"),
                "exception": type(e).__name__,
            }
        except Exception as e:  # a client-side failure: report it rather than hang the suite
            reply["error"] = {"code": "Client:" + type(e).__name__, "message": str(e)}
        write(reply)


def write(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
