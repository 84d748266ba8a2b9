import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import { access } from "../../../shared/http/access-control.ts";
import { sendCsv, toCsv } from "../../../shared/http/csv.ts";
import { presentTerritoire } from "../territory.presenter.ts";
import type { TerritoireResume } from "../territory.schemas.ts";
import type { TerritoryTables } from "../territory.tables.ts";
import { listTerritories } from "./list-territories.repository.ts";
import { listTerritoriesSchema } from "./list-territories.schema.ts";

export const listTerritoriesRoute =
  (db: Kysely<TerritoryTables>): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/territoires/:niveau",
      { config: { access: access.public() }, schema: listTerritoriesSchema },
      async (request, reply) => {
        const { niveau } = request.params;
        const { format, limit, offset, ...filters } = request.query;
        const csv = format === "csv";
        const { total, rows } = await listTerritories(db, {
          niveau,
          ...filters,
          limit: csv ? null : limit,
          offset: csv ? 0 : offset,
        });
        const results = rows.map(presentTerritoire);
        if (csv) return sendCsv(reply, `territoires-${niveau}.csv`, toCsv(results, TERRITOIRE_CSV_COLUMNS));
        return { total, limit, offset, results };
      },
    );
  };

export const TERRITOIRE_CSV_COLUMNS = [
  { header: "niveau", value: (t: TerritoireResume) => t.niveau },
  { header: "code", value: (t: TerritoireResume) => t.code },
  { header: "nom", value: (t: TerritoireResume) => t.nom },
  { header: "population", value: (t: TerritoireResume) => t.population },
  { header: "region", value: (t: TerritoireResume) => t.region },
  { header: "departement", value: (t: TerritoireResume) => t.departement },
  { header: "epci", value: (t: TerritoireResume) => t.epci },
  {
    header: "codes_postaux",
    value: (t: TerritoireResume) => t.codesPostaux.join(" "),
  },
  { header: "surface_km2", value: (t: TerritoireResume) => t.surfaceKm2 },
  {
    header: "densite_hab_km2",
    value: (t: TerritoireResume) => t.densitePopulation,
  },
  {
    header: "densite_insee",
    value: (t: TerritoireResume) => t.densiteInsee?.libelle,
  },
  { header: "longitude", value: (t: TerritoireResume) => t.centre.lon },
  { header: "latitude", value: (t: TerritoireResume) => t.centre.lat },
];
