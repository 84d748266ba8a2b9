import { useEffect, useId, useRef, useState } from "react";
import { api, type ListOptions } from "../../app/api-client.ts";
import type { Niveau, TerritoireFilters, TerritoireResume } from "../../app/api-types.ts";
import { formatInteger } from "../../app/format.ts";
import { useAsync } from "../../app/use-async.ts";
import { DataTable } from "../../ui/DataTable.tsx";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { territoryColumns } from "./territory-columns.tsx";

type Sort = NonNullable<ListOptions["tri"]>;

interface TerritoryListTableProps {
  niveau: Niveau;
  filters: TerritoireFilters;
  /** Table caption, e.g. « Communes du Calvados ». */
  caption: string;
  /** Rows loaded at first and at each « Afficher plus ». */
  pageSize?: number;
}

/** Paged table of territories (first page, then « Afficher plus »), sortable, with a CSV of the whole list. */
export function TerritoryListTable({ niveau, filters, caption, pageSize = 50 }: TerritoryListTableProps) {
  const [sort, setSort] = useState<Sort>("nom");
  const sortId = useId();
  const key = api.listUrl(niveau, { ...filters, tri: sort, limit: pageSize });
  const firstPage = useAsync(key, () => api.list(niveau, { ...filters, tri: sort, limit: pageSize }));
  const [extraRows, setExtraRows] = useState<{ key: string; rows: TerritoireResume[] }>({ key, rows: [] });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<Error | null>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const focusRowIndex = useRef<number | null>(null);

  const rows =
    firstPage.status === "success" ? [...firstPage.data.results, ...(extraRows.key === key ? extraRows.rows : [])] : [];
  const total = firstPage.status === "success" ? firstPage.data.total : 0;

  // After « Afficher plus », move focus to the first new row so keyboard users continue from there.
  useEffect(() => {
    if (focusRowIndex.current === null) return;
    const links = tableRef.current?.querySelectorAll<HTMLAnchorElement>("tbody tr th a");
    links?.[focusRowIndex.current]?.focus();
    focusRowIndex.current = null;
  });

  const loadMore = async () => {
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await api.list(niveau, { ...filters, tri: sort, limit: pageSize, offset: rows.length });
      focusRowIndex.current = rows.length;
      setExtraRows({ key, rows: [...(extraRows.key === key ? extraRows.rows : []), ...page.results] });
    } catch (error) {
      setMoreError(error instanceof Error ? error : new Error(String(error)));
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div className="liste-territoires" ref={tableRef}>
      <div className="liste-territoires__tri">
        <label htmlFor={sortId}>Trier par</label>
        <select id={sortId} value={sort} onChange={(event) => setSort(event.target.value as Sort)}>
          <option value="nom">nom</option>
          <option value="population">population décroissante</option>
          <option value="code">code</option>
        </select>
      </div>
      {firstPage.status === "loading" && <LoadingStatus />}
      {firstPage.status === "error" && (
        <ErrorMessage title="La liste n'a pas pu être chargée." error={firstPage.error} onRetry={firstPage.retry} />
      )}
      {firstPage.status === "success" && (
        <DataTable
          caption={caption}
          columns={territoryColumns(niveau)}
          rows={rows}
          rowKey={(row) => row.code}
          csvUrl={api.csvUrl(niveau, { ...filters, tri: sort })}
          footer={
            <>
              <p className="liste-territoires__compte" role="status">
                {formatInteger(rows.length)} affiché{rows.length > 1 ? "s" : ""} sur {formatInteger(total)}
              </p>
              {rows.length < total && (
                <button type="button" className="bouton bouton--secondaire" onClick={loadMore} disabled={loadingMore}>
                  {loadingMore
                    ? "Chargement…"
                    : `Afficher plus (${formatInteger(Math.min(pageSize, total - rows.length))})`}
                </button>
              )}
              {moreError && <ErrorMessage title="La suite de la liste n'a pas pu être chargée." error={moreError} />}
            </>
          }
        />
      )}
    </div>
  );
}
