/** Types of build-worker.mjs, for the TypeScript test suites that import it. */
export function buildWorker(outfile: string, entry?: string): Promise<void>;
export function buildFront(outfile: string): Promise<void>;
