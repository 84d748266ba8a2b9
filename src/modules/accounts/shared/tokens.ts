import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A random secret, URL-safe. 32 bytes = 256 bits. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Tokens and API keys are high-entropy secrets: a fast hash is enough to store them safely. */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function isoNow(now = new Date()): string {
  return now.toISOString();
}

export function isoIn(milliseconds: number, now = new Date()): string {
  return new Date(now.getTime() + milliseconds).toISOString();
}
