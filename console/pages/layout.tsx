/** @jsxImportSource hono/jsx */
/** The page around every console page: one stylesheet, readable on a phone, no script. */
import type { Child } from "hono/jsx";

/** High-contrast colours (AA or better on white), system fonts, tables that scroll on a phone. */
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding:.75rem 1rem;background:#12324a;color:#fff}
header a{color:#fff}
header form{margin:0}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem;word-break:break-all}
h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #ccc}
a{color:#0b4f8a}
a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #f0a400;outline-offset:2px}
.scroll{overflow-x:auto}
figure{margin:1rem 0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
form.stack{display:grid;gap:.6rem;max-width:36rem}
form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
label{display:grid;gap:.15rem;font-weight:600}
.field{display:grid;gap:.15rem}
form.stack,label,.field{grid-template-columns:minmax(0,1fr)}
label.check{display:flex;gap:.4rem;align-items:center}
fieldset{border:1px solid #bbb;padding:.5rem .75rem}
.hint{font-weight:400;color:#454545;font-size:.9rem}
input,select,textarea{font:inherit;padding:.35rem .5rem;border:1px solid #767676;border-radius:3px;max-width:100%}
textarea{width:100%;min-height:6rem;font-family:ui-monospace,monospace}
button{font:inherit;padding:.4rem .9rem;border:1px solid #0b4f8a;border-radius:3px;background:#0b4f8a;color:#fff;cursor:pointer}
button.danger{background:#a4161a;border-color:#a4161a}
button.plain{background:#fff;color:#0b4f8a}
.notice{padding:.6rem .8rem;border-left:4px solid #1b7d3a;background:#eef8f0}
.error{padding:.6rem .8rem;border-left:4px solid #a4161a;background:#fbeeee}
code,.mono{font-family:ui-monospace,monospace;word-break:break-all}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dt{font-weight:600}dd{margin:0;word-break:break-all}
@media (max-width:40rem){dl{grid-template-columns:1fr}dd{margin-bottom:.4rem}main{padding:.5rem}}
`;

export interface LayoutProps {
  title: string;
  /** Present when signed in: the sign-out form needs the session's CSRF token. */
  signedIn?: { accountId: string; accessKeyId: string; csrf: string };
  notice?: string;
  error?: string;
  children?: Child;
}

export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${props.title} · Sluice console`}</title>
        {/* A constant of this file: set raw, since escaping would turn its quotes into entities. */}
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <header>
          <a href="/console/queues">
            <strong>Sluice console</strong>
          </a>
          {props.signedIn && (
            <form method="post" action="/console/sign-out">
              <span>
                Account <span class="mono">{props.signedIn.accountId}</span> (key{" "}
                <span class="mono">{props.signedIn.accessKeyId}</span>){" "}
              </span>
              <input type="hidden" name="csrf" value={props.signedIn.csrf} />
              <button type="submit" class="plain">
                Sign out
              </button>
            </form>
          )}
        </header>
        <main id="main">
          {props.notice && (
            <p class="notice" role="status">
              {props.notice}
            </p>
          )}
          {props.error && (
            <p class="error" role="alert">
              {props.error}
            </p>
          )}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** The hidden CSRF field every state-changing form carries. */
export function Csrf(props: { token: string }) {
  return <input type="hidden" name="csrf" value={props.token} />;
}

/**
 * A labelled control with a hint the screen reader reads after the label (aria-describedby),
 * so the label alone stays the control's name. The control must carry `id` and
 * `aria-describedby={`${id}-hint`}`.
 */
export function Field(props: { id: string; label: string; hint: string; children?: Child }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <span class="hint" id={`${props.id}-hint`}>
        {props.hint}
      </span>
      {props.children}
    </div>
  );
}
