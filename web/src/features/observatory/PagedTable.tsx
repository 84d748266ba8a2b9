import { type ReactNode, useEffect, useRef, useState } from "react";
import { formatInteger } from "../../app/format.ts";
import { DataTable, type DataTableColumn } from "../../ui/DataTable.tsx";

interface PagedTableProps<Row> {
  caption: string;
  columns: DataTableColumn<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  /** Download links, shown under the table. */
  exports?: ReactNode;
  pageSize?: number;
}

/**
 * A data table showing its first rows and « Afficher plus » for the rest: a Région has thousands of
 * communes, too many to lay out at once. The downloads always hold every row.
 */
export function PagedTable<Row>({ caption, columns, rows, rowKey, exports, pageSize = 50 }: PagedTableProps<Row>) {
  const [shown, setShown] = useState(pageSize);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const focusRow = useRef<number | null>(null);
  const visible = rows.slice(0, shown);

  // After « Afficher plus », focus moves to the first new row so keyboard users go on from there.
  useEffect(() => {
    if (focusRow.current === null) return;
    const headers = wrapperRef.current?.querySelectorAll<HTMLElement>("tbody tr th");
    const target = headers?.[focusRow.current];
    if (target) {
      target.tabIndex = -1;
      target.focus();
    }
    focusRow.current = null;
  });

  return (
    <div ref={wrapperRef}>
      <DataTable
        caption={caption}
        columns={columns}
        rows={visible}
        rowKey={rowKey}
        footer={
          <>
            {rows.length > pageSize && (
              <>
                <p role="status">
                  {formatInteger(visible.length)} ligne{visible.length > 1 ? "s" : ""} affichée
                  {visible.length > 1 ? "s" : ""} sur {formatInteger(rows.length)}
                </p>
                {visible.length < rows.length && (
                  <button
                    type="button"
                    className="bouton bouton--secondaire"
                    onClick={() => {
                      focusRow.current = visible.length;
                      setShown(shown + pageSize);
                    }}
                  >
                    Afficher plus ({formatInteger(Math.min(pageSize, rows.length - visible.length))})
                  </button>
                )}
              </>
            )}
            {exports}
          </>
        }
      />
    </div>
  );
}
