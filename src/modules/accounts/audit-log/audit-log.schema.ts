import { type Static, Type } from "typebox";

export const AuditEntry = Type.Object({
  id: Type.String(),
  quand: Type.String(),
  acteur: Type.String(),
  action: Type.String(),
  cible: Type.String(),
  resultat: Type.Enum(["succes", "echec"]),
  ip: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
});

export const AuditQuery = Type.Object({
  action: Type.Optional(Type.String({ maxLength: 100, description: "Action exacte, ou début suivi de * (cle.*)" })),
  acteur: Type.Optional(Type.String({ maxLength: 200, description: "Partie de l'acteur (e-mail, préfixe de clé)" })),
  depuis: Type.Optional(Type.String({ format: "date" })),
  jusqua: Type.Optional(Type.String({ format: "date", description: "Inclus" })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  format: Type.Enum(["json", "csv"], { default: "json" }),
});

export type AuditEntry = Static<typeof AuditEntry>;
export const AuditPage = Type.Object({ total: Type.Integer(), results: Type.Array(AuditEntry) });
export type AuditPage = Static<typeof AuditPage>;
