/**
 * The access keys every test runs the Worker with (its SLUICE_CREDENTIALS): the main account
 * 000000000000, whose queue URLs the tests expect, a second account for isolation tests, and the
 * README's local pair `local`/`local` (also 000000000000), so the README's examples run as written.
 */
export const MAIN_KEY = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", accountId: "000000000000" };
export const OTHER_KEY = { accessKeyId: "AKIDOTHERACCOUNT", secretAccessKey: "other-secret", accountId: "111111111111" };
export const README_KEY = { accessKeyId: "local", secretAccessKey: "local", accountId: "000000000000" };

type KeyMap = Record<string, { secretAccessKey: string; accountId: string; name?: string }>;

export function keyMap(...keys: (typeof MAIN_KEY)[]): KeyMap {
  return Object.fromEntries(keys.map(({ accessKeyId, secretAccessKey, accountId }) => [accessKeyId, { secretAccessKey, accountId }]));
}

export const TEST_KEYS: KeyMap = keyMap(MAIN_KEY, OTHER_KEY, README_KEY);
