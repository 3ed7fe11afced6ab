/** @jsxImportSource hono/jsx */
/** The queue page's settings: its attributes (validated by SetQueueAttributes itself), tags and permissions. */
import type { StringMap } from "../../sdk/protocol/index.js";
import { EDITABLE_ATTRIBUTES } from "../editable-attributes.js";
import type { Grant, QueueRow } from "../queue-data.js";
import { Csrf, Field } from "./layout.js";

export interface QueueSettingsProps {
  queue: QueueRow;
  tags: StringMap;
  grants: Grant[];
  csrf: string;
  /** The URL of one of the queue's forms. */
  action: (path: string) => string;
}

export function QueueSettings(props: QueueSettingsProps) {
  const { queue, csrf, action } = props;
  return (
    <>
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
                      <RemoveForm action={action("untag")} csrf={csrf} field="key" value={key} label={`Remove tag ${key}`} />
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
                        <RemoveForm action={action("remove-permission")} csrf={csrf} field="label" value={grant.label} label={`Remove permission ${grant.label}`} />
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
    </>
  );
}

/** A row's Remove button: a form of its own, posting the one field that names the row. */
function RemoveForm(props: { action: string; csrf: string; field: string; value: string; label: string }) {
  return (
    <form method="post" action={props.action}>
      <Csrf token={props.csrf} />
      <input type="hidden" name={props.field} value={props.value} />
      <button type="submit" class="plain" aria-label={props.label}>
        Remove
      </button>
    </form>
  );
}
