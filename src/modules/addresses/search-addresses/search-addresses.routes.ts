import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { access } from "../../../shared/http/access-control.ts";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import type { AddressResult } from "../search-engine/address-index.ts";
import type { AddressIndexService } from "./address-index.service.ts";
import { toLambert93 } from "./lambert93.ts";
import { AddressFeatureCollection, ReverseAddressesQuery, SearchAddressesQuery } from "./search-addresses.schema.ts";

const ATTRIBUTION = "BAN";
const LICENCE = "ETALAB-2.0";

/** One result in the national API's feature shape, with Lambert-93 x/y. */
function toFeature({ lon, lat, ...properties }: AddressResult) {
  return {
    type: "Feature" as const,
    geometry: { type: "Point" as const, coordinates: [lon, lat] },
    properties: { ...properties, ...toLambert93(lon, lat) },
  };
}

/** The national address API's routes (`/search`, `/reverse`), same parameters and response. */
export const searchAddressesRoutes =
  (indexes: AddressIndexService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/adresse/search",
      {
        config: { access: access.public() },
        schema: {
          summary: "Chercher une adresse (compatible avec l'API Adresse nationale)",
          tags: ["adresses"],
          querystring: SearchAddressesQuery,
          response: { 200: AddressFeatureCollection, 400: ErrorResponse },
        },
      },
      async (request) => {
        const { q, limit, autocomplete, type, postcode, citycode, lat, lon } = request.query;
        const near = lat !== undefined && lon !== undefined ? { lat, lon } : {};
        const results =
          indexes.loaded?.index.search(q, {
            limit,
            autocomplete: autocomplete === "1",
            type,
            postcode,
            citycode,
            ...near,
          }) ?? [];
        const filters = Object.fromEntries(
          Object.entries({ type, postcode, citycode }).filter((e): e is [string, string] => e[1] !== undefined),
        );
        return {
          type: "FeatureCollection" as const,
          version: "draft" as const,
          features: results.map(toFeature),
          attribution: ATTRIBUTION,
          licence: LICENCE,
          query: q,
          ...(Object.keys(filters).length > 0 ? { filters } : {}),
          ...(lat !== undefined && lon !== undefined ? { center: [lon, lat] } : {}),
          limit,
        };
      },
    );

    app.get(
      "/api/adresse/reverse",
      {
        config: { access: access.public() },
        schema: {
          summary: "L'adresse la plus proche d'un point (compatible avec l'API Adresse nationale)",
          tags: ["adresses"],
          querystring: ReverseAddressesQuery,
          response: { 200: AddressFeatureCollection, 400: ErrorResponse },
        },
      },
      async (request) => {
        const { lat, lon, limit, type } = request.query;
        const results = indexes.loaded?.index.reverse(lat, lon, { limit, type }) ?? [];
        return {
          type: "FeatureCollection" as const,
          version: "draft" as const,
          features: results.map(toFeature),
          attribution: ATTRIBUTION,
          licence: LICENCE,
          ...(type ? { filters: { type } } : {}),
          center: [lon, lat],
          limit,
        };
      },
    );
  };
