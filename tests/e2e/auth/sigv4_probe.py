"""One authentication probe with Debian's boto3 or awscli (Query protocol), for auth-suite.ts.

    sigv4_probe.py boto3|awscli <endpoint> <access key id> <secret> <clock minutes> create <queue name>
    sigv4_probe.py boto3|awscli <endpoint> <access key id> <secret> <clock minutes> send <queue url>
    sigv4_probe.py presign <endpoint> <access key id> <secret> <expires seconds> <queue name prefix>
    sigv4_probe.py date <endpoint> <access key id> <secret> 0 <queue name>

The first forms make CreateQueue (or SendMessage to another account's queue) and print {"ok": true} or {"ok": false, "code", "message"[,
"status"]}; a non-zero clock shifts the signer's clock (botocore reads datetime.utcnow when it
signs). The second prints {"url": ...}: boto3's presigned ListQueues, signed (as botocore presigns
Query operations) for POST with an empty body.
The third makes boto3's CreateQueue signed with the Date header instead of X-Amz-Date (botocore
does so whenever the request carries a Date header before signing) and prints the outcome with the
headers botocore sent.
Run with Debian's /usr/bin/python3 (boto3 1.26.27; awscli 2.9.19 bundles its own botocore).
"""
import contextlib
import datetime
import importlib
import io
import json
import os
import re
import sys
import types


def shift_clock(package, minutes):
    """Both signers botocore may pick: its own, and awscrt's (used whenever awscrt is installed)."""

    class Shifted(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return datetime.datetime.utcnow() + datetime.timedelta(minutes=minutes)

    for name in (package + ".auth", package + ".crt.auth"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        shim = {name: getattr(datetime, name) for name in dir(datetime) if not name.startswith("__")}
        module.datetime = types.SimpleNamespace(**{**shim, "datetime": Shifted})


def boto3_client(endpoint, key, secret):
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        "sqs",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"total_max_attempts": 1}),
    )


def probe_boto3(endpoint, key, secret, minutes, what, queue):
    from botocore.exceptions import ClientError

    if minutes:
        shift_clock("botocore", minutes)
    try:
        client = boto3_client(endpoint, key, secret)
        if what == "send":
            client.send_message(QueueUrl=queue, MessageBody="from another account")
        else:
            client.create_queue(QueueName=queue)
        return {"ok": True}
    except ClientError as e:
        error = e.response.get("Error", {})
        status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return {"ok": False, "code": error.get("Code"), "message": error.get("Message"), "status": status}


def probe_awscli(endpoint, key, secret, minutes, what, queue):
    os.environ.update({"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret})
    from awscli.clidriver import AWSCLIEntryPoint

    # awscli registers its bundled botocore as `botocore`: this patches the CLI's own signers.
    if minutes:
        shift_clock("botocore", minutes)
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        if what == "send":
            command = ["sqs", "send-message", "--queue-url", queue, "--message-body", "from another account"]
        else:
            command = ["sqs", "create-queue", "--queue-name", queue]
        rc = AWSCLIEntryPoint().main(["--endpoint-url", endpoint, *command])
    if rc == 0:
        return {"ok": True}
    match = re.search(r"An error occurred \(([^)]+)\) when calling the \w+ operation: (.*)", stderr.getvalue())
    if not match:
        return {"ok": False, "code": "Client:rc=%d" % rc, "message": stderr.getvalue()}
    return {"ok": False, "code": match.group(1), "message": match.group(2).strip()}


def probe_date(endpoint, key, secret, queue):
    """botocore signs with Date when a Date header is present: it rewrites it and drops X-Amz-Date."""
    import botocore.auth
    from botocore.exceptions import ClientError

    # With awscrt installed (Debian's python3-awscrt), botocore signs through the CRT, which always
    # writes X-Amz-Date; its own Python signer is the one that honours a Date header.
    botocore.auth.AUTH_TYPE_MAPS["v4"] = botocore.auth.SigV4Auth

    client = boto3_client(endpoint, key, secret)
    sent = {}

    def add_date(request, **kwargs):
        request.headers["Date"] = "set by botocore when it signs"

    def record(request, **kwargs):
        for name, value in request.headers.items():
            sent[name.lower()] = value.decode() if isinstance(value, bytes) else str(value)

    client.meta.events.register("before-sign.sqs.*", add_date)
    client.meta.events.register("before-send.sqs.*", record)
    try:
        client.create_queue(QueueName=queue)
        result = {"ok": True}
    except ClientError as e:
        error = e.response.get("Error", {})
        result = {"ok": False, "code": error.get("Code"), "message": error.get("Message")}
    result["sent"] = sent
    return result


def main():
    mode, endpoint, key, secret, number = sys.argv[1:6]
    if mode == "presign":
        name = sys.argv[6]
        url = boto3_client(endpoint, key, secret).generate_presigned_url(
            "list_queues", Params={"QueueNamePrefix": name}, ExpiresIn=int(number)
        )
        result = {"url": url}
    elif mode == "date":
        result = probe_date(endpoint, key, secret, sys.argv[6])
    elif mode == "boto3":
        result = probe_boto3(endpoint, key, secret, int(number), sys.argv[6], sys.argv[7])
    else:
        result = probe_awscli(endpoint, key, secret, int(number), sys.argv[6], sys.argv[7])
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
