import type { FastifyReply } from "fastify";

/**
 * Sends a body that is already serialised (large GeoJSON assembled as text). Fastify sends strings
 * as they are; the route's response schema still documents the shape.
 */
export function sendPreserialized(reply: FastifyReply, contentType: string, body: string): FastifyReply {
  return reply.type(contentType).send(body);
}
