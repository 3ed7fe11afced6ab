/** tests/import-cycles/import-cycles.mjs, the reader behind `npm run check:cycles`: it must see every kind of import. */
import { describe, expect, it } from "vitest";
import { findImportCycles, importSpecifiers } from "../import-cycles/import-cycles.mjs";

const files = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe("importSpecifiers", () => {
  it("reads every form of import and re-export, type-only ones included", () => {
    const source = [
      `import { a } from "./a.js";`,
      `import type { B } from "./b.js";`,
      `import {`,
      `  c,`,
      `  type C,`,
      `} from "../c.js";`,
      `import * as d from './d.js';`,
      `import e, { f } from "./e.js";`,
      `import "./side-effect.js";`,
      `export { g } from "./g.js";`,
      `export type { H } from "./h.js";`,
      `export * from "./i.js";`,
      `export * as j from "./j.js";`,
      `type K = typeof import("./k.js");`,
      `const l = await import("./l.js");`,
      `import { Hono } from "hono";`,
    ].join("\n");
    expect(importSpecifiers(source)).toEqual([
      "./a.js", "./b.js", "../c.js", "./d.js", "./e.js", "./side-effect.js", "./g.js", "./h.js", "./i.js", "./j.js",
      "./k.js", "./l.js", "hono",
    ]);
  });

  it("ignores imports in comments and `from` in code that is not an import", () => {
    const source = [
      `// import { a } from "./a.js";`,
      `/**`,
      ` * import { b } from "./b.js";`,
      ` */`,
      `export function f() { return Array.from("x"); }`,
      `export const message = "copied from './c.js'";`,
    ].join("\n");
    expect(importSpecifiers(source)).toEqual([]);
  });
});

describe("findImportCycles", () => {
  it("finds a cycle closed by a type-only import, across folders, with .js naming .ts", () => {
    const { cycles, unresolved } = findImportCycles(
      files({
        "worker/context.ts": `import type { Connection } from "./held-response.js";`,
        "worker/held-response.ts": `import type { Wire } from "./protocol/wire.js";`,
        "worker/protocol/wire.ts": `import { queueUrl } from "../queue-url.js";`,
        "worker/queue-url.ts": `import type { RequestContext } from "./context.js";`,
        "worker/index.ts": `import { queueUrl } from "./queue-url.js";`,
      }),
    );
    expect(unresolved).toEqual([]);
    expect(cycles).toEqual([
      {
        files: ["worker/context.ts", "worker/held-response.ts", "worker/protocol/wire.ts", "worker/queue-url.ts"],
        loop: [
          "worker/context.ts",
          "worker/held-response.ts",
          "worker/protocol/wire.ts",
          "worker/queue-url.ts",
          "worker/context.ts",
        ],
      },
    ]);
  });

  it("reports each tangle once and a file that imports itself", () => {
    const { cycles } = findImportCycles(
      files({
        "sdk/types.ts": `import type { SluiceClient } from "./client.js";`,
        "sdk/client.ts": `import type { Options } from "./types.js";\nimport { x } from "./index.js";`,
        "sdk/index.ts": `export * from "./client.js";`,
        "sdk/self.ts": `export * from "./self.js";`,
      }),
    );
    expect(cycles.map((cycle) => cycle.files)).toEqual([
      ["sdk/client.ts", "sdk/index.ts", "sdk/types.ts"],
      ["sdk/self.ts"],
    ]);
    // The shortest way round, the first import taken first.
    expect(cycles[0]!.loop).toEqual(["sdk/client.ts", "sdk/types.ts", "sdk/client.ts"]);
  });

  it("passes a graph without cycles, resolving folders to their index.ts", () => {
    const { cycles, unresolved } = findImportCycles(
      files({
        "worker/index.ts": `import { a } from "./protocol";\nimport { b } from "../sdk/protocol/index.js";`,
        "worker/protocol/index.ts": `import { b } from "../../sdk/protocol/index.js";`,
        "sdk/protocol/index.ts": `export const b = 1;`,
      }),
    );
    expect(cycles).toEqual([]);
    expect(unresolved).toEqual([]);
  });

  it("does not follow imports of files outside the set, and reports imports that name no file", () => {
    const outside = new Set(["durable-objects/queue/queue-object.ts"]);
    const { cycles, unresolved } = findImportCycles(
      files({
        "worker/env.ts": `import type { QueueObject } from "../durable-objects/queue/queue-object.js";`,
        "worker/index.ts": `import { gone } from "./gone.js";`,
      }),
      (path) => outside.has(path),
    );
    expect(cycles).toEqual([]);
    expect(unresolved).toEqual([{ file: "worker/index.ts", specifier: "./gone.js" }]);
  });
});
