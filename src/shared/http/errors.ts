import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";

/** An expected failure with its HTTP status and a French message meant for the user. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export const notFound = (message: string) => new HttpError(404, "INTROUVABLE", message);

interface AjvError {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turns the first schema violation into a French sentence naming the parameter. */
export function describeValidationError(error: AjvError): {
  parametre: string;
  message: string;
} {
  const fromPath = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
  const parametre =
    error.keyword === "required"
      ? String(error.params.missingProperty)
      : error.keyword === "additionalProperties"
        ? String(error.params.additionalProperty)
        : fromPath || "requête";
  const p = error.params;
  const reason = (() => {
    switch (error.keyword) {
      case "required":
        return "est obligatoire";
      case "type":
        return `doit être de type ${translateType(String(p.type))}`;
      case "minimum":
        return `doit être supérieur ou égal à ${p.limit}`;
      case "maximum":
        return `doit être inférieur ou égal à ${p.limit}`;
      case "minLength":
        return `doit contenir au moins ${p.limit} caractère(s)`;
      case "maxLength":
        return `doit contenir au plus ${p.limit} caractères`;
      case "pattern":
        return "n'a pas le format attendu";
      case "enum":
        return `doit valoir ${(p.allowedValues as unknown[]).map((v) => `« ${v} »`).join(", ")}`;
      case "const":
        return `doit valoir « ${p.allowedValue} »`;
      case "anyOf":
        return "n'a pas une valeur acceptée";
      case "additionalProperties":
        return "n'est pas un paramètre reconnu";
      default:
        return error.message ?? "est invalide";
    }
  })();
  return {
    parametre,
    message: `Paramètre « ${parametre} » invalide : ${reason}`,
  };
}

function translateType(type: string): string {
  return (
    {
      integer: "entier",
      number: "nombre",
      string: "texte",
      boolean: "booléen",
      array: "liste",
      object: "objet",
    }[type] ?? type
  );
}

/**
 * One error handler for the whole API: schema violations become 400 naming the parameter, expected
 * failures keep their status, anything else is logged and answered as a plain 500 (no stack).
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply
        .status(error.statusCode)
        .headers(error.headers)
        .send({
          statusCode: error.statusCode,
          code: error.code,
          message: error.message,
          ...error.details,
        });
    }
    if (error.validation && error.validation.length > 0) {
      const first = error.validation[0] as unknown as AjvError;
      const { parametre, message } = describeValidationError(first);
      return reply.status(400).send({
        statusCode: 400,
        code: "PARAMETRE_INVALIDE",
        message,
        parametre,
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // 429 from the rate limiter carries its Retry-After header already.
      return reply.status(status).send({
        statusCode: status,
        code: error.code ?? "REQUETE_INVALIDE",
        message: frenchClientMessage(status, error.message),
      });
    }
    request.log.error({ err: error }, "erreur non prévue");
    return reply.status(500).send({
      statusCode: 500,
      code: "ERREUR_INTERNE",
      message: "Erreur interne du serveur. L'incident a été journalisé.",
    });
  });

  // Ajv coerces "1e309" to Infinity and lets it through the bounds checks: refuse it here, for
  // every route, before it reaches a query.
  // Callback style, not async: it runs on every request.
  app.addHook("preHandler", (request, _reply, done) => {
    done(infiniteParameter(request.query) ?? infiniteParameter(request.params));
  });

  app.setNotFoundHandler((request, reply) => reply.status(404).send(routeNotFound(request)));
}

/** A 400 naming the first parameter coerced to an infinite number, if any. */
function infiniteParameter(part: unknown): HttpError | undefined {
  if (!part || typeof part !== "object") return undefined;
  for (const parametre in part) {
    const value = (part as Record<string, unknown>)[parametre];
    if (typeof value === "number" && !Number.isFinite(value)) {
      return new HttpError(400, "PARAMETRE_INVALIDE", `Paramètre « ${parametre} » invalide : nombre hors limites`, {
        parametre,
      });
    }
  }
  return undefined;
}

/** The body of a 404 for an address that matches no route. */
export function routeNotFound(request: FastifyRequest) {
  return {
    statusCode: 404,
    code: "ROUTE_INCONNUE",
    message: `Aucune ressource à l'adresse ${request.method} ${request.url.split("?")[0]}`,
  };
}

function frenchClientMessage(status: number, original: string): string {
  switch (status) {
    case 413:
      return "Requête trop volumineuse";
    case 415:
      return "Type de contenu non pris en charge";
    case 429:
      return "Trop de requêtes : réessayez plus tard";
    case 400:
      return `Requête invalide : ${original}`;
    default:
      return original;
  }
}
