"""Topics through Debian's python3-boto3 (botocore speaks Query to SNS): every action once,
and a fan-out into a queue. Prints one JSON report for boto3.test.ts to check."""
import json
import sys
import time

import boto3
import botocore

endpoint = sys.argv[1]
suffix = str(int(time.time() * 1000))
session = boto3.session.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", region_name="us-east-1")
config = botocore.config.Config(retries={"max_attempts": 1})
sns = session.client("sns", endpoint_url=endpoint, config=config)
sqs = session.client("sqs", endpoint_url=endpoint, config=config)
report = {"botocore": botocore.__version__, "protocol": sns.meta.service_model.protocol}


def error_of(call):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return {"code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"], "message": e.response["Error"]["Message"]}
    return None


topic = sns.create_topic(Name="boto-" + suffix, Attributes={"DisplayName": "Boto"}, Tags=[{"Key": "k", "Value": "v"}])["TopicArn"]
report["topic"] = topic
report["attributes"] = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
sns.set_topic_attributes(TopicArn=topic, AttributeName="DisplayName", AttributeValue="Renamed")
report["display_name"] = sns.get_topic_attributes(TopicArn=topic)["Attributes"]["DisplayName"]
report["listed"] = topic in [t["TopicArn"] for t in sns.list_topics()["Topics"]] or "paged"
sns.tag_resource(ResourceArn=topic, Tags=[{"Key": "team", "Value": "blue"}])
sns.untag_resource(ResourceArn=topic, TagKeys=["k"])
report["tags"] = sns.list_tags_for_resource(ResourceArn=topic)["Tags"]
sns.add_permission(TopicArn=topic, Label="p", AWSAccountId=["111111111111"], ActionName=["Publish"])
sns.remove_permission(TopicArn=topic, Label="p")
sns.put_data_protection_policy(ResourceArn=topic, DataProtectionPolicy='{"Name":"x","Version":"2021-06-01","Statement":[]}')
report["data_protection"] = sns.get_data_protection_policy(ResourceArn=topic)["DataProtectionPolicy"]

queue_url = sqs.create_queue(QueueName="boto-q-" + suffix)["QueueUrl"]
queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
          "Resource": queue_arn, "Condition": {"ArnEquals": {"aws:SourceArn": topic}}}]}
sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps(policy)})
sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"}, ReturnSubscriptionArn=True)["SubscriptionArn"]
report["subscription"] = sub
pending = sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="x@example.com")["SubscriptionArn"]
report["pending"] = pending
report["by_topic"] = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
report["in_account"] = [s for s in sns.list_subscriptions()["Subscriptions"] if s["TopicArn"] == topic]
report["confirm_error"] = error_of(lambda: sns.confirm_subscription(TopicArn=topic, Token="bad"))

published = sns.publish(TopicArn=topic, Message="hello from boto3", Subject="Hi",
                        MessageAttributes={"kind": {"DataType": "String", "StringValue": "order"},
                                           "n": {"DataType": "Number", "StringValue": "7"},
                                           "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})
report["message_id"] = published["MessageId"]
batch = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": "a", "Message": "batch a"}, {"Id": "b", "Message": "batch b"}])
report["batch"] = {"Successful": [e["Id"] for e in batch["Successful"]], "Failed": batch.get("Failed", [])}
received = []
deadline = time.time() + 10
while len(received) < 3 and time.time() < deadline:
    got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1, MessageAttributeNames=["All"])
    for m in got.get("Messages", []):
        received.append({"Body": m["Body"], "MD5OfMessageAttributes": m.get("MD5OfMessageAttributes"),
                         "MessageAttributes": {k: {"DataType": v["DataType"], "StringValue": v.get("StringValue"),
                                                   "BinaryValue": list(v["BinaryValue"]) if "BinaryValue" in v else None}
                                               for k, v in m.get("MessageAttributes", {}).items()}})
report["received"] = received
# After the fan-out: with it, the batch entries (no `kind`) would not have been delivered.
sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy", AttributeValue='{"kind":["order"]}')
report["subscription_attributes"] = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]

report["publish_error"] = error_of(lambda: sns.publish(TopicArn=topic + "-none", Message="x"))
report["attribute_error"] = error_of(lambda: sns.publish(TopicArn=topic, Message="x", MessageAttributes={"n": {"DataType": "Number", "StringValue": "nan?"}}))
report["batch_error"] = error_of(lambda: sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[{"Id": "a", "Message": "1"}, {"Id": "a", "Message": "2"}]))
sns.unsubscribe(SubscriptionArn=sub)
report["unsubscribed_error"] = error_of(lambda: sns.get_subscription_attributes(SubscriptionArn=sub))
sns.delete_topic(TopicArn=topic)
report["deleted_error"] = error_of(lambda: sns.get_topic_attributes(TopicArn=topic))
print(json.dumps(report))
