import http from "node:http";

/**
 * A browser-like HTTP client for tests: keeps the session cookie and sends the CSRF token with
 * every write, as the web front end does.
 */
export class TestClient {
  private cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly defaultHeaders: Record<string, string> = {},
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const write = !["GET", "HEAD"].includes(method);
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      redirect: "manual",
      headers: {
        ...this.defaultHeaders,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(write && this.csrfToken ? { "x-csrf-token": this.csrfToken } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = response.headers.get("set-cookie");
    if (setCookie) {
      const [pair] = setCookie.split(";");
      this.cookie = pair?.endsWith("=") ? undefined : pair;
    }
    return response;
  }

  /** Signs in with a local account; returns the response of POST /api/session. */
  async signIn(email: string, motDePasse: string): Promise<Response> {
    const response = await this.request("POST", "/api/session", { email, motDePasse });
    if (response.ok) this.csrfToken = ((await response.clone().json()) as { jetonCsrf: string }).jetonCsrf;
    return response;
  }

  get hasSession(): boolean {
    return this.cookie !== undefined;
  }
}

/** Parses a JSON response; tests assert on the shape, so the value is loosely typed on purpose. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions check the shape
export async function body(response: Response | undefined): Promise<any> {
  if (!response) throw new Error("pas de réponse");
  return response.json();
}

/**
 * Sends only the headers of a request whose declared body (`content-length`) is `bytes` long, and
 * reads the answer. The server must refuse on the declared length alone: sending the body with
 * fetch races the server's early answer and can fail the run with an unhandled socket error.
 */
export function sendDeclaredBody(
  baseUrl: string,
  path: string,
  { method = "POST", bytes, headers = {} }: { method?: string; bytes: number; headers?: Record<string, string> },
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(path, baseUrl), {
      method,
      headers: { "content-type": "application/json", ...headers, "content-length": String(bytes) },
    });
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") });
      });
    });
    request.on("error", reject);
    request.flushHeaders();
  });
}
