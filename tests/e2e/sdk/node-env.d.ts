// The parts of Node the SDK suites and the shared e2e helpers use (no @types/node in this repository).
declare module "node:zlib" {
  export function gzipSync(data: Uint8Array, options?: { level?: number }): Uint8Array;
}
declare module "node:fs" {
  export function mkdtempSync(prefix: string): string;
  export function rmSync(path: string, options?: { recursive?: boolean; force?: boolean }): void;
  export function readFileSync(path: string, encoding: "utf8"): string;
  export function writeFileSync(path: string, data: string): void;
  export function existsSync(path: string): boolean;
}
declare module "node:os" {
  export function tmpdir(): string;
}
declare module "node:path" {
  export function join(...parts: string[]): string;
}
declare module "node:child_process" {
  interface Options {
    cwd?: string;
    env?: Record<string, string | undefined>;
  }
  export function execFileSync(file: string, args: string[], options?: Options): unknown;
  export function spawnSync(file: string, args: string[], options?: Options): { status: number | null };
}
declare const process: { pid: number; cwd(): string; env: Record<string, string | undefined> };
