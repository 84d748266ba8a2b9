import type { Kysely } from "kysely";
import type { RoleGrant } from "../../../shared/http/access-control.ts";
import type { AccountsTables } from "../accounts.tables.ts";
import { hashPassword } from "../shared/passwords.ts";
import { findUserByEmail, insertUser, replaceRoles } from "../users/users.repository.ts";

export interface DemoAccount {
  email: string;
  nom: string;
  motDePasse: string;
  roles: RoleGrant[];
}

// Published on the sign-in page in demo mode: these passwords are public by design, and demo
// mode must be turned off (TERRITOIRE_DEMO=non) on a real deployment.
export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    email: "admin@demo.territoire.local",
    nom: "Alice Admin (démo)",
    motDePasse: "demo-admin-2026",
    roles: [{ role: "admin", perimetre: "" }],
  },
  {
    email: "agent@demo.territoire.local",
    nom: "Bruno Agent (démo)",
    motDePasse: "demo-agent-2026",
    roles: [{ role: "agent", perimetre: "" }],
  },
  {
    email: "operateur@demo.territoire.local",
    nom: "Claire Opératrice (démo)",
    motDePasse: "demo-operateur-2026",
    roles: [{ role: "operateur", perimetre: "RIP50" }],
  },
  {
    email: "gestionnaire@demo.territoire.local",
    nom: "David Gestionnaire (démo)",
    motDePasse: "demo-gestionnaire-2026",
    roles: [{ role: "gestionnaire", perimetre: "tiers-lieu-demo" }],
  },
  {
    email: "partenaire@demo.territoire.local",
    nom: "Emma Partenaire (démo)",
    motDePasse: "demo-partenaire-2026",
    roles: [{ role: "partenaire", perimetre: "organisation-demo" }],
  },
];

/**
 * Creates the demo accounts that are missing (idempotent). Existing demo accounts get their
 * roles back as defined here: a perimeter renamed in code (rip-50 became the network code RIP50)
 * reaches databases created before.
 */
export async function ensureDemoAccounts(db: Kysely<AccountsTables>): Promise<number> {
  let created = 0;
  for (const account of DEMO_ACCOUNTS) {
    const existing = await findUserByEmail(db, account.email);
    if (existing) {
      if (Number(existing.demo) === 1) await replaceRoles(db, existing.id, account.roles);
      continue;
    }
    const user = await insertUser(db, {
      email: account.email,
      nom: account.nom,
      motDePasseHash: await hashPassword(account.motDePasse),
      demo: true,
    });
    await replaceRoles(db, user.id, account.roles);
    created++;
  }
  return created;
}
