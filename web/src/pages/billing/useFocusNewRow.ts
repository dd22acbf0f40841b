import { useEffect, useRef, useState } from 'react';

/**
 * After "Load more", keyboard and screen reader users continue at the first row that came in: its
 * row header (`<th scope="row" tabIndex={-1}>`) takes focus once the row is on screen.
 */
export function useFocusNewRow() {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [index, setIndex] = useState<number | null>(null);
  useEffect(() => {
    if (index === null) return;
    const header = bodyRef.current?.querySelectorAll<HTMLElement>('tr > th[scope="row"]')[index];
    if (!header) return;
    header.focus();
    setIndex(null);
  });
  return { bodyRef, focusRowAt: setIndex };
}
