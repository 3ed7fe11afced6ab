/**
 * The TopicPorts the topic object uses: filter policies (filter-policy/), the deployment's
 * signing key (../signing/), DeliveryPolicy and HTTP(S) delivery (delivery-policy.ts,
 * http-delivery.ts). Retry delays come in seconds and are handed on in milliseconds.
 */
import { signNotification } from "../signing/notification-signature.js";
import { signingCertUrl, signingMaterial, type SigningEnv } from "../signing/signing-material.js";
import {
  deliveryPolicyJson,
  effectiveSubscriptionDeliveryPolicy,
  effectiveTopicDeliveryPolicy,
  parseSubscriptionDeliveryPolicy,
  parseTopicDeliveryPolicy,
  retryDelays,
} from "./delivery-policy.js";
import { filterPolicyMatches, parseFilterPolicy } from "./filter-policy/index.js";
import { confirmationBody, confirmationFields, deliverHttp } from "./http-delivery.js";
import type { TopicPorts } from "./ports.js";

export function wiredPorts(env: SigningEnv): TopicPorts {
  const topicPolicy = (json: string | undefined) => (json ? parseTopicDeliveryPolicy(json) : undefined);
  const subscriptionPolicy = (json: string | undefined) => (json ? parseSubscriptionDeliveryPolicy(json) : undefined);
  return {
    checkFilterPolicy: (json, scope, action) => void parseFilterPolicy(json, scope, action),
    filterMatcher: (json, scope) => {
      const policy = parseFilterPolicy(json, scope);
      return (message) => filterPolicyMatches(policy, message);
    },
    topicDeliveryPolicy: (json) => deliveryPolicyJson(parseTopicDeliveryPolicy(json)),
    subscriptionDeliveryPolicy: (json) => deliveryPolicyJson(parseSubscriptionDeliveryPolicy(json)),
    effectiveTopicDeliveryPolicy: (topic) => effectiveTopicDeliveryPolicy(topicPolicy(topic)),
    effectiveSubscriptionDeliveryPolicy: (topic, subscription) =>
      JSON.stringify(effectiveSubscriptionDeliveryPolicy(topicPolicy(topic), subscriptionPolicy(subscription))),
    httpRetryDelays: (topic, subscription) =>
      retryDelays(effectiveSubscriptionDeliveryPolicy(topicPolicy(topic), subscriptionPolicy(subscription)).healthyRetryPolicy).map((s) => s * 1000),
    async sign(fields, version, origin) {
      const material = await signingMaterial(env);
      return { signature: await signNotification(fields, version, material), signingCertUrl: signingCertUrl(origin, material) };
    },
    postHttp: (post) => deliverHttp(post),
    async confirmationBody(input, version) {
      const material = await signingMaterial(env);
      const fields = confirmationFields({ type: "SubscriptionConfirmation", ...input });
      const signature = await signNotification(fields, version, material);
      return confirmationBody(fields, { signatureVersion: version, signature, signingCertUrl: signingCertUrl(input.origin, material) });
    },
  };
}
