/** @jsxImportSource hono/jsx */
/** The queue page's messages, as a peek shows them: nothing here receives or changes a message. */
import type { PeekedMessage } from "../../durable-objects/queue/types.js";
import type { MergedPeekPage } from "../merged-peek.js";
import { shownAttributes, type PeekQuery } from "../peek.js";
import { queueHref } from "./queues.js";

const STATE_LABELS = { visible: "Visible", "in-flight": "In flight", delayed: "Delayed" } as const;

export interface MessagesProps {
  queue: string;
  page: MergedPeekPage;
  query: PeekQuery;
  now: number;
}

function time(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** "in 25 s" / "12 s ago": how far a time is from now, for the visibility column. */
function relative(ms: number, now: number): string {
  const seconds = Math.round((ms - now) / 1000);
  if (seconds === 0) return "now";
  const amount = Math.abs(seconds) >= 120 ? `${Math.round(Math.abs(seconds) / 60)} min` : `${Math.abs(seconds)} s`;
  return seconds > 0 ? `in ${amount}` : `${amount} ago`;
}

export function Messages(props: MessagesProps) {
  const { query, page } = props;
  const href = (extra: Record<string, string>) => {
    const params = new URLSearchParams();
    for (const state of query.states) params.append("state", state);
    if (query.newestFirst) params.set("order", "newest");
    if (query.search) params.set("search", query.search);
    for (const [key, value] of Object.entries(extra)) params.set(key, value);
    return `${queueHref(props.queue)}?${params}#messages`;
  };
  return (
    <section aria-labelledby="messages">
      <h2 id="messages">Messages</h2>
      <p class="hint">A peek: showing messages receives none of them, so receive counts, visibility and dead-letter moves stay as they were.</p>
      <form method="get" action={`${queueHref(props.queue)}#messages`} class="inline">
        <fieldset>
          <legend>Show</legend>
          {(Object.keys(STATE_LABELS) as (keyof typeof STATE_LABELS)[]).map((state) => (
            <label class="check">
              <input type="checkbox" name="state" value={state} checked={query.states.length === 0 || query.states.includes(state)} />{" "}
              {STATE_LABELS[state]}
            </label>
          ))}
        </fieldset>
        <label>
          Order
          <select name="order">
            <option value="oldest" selected={!query.newestFirst}>
              Oldest first
            </option>
            <option value="newest" selected={query.newestFirst}>
              Newest first
            </option>
          </select>
        </label>
        <label>
          Body contains
          <input name="search" value={query.search} />
        </label>
        <button type="submit">Peek</button>
      </form>
      {page.messages.length === 0 ? (
        <p>{query.after !== undefined ? "No more messages." : "No message matches."}</p>
      ) : (
        <div class="scroll">
          <table>
            <caption class="hint">{`${page.messages.length} message${page.messages.length === 1 ? "" : "s"}${query.after !== undefined ? " (a later page)" : ""}`}</caption>
            <thead>
              <tr>
                <th scope="col">Message</th>
                <th scope="col">Body</th>
                <th scope="col">Attributes</th>
              </tr>
            </thead>
            <tbody>
              {page.messages.map((message) => (
                <MessageRow message={message} now={props.now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page.scanLimited && <p class="hint">This page stopped after reading many messages without filling up: the next page goes on.</p>}
      {page.next !== undefined && (
        <p>
          <a href={href({ after: page.next })}>Next page</a>
        </p>
      )}
    </section>
  );
}

function MessageRow(props: { message: PeekedMessage; now: number }) {
  const { message, now } = props;
  const attributes = shownAttributes(message.attributes);
  const system = shownAttributes(message.systemAttributes);
  return (
    <tr data-message-id={message.messageId} data-state={message.state} data-receive-count={String(message.receiveCount)}>
      <td>
        <dl>
          <dt>Id</dt>
          <dd class="mono">{message.messageId}</dd>
          <dt>State</dt>
          <dd>{STATE_LABELS[message.state]}</dd>
          <dt>Receive count</dt>
          <dd>{message.receiveCount}</dd>
          <dt>{message.state === "visible" ? "Visible since" : "Visible again"}</dt>
          <dd>
            {time(message.visibleAt)} ({relative(message.visibleAt, now)})
          </dd>
          <dt>Sent</dt>
          <dd>{time(message.sentAt)}</dd>
          {message.firstReceiveAt !== undefined && (
            <>
              <dt>First received</dt>
              <dd>{time(message.firstReceiveAt)}</dd>
            </>
          )}
          <dt>Sender</dt>
          <dd class="mono">{message.senderId}</dd>
          {message.groupId !== undefined && (
            <>
              <dt>Group</dt>
              <dd class="mono">{message.groupId}</dd>
            </>
          )}
          {message.sequenceNumber !== undefined && (
            <>
              <dt>Sequence number</dt>
              <dd class="mono">{message.sequenceNumber}</dd>
            </>
          )}
          {message.dedupId !== undefined && (
            <>
              <dt>Deduplication id</dt>
              <dd class="mono">{message.dedupId}</dd>
            </>
          )}
          {message.deadLetterSourceArn !== undefined && (
            <>
              <dt>Dead-lettered from</dt>
              <dd class="mono">{message.deadLetterSourceArn}</dd>
            </>
          )}
          {system.map((attribute) => (
            <>
              <dt>{attribute.name}</dt>
              <dd class="mono">{attribute.value}</dd>
            </>
          ))}
        </dl>
      </td>
      <td>
        <pre class="mono" style="white-space:pre-wrap;margin:0">{message.bodyChars !== undefined ? `${message.body}…` : message.body}</pre>
        {message.bodyChars !== undefined && <p class="hint">{`The first ${message.body.length} of ${message.bodyChars} characters.`}</p>}
      </td>
      <td>
        {attributes.length === 0 ? (
          <span class="hint">none</span>
        ) : (
          <dl>
            {attributes.map((attribute) => (
              <>
                <dt>
                  {attribute.name} <span class="hint">({attribute.type})</span>
                </dt>
                <dd class="mono">{attribute.value}</dd>
              </>
            ))}
          </dl>
        )}
      </td>
    </tr>
  );
}
