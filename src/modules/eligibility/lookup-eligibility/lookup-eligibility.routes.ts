import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import { access } from "../../../shared/http/access-control.ts";
import { HttpError } from "../../../shared/http/errors.ts";
import type { BroadbandTables } from "../../broadband/broadband.tables.ts";
import type { AddressLookup } from "../address-lookup.ts";
import {
  type EligibilityQuerystring,
  type EligibilityResponse,
  lookupEligibilitySchema,
} from "./lookup-eligibility.schema.ts";
import {
  AddressNotFoundError,
  type EligibilityAnswer,
  type EligibilityQuery,
  type Geocoding,
  lookupEligibility,
  lookupEligibilityByText,
  NoQuarterError,
  NothingFoundError,
} from "./lookup-eligibility.service.ts";

const ONE_CRITERION = "Indiquer exactement un critère : « adresse », « id », « immeuble », ou « lat » et « lon ».";

type Criterion = EligibilityQuery | { by: "texte"; text: string };

/** Exactly one criterion; `lat` and `lon` go together. */
export function criterionOf(q: EligibilityQuerystring): Criterion {
  const given = [
    q.adresse !== undefined,
    q.id !== undefined,
    q.immeuble !== undefined,
    q.lat !== undefined || q.lon !== undefined,
  ].filter(Boolean).length;
  if (given !== 1) {
    throw new HttpError(400, "CRITERE_UNIQUE", ONE_CRITERION, { parametre: "adresse, id, immeuble, lat, lon" });
  }
  if (q.adresse !== undefined) {
    const text = q.adresse.trim();
    if (text === "") {
      throw new HttpError(400, "PARAMETRE_INVALIDE", "Paramètre « adresse » invalide : est vide", {
        parametre: "adresse",
      });
    }
    return { by: "texte", text };
  }
  if (q.id !== undefined) return { by: "adresse", id: q.id };
  if (q.immeuble !== undefined) return { by: "immeuble", id: q.immeuble };
  if (q.lat === undefined || q.lon === undefined) {
    const missing = q.lat === undefined ? "lat" : "lon";
    throw new HttpError(
      400,
      "PARAMETRE_INVALIDE",
      `Paramètre « ${missing} » invalide : est obligatoire avec « ${missing === "lat" ? "lon" : "lat"} »`,
      {
        parametre: missing,
      },
    );
  }
  return { by: "position", lat: q.lat, lon: q.lon };
}

function present(answer: EligibilityAnswer, geocodage: Geocoding | null = null): EligibilityResponse {
  return {
    trimestre: answer.trimestre,
    geocodage,
    dateReference: answer.dateReference,
    distanceM: answer.distanceM,
    immeubles: answer.buildings.map(
      ({ building: b, reseau, operateurInfra, eligibility, operatorNames, fermetureCuivre }) => {
        const named = (code: string) => ({ code, nom: operatorNames.get(code) ?? null });
        return {
          immeuble: {
            id: b.id,
            adresseId: b.adresse_id,
            numero: b.numero,
            rep: b.rep,
            nomVoie: b.nom_voie,
            codeInsee: b.code_insee,
            lon: b.lon,
            lat: b.lat,
            type: b.type,
            nbLocaux: Number(b.nb_locaux),
          },
          reseau,
          operateurInfrastructure: operateurInfra,
          fibre: eligibility.ftth,
          technologies: eligibility.technologies.map((t) => ({
            ...t,
            operateurs: t.operateurs.map(named),
            operateursSatures: t.operateursSatures.map(named),
          })),
          meilleur: eligibility.meilleur,
          fermetureCuivre,
        };
      },
    ),
    simule: answer.trimestre.simule,
  };
}

export const lookupEligibilityRoutes =
  (
    db: Kysely<BroadbandTables>,
    lookupAddress: AddressLookup,
    today: () => string = () => new Date().toISOString().slice(0, 10),
  ): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/eligibilite",
      { config: { access: access.public() }, schema: lookupEligibilitySchema },
      async (request) => {
        const criterion = criterionOf(request.query);
        try {
          if (criterion.by === "texte") {
            const answer = await lookupEligibilityByText(db, lookupAddress, criterion.text, today());
            return present(answer, answer.geocodage);
          }
          return present(await lookupEligibility(db, criterion, today()));
        } catch (error) {
          if (error instanceof AddressNotFoundError) throw new HttpError(404, "ADRESSE_INTROUVABLE", error.message);
          if (error instanceof NoQuarterError) throw new HttpError(404, "AUCUN_TRIMESTRE", error.message);
          if (error instanceof NothingFoundError) {
            const code = criterion.by === "position" ? "AUCUN_IMMEUBLE_PROCHE" : "IMMEUBLE_INTROUVABLE";
            throw new HttpError(404, code, error.message);
          }
          throw error;
        }
      },
    );
  };
