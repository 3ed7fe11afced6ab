export * from "./actions.js";
export * from "./errors.js";
export * from "./limits.js";
export * from "./md5.js";
export * from "./queue-name.js";
export * from "./shapes.js";
