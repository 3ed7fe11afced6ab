/** @jsxImportSource hono/jsx */
import { Layout } from "./layout.js";

export function SignInPage(props: { error?: string; accessKeyId?: string; localHint: boolean }) {
  return (
    <Layout title="Sign in" error={props.error}>
      <h1>Sign in</h1>
      <p>Sign in with an access key of this deployment: the same key id and secret an SDK signs with.</p>
      {props.localHint && (
        <p class="hint">
          Local development: the key pair is <code>local</code> / <code>local</code> unless SLUICE_CREDENTIALS says otherwise.
        </p>
      )}
      <form method="post" action="/console/sign-in" class="stack">
        <label>
          Access key id
          <input name="accessKeyId" autocomplete="username" required value={props.accessKeyId ?? ""} />
        </label>
        <label>
          Secret access key
          <input name="secretAccessKey" type="password" autocomplete="current-password" required />
        </label>
        <div>
          <button type="submit">Sign in</button>
        </div>
      </form>
    </Layout>
  );
}
