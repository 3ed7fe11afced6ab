"""Runs awscli commands for the behaviour suite without paying Python's start-up on every call.

Each stdin line is {"id": 1, "args": ["--endpoint-url", ..., "sqs", "send-message", ...]}; the
args go to the same entry point /usr/bin/aws calls (awscli.clidriver.AWSCLIEntryPoint().main),
which builds a fresh driver and session every time. The first stdout line is
{"ready": {"awscli": "<version>", "botocore": "<version>", "protocol": "<sqs protocol>"}}, where
protocol is what the CLI's own (bundled) botocore session builds an sqs client with; then each line is
{"id": 1, "rc": 0, "stdout": "...", "stderr": "..."} - what the `aws` process would have printed.
Run with Debian's /usr/bin/python3, next to its awscli 2.9.19.
"""
import contextlib
import io
import json
import os
import sys

# As /usr/bin/aws does before importing the CLI.
if os.environ.get("LC_CTYPE", "") == "UTF-8":
    os.environ["LC_CTYPE"] = "en_US.UTF-8"

import awscli  # noqa: E402
from awscli.clidriver import AWSCLIEntryPoint, create_clidriver  # noqa: E402


def sqs_client_model(endpoint):
    """Version and sqs protocol of the botocore the CLI itself loads (awscli bundles its own)."""
    session = create_clidriver().session
    client = session.create_client("sqs", region_name="us-east-1", endpoint_url=endpoint)
    botocore = sys.modules[type(session).__module__.rpartition(".")[0]]
    return botocore.__version__, client.meta.service_model.protocol


def main():
    out = sys.stdout
    botocore_version, protocol = sqs_client_model(sys.argv[1])
    ready = {"awscli": awscli.__version__, "botocore": botocore_version, "protocol": protocol}
    out.write(json.dumps({"ready": ready}) + "\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                rc = AWSCLIEntryPoint().main(request["args"])
            except SystemExit as e:  # argument errors exit like the real process would
                rc = e.code if isinstance(e.code, int) else 255
        out.write(json.dumps({"id": request["id"], "rc": rc, "stdout": stdout.getvalue(), "stderr": stderr.getvalue()}) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
