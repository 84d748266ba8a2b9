import type { Kysely } from "kysely";
import { HttpError } from "../../../shared/http/errors.ts";
import type { AccountsTables } from "../accounts.tables.ts";

/** Failed sign-ins allowed per window, per account and per IP address, before refusing. */
export const THROTTLE = { windowMs: 15 * 60 * 1000, perAccount: 5, perIp: 20 } as const;

export const throttleKeys = (email: string, ip: string) => ({ account: `compte:${email}`, ip: `ip:${ip}` });

/** Refuses with 429 and Retry-After while the account or the address has too many recent failures. */
export async function assertNotThrottled(
  db: Kysely<AccountsTables>,
  keys: { account: string; ip: string },
  now = new Date(),
): Promise<void> {
  const rows = await db
    .selectFrom("tentative_connexion")
    .selectAll()
    .where("cle", "in", [keys.account, keys.ip])
    .execute();
  for (const row of rows) {
    const limit = row.cle === keys.account ? THROTTLE.perAccount : THROTTLE.perIp;
    const windowEnd = Date.parse(row.debut_fenetre) + THROTTLE.windowMs;
    if (row.echecs >= limit && windowEnd > now.getTime()) {
      const retryAfter = Math.ceil((windowEnd - now.getTime()) / 1000);
      throw new HttpError(
        429,
        "TROP_DE_TENTATIVES",
        `Trop de tentatives de connexion : réessayez dans ${Math.ceil(retryAfter / 60)} minute(s)`,
        {},
        { "retry-after": String(retryAfter) },
      );
    }
  }
}

export async function recordFailedSignIn(
  db: Kysely<AccountsTables>,
  keys: { account: string; ip: string },
  now = new Date(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const cle of [keys.account, keys.ip]) {
      const row = await trx.selectFrom("tentative_connexion").selectAll().where("cle", "=", cle).executeTakeFirst();
      const windowOpen = row && Date.parse(row.debut_fenetre) + THROTTLE.windowMs > now.getTime();
      if (row && windowOpen) {
        await trx
          .updateTable("tentative_connexion")
          .set({ echecs: row.echecs + 1 })
          .where("cle", "=", cle)
          .execute();
      } else if (row) {
        await trx
          .updateTable("tentative_connexion")
          .set({ echecs: 1, debut_fenetre: now.toISOString() })
          .where("cle", "=", cle)
          .execute();
      } else {
        await trx
          .insertInto("tentative_connexion")
          .values({ cle, echecs: 1, debut_fenetre: now.toISOString() })
          .execute();
      }
    }
  });
}

export async function clearFailedSignIns(db: Kysely<AccountsTables>, accountKey: string): Promise<void> {
  await db.deleteFrom("tentative_connexion").where("cle", "=", accountKey).execute();
}
