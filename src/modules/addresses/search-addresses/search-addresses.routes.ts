import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { access } from "../../../shared/http/access-control.ts";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import { sendPreserialized } from "../../../shared/http/preserialized.ts";
import { sendAtEndOfTurn } from "../../../shared/http/send-at-end-of-turn.ts";
import type { AddressIndexService } from "./address-index.service.ts";
import { featureCollectionJson, hitsCollectionJson } from "./feature-collection-json.ts";
import { AddressFeatureCollection, ReverseAddressesQuery, SearchAddressesQuery } from "./search-addresses.schema.ts";

const JSON_TYPE = "application/json; charset=utf-8";

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
      // Synchronous: nothing here waits, and Fastify then skips the promise of an async handler; the
      // answer leaves at the end of the event loop's turn, with the others read in that turn.
      (request, reply) => {
        const { q, limit, autocomplete, type, postcode, citycode, lat, lon } = request.query;
        const near = lat !== undefined && lon !== undefined ? { lat, lon } : {};
        const loaded = indexes.loaded;
        const hits =
          loaded?.index.searchHits(q, {
            limit,
            autocomplete: autocomplete === "1",
            type,
            postcode,
            citycode,
            ...near,
          }) ?? [];
        let filters: Record<string, string> | undefined;
        if (type !== undefined || postcode !== undefined || citycode !== undefined) {
          filters = {};
          if (type !== undefined) filters.type = type;
          if (postcode !== undefined) filters.postcode = postcode;
          if (citycode !== undefined) filters.citycode = citycode;
        }
        const extras = {
          query: q,
          filters,
          center: lat !== undefined && lon !== undefined ? ([lon, lat] as [number, number]) : undefined,
          limit,
        };
        const body = loaded ? hitsCollectionJson(hits, loaded.features, extras) : featureCollectionJson([], extras);
        sendAtEndOfTurn(reply, JSON_TYPE, body);
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
      async (request, reply) => {
        const { lat, lon, limit, type } = request.query;
        const results = indexes.loaded?.index.reverse(lat, lon, { limit, type }) ?? [];
        const body = featureCollectionJson(results, {
          filters: type ? { type } : undefined,
          center: [lon, lat],
          limit,
        });
        return sendPreserialized(reply, JSON_TYPE, body);
      },
    );
  };
