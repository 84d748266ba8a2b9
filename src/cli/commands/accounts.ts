import { Command } from "commander";
import type { Kysely } from "kysely";
import type { AccountsTables } from "../../modules/accounts/accounts.tables.ts";
import { createApiKey, revokeApiKey } from "../../modules/accounts/api-keys/api-keys.service.ts";
import { recordAudit } from "../../modules/accounts/audit-log/record-audit.ts";
import { assertPasswordAcceptable, hashPassword } from "../../modules/accounts/shared/passwords.ts";
import { randomToken } from "../../modules/accounts/shared/tokens.ts";
import {
  findUserByEmail,
  insertUser,
  listUsers,
  replaceRoles,
  rolesOf,
} from "../../modules/accounts/users/users.repository.ts";
import { ROLES, type Role, type RoleGrant } from "../../shared/http/access-control.ts";
import { HttpError } from "../../shared/http/errors.ts";
import { readStdin, withDatabase } from "../with-database.ts";

const CLI_ACTOR = "cli";

function parseGrant(value: string): RoleGrant {
  const [role, perimetre = ""] = value.split(":", 2);
  if (!ROLES.includes(role as Role)) {
    throw new CliError(`rôle inconnu « ${role} » (attendu : ${ROLES.join(", ")}, avec :périmètre si besoin)`);
  }
  return { role: role as Role, perimetre };
}

async function requireUser(db: Kysely<AccountsTables>, email: string) {
  const user = await findUserByEmail(db, email);
  if (!user) throw new CliError(`Aucun utilisateur ${email}`);
  return user;
}

/** An error meant for the person at the terminal: printed as one line, exit code 1. */
export class CliError extends Error {
  override name = "CliError";
}

const formatGrant = (g: RoleGrant) => (g.perimetre ? `${g.role}:${g.perimetre}` : g.role);

export function adminCommand(): Command {
  const admin = new Command("admin").description("Administration de la plateforme");
  admin
    .command("create")
    .description("Crée un compte administrateur (mot de passe lu sur l'entrée standard, ou généré et affiché une fois)")
    .requiredOption("--email <email>", "adresse e-mail")
    .requiredOption("--nom <nom>", "nom affiché")
    .option("--mot-de-passe-stdin", "lire le mot de passe sur l'entrée standard")
    .action(async (options: { email: string; nom: string; motDePasseStdin?: boolean }) => {
      await withDatabase(async (db: Kysely<AccountsTables>) => {
        if (await findUserByEmail(db, options.email)) throw new CliError(`Un compte existe déjà pour ${options.email}`);
        const generated = !options.motDePasseStdin;
        const password = generated ? randomToken(18) : await readStdin();
        try {
          assertPasswordAcceptable(password);
        } catch (error) {
          throw new CliError((error as HttpError).message);
        }
        const user = await insertUser(db, {
          email: options.email,
          nom: options.nom,
          motDePasseHash: await hashPassword(password),
        });
        await replaceRoles(db, user.id, [{ role: "admin", perimetre: "" }]);
        await recordAudit(db, {
          acteur: CLI_ACTOR,
          action: "utilisateur.creation",
          cible: user.email,
          details: { roles: ["admin"] },
        });
        console.log(`Administrateur créé : ${user.email}`);
        if (generated) console.log(`Mot de passe (affiché une seule fois) : ${password}`);
      });
    });
  return admin;
}

export function usersCommand(): Command {
  const users = new Command("utilisateurs").description("Comptes et rôles");
  users
    .command("list")
    .description("Liste les comptes, leurs rôles et leur état")
    .action(async () => {
      await withDatabase(async (db: Kysely<AccountsTables>) => {
        for (const u of await listUsers(db)) {
          const state = u.actif === 1 ? "actif" : "désactivé";
          console.log(`${u.email}\t${u.nom}\t${u.roles.map(formatGrant).join(" ") || "(aucun rôle)"}\t${state}`);
        }
      });
    });
  users
    .command("roles")
    .description("Remplace les rôles d'un compte, ex. : roles claire@x.fr operateur:RIP50 agent")
    .argument("<email>")
    .argument("[roles...]", `rôles (${ROLES.join(", ")}), suivis de :périmètre pour un réseau, un tiers-lieu…`)
    .action(async (email: string, roles: string[]) => {
      const grants = roles.map(parseGrant);
      await withDatabase(async (db: Kysely<AccountsTables>) => {
        const user = await requireUser(db, email);
        const before = await rolesOf(db, user.id);
        await replaceRoles(db, user.id, grants);
        await recordAudit(db, {
          acteur: CLI_ACTOR,
          action: "role.modification",
          cible: user.email,
          details: { avant: before, apres: grants },
        });
        console.log(`${user.email} : ${grants.map(formatGrant).join(" ") || "(aucun rôle)"}`);
      });
    });
  for (const [name, actif] of [
    ["activer", 1],
    ["desactiver", 0],
  ] as const) {
    users
      .command(name)
      .description(actif ? "Réactive un compte" : "Désactive un compte (ses sessions sont fermées)")
      .argument("<email>")
      .action(async (email: string) => {
        await withDatabase(async (db: Kysely<AccountsTables>) => {
          const user = await requireUser(db, email);
          await db.updateTable("utilisateur").set({ actif }).where("id", "=", user.id).execute();
          if (!actif) await db.deleteFrom("session").where("utilisateur_id", "=", user.id).execute();
          await recordAudit(db, {
            acteur: CLI_ACTOR,
            action: actif ? "utilisateur.activation" : "utilisateur.desactivation",
            cible: user.email,
          });
          console.log(`${user.email} : ${actif ? "activé" : "désactivé"}`);
        });
      });
  }
  return users;
}

export function keysCommand(): Command {
  const keys = new Command("cles").description("Clés d'API des clients machines");
  keys
    .command("create")
    .description("Crée une clé (affichée une seule fois) pour le compte qui en sera propriétaire")
    .requiredOption("--proprietaire <email>", "compte propriétaire (ses rôles bornent les portées)")
    .requiredOption("--nom <nom>", "à quoi sert la clé")
    .requiredOption("--portee <portee...>", "portées, ex. eligibilite:lire reseau:RIP50:ecrire")
    .option("--expire <date>", "date d'expiration AAAA-MM-JJ")
    .action(async (options: { proprietaire: string; nom: string; portee: string[]; expire?: string }) => {
      if (options.expire && !/^\d{4}-\d{2}-\d{2}$/.test(options.expire))
        throw new CliError("--expire attend une date AAAA-MM-JJ");
      await withDatabase(async (db: Kysely<AccountsTables>) => {
        const owner = await requireUser(db, options.proprietaire);
        try {
          const created = await createApiKey(
            db,
            { id: owner.id, email: owner.email, roles: await rolesOf(db, owner.id) },
            { nom: options.nom, portees: options.portee, expireLe: options.expire },
            "",
            CLI_ACTOR,
          );
          console.log(`Clé créée (${created.prefixe}), affichée une seule fois :`);
          console.log(created.key);
        } catch (error) {
          if (error instanceof HttpError) throw new CliError(error.message);
          throw error;
        }
      });
    });
  keys
    .command("list")
    .description("Liste les clés (jamais leur secret)")
    .action(async () => {
      await withDatabase(async (db: Kysely<AccountsTables>) => {
        const rows = await db
          .selectFrom("cle_api")
          .innerJoin("utilisateur", "utilisateur.id", "cle_api.proprietaire_id")
          .select([
            "cle_api.prefixe",
            "cle_api.nom",
            "cle_api.portees",
            "utilisateur.email",
            "cle_api.expire_le",
            "cle_api.revoquee_le",
            "cle_api.derniere_utilisation",
          ])
          .orderBy("cle_api.cree_le")
          .execute();
        for (const k of rows) {
          const state = k.revoquee_le
            ? "révoquée"
            : k.expire_le && k.expire_le <= new Date().toISOString()
              ? "expirée"
              : "active";
          console.log(
            `${k.prefixe}\t${k.nom}\t${k.portees}\t${k.email}\t${state}\tdernier usage : ${k.derniere_utilisation ?? "jamais"}`,
          );
        }
      });
    });
  keys
    .command("revoke")
    .description("Révoque une clé par son préfixe")
    .argument("<prefixe>")
    .action(async (prefixe: string) => {
      await withDatabase(async (db: Kysely<AccountsTables>) => {
        const key = await db
          .selectFrom("cle_api")
          .select(["id", "prefixe", "revoquee_le"])
          .where("prefixe", "=", prefixe)
          .executeTakeFirst();
        if (!key) throw new CliError(`Aucune clé de préfixe ${prefixe}`);
        await revokeApiKey(db, key, CLI_ACTOR, "");
        console.log(`Clé ${prefixe} révoquée`);
      });
    });
  return keys;
}

export function outboxCommand(): Command {
  return new Command("outbox")
    .description("Affiche les courriels en attente (sans serveur SMTP configuré, ils restent ici)")
    .option("--tous", "inclure les courriels déjà envoyés")
    .action(async (options: { tous?: boolean }) => {
      await withDatabase(async (db: Kysely<AccountsTables>) => {
        let query = db.selectFrom("courriel_sortant").selectAll().orderBy("cree_le");
        if (!options.tous) query = query.where("envoye_le", "is", null);
        const mails = await query.execute();
        if (mails.length === 0) console.log("Aucun courriel en attente.");
        for (const m of mails) {
          console.log(`--- ${m.cree_le} → ${m.destinataire}${m.envoye_le ? ` (envoyé ${m.envoye_le})` : ""}`);
          console.log(`Objet : ${m.sujet}\n\n${m.corps}`);
        }
      });
    });
}
