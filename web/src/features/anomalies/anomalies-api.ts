import type {
  AnomalyDetail,
  AnswerBody,
  FollowResponse,
  InboxPage,
  ReportBody,
  ReportCreated,
} from "../../../../src/modules/eligibility/address-anomalies/address-anomalies.schema.ts";
import { getFreshJson, query, sendJson } from "../../app/api-client.ts";

// The API's shapes come from the server's route schemas (type-only imports).
export type { AnomalyDetail, AnswerBody, FollowResponse, InboxPage, ReportBody, ReportCreated };
export type AnomalySummary = InboxPage["results"][number];
export type AnomalyType = ReportBody["type"];
export type AnomalyStatus = FollowResponse["statut"];

export interface InboxFilters {
  statut?: string;
  reseau?: string;
  type?: string;
  commune?: string;
}

/** Address anomalies: never cached (they change while the page is open). */
export const anomaliesApi = {
  report: (body: ReportBody) => sendJson<ReportCreated>("POST", "/api/anomalies", body),
  follow: (jeton: string) => getFreshJson<FollowResponse>(`/api/anomalies/suivi/${encodeURIComponent(jeton)}`),
  inboxUrl: (filters: InboxFilters, page: { limit?: number; offset?: number; format?: "csv" | "xlsx" } = {}) =>
    `/api/anomalies${query({ ...filters, ...page })}`,
  inbox: (filters: InboxFilters, page: { limit: number; offset: number }) =>
    getFreshJson<InboxPage>(anomaliesApi.inboxUrl(filters, page)),
  detail: (id: string) => getFreshJson<AnomalyDetail>(`/api/anomalies/${encodeURIComponent(id)}`),
  answer: (id: string, body: AnswerBody) =>
    sendJson<AnomalyDetail>("POST", `/api/anomalies/${encodeURIComponent(id)}/reponse`, body),
};
