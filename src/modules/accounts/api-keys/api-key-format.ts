import { randomToken } from "../shared/tokens.ts";

// tn_<prefix>_<secret>: the prefix identifies the key (shown in lists and logs), the secret is
// 256 random bits and is never stored, only its hash.
const KEY_FORMAT = /^tn_([A-Za-z0-9]{10})_([A-Za-z0-9_-]{43})$/;

export function generateApiKey(): { key: string; prefixe: string } {
  const prefixe = randomToken(16)
    .replace(/[^A-Za-z0-9]/g, "")
    .slice(0, 10)
    .padEnd(10, "0");
  return { key: `tn_${prefixe}_${randomToken(32)}`, prefixe };
}

export function parseApiKey(presented: string): { prefixe: string } | undefined {
  const match = KEY_FORMAT.exec(presented);
  return match?.[1] ? { prefixe: match[1] } : undefined;
}
