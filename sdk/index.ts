export { SluiceClient } from "./client.js";
export { Producer, type ProducerOptions } from "./producer.js";
export { Consumer, type ConsumerOptions } from "./consumer.js";
export { ChecksumMismatchError, ProducerBatchError, SluiceError } from "./errors.js";
export type { ClientErrorCode, ProducerFailure } from "./errors.js";
export type { ErrorCode } from "./protocol/errors.js";
export type * from "./types.js";
