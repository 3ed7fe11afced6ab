/**
 * SigningKeyObject: keeps the deployment's one signing key (one instance, named
 * SIGNING_KEY_OBJECT_NAME). Made on first use and never replaced, so every certificate URL a
 * notification ever carried keeps answering with the key that signed it.
 */
import { DurableObject } from "cloudflare:workers";
import { createSigningKey, type StoredSigningKey } from "./signing-key.js";

export const SIGNING_KEY_OBJECT_NAME = "deployment";
const STORAGE_KEY = "signing-key";

export class SigningKeyObject extends DurableObject {
  /** Shared by calls that arrive while the key is being made: key generation awaits outside storage, so input gates do not hold them back. */
  private loading?: Promise<StoredSigningKey>;

  /** The stored key, made and stored first if there is none. */
  signingKey(): Promise<StoredSigningKey> {
    this.loading ??= this.loadOrCreate().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  private async loadOrCreate(): Promise<StoredSigningKey> {
    const stored = await this.ctx.storage.get<StoredSigningKey>(STORAGE_KEY);
    if (stored) return stored;
    const created = await createSigningKey(new Date());
    await this.ctx.storage.put(STORAGE_KEY, created);
    return created;
  }
}
