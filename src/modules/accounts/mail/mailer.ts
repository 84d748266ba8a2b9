import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import nodemailer from "nodemailer";
import type { AccountsTables } from "../accounts.tables.ts";

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/**
 * Every message is written to the outbox table first (what was sent, to whom, when); with SMTP
 * configured it is then sent and marked as such, otherwise it waits there for `territoire outbox`.
 */
export function createMailer(db: Kysely<AccountsTables>, options: { smtpUrl: string | null; from: string }): Mailer {
  const transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null;
  return {
    async send(mail) {
      const id = randomUUID();
      await db
        .insertInto("courriel_sortant")
        .values({
          id,
          destinataire: mail.to,
          sujet: mail.subject,
          corps: mail.text,
          cree_le: new Date().toISOString(),
          envoye_le: null,
        })
        .execute();
      if (!transport) return;
      await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text });
      await db
        .updateTable("courriel_sortant")
        .set({ envoye_le: new Date().toISOString() })
        .where("id", "=", id)
        .execute();
    },
  };
}
