/** @jsxImportSource hono/jsx */
/** The queue page: what the queue is and holds, its settings, and the actions on it. */
import type { ListMessageMoveTasksResultEntry, StringMap } from "../../sdk/protocol/index.js";
import { EDITABLE_ATTRIBUTES } from "../editable-attributes.js";
import { queueNameOfArn, type Grant, type QueueRow } from "../queue-data.js";
import { Csrf, Field, Layout, type LayoutProps } from "./layout.js";
import { Messages, type MessagesProps } from "./messages.js";
import { Charts } from "./charts.js";
import type { MinuteSample } from "../../durable-objects/queue/samples.js";
import { DeadLetterLinks, queueHref } from "./queues.js";

export interface QueuePageProps {
  signedIn: NonNullable<LayoutProps["signedIn"]>;
  queue: QueueRow;
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

      <section aria-labelledby="attributes">
        <h2 id="attributes">Attributes</h2>
        <form method="post" action={action("attributes")} class="stack">
          <Csrf token={csrf} />
          {EDITABLE_ATTRIBUTES.filter((attribute) => queue.fifo || !attribute.fifoOnly).map((attribute) => {
            const value = queue.attributes[attribute.name] ?? "";
            const id = `attribute-${attribute.name}`;
            const described = attribute.hint ? `${id}-hint` : undefined;
            const control =
              attribute.kind === "json" ? (
                <textarea id={id} aria-describedby={described} name={attribute.name}>
                  {value}
                </textarea>
              ) : attribute.kind === "boolean" || attribute.kind === "choice" ? (
                <select id={id} aria-describedby={described} name={attribute.name}>
                  {(attribute.choices ?? ["false", "true"]).map((choice) => (
                    <option value={choice} selected={choice === value}>
                      {choice}
                    </option>
                  ))}
                </select>
              ) : (
                <input id={id} aria-describedby={described} name={attribute.name} value={value} inputmode={attribute.kind === "number" ? "numeric" : undefined} />
              );
            return attribute.hint ? (
              <Field id={id} label={attribute.label} hint={attribute.hint}>
                {control}
              </Field>
            ) : (
              <div class="field">
                <label for={id}>{attribute.label}</label>
                {control}
              </div>
            );
          })}
          <div>
            <button type="submit">Save attributes</button>
          </div>
        </form>
        <details>
          <summary>All attributes</summary>
          <div class="scroll">
            <table>
              <tbody>
                {Object.entries(queue.attributes)
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([name, value]) => (
                    <tr>
                      <th scope="row">{name}</th>
                      <td class="mono">{value}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </details>
      </section>

      <section aria-labelledby="tags">
        <h2 id="tags">Tags</h2>
        {Object.keys(props.tags).length === 0 ? (
          <p>No tags.</p>
        ) : (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Value</th>
                  <th scope="col">
                    <span class="hint">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(props.tags).map(([key, value]) => (
                  <tr>
                    <td class="mono">{key}</td>
                    <td class="mono">{value}</td>
                    <td>
                      <form method="post" action={action("untag")}>
                        <Csrf token={csrf} />
                        <input type="hidden" name="key" value={key} />
                        <button type="submit" class="plain" aria-label={`Remove tag ${key}`}>
                          Remove
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <form method="post" action={action("tag")} class="inline">
          <Csrf token={csrf} />
          <label>
            Tag key
            <input name="key" required />
          </label>
          <label>
            Tag value
            <input name="value" />
          </label>
          <button type="submit">Add tag</button>
        </form>
      </section>

      <section aria-labelledby="permissions">
        <h2 id="permissions">Permissions</h2>
        {props.grants.length === 0 ? (
          <p>Only this account uses the queue.</p>
        ) : (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Label</th>
                  <th scope="col">Principals</th>
                  <th scope="col">Actions</th>
                  <th scope="col">
                    <span class="hint">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {props.grants.map((grant) => (
                  <tr>
                    <td class="mono">{grant.label}</td>
                    <td class="mono">{grant.accounts.join(", ")}</td>
                    <td class="mono">{grant.actions.join(", ")}</td>
                    <td>
                      {grant.label && (
                        <form method="post" action={action("remove-permission")}>
                          <Csrf token={csrf} />
                          <input type="hidden" name="label" value={grant.label} />
                          <button type="submit" class="plain" aria-label={`Remove permission ${grant.label}`}>
                            Remove
                          </button>
                        </form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <form method="post" action={action("add-permission")} class="stack">
          <Csrf token={csrf} />
          <label>
            Label
            <input name="label" required />
          </label>
          <Field id="permission-accounts" label="Account ids" hint="12 digits each, separated by commas.">
            <input id="permission-accounts" aria-describedby="permission-accounts-hint" name="accounts" required />
          </Field>
          <Field id="permission-actions" label="Actions" hint="For example SendMessage, ReceiveMessage; * for all.">
            <input id="permission-actions" aria-describedby="permission-actions-hint" name="actions" required />
          </Field>
          <div>
            <button type="submit">Add permission</button>
          </div>
        </form>
      </section>

      <section aria-labelledby="purge">
        <h2 id="purge">Purge</h2>
        <p>
          Deletes every message in the queue. A queue can be purged once every 60 seconds: a second purge within 60 seconds
          is refused (PurgeQueueInProgress), and messages sent during those 60 seconds may be deleted too.
        </p>
        <form method="post" action={action("purge")} class="inline">
          <Csrf token={csrf} />
          <label>
            Type the queue's name to confirm
            <input name="confirm" required autocomplete="off" />
          </label>
          <button type="submit" class="danger">
            Purge queue
          </button>
        </form>
      </section>

      <section aria-labelledby="delete-queue">
        <h2 id="delete-queue">Delete the queue</h2>
        <p>Deletes the queue and every message in it. A queue of the same name cannot be created for 60 seconds.</p>
        <form method="post" action={action("delete")} class="inline">
          <Csrf token={csrf} />
          <label>
            Type the queue's name to confirm
            <input name="confirm" required autocomplete="off" />
          </label>
          <button type="submit" class="danger">
            Delete queue
          </button>
        </form>
      </section>
    </Layout>
  );
}

function Redrive(props: QueuePageProps & { action: (path: string) => string }) {
  const { queue, moveTasks } = props;
  return (
    <section aria-labelledby="redrive">
      <h2 id="redrive">Redrive</h2>
      <p>This is the dead-letter queue of {queue.sources.join(", ")}. A move task sends its messages back, then deletes them here.</p>
      <form method="post" action={props.action("redrive")} class="stack">
        <Csrf token={props.signedIn.csrf} />
        <label>
          Move messages to
          <select name="destination">
            <option value="">their source queues</option>
            {props.otherQueues.map((name) => (
              <option value={name}>{name}</option>
            ))}
          </select>
        </label>
        <Field id="redrive-rate" label="Messages per second" hint="Optional, 1 to 500.">
          <input id="redrive-rate" aria-describedby="redrive-rate-hint" name="rate" type="number" min={1} max={500} />
        </Field>
        <div>
          <button type="submit">Start redrive</button>
        </div>
      </form>
      {moveTasks.length > 0 && (
        <div class="scroll">
          <table>
            <caption class="hint">Move tasks, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Destination</th>
                <th scope="col" class="n">Moved</th>
                <th scope="col" class="n">To move</th>
                <th scope="col">Started</th>
                <th scope="col">
                  <span class="hint">Cancel</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {moveTasks.map((task) => (
                <tr data-move-task={task.Status}>
                  <td>
                    {task.Status}
                    {task.FailureReason && <span class="hint">{` (${task.FailureReason})`}</span>}
                  </td>
                  <td>{task.DestinationArn ? queueNameOfArn(task.DestinationArn) : "source queues"}</td>
                  <td class="n">{task.ApproximateNumberOfMessagesMoved}</td>
                  <td class="n">{task.ApproximateNumberOfMessagesToMove ?? ""}</td>
                  <td>{new Date(task.StartedTimestamp).toISOString()}</td>
                  <td>
                    {task.TaskHandle && (
                      <form method="post" action={props.action("cancel-redrive")}>
                        <Csrf token={props.signedIn.csrf} />
                        <input type="hidden" name="taskHandle" value={task.TaskHandle} />
                        <button type="submit" class="plain">
                          Cancel
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
