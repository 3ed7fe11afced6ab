/**
 * The REST API's topic routes, by operationId: rest-topics.ts serves them, and the OpenAPI
 * document (worker/protocol/openapi.ts) generates their paths from this list, as it does the
 * queue routes' from REST_ROUTES. Paths are under /v1.
 */
export const TOPIC_REST_ROUTES = [
  { operationId: "listTopics", method: "GET", path: "/topics" },
  { operationId: "createTopic", method: "POST", path: "/topics" },
  { operationId: "getTopic", method: "GET", path: "/topics/{name}" },
  { operationId: "updateTopic", method: "PATCH", path: "/topics/{name}" },
  { operationId: "deleteTopic", method: "DELETE", path: "/topics/{name}" },
  { operationId: "publish", method: "POST", path: "/topics/{name}/messages" },
  { operationId: "listSubscriptions", method: "GET", path: "/topics/{name}/subscriptions" },
  { operationId: "subscribe", method: "POST", path: "/topics/{name}/subscriptions" },
  { operationId: "unsubscribe", method: "DELETE", path: "/topics/{name}/subscriptions/{id}" },
] as const;

export type TopicOperationId = (typeof TOPIC_REST_ROUTES)[number]["operationId"];
