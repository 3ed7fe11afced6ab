/** @jsxImportSource hono/jsx */
/** A dead-letter queue's redrive: a move task back to its sources or to a chosen queue, and the tasks' progress. */
import type { ListMessageMoveTasksResultEntry } from "../../sdk/protocol/index.js";
import { queueNameOfArn, type QueueRow } from "../queue-data.js";
import { Csrf, Field, type LayoutProps } from "./layout.js";

export interface RedriveProps {
  signedIn: NonNullable<LayoutProps["signedIn"]>;
  queue: QueueRow;
  moveTasks: ListMessageMoveTasksResultEntry[];
  otherQueues: string[];
  /** The URL of one of the queue's forms. */
  action: (path: string) => string;
}

export function Redrive(props: RedriveProps) {
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

