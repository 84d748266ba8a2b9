import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Role, RoleGrant } from "../../../shared/http/access-control.ts";
import type { AccountsTables, UtilisateurRow } from "../accounts.tables.ts";

export interface UserWithRoles extends UtilisateurRow {
  roles: RoleGrant[];
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findUserByEmail(db: Kysely<AccountsTables>, email: string): Promise<UtilisateurRow | undefined> {
  return db.selectFrom("utilisateur").selectAll().where("email", "=", normalizeEmail(email)).executeTakeFirst();
}

export function findUserById(db: Kysely<AccountsTables>, id: string): Promise<UtilisateurRow | undefined> {
  return db.selectFrom("utilisateur").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function rolesOf(db: Kysely<AccountsTables>, userId: string): Promise<RoleGrant[]> {
  const rows = await db
    .selectFrom("utilisateur_role")
    .select(["role", "perimetre"])
    .where("utilisateur_id", "=", userId)
    .orderBy("role")
    .orderBy("perimetre")
    .execute();
  return rows.map((r) => ({ role: r.role as Role, perimetre: r.perimetre }));
}

export async function insertUser(
  db: Kysely<AccountsTables>,
  user: { email: string; nom: string; motDePasseHash: string | null; demo?: boolean },
  now = new Date(),
): Promise<UtilisateurRow> {
  const row = {
    id: randomUUID(),
    email: normalizeEmail(user.email),
    nom: user.nom.trim(),
    mot_de_passe: user.motDePasseHash,
    actif: 1,
    demo: user.demo ? 1 : 0,
    cree_le: now.toISOString(),
    derniere_connexion: null,
  };
  await db.insertInto("utilisateur").values(row).execute();
  return row;
}

export async function replaceRoles(db: Kysely<AccountsTables>, userId: string, roles: RoleGrant[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("utilisateur_role").where("utilisateur_id", "=", userId).execute();
    const unique = [...new Map(roles.map((r) => [`${r.role}|${r.perimetre}`, r])).values()];
    if (unique.length > 0) {
      await trx
        .insertInto("utilisateur_role")
        .values(unique.map((r) => ({ utilisateur_id: userId, role: r.role, perimetre: r.perimetre })))
        .execute();
    }
  });
}

export async function listUsers(db: Kysely<AccountsTables>): Promise<UserWithRoles[]> {
  const users = await db.selectFrom("utilisateur").selectAll().orderBy("email").execute();
  const grants = await db.selectFrom("utilisateur_role").selectAll().execute();
  return users.map((u) => ({
    ...u,
    roles: grants
      .filter((g) => g.utilisateur_id === u.id)
      .map((g) => ({ role: g.role as Role, perimetre: g.perimetre })),
  }));
}
