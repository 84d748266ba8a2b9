import { Link, useSearchParams } from "react-router";

interface PaginationProps {
  /** Names the navigation landmark (« Pages du journal »). */
  label: string;
  /** 1-based page shown, read from the `page` search parameter by the page. */
  pageNumber: number;
  pageSize: number;
  total: number;
}

/** Previous / next links of a paged table; they keep the other search parameters (the filters). */
export function Pagination({ label, pageNumber, pageSize, total }: PaginationProps) {
  const [searchParams] = useSearchParams();
  if (total <= pageSize) return null;
  const pageLink = (n: number) => {
    const next = new URLSearchParams(searchParams);
    if (n <= 1) next.delete("page");
    else next.set("page", String(n));
    return `?${next.toString()}`;
  };
  return (
    <nav className="pagination" aria-label={label}>
      <ul>
        {pageNumber > 1 && (
          <li>
            <Link to={pageLink(pageNumber - 1)}>Page précédente</Link>
          </li>
        )}
        <li aria-current="page">
          Page {pageNumber} sur {Math.ceil(total / pageSize)}
        </li>
        {pageNumber * pageSize < total && (
          <li>
            <Link to={pageLink(pageNumber + 1)}>Page suivante</Link>
          </li>
        )}
      </ul>
    </nav>
  );
}
