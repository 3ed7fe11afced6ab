/** SQS limits. Units are in the names. */

export const MAX_BATCH_PAYLOAD_BYTES = 1_048_576;
export const MAX_BATCH_ENTRIES = 10;
export const MAX_RECEIVE_MESSAGES = 10;
export const MAX_DELAY_SECONDS = 900;
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;
export const MAX_WAIT_TIME_SECONDS = 20;
export const MAX_MESSAGE_ATTRIBUTES = 10;
export const MAX_ATTRIBUTE_NAME_LENGTH = 256;
export const MAX_ATTRIBUTE_TYPE_LENGTH = 256;
export const MAX_IN_FLIGHT_MESSAGES = 120_000;
export const MAX_LIST_QUEUES_RESULTS = 1_000;
export const MAX_TAGS = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/** PurgeQueue and re-creating a deleted queue are both refused for 60 seconds. */
export const QUEUE_COOLDOWN_MS = 60_000;
/** FIFO deduplication window and ReceiveRequestAttemptId replay window. */
export const DEDUPLICATION_WINDOW_MS = 300_000;

/** AddPermission's Label. (The queue-name rule is in queue-name.ts.) */
export const PERMISSION_LABEL_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;
export const BATCH_ENTRY_ID_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;
/** Account ids are 12 digits; this is the account of the local-development key (`local`/`local`). */
export const DEFAULT_ACCOUNT_ID = "000000000000";
export const DEFAULT_REGION = "us-east-1";
