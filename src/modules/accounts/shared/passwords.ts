import { hash, verify } from "@node-rs/argon2";

// Algorithm.Argon2id; the library exports it as an ambient const enum, unusable with isolated modules.
const ARGON2ID = 2;

import { HttpError } from "../../../shared/http/errors.ts";

export const MIN_PASSWORD_LENGTH = 12;

/** argon2id with the library's defaults (OWASP's recommended memory and time costs). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

export async function verifyPassword(hashed: string | null, password: string): Promise<boolean> {
  if (!hashed) return false;
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

export function assertPasswordAcceptable(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new HttpError(
      400,
      "MOT_DE_PASSE_TROP_COURT",
      `Le mot de passe doit contenir au moins ${MIN_PASSWORD_LENGTH} caractères`,
      { parametre: "motDePasse" },
    );
  }
}

// Verifying against a fixed hash when the account does not exist keeps the timing of a failed
// sign-in independent of whether the e-mail is known.
let decoyHash: Promise<string> | undefined;
export function decoyVerify(password: string): Promise<boolean> {
  decoyHash ??= hashPassword("compte-inexistant-leurre");
  return decoyHash.then((h) => verifyPassword(h, password)).then(() => false);
}
