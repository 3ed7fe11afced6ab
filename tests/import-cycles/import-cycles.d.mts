/** Types of import-cycles.mjs, for the unit test that feeds it cycles. */
export function importSpecifiers(source: string): string[];

export function importGraph(
  files: ReadonlyMap<string, string>,
  exists?: (path: string) => boolean,
): { graph: Map<string, string[]>; unresolved: { file: string; specifier: string }[] };

export function findImportCycles(
  files: ReadonlyMap<string, string>,
  exists?: (path: string) => boolean,
): {
  cycles: { files: string[]; loop: string[] }[];
  unresolved: { file: string; specifier: string }[];
};
