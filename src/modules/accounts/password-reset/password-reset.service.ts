import type { Kysely } from "kysely";
import { HttpError } from "../../../shared/http/errors.ts";
import type { AccountsTables } from "../accounts.tables.ts";
import type { Mailer } from "../mail/mailer.ts";
import { closeAllSessions } from "../sessions/session.service.ts";
import { assertPasswordAcceptable, hashPassword } from "../shared/passwords.ts";
import { isoIn, isoNow, randomToken, sha256 } from "../shared/tokens.ts";

export const RESET_TOKEN_DURATION_MS = 60 * 60 * 1000;

/** Links sent to one account per hour at most: the form must not become a way to flood a mailbox. */
export const MAX_LINKS_PER_HOUR = 3;

/** Creates a single-use link valid for one hour and mails it (unless the hourly quota is spent). */
export async function sendPasswordLink(
  db: Kysely<AccountsTables>,
  mailer: Mailer,
  user: { id: string; email: string; nom: string },
  publicUrl: string,
  kind: "reinitialisation" | "invitation",
): Promise<boolean> {
  const recent = await db
    .selectFrom("jeton_reinitialisation")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("utilisateur_id", "=", user.id)
    .where("cree_le", ">", new Date(Date.now() - 3600_000).toISOString())
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= MAX_LINKS_PER_HOUR) return false;
  const token = randomToken();
  await db
    .insertInto("jeton_reinitialisation")
    .values({
      id: sha256(token),
      utilisateur_id: user.id,
      cree_le: isoNow(),
      expire_le: isoIn(RESET_TOKEN_DURATION_MS),
      utilise_le: null,
    })
    .execute();
  const link = `${publicUrl}/mot-de-passe/nouveau?jeton=${encodeURIComponent(token)}`;
  const intro =
    kind === "invitation"
      ? `Un compte a été ouvert pour vous sur la plateforme. Choisissez votre mot de passe :`
      : `Une réinitialisation de votre mot de passe a été demandée. Pour choisir un nouveau mot de passe :`;
  await mailer.send({
    to: user.email,
    subject: kind === "invitation" ? "Votre compte sur la plateforme" : "Réinitialisation de votre mot de passe",
    text: `Bonjour ${user.nom},\n\n${intro}\n${link}\n\nCe lien est valable une heure et ne sert qu'une fois. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n`,
  });
  return true;
}

/** Sets the new password if the token is known, unused and unexpired; closes the user's sessions. */
export async function resetPassword(db: Kysely<AccountsTables>, token: string, password: string): Promise<string> {
  assertPasswordAcceptable(password);
  const hashed = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("jeton_reinitialisation")
      .selectAll()
      .where("id", "=", sha256(token))
      .executeTakeFirst();
    if (!row || row.utilise_le !== null || row.expire_le <= isoNow()) {
      throw new HttpError(400, "JETON_INVALIDE", "Ce lien n'est plus valable : demandez-en un nouveau", {
        parametre: "jeton",
      });
    }
    await trx.updateTable("jeton_reinitialisation").set({ utilise_le: isoNow() }).where("id", "=", row.id).execute();
    await trx.updateTable("utilisateur").set({ mot_de_passe: hashed }).where("id", "=", row.utilisateur_id).execute();
    await closeAllSessions(trx, row.utilisateur_id);
    return row.utilisateur_id;
  });
}
