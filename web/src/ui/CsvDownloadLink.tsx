/** « Télécharger (CSV) » link; `context` is read by screen readers only, to tell the links of a page apart. */
export function CsvDownloadLink({ href, context }: { href: string; context: string }) {
  return (
    <a className="lien-telechargement" href={href} download>
      Télécharger (CSV)<span className="visuellement-masque"> : {context}</span>
    </a>
  );
}
