import { type Static, Type } from "typebox";
import { RoleGrantSchema } from "../sessions/session.schema.ts";

export const UserResource = Type.Object({
  id: Type.String(),
  email: Type.String(),
  nom: Type.String(),
  actif: Type.Boolean(),
  demo: Type.Boolean(),
  creeLe: Type.String(),
  derniereConnexion: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(RoleGrantSchema),
});
export type UserResource = Static<typeof UserResource>;

export const UserList = Type.Object({ total: Type.Integer(), results: Type.Array(UserResource) });
export type UserList = Static<typeof UserList>;

export const UserIdParams = Type.Object({ id: Type.String({ format: "uuid" }) });

export const InviteUserBody = Type.Object({
  email: Type.String({ format: "email", maxLength: 320 }),
  nom: Type.String({ minLength: 1, maxLength: 200 }),
  roles: Type.Array(RoleGrantSchema, { maxItems: 50 }),
});
export type InviteUserBody = Static<typeof InviteUserBody>;

export const ReplaceRolesBody = Type.Object({ roles: Type.Array(RoleGrantSchema, { maxItems: 50 }) });

export const UpdateUserBody = Type.Object({ actif: Type.Boolean() });
