/** The attributes the queue page lets the owner change, with what the form says about each. */
export interface EditableAttribute {
  name: string;
  label: string;
  hint: string;
  kind: "number" | "boolean" | "text" | "json" | "choice";
  fifoOnly?: boolean;
  choices?: string[];
}

export const EDITABLE_ATTRIBUTES: EditableAttribute[] = [
  { name: "VisibilityTimeout", label: "Visibility timeout (seconds)", hint: "0 to 43200", kind: "number" },
  { name: "DelaySeconds", label: "Delivery delay (seconds)", hint: "0 to 900", kind: "number" },
  { name: "MaximumMessageSize", label: "Maximum message size (bytes)", hint: "1024 to 1048576", kind: "number" },
  { name: "MessageRetentionPeriod", label: "Message retention (seconds)", hint: "60 to 1209600", kind: "number" },
  { name: "ReceiveMessageWaitTimeSeconds", label: "Receive wait time (seconds)", hint: "0 to 20", kind: "number" },
  {
    name: "RedrivePolicy",
    label: "Redrive policy (JSON)",
    hint: '{"deadLetterTargetArn": "arn:…", "maxReceiveCount": 5}; empty removes it',
    kind: "json",
  },
  {
    name: "RedriveAllowPolicy",
    label: "Redrive allow policy (JSON)",
    hint: '{"redrivePermission": "allowAll"}, "denyAll" or "byQueue" with sourceQueueArns',
    kind: "json",
  },
  { name: "ContentBasedDeduplication", label: "Content-based deduplication", hint: "", kind: "boolean", fifoOnly: true },
  {
    name: "DeduplicationScope",
    label: "Deduplication scope",
    hint: "",
    kind: "choice",
    fifoOnly: true,
    choices: ["queue", "messageGroup"],
  },
  {
    name: "FifoThroughputLimit",
    label: "FIFO throughput limit",
    hint: "",
    kind: "choice",
    fifoOnly: true,
    choices: ["perQueue", "perMessageGroupId"],
  },
];
