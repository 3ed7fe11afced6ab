/** @jsxImportSource hono/jsx */
/** The queue page: what the queue is and holds, its settings, and the actions on it. */
import type { ListMessageMoveTasksResultEntry, StringMap } from "../../sdk/protocol/index.js";
import type { Grant, QueueRow } from "../queue-data.js";
import { Csrf, Field, Layout, type LayoutProps } from "./layout.js";
import { Messages, type MessagesProps } from "./messages.js";
import { Charts } from "./charts.js";
import type { MinuteSample } from "../../durable-objects/queue/samples.js";
import { DeadLetterLinks, queueHref } from "./queues.js";
import { QueueSettings } from "./queue-settings.js";
import { Redrive } from "./redrive.js";

export interface QueuePageProps {
  signedIn: NonNullable<LayoutProps["signedIn"]>;
  queue: QueueRow;
  /** How many partitions (queue objects) the queue spans. */
  partitions: number;
  tags: StringMap;
  grants: Grant[];
  moveTasks: ListMessageMoveTasksResultEntry[];
  otherQueues: string[];
  messages: Omit<MessagesProps, "queue">;
  samples: MinuteSample[];
  notice?: string;
  error?: string;
}

export function QueuePage(props: QueuePageProps) {
  const { queue } = props;
  const csrf = props.signedIn.csrf;
  const action = (path: string) => `${queueHref(queue.name)}/${path}`;
  return (
    <Layout title={queue.name} signedIn={props.signedIn} notice={props.notice} error={props.error}>
      <p>
        <a href="/console/queues">← All queues</a>
      </p>
      <h1>{queue.name}</h1>
      <dl>
        <dt>Type</dt>
        <dd>{queue.fifo ? "FIFO" : "Standard"}</dd>
        <dt>ARN</dt>
        <dd class="mono">{queue.arn}</dd>
        <dt>Partitions</dt>
        <dd data-count="partitions">{props.partitions}</dd>
        <dt>Visible</dt>
        <dd data-count="visible">{queue.visible}</dd>
        <dt>In flight</dt>
        <dd data-count="in-flight">{queue.inFlight}</dd>
        <dt>Delayed</dt>
        <dd data-count="delayed">{queue.delayed}</dd>
        <dt>Dead-letter</dt>
        <dd>
          <DeadLetterLinks row={queue} />
        </dd>
      </dl>
      <p>
        <a href={queueHref(queue.name)}>Refresh</a>
      </p>

      <Charts samples={props.samples} />

      <Messages queue={queue.name} {...props.messages} />

      <section aria-labelledby="send">
        <h2 id="send">Send a message</h2>
        <form method="post" action={action("send")} class="stack">
          <Csrf token={csrf} />
          <label>
            Body
            <textarea name="body" required></textarea>
          </label>
          {!queue.fifo && (
            <label>
              Delay (seconds)
              <input name="delay" type="number" min={0} max={900} />
            </label>
          )}
          {queue.fifo && (
            <>
              <label>
                Message group id
                <input name="groupId" required />
              </label>
              <Field id="send-dedup" label="Deduplication id" hint="Needed unless content-based deduplication is on.">
                <input id="send-dedup" aria-describedby="send-dedup-hint" name="dedupId" />
              </Field>
            </>
          )}
          {!queue.fifo && (
            <Field id="send-group" label="Message group id" hint="Optional: a fair queue shares its capacity between groups.">
              <input id="send-group" aria-describedby="send-group-hint" name="groupId" />
            </Field>
          )}
          <fieldset>
            <legend>Message attributes (optional)</legend>
            {[1, 2, 3].map((n) => (
              <div class="inline" style="display:flex;flex-wrap:wrap;gap:.5rem">
                <label>
                  {`Attribute ${n} name`}
                  <input name={`attrName${n}`} />
                </label>
                <label>
                  Type
                  <select name={`attrType${n}`}>
                    <option value="String">String</option>
                    <option value="Number">Number</option>
                  </select>
                </label>
                <label>
                  Value
                  <input name={`attrValue${n}`} />
                </label>
              </div>
            ))}
          </fieldset>
          <div>
            <button type="submit">Send</button>
          </div>
        </form>
      </section>

      <section aria-labelledby="delete-message">
        <h2 id="delete-message">Delete a message</h2>
        <form method="post" action={action("delete-message")} class="stack">
          <Csrf token={csrf} />
          <Field id="delete-handle" label="Receipt handle" hint="From a receive: a peek shows no receipt handle, since only a receive gives one.">
            <input id="delete-handle" aria-describedby="delete-handle-hint" name="receiptHandle" required />
          </Field>
          <div>
            <button type="submit" class="danger">
              Delete message
            </button>
          </div>
        </form>
      </section>

      {queue.sources.length > 0 && <Redrive {...props} action={action} />}

      <QueueSettings queue={queue} tags={props.tags} grants={props.grants} csrf={csrf} action={action} />

      <section aria-labelledby="purge">
        <h2 id="purge">Purge</h2>
        <p>
          Deletes every message in the queue. A queue can be purged once every 60 seconds: a second purge within 60 seconds
          is refused (PurgeQueueInProgress), and messages sent during those 60 seconds may be deleted too.
        </p>
        <ConfirmedForm action={action("purge")} csrf={csrf} button="Purge queue" />
      </section>

      <section aria-labelledby="delete-queue">
        <h2 id="delete-queue">Delete the queue</h2>
        <p>Deletes the queue and every message in it. A queue of the same name cannot be created for 60 seconds.</p>
        <ConfirmedForm action={action("delete")} csrf={csrf} button="Delete queue" />
      </section>
    </Layout>
  );
}

/** A destructive action's form: it goes through only with the queue's name typed (checked by the server). */
function ConfirmedForm(props: { action: string; csrf: string; button: string }) {
  return (
    <form method="post" action={props.action} class="inline">
      <Csrf token={props.csrf} />
      <label>
        Type the queue's name to confirm
        <input name="confirm" required autocomplete="off" />
      </label>
      <button type="submit" class="danger">
        {props.button}
      </button>
    </form>
  );
}
