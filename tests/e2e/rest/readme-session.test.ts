/**
 * The README's curl session, run as written: the `$ …` lines of the README's REST section go to
 * bash one after another (so `handle=$(…)` and `received.json` carry over, as in a terminal), with
 * the real curl, against the started Worker instead of 127.0.0.1:8787. Each printed output must
 * be the one the README shows, except for ids, receipt handles and timestamps, which differ on
 * every run. If this fails, the README no longer tells the truth.
 *
 * The only addition is a `curl` shell function that passes every argument through unchanged and
 * adds `-D` (headers to a file, nothing printed), so the answers can also be checked against the
 * OpenAPI document.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpoint } from "../clients.js";
import { itMatchesTheOpenApiDocument, record } from "./rest-client.js";

const README_ORIGIN = "http://127.0.0.1:8787";

interface Step {
  /** The command as the README writes it, continuation lines joined. */
  command: string;
  /** What the README shows it printing ("" when it shows nothing). */
  output: string;
}

/** The `$ ` commands of the first sh block in the README's REST section, with their outputs. */
function readmeSession(readme: string): Step[] {
  const section = /^## Or just curl[^\n]*\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  const block = section && /^```sh\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (!block) throw new Error("README.md has no ```sh block in its REST section");
  const steps: Step[] = [];
  const lines = block.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("$ ")) {
      let command = line.slice(2);
      while (command.endsWith("\\")) command = `${command.slice(0, -1).trimEnd()} ${lines[++i]!.trim()}`;
      steps.push({ command, output: "" });
    } else if (line.trim() !== "") {
      const step = steps.at(-1);
      if (!step) throw new Error(`README output before any command: ${line}`);
      step.output += `${line}\n`;
    }
  }
  return steps;
}

/** The README's output as a pattern: literal, except for ids, receipt handles and timestamps. */
function outputPattern(output: string): RegExp {
  const variable =
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?<="receiptHandle":")[A-Za-z0-9_-]+(?=")|(?<=")\d{13}(?=")/g;
  let pattern = "";
  let last = 0;
  for (const match of output.matchAll(variable)) {
    pattern += escapeRegExp(output.slice(last, match.index)) + generic(match[0]);
    last = match.index + match[0].length;
  }
  return new RegExp(`^${pattern}${escapeRegExp(output.slice(last))}$`);
}

function generic(value: string): string {
  if (/^\d{13}$/.test(value)) return "\\d{13}";
  if (/^[0-9a-f]{8}-/.test(value)) return "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  return "[A-Za-z0-9_-]+";
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

interface Ran {
  stdout: string;
  stderr: string;
  rc: number;
  /** The arguments curl got (undefined for a step without curl). */
  curlArgs?: string[];
  /** The response headers curl wrote with -D. */
  headers?: string;
}

/** Runs the steps in one bash, each step's output kept apart. */
function runSession(steps: Step[], dir: string): Ran[] {
  const script = [
    "set -u",
    `curl() { printf '%s\\0' "$@" > "args.$step"; command curl -D "headers.$step" "$@"; }`,
    ...steps.map((step, i) => `step=${i}; { ${step.command.replaceAll(README_ORIGIN, endpoint())}\n} > out.${i} 2> err.${i}; echo $? > rc.${i}`),
  ].join("\n");
  writeFileSync(join(dir, "session.sh"), script);
  execFileSync("bash", ["--noprofile", "--norc", "session.sh"], { cwd: dir, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir } });
  return steps.map((_, i) => {
    const read = (name: string) => (existsSync(join(dir, `${name}.${i}`)) ? readFileSync(join(dir, `${name}.${i}`), "utf8") : undefined);
    const args = read("args");
    return {
      stdout: read("out")!,
      stderr: read("err")!,
      rc: Number(read("rc")),
      curlArgs: args === undefined ? undefined : args.split("\0").slice(0, -1),
      headers: read("headers"),
    };
  });
}

/** The request and answer of one curl call, for the OpenAPI check. */
function recordAnswer(ran: Ran): void {
  const args = ran.curlArgs!;
  const option = (name: string) => {
    const at = args.indexOf(name);
    return at < 0 ? undefined : args[at + 1];
  };
  const data = option("-d");
  const method = option("-X") ?? (data === undefined ? "GET" : "POST");
  const url = new URL(args.find((a) => a.startsWith("http"))!);
  const [statusLine, ...headerLines] = ran.headers!.trim().split(/\r?\n/);
  const status = Number(statusLine!.split(" ")[1]);
  const headers = Object.fromEntries(
    headerLines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]),
  );
  let body = ran.stdout;
  const writeOut = option("-w");
  if (writeOut !== undefined) {
    // Only the README's own write-out is understood; anything else must be added here first.
    expect(writeOut).toBe("%{http_code}\\n");
    expect(body.endsWith(`${status}\n`)).toBe(true);
    body = body.slice(0, -`${status}\n`.length);
  }
  record({
    method,
    path: url.pathname + url.search,
    status,
    contentType: headers["content-type"] ?? null,
    headers,
    body: body.trim() === "" ? undefined : JSON.parse(body),
    requestBody: data === undefined ? undefined : JSON.parse(data),
  });
}

describe("the README's curl session", () => {
  const steps = readmeSession(readFileSync("README.md", "utf8"));
  let dir = "";
  let ran: Ran[] = [];

  beforeAll(() => {
    const curl = spawnSync("curl", ["--version"]);
    if (curl.status !== 0) throw new Error("curl is needed to run the README's session: apt-get install curl");
    dir = mkdtempSync(join(tmpdir(), "sluice-readme-"));
    ran = runSession(steps, dir);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("prints what the README shows for every command, ids and times aside", () => {
    const shown = steps.map((step, i) => ({ command: step.command, rc: ran[i]!.rc, stderr: ran[i]!.stderr, stdout: ran[i]!.stdout }));
    for (const [i, step] of steps.entries()) {
      const output = step.output.replaceAll(README_ORIGIN, endpoint());
      expect(shown[i]!.rc, step.command).toBe(0);
      expect(shown[i]!.stderr, step.command).toBe("");
      expect(shown[i]!.stdout, step.command).toMatch(outputPattern(output));
    }
  });

  it("deletes, by its receipt handle, the message it sent and received", () => {
    const index = (text: string) => steps.findIndex((step) => step.command.includes(text));
    const [send, receive, remove] = [index("-d '{\"body\""), index("tee received.json"), index("-X DELETE")];
    expect([send, receive, remove].every((i) => i >= 0)).toBe(true);
    const { messageId } = JSON.parse(ran[send]!.stdout);
    const [message] = JSON.parse(readFileSync(join(dir, "received.json"), "utf8")).messages;
    expect(message.messageId).toBe(messageId);
    expect(ran[remove]!.curlArgs!.at(-1)).toBe(`${endpoint()}/v1/queues/orders/messages/${message.receiptHandle}`);
  });

  it("has a pattern check that notices a changed answer", () => {
    const send = steps.findIndex((step) => step.output.includes('"md5OfBody"'));
    const output = steps[send]!.output;
    expect(ran[send]!.stdout).toMatch(outputPattern(output));
    expect(ran[send]!.stdout).not.toMatch(outputPattern(output.replace("e9a20550", "00000000")));
    expect(ran[send]!.stdout.replace(/,"md5OfAttributes":"[^"]*"/, "")).not.toMatch(outputPattern(output));
  });

  it("ran curl for every command that calls it, each exactly once", () => {
    const calling = steps.filter((step) => /(^|[|;&(]\s*)curl /.test(step.command)).length;
    expect(calling).toBeGreaterThan(0);
    const curls = ran.filter((r) => r.curlArgs !== undefined);
    expect(curls).toHaveLength(calling);
    curls.forEach(recordAnswer);
  });

  itMatchesTheOpenApiDocument();
});
