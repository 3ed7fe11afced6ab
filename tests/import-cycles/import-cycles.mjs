// Finds import cycles among a set of source files. Pure: it is given the files' text and touches
// no file system, so a unit test can feed it a cycle (tests/unit/import-cycles.test.ts).
//
// Why a regex reader and not the compiler: TypeScript 7 (the pinned compiler) no longer ships the
// JavaScript compiler API that madge and dependency-cruiser parse TypeScript with, and
// dependency-cruiser 18 needs Node 22. Our own sources use a narrow, consistent import syntax,
// so reading the statements' specifiers is enough, and a type-only import counts as an edge
// because it ties two files together just the same.

// `import ... from "x"`, `import type ... from "x"`, `export { ... } from "x"`, `export * from "x"`:
// the clause between the keyword and `from` never holds a quote, a backtick or a semicolon, so
// code that merely mentions a string later on is not mistaken for an import.
const FROM_STATEMENT = /^[ \t]*(?:import|export)\b[^;"'`]*?\bfrom\s*(["'])([^"'\n]+)\1/gm;
// `import "x"` for its side effects.
const BARE_IMPORT = /^[ \t]*import\s*(["'])([^"'\n]+)\1/gm;
// `import("x")`, as a dynamic import or in a type such as `typeof import("x")`.
const CALL_IMPORT = /\bimport\s*\(\s*(["'])([^"'\n]+)\1\s*\)/g;

/** Every module specifier a source file imports or re-exports, in order of appearance. */
export function importSpecifiers(source) {
  const found = [];
  for (const pattern of [FROM_STATEMENT, BARE_IMPORT, CALL_IMPORT]) {
    for (const match of source.matchAll(pattern)) found.push({ at: match.index, specifier: match[2] });
  }
  return found.sort((a, b) => a.at - b.at).map((entry) => entry.specifier);
}

/** Joins a relative specifier onto the importing file's folder ("a/b/c.ts" + "../d.js" -> "a/d.js"). */
function joinRelative(fromFile, specifier) {
  const parts = fromFile.split("/").slice(0, -1);
  for (const part of specifier.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/");
}

/** The file a relative specifier names: TypeScript lets "./x.js" stand for "./x.ts" (or "./x.tsx"). */
function resolve(fromFile, specifier, exists) {
  const target = joinRelative(fromFile, specifier);
  const candidates = [
    target,
    target.replace(/\.js$/, ".ts"),
    target.replace(/\.js$/, ".tsx"),
    target.replace(/\.mjs$/, ".mts"),
    `${target}.ts`,
    `${target}/index.ts`,
  ];
  return candidates.find(exists);
}

/**
 * The import graph of `files` (a Map from a posix path to its text). Package imports are not
 * edges; a relative import of a file outside the map is not followed (`exists` says whether such a
 * file is there at all); one that names no file is reported, since a reader that cannot resolve
 * imports would otherwise pass by seeing no edges.
 */
export function importGraph(files, exists = (path) => files.has(path)) {
  const graph = new Map();
  const unresolved = [];
  for (const [file, source] of files) {
    const edges = [];
    for (const specifier of importSpecifiers(source)) {
      if (!specifier.startsWith(".")) continue;
      const target = resolve(file, specifier, (path) => files.has(path) || exists(path));
      if (target === undefined) unresolved.push({ file, specifier });
      else if (files.has(target) && !edges.includes(target)) edges.push(target);
    }
    graph.set(file, edges);
  }
  return { graph, unresolved };
}

/** Strongly connected components with more than one file, or one file importing itself (Tarjan). */
function tangledComponents(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  let next = 0;
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node), low.get(target)));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node), index.get(target)));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) components.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

/** The shortest path from `start` back to itself inside one component (breadth first). */
function shortestLoop(graph, component, start) {
  const inside = new Set(component);
  const cameFrom = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const target of graph.get(node) ?? []) {
      if (!inside.has(target)) continue;
      if (target === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]));
        return [...path, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

/**
 * The import cycles among `files`: one entry per tangle of files that import each other, with
 * all its files and one loop through the first of them to show how.
 */
export function findImportCycles(files, exists) {
  const { graph, unresolved } = importGraph(files, exists);
  const cycles = tangledComponents(graph).map((files) => ({ files, loop: shortestLoop(graph, files, files[0]) }));
  return { cycles, unresolved };
}
