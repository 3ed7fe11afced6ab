// `npm run check:cycles`: fails when files under the given roots import each other in a circle.
// Usage: node tests/import-cycles/check-cycles.mjs ROOT... (folders or files, relative to the repository).
// The roots are listed once, in package.json's check:cycles script. Imports of files outside them
// are not followed.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { findImportCycles } from "./import-cycles.mjs";

const repository = fileURLToPath(new URL("../..", import.meta.url));
const SOURCE = /\.(ts|tsx|mts|js|mjs)$/;
const SKIPPED_FOLDERS = new Set(["node_modules", "dist", ".wrangler"]);

const toPosix = (path) => path.split(sep).join("/");

function* sourceFiles(path) {
  if (statSync(path).isFile()) {
    if (SOURCE.test(path)) yield path;
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory() && SKIPPED_FOLDERS.has(entry.name)) continue;
    yield* sourceFiles(join(path, entry.name));
  }
}

const roots = process.argv.slice(2);
if (roots.length === 0) {
  console.error("usage: node tests/import-cycles/check-cycles.mjs ROOT...");
  process.exit(2);
}
const files = new Map();
for (const root of roots) {
  const absolute = join(repository, root);
  if (!existsSync(absolute)) {
    console.error(`check-cycles: ${root} does not exist`);
    process.exit(2);
  }
  for (const file of sourceFiles(absolute)) files.set(toPosix(relative(repository, file)), readFileSync(file, "utf8"));
}

const { cycles, unresolved } = findImportCycles(files, (path) => existsSync(join(repository, path)));
for (const { file, specifier } of unresolved) console.error(`check-cycles: ${file} imports "${specifier}", which names no file`);
for (const { files: tangle, loop } of cycles) {
  console.error(`import cycle among ${tangle.length} files: ${tangle.join(", ")}`);
  console.error(`  for example: ${loop.join(" -> ")}`);
}
if (cycles.length > 0 || unresolved.length > 0) process.exit(1);
console.log(`check-cycles: no import cycles in ${files.size} files under ${roots.join(", ")}`);
