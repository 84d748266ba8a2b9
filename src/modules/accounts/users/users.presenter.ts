import type { UserWithRoles } from "./users.repository.ts";
import type { UserResource } from "./users.schema.ts";

export function presentUser(user: UserWithRoles): UserResource {
  return {
    id: user.id,
    email: user.email,
    nom: user.nom,
    actif: user.actif === 1,
    demo: user.demo === 1,
    creeLe: user.cree_le,
    derniereConnexion: user.derniere_connexion,
    roles: user.roles,
  };
}
