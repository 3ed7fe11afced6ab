/** @jsxImportSource hono/jsx */
/** The queues page: every queue of the account, its counts and dead-letter links, and create queue. */
import type { QueueRow } from "../queue-data.js";
import { Csrf, Field, Layout, type LayoutProps } from "./layout.js";

export interface QueuesPageProps {
  signedIn: NonNullable<LayoutProps["signedIn"]>;
  rows: QueueRow[];
  prefix: string;
  nextToken?: string;
  allNames: string[];
  now: number;
  notice?: string;
  error?: string;
}

export function queueHref(name: string): string {
  return `/console/queues/${encodeURIComponent(name)}`;
}

export function QueuesPage(props: QueuesPageProps) {
  const { rows, prefix } = props;
  return (
    <Layout title="Queues" signedIn={props.signedIn} notice={props.notice} error={props.error}>
      <h1>Queues</h1>
      <form method="get" action="/console/queues" class="inline" role="search">
        <label>
          Name starts with
          <input name="prefix" value={prefix} />
        </label>
        <button type="submit">Filter</button>
        {prefix !== "" && <a href="/console/queues">Show all</a>}
      </form>
      {rows.length === 0 ? (
        <p>{prefix === "" ? "This account has no queues yet." : `No queue name starts with “${prefix}”.`}</p>
      ) : (
        <div class="scroll">
          <table>
            <caption class="hint">
              {`${rows.length} queue${rows.length === 1 ? "" : "s"}${prefix === "" ? "" : ` starting with “${prefix}”`}`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col" class="n">Visible</th>
                <th scope="col" class="n">In flight</th>
                <th scope="col" class="n">Delayed</th>
                <th scope="col" class="n">Oldest message</th>
                <th scope="col">Dead-letter</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  <th scope="row">
                    <a href={queueHref(row.name)}>{row.name}</a>
                  </th>
                  <td>{row.fifo ? "FIFO" : "Standard"}</td>
                  <td class="n">{row.visible}</td>
                  <td class="n">{row.inFlight}</td>
                  <td class="n">{row.delayed}</td>
                  <td class="n">{row.oldestEnqueuedAt === undefined ? "–" : age(props.now - row.oldestEnqueuedAt)}</td>
                  <td>
                    <DeadLetterLinks row={row} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.nextToken && (
        <p>
          <a href={`/console/queues?${new URLSearchParams({ prefix, next: props.nextToken })}`}>Next page</a>
        </p>
      )}
      <CreateQueueForm csrf={props.signedIn.csrf} allNames={props.allNames} />
    </Layout>
  );
}

/** An age as people say it: 45 s, 12 min, 3 h, 2 d. */
export function age(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 2 * 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 2 * 86400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}

export function DeadLetterLinks(props: { row: QueueRow }) {
  const { row } = props;
  if (!row.deadLetterTarget && row.sources.length === 0) return <span class="hint">none</span>;
  return (
    <ul>
      {row.deadLetterTarget && (
        <li>
          sends to <a href={queueHref(row.deadLetterTarget.name)}>{row.deadLetterTarget.name}</a> after{" "}
          {row.deadLetterTarget.maxReceiveCount} receives
        </li>
      )}
      {row.sources.length > 0 && (
        <li>
          dead-letter queue of{" "}
          {row.sources.map((source, i) => (
            <>
              {i > 0 && ", "}
              <a href={queueHref(source)}>{source}</a>
            </>
          ))}
        </li>
      )}
    </ul>
  );
}

function CreateQueueForm(props: { csrf: string; allNames: string[] }) {
  return (
    <section aria-labelledby="create-queue">
      <h2 id="create-queue">Create queue</h2>
      <form method="post" action="/console/queues" class="stack">
        <Csrf token={props.csrf} />
        <Field
          id="create-name"
          label="Name"
          hint="Up to 80 letters, digits, hyphens and underscores; a FIFO queue's name ends in .fifo (added if missing)."
        >
          <input id="create-name" aria-describedby="create-name-hint" name="name" required maxlength={80} />
        </Field>
        <fieldset>
          <legend>Type</legend>
          <label class="check">
            <input type="radio" name="type" value="standard" checked /> Standard
          </label>
          <label class="check">
            <input type="radio" name="type" value="fifo" /> FIFO (ordered, exactly-once within five minutes)
          </label>
        </fieldset>
        <label>
          Visibility timeout (seconds)
          <input name="VisibilityTimeout" type="number" min={0} max={43200} placeholder="30" />
        </label>
        <label>
          Delivery delay (seconds)
          <input name="DelaySeconds" type="number" min={0} max={900} placeholder="0" />
        </label>
        <label>
          Message retention (seconds)
          <input name="MessageRetentionPeriod" type="number" min={60} max={1209600} placeholder="345600" />
        </label>
        <label>
          Receive wait time (seconds)
          <input name="ReceiveMessageWaitTimeSeconds" type="number" min={0} max={20} placeholder="0" />
        </label>
        <label class="check">
          <input type="checkbox" name="ContentBasedDeduplication" value="true" /> Content-based deduplication (FIFO only)
        </label>
        <Field
          id="create-partitions"
          label="Partitions (standard queues)"
          hint="Queue objects to spread a busy queue over, 1 to 64 (default 1). It can be raised later, never lowered."
        >
          <input id="create-partitions" aria-describedby="create-partitions-hint" name="partitions" type="number" min={1} max={64} placeholder="1" />
        </Field>
        <fieldset>
          <legend>Dead-letter queue</legend>
          <label>
            Send messages received too often to
            <select name="deadLetterQueue">
              <option value="">(no dead-letter queue)</option>
              {props.allNames.map((name) => (
                <option value={name}>{name}</option>
              ))}
            </select>
          </label>
          <label>
            after this many receives
            <input name="maxReceiveCount" type="number" min={1} max={1000} placeholder="5" />
          </label>
        </fieldset>
        <div>
          <button type="submit">Create queue</button>
        </div>
      </form>
    </section>
  );
}
