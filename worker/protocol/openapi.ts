/**
 * The OpenAPI 3.1 description of the REST API (worker/protocol/rest.ts), served at
 * `GET /v1/openapi.json`. The e2e suite checks every REST answer it sees against it
 * (tests/e2e/rest), so it must describe what the routes do, not what they might do.
 */
import {
  ERRORS,
  MAX_DELAY_SECONDS,
  MAX_LIST_QUEUES_RESULTS,
  MAX_RECEIVE_MESSAGES,
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  MAX_WAIT_TIME_SECONDS,
  QUEUE_NAME_SOURCE,
  type ErrorCode,
} from "../../sdk/protocol/index.js";
import { MAX_PARTITIONS, PARTITION_TAG } from "../partitions.js";
import { OPENAPI_ROUTE, REST_ROUTES, type RestOperationId } from "./rest.js";
import { REST_PREFIX } from "./rest-path.js";
import { TOPIC_REST_ROUTES, type TopicOperationId } from "../sns/rest-topic-routes.js";

/** The part of JSON Schema 2020-12 this document uses (and the e2e validator checks). */
export interface Schema {
  $ref?: string;
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean" | "null";
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: readonly (string | number)[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxItems?: number;
  pattern?: string;
  examples?: unknown[];
}

interface Parameter {
  name: string;
  in: "path" | "query";
  required?: boolean;
  description: string;
  schema: Schema;
}

interface Content {
  "application/json": { schema: Schema };
}

interface Response {
  description: string;
  headers?: Record<string, { description: string; schema: Schema }>;
  content?: Content;
}

interface Operation {
  operationId: string;
  /** `[]` on the one public route. */
  security?: Record<string, string[]>[];
  summary: string;
  description?: string;
  tags: string[];
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required: boolean; content: Content };
  responses: Record<string, Response | { $ref: string }>;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  paths: Record<string, Partial<Record<"get" | "post" | "patch" | "delete", Operation>>>;
  security: Record<string, string[]>[];
  components: {
    securitySchemes: Record<string, { type: "apiKey"; in: "header"; name: string; description: string }>;
    schemas: Record<string, Schema>;
    parameters: Record<string, Parameter>;
    responses: Record<string, Response>;
  };
}

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema): Content => ({ "application/json": { schema } });
const param = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const error = (name: string) => ({ $ref: `#/components/responses/${name}` });
const body = (schema: Schema) => ({ required: true, content: json(schema) });
const ok = (description: string, schema: Schema): Response => ({ description, content: json(schema) });
const noContent = (description: string): Response => ({ description });
const stringMap = (description: string): Schema => ({
  type: "object",
  description,
  additionalProperties: { type: "string" },
});

/** Errors every queue route can answer. */
const QUEUE_ERRORS = {
  "400": error("BadRequest"),
  "404": error("NotFound"),
  "429": error("TooManyRequests"),
  "5XX": error("ServerError"),
};

/** Errors every topic route can answer (SNS's codes: InvalidParameter, NotFound, AuthorizationError, …). */
const TOPIC_ERRORS = {
  "400": error("BadRequest"),
  "403": error("Forbidden"),
  "404": error("NotFound"),
  "429": error("TooManyRequests"),
  "5XX": error("ServerError"),
};

/** The topic routes read the fields they know and ignore others, as SNS ignores unknown parameters. */
const topicRequest = (required: string[], properties: Record<string, Schema>): Schema => ({ type: "object", required, properties });

const ATTRIBUTE_INPUT: Schema = {
  type: "object",
  description:
    "Queue attributes by their SQS names (VisibilityTimeout, DelaySeconds, MessageRetentionPeriod, RedrivePolicy, FifoQueue, …). " +
    'SQS takes text; numbers, booleans and JSON objects are accepted too and sent as their text ({"VisibilityTimeout": 60} is "60").',
  additionalProperties: { anyOf: [{ type: "string" }, { type: "number" }, { type: "boolean" }, { type: "object" }] },
};

const SEND_FIELDS: Record<string, Schema> = {
  body: { type: "string", minLength: 1, description: "The message body: text of up to the queue's MaximumMessageSize." },
  attributes: ref("MessageAttributes"),
  delaySeconds: { type: "integer", minimum: 0, maximum: MAX_DELAY_SECONDS, description: "Standard queues only." },
  groupId: { type: "string", description: "MessageGroupId: required for FIFO queues." },
  deduplicationId: {
    type: "string",
    description: "MessageDeduplicationId: FIFO queues without ContentBasedDeduplication need one.",
  },
};

/** In a batch, an entry whose values SQS refuses fails alone (in failed), so any value is accepted here. */
const BATCH_ENTRY_FIELDS: Record<string, Schema> = {
  ...SEND_FIELDS,
  body: { type: "string", description: "As for one message; an empty body fails its entry." },
  delaySeconds: { type: "integer", description: `0 to ${MAX_DELAY_SECONDS}; outside that the entry fails.` },
};

const SENT_FIELDS: Record<string, Schema> = {
  messageId: { type: "string" },
  md5OfBody: { type: "string", pattern: "^[0-9a-f]{32}$" },
  md5OfAttributes: { type: "string", pattern: "^[0-9a-f]{32}$", description: "Present when the message has attributes." },
  sequenceNumber: { type: "string", description: "FIFO queues only." },
};

/**
 * What the document says of each route, by its operationId. Paths and methods are not repeated
 * here: `paths` is generated from the routes that rest.ts serves.
 */
const OPERATIONS: Record<RestOperationId | TopicOperationId, Omit<Operation, "operationId">> = {
  getOpenApiDocument: {
      security: [],
      summary: "This document",
      tags: ["meta"],
      responses: { "200": ok("The OpenAPI document.", { type: "object" }) },
  },
  listQueues: {
      summary: "List queues",
      description: "ListQueues, in pages: follow nextCursor while it is present.",
      tags: ["queues"],
      parameters: [
        { name: "prefix", in: "query", description: "Only queues whose name starts with this.", schema: { type: "string" } },
        {
          name: "limit",
          in: "query",
          description: `Queues per page (default ${MAX_LIST_QUEUES_RESULTS}).`,
          schema: { type: "integer", minimum: 1, maximum: MAX_LIST_QUEUES_RESULTS },
        },
        { name: "cursor", in: "query", description: "nextCursor of the previous page.", schema: { type: "string" } },
      ],
      responses: {
        "200": ok("A page of queues, by name.", ref("QueueList")),
        "400": error("BadRequest"),
        "429": error("TooManyRequests"),
        "5XX": error("ServerError"),
      },
  },
  createQueue: {
      summary: "Create a queue",
      description:
        "CreateQueue. Creating a queue that exists with the same attributes answers 201 again; with different " +
        "attributes, 409 QueueNameExists. A name ending in .fifo makes a FIFO queue (FifoQueue may be left out).",
      tags: ["queues"],
      requestBody: body(ref("CreateQueueRequest")),
      responses: {
        "201": {
          description: "The queue.",
          headers: { Location: { description: "/v1/queues/{name}", schema: { type: "string" } } },
          content: json(ref("Queue")),
        },
        "400": error("BadRequest"),
        "409": error("Conflict"),
        "429": error("TooManyRequests"),
        "5XX": error("ServerError"),
      },
  },
  getQueue: {
      summary: "A queue and all its attributes",
      description: "GetQueueAttributes with All (the Approximate* counters summed over the partitions), and the partition count.",
      tags: ["queues"],
      parameters: [param("QueueName")],
      responses: { "200": ok("The queue.", ref("QueueDetails")), ...QUEUE_ERRORS },
  },
  updateQueue: {
      summary: "Set queue attributes",
      description: "SetQueueAttributes: the attributes given change, the others stay.",
      tags: ["queues"],
      parameters: [param("QueueName")],
      requestBody: body(ref("UpdateQueueRequest")),
      responses: { "204": noContent("Updated."), ...QUEUE_ERRORS },
  },
  deleteQueue: {
      summary: "Delete a queue",
      description: "DeleteQueue. Its name cannot be used again for 60 seconds.",
      tags: ["queues"],
      parameters: [param("QueueName")],
      responses: { "204": noContent("Deleted."), ...QUEUE_ERRORS },
  },
  purgeQueue: {
      summary: "Delete every message",
      description: "PurgeQueue: once per 60 seconds per queue (403 PurgeQueueInProgress otherwise). No body.",
      tags: ["queues"],
      parameters: [param("QueueName")],
      responses: { "204": noContent("Purged."), "403": error("Forbidden"), ...QUEUE_ERRORS },
  },
  listQueueTags: {
      summary: "A queue's tags",
      tags: ["tags"],
      parameters: [param("QueueName")],
      responses: { "200": ok("The tags.", ref("Tags")), ...QUEUE_ERRORS },
  },
  tagQueue: {
      summary: "Add or change tags",
      description:
        `TagQueue: the tags given are set, the others stay. ${PARTITION_TAG} raises the partition count of a standard or ` +
        "high-throughput FIFO queue; lowering it or removing it from a partitioned queue is 400 InvalidParameterValue.",
      tags: ["tags"],
      parameters: [param("QueueName")],
      requestBody: body(ref("Tags")),
      responses: { "204": noContent("Tagged."), ...QUEUE_ERRORS },
  },
  untagQueue: {
      summary: "Remove a tag",
      tags: ["tags"],
      parameters: [param("QueueName"), { name: "key", in: "path", required: true, description: "The tag key.", schema: { type: "string" } }],
      responses: { "204": noContent("Removed (or was not there)."), ...QUEUE_ERRORS },
  },
  sendMessages: {
      summary: "Send one message or a batch",
      description:
        "{\"body\": …} is SendMessage. {\"messages\": [ … ]} is SendMessageBatch (1 to 10 messages): entries are " +
        "named by their index, and one entry's failure does not fail the others, so check failed.",
      tags: ["messages"],
      parameters: [param("QueueName")],
      requestBody: body({ oneOf: [ref("SendMessageRequest"), ref("SendMessagesRequest")] }),
      responses: {
        "200": ok("The message sent, or the batch's outcome per entry.", {
          oneOf: [ref("SendMessageResult"), ref("SendMessagesResult")],
        }),
        ...QUEUE_ERRORS,
      },
  },
  receiveMessages: {
      summary: "Receive messages",
      description:
        "ReceiveMessage with every attribute. Received messages stay invisible to others for the visibility " +
        "timeout; delete each with its receiptHandle once processed. An empty list when there is none. A long " +
        "poll that has to wait sends its 200 at once and then spaces until the answer (to notice a client that " +
        "left): the body may begin with whitespace, which JSON allows.",
      tags: ["messages"],
      parameters: [
        param("QueueName"),
        {
          name: "wait",
          in: "query",
          description: "Long poll: seconds to wait for a message (default: the queue's ReceiveMessageWaitTimeSeconds).",
          schema: { type: "integer", minimum: 0, maximum: MAX_WAIT_TIME_SECONDS },
        },
        {
          name: "max",
          in: "query",
          description: "At most this many messages (default 1).",
          schema: { type: "integer", minimum: 1, maximum: MAX_RECEIVE_MESSAGES },
        },
        {
          name: "visibility",
          in: "query",
          description: "Visibility timeout in seconds for these messages (default: the queue's).",
          schema: { type: "integer", minimum: 0, maximum: MAX_VISIBILITY_TIMEOUT_SECONDS },
        },
        {
          name: "attemptId",
          in: "query",
          description: "ReceiveRequestAttemptId: FIFO queues answer a retried receive with the same messages.",
          schema: { type: "string" },
        },
      ],
      responses: {
        "200": ok("The messages received.", ref("ReceiveResult")),
        "403": error("Forbidden"),
        ...QUEUE_ERRORS,
      },
  },
  deleteMessage: {
      summary: "Delete a received message",
      description: "DeleteMessage. A handle that is not one of this queue's is 400 ReceiptHandleIsInvalid.",
      tags: ["messages"],
      parameters: [param("QueueName"), param("ReceiptHandle")],
      responses: { "204": noContent("Deleted."), ...QUEUE_ERRORS },
  },
  changeMessageVisibility: {
      summary: "Change a received message's visibility timeout",
      description: "ChangeMessageVisibility: visible again after visibilityTimeout seconds from now (0: at once).",
      tags: ["messages"],
      parameters: [param("QueueName"), param("ReceiptHandle")],
      requestBody: body(ref("ChangeVisibilityRequest")),
      responses: { "204": noContent("Changed."), ...QUEUE_ERRORS },
  },

  listTopics: {
      summary: "List topics",
      description: "ListTopics, in pages of 100: follow nextToken while it is present.",
      tags: ["topics"],
      parameters: [{ name: "nextToken", in: "query", description: "nextToken of the previous page.", schema: { type: "string" } }],
      responses: { "200": ok("A page of topics.", ref("TopicList")), ...TOPIC_ERRORS },
  },
  createTopic: {
      summary: "Create a topic",
      description:
        "CreateTopic. Creating a topic that exists with the same attributes answers it again. A name ending in .fifo " +
        "needs the attribute FifoTopic \"true\".",
      tags: ["topics"],
      requestBody: body(ref("CreateTopicRequest")),
      responses: { "201": ok("The topic.", ref("TopicArn")), ...TOPIC_ERRORS },
  },
  getTopic: {
      summary: "A topic's attributes",
      description: "GetTopicAttributes.",
      tags: ["topics"],
      parameters: [param("TopicName")],
      responses: { "200": ok("The topic's attributes.", ref("TopicDetails")), ...TOPIC_ERRORS },
  },
  updateTopic: {
      summary: "Set topic attributes",
      description: "SetTopicAttributes, one call per attribute given, in order: the others stay.",
      tags: ["topics"],
      parameters: [param("TopicName")],
      requestBody: body(ref("UpdateTopicRequest")),
      responses: { "204": noContent("Updated."), ...TOPIC_ERRORS },
  },
  deleteTopic: {
      summary: "Delete a topic",
      description: "DeleteTopic, with its subscriptions. Deleting a topic that does not exist succeeds, as in SNS.",
      tags: ["topics"],
      parameters: [param("TopicName")],
      responses: { "204": noContent("Deleted."), ...TOPIC_ERRORS },
  },
  publish: {
      summary: "Publish a message",
      description: "Publish: stored once answered, then delivered to every subscription whose filter policy accepts it.",
      tags: ["topics"],
      parameters: [param("TopicName")],
      requestBody: body(ref("PublishRequest")),
      responses: { "200": ok("The message published.", ref("PublishResult")), ...TOPIC_ERRORS },
  },
  listSubscriptions: {
      summary: "A topic's subscriptions",
      description: "ListSubscriptionsByTopic, in pages of 100: follow nextToken while it is present.",
      tags: ["topics"],
      parameters: [param("TopicName"), { name: "nextToken", in: "query", description: "nextToken of the previous page.", schema: { type: "string" } }],
      responses: { "200": ok("A page of subscriptions.", ref("SubscriptionList")), ...TOPIC_ERRORS },
  },
  subscribe: {
      summary: "Subscribe an endpoint",
      description:
        "Subscribe, answering the subscription's ARN (\"pending confirmation\" until an HTTP(S) endpoint or another " +
        "account's queue confirms).",
      tags: ["topics"],
      parameters: [param("TopicName")],
      requestBody: body(ref("SubscribeRequest")),
      responses: { "201": ok("The subscription.", ref("SubscriptionArn")), ...TOPIC_ERRORS },
  },
  unsubscribe: {
      summary: "Remove a subscription",
      description: "Unsubscribe: id is the last part of the subscription's ARN.",
      tags: ["topics"],
      parameters: [param("TopicName"), { name: "id", in: "path", required: true, description: "The subscription id.", schema: { type: "string" } }],
      responses: { "204": noContent("Removed."), ...TOPIC_ERRORS },
  },
};

/** One entry per REST route, in the order rest.ts matches them. */
function routePaths(): OpenApiDocument["paths"] {
  const paths: OpenApiDocument["paths"] = {};
  for (const { operationId, method, path } of [OPENAPI_ROUTE, ...REST_ROUTES, ...TOPIC_REST_ROUTES]) {
    const item = (paths[`${REST_PREFIX}${path}`] ??= {});
    item[method.toLowerCase() as Lowercase<typeof method>] = { operationId, ...OPERATIONS[operationId] };
  }
  return paths;
}

export const OPENAPI_DOCUMENT: OpenApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Sluice REST API",
    version: "1",
    description:
      "Queues and messages as resources, for clients without an SQS SDK. Every call runs the same SQS action as the " +
      "SQS protocols do, so the rules, limits and messages are SQS's. Topics (/v1/topics) run SNS's actions likewise, " +
      "answer SNS's error codes, ignore fields they do not know, and may be signed for service sns too. Bodies are JSON (any request " +
      "content type is read as JSON); unknown fields and query parameters are refused; a trailing slash is ignored. " +
      "Errors are {\"error\": {\"code\", \"message\"}} where code is the SQS error name " +
      "(QueueDoesNotExist, InvalidParameterValue, …; never the legacy AWS.SimpleQueueService.* form). Statuses: 400 " +
      "for invalid input, 404 for a queue that does not exist or an unknown path, 405 (with Allow) for a method a path " +
      "does not have, 409 when a queue name is taken or was deleted less than 60 seconds ago, 429 (with Retry-After) " +
      "when a queue is momentarily overloaded or restarting, 403 and other 4xx as " +
      "SQS answers them, 5xx only for faults of the server. Every route but this document needs an AWS Signature " +
      "Version 4 for service sqs (curl: --aws-sigv4 aws:amz:<region>:sqs --user KEY:SECRET); an unsigned or badly " +
      "signed request is a 403 (MissingAuthenticationToken, InvalidClientTokenId, SignatureDoesNotMatch).",
  },
  security: [{ sigv4: [] }],
  paths: routePaths(),
  components: {
    securitySchemes: {
      sigv4: {
        type: "apiKey",
        in: "header",
        name: "Authorization",
        description: "AWS Signature Version 4 (AWS4-HMAC-SHA256) for service sqs, as the AWS SDKs and curl --aws-sigv4 sign.",
      },
    },
    schemas: {
      Error: {
        type: "object",
        required: ["error"],
        additionalProperties: false,
        properties: {
          error: {
            type: "object",
            required: ["code", "message"],
            additionalProperties: false,
            properties: {
              code: {
                type: "string",
                enum: Object.keys(ERRORS) as ErrorCode[],
                description: "The SQS error name, or NotFound / MethodNotAllowed for the REST routes.",
              },
              message: { type: "string" },
            },
          },
        },
      },
      Queue: {
        type: "object",
        required: ["name", "url"],
        additionalProperties: false,
        properties: {
          name: { type: "string" },
          url: { type: "string", description: "The SQS queue URL, for SQS clients." },
        },
      },
      QueueList: {
        type: "object",
        required: ["queues"],
        additionalProperties: false,
        properties: {
          queues: { type: "array", items: ref("Queue") },
          nextCursor: { type: "string", description: "Present when there are more queues: pass it as cursor." },
        },
      },
      QueueDetails: {
        type: "object",
        required: ["name", "url", "partitions", "attributes"],
        additionalProperties: false,
        properties: {
          name: { type: "string" },
          url: { type: "string" },
          partitions: {
            type: "integer",
            minimum: 1,
            maximum: MAX_PARTITIONS,
            description: "How many partitions (queue objects) the queue spans; 1 for a queue that was never partitioned.",
          },
          attributes: stringMap("Every attribute by its SQS name, as text (QueueArn, VisibilityTimeout, …)."),
        },
      },
      CreateQueueRequest: {
        type: "object",
        required: ["name"],
        additionalProperties: false,
        properties: {
          name: { type: "string", pattern: `^(?:${QUEUE_NAME_SOURCE})$` },
          attributes: ATTRIBUTE_INPUT,
          tags: stringMap("Tags to create the queue with."),
          partitions: {
            type: "integer",
            minimum: 1,
            maximum: MAX_PARTITIONS,
            description:
              `Partitions (queue objects) to spread the queue over: the tag ${PARTITION_TAG} said as a field (giving both ` +
              "with different values is an error). A standard queue, or a FIFO queue in high-throughput mode " +
              "(DeduplicationScope messageGroup, FifoThroughputLimit perMessageGroupId), gets them; any other FIFO queue stays one " +
              "object. An existing queue keeps its own count.",
          },
        },
      },
      UpdateQueueRequest: {
        type: "object",
        required: ["attributes"],
        additionalProperties: false,
        properties: { attributes: ATTRIBUTE_INPUT },
      },
      Tags: {
        type: "object",
        required: ["tags"],
        additionalProperties: false,
        properties: { tags: stringMap("Tag key to value.") },
      },
      MessageAttributes: {
        type: "object",
        description: "Message attributes by name (at most 10).",
        additionalProperties: {
          type: "object",
          required: ["type", "value"],
          additionalProperties: false,
          properties: {
            type: { type: "string", pattern: "^(String|Number|Binary)(\\..+)?$", examples: ["String", "Number.int"] },
            value: {
              anyOf: [{ type: "string" }, { type: "number" }],
              description: "The text (a Number may be a JSON number on input); base64 for the Binary types.",
            },
          },
        },
      },
      SendMessageRequest: {
        type: "object",
        required: ["body"],
        additionalProperties: false,
        properties: SEND_FIELDS,
      },
      SendMessagesRequest: {
        type: "object",
        required: ["messages"],
        additionalProperties: false,
        properties: {
          messages: {
            type: "array",
            maxItems: 10,
            items: { type: "object", required: ["body"], additionalProperties: false, properties: BATCH_ENTRY_FIELDS },
          },
        },
      },
      SendMessageResult: {
        type: "object",
        required: ["messageId", "md5OfBody"],
        additionalProperties: false,
        properties: SENT_FIELDS,
      },
      SendMessagesResult: {
        type: "object",
        required: ["successful", "failed"],
        additionalProperties: false,
        properties: {
          successful: {
            type: "array",
            items: {
              type: "object",
              required: ["index", "messageId", "md5OfBody"],
              additionalProperties: false,
              properties: { index: { type: "integer", minimum: 0 }, ...SENT_FIELDS },
            },
          },
          failed: {
            type: "array",
            items: {
              type: "object",
              required: ["index", "code", "message", "senderFault"],
              additionalProperties: false,
              properties: {
                index: { type: "integer", minimum: 0 },
                code: { type: "string", description: "The SQS error name, as in Error." },
                message: { type: "string" },
                senderFault: { type: "boolean", description: "True when the entry itself is at fault." },
              },
            },
          },
        },
      },
      ReceivedMessage: {
        type: "object",
        required: ["messageId", "receiptHandle", "body", "md5OfBody", "attributes", "systemAttributes"],
        additionalProperties: false,
        properties: {
          messageId: { type: "string" },
          receiptHandle: { type: "string", description: "URL-safe; needed to delete the message or change its visibility." },
          body: { type: "string" },
          md5OfBody: { type: "string", pattern: "^[0-9a-f]{32}$" },
          attributes: ref("MessageAttributes"),
          md5OfAttributes: { type: "string", pattern: "^[0-9a-f]{32}$" },
          systemAttributes: stringMap(
            "SQS system attributes by their SQS names, as text: SentTimestamp and ApproximateFirstReceiveTimestamp " +
              "(epoch milliseconds), ApproximateReceiveCount, SenderId, and for FIFO MessageGroupId, " +
              "MessageDeduplicationId, SequenceNumber.",
          ),
        },
      },
      ReceiveResult: {
        type: "object",
        required: ["messages"],
        additionalProperties: false,
        properties: { messages: { type: "array", items: ref("ReceivedMessage") } },
      },
      ChangeVisibilityRequest: {
        type: "object",
        required: ["visibilityTimeout"],
        additionalProperties: false,
        properties: {
          visibilityTimeout: { type: "integer", minimum: 0, maximum: MAX_VISIBILITY_TIMEOUT_SECONDS },
        },
      },
      TopicArn: {
        type: "object",
        required: ["topicArn"],
        additionalProperties: false,
        properties: { topicArn: { type: "string", pattern: "^arn:aws:sns:" } },
      },
      TopicList: {
        type: "object",
        required: ["topics"],
        additionalProperties: false,
        properties: {
          topics: { type: "array", items: ref("TopicArn") },
          nextToken: { type: "string", description: "Present when there are more topics: pass it as nextToken." },
        },
      },
      TopicDetails: {
        type: "object",
        required: ["attributes"],
        additionalProperties: false,
        properties: { attributes: stringMap("Every attribute by its SNS name, as text (TopicArn, DisplayName, Policy, SubscriptionsConfirmed, …).") },
      },
      CreateTopicRequest: topicRequest(["name"], {
        name: { type: "string", description: "1 to 256 letters, digits, - and _ (.fifo at the end for a FIFO topic)." },
        attributes: stringMap("Topic attributes by their SNS names (DisplayName, FifoTopic, Policy, DeliveryPolicy, …)."),
        tags: stringMap("Tags to create the topic with."),
      }),
      UpdateTopicRequest: topicRequest(["attributes"], { attributes: stringMap("Attributes to set, by their SNS names.") }),
      PublishRequest: topicRequest(["message"], {
        message: { type: "string", description: "The message: text of up to 256 KiB." },
        subject: { type: "string", description: "Subject, for email endpoints and the envelope." },
        attributes: {
          type: "object",
          description: 'Message attributes by name: a string is a String attribute; {"dataType", "stringValue" | "binaryValue" (base64)} any.',
          additionalProperties: {
            anyOf: [
              { type: "string" },
              {
                type: "object",
                required: ["dataType"],
                properties: { dataType: { type: "string" }, stringValue: { type: "string" }, binaryValue: { type: "string" } },
              },
            ],
          },
        },
        groupId: { type: "string", description: "MessageGroupId: required for FIFO topics." },
        deduplicationId: { type: "string", description: "MessageDeduplicationId: FIFO topics without ContentBasedDeduplication need one." },
      }),
      PublishResult: {
        type: "object",
        required: ["messageId"],
        additionalProperties: false,
        properties: { messageId: { type: "string" }, sequenceNumber: { type: "string", description: "FIFO topics only." } },
      },
      SubscribeRequest: topicRequest(["protocol", "endpoint"], {
        protocol: { type: "string", description: "sqs, http, https (others are accepted and never delivered to)." },
        endpoint: { type: "string", description: "A queue ARN for sqs, a URL for http(s)." },
        attributes: stringMap("Subscription attributes (RawMessageDelivery, FilterPolicy, FilterPolicyScope, RedrivePolicy, …)."),
      }),
      SubscriptionArn: {
        type: "object",
        required: ["subscriptionArn"],
        additionalProperties: false,
        properties: { subscriptionArn: { type: "string" } },
      },
      SubscriptionList: {
        type: "object",
        required: ["subscriptions"],
        additionalProperties: false,
        properties: {
          subscriptions: {
            type: "array",
            items: {
              type: "object",
              required: ["subscriptionArn", "owner", "protocol", "endpoint", "topicArn"],
              additionalProperties: false,
              properties: {
                subscriptionArn: { type: "string", description: "Or PendingConfirmation." },
                owner: { type: "string" },
                protocol: { type: "string" },
                endpoint: { type: "string" },
                topicArn: { type: "string" },
              },
            },
          },
          nextToken: { type: "string", description: "Present when there are more subscriptions: pass it as nextToken." },
        },
      },
    },
    parameters: {
      QueueName: { name: "name", in: "path", required: true, description: "The queue's name.", schema: { type: "string" } },
      TopicName: { name: "name", in: "path", required: true, description: "The topic's name.", schema: { type: "string" } },
      ReceiptHandle: {
        name: "receiptHandle",
        in: "path",
        required: true,
        description: "A receiptHandle from receiveMessages (URL-safe; percent-encode anyway).",
        schema: { type: "string" },
      },
    },
    responses: {
      BadRequest: { description: "Invalid input: malformed JSON, an unknown field, a value out of range.", content: json(ref("Error")) },
      Forbidden: {
        description: "Refused for now (PurgeQueueInProgress, OverLimit); for topics, AuthorizationError and SNS's limits.",
        content: json(ref("Error")),
      },
      NotFound: { description: "The queue (or topic, or subscription) does not exist.", content: json(ref("Error")) },
      Conflict: {
        description: "QueueNameExists (same name, other attributes) or QueueDeletedRecently.",
        content: json(ref("Error")),
      },
      TooManyRequests: {
        description: "RequestThrottled: the queue is momentarily overloaded or restarting; retry after the Retry-After seconds.",
        headers: { "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } } },
        content: json(ref("Error")),
      },
      ServerError: { description: "A fault of the server (InternalError, ServiceUnavailable).", content: json(ref("Error")) },
    },
  },
};
