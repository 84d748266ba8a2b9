import type { LotStatut } from "../../../../src/modules/eligibility/batch-eligibility/batch-eligibility.schema.ts";
import { getFreshJson, sendForm, sendJson } from "../../app/api-client.ts";

export type { LotStatut };

const base = "/api/eligibilite/lots";

/** The multi-site batch: upload, follow (never cached: it changes every second), cancel. */
export const batchApi = {
  create: (form: FormData) => sendForm<LotStatut>(base, form),
  status: (id: string, signal?: AbortSignal) => getFreshJson<LotStatut>(`${base}/${encodeURIComponent(id)}`, signal),
  cancel: (id: string) => sendJson("DELETE", `${base}/${encodeURIComponent(id)}`),
};
