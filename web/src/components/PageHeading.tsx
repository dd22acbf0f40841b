import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'react-router-dom';

const INITIAL_PATH = window.location.pathname;
let navigated = false;

interface PageHeadingProps {
  children: ReactNode;
  /** The document title; defaults to the heading when it is a string. */
  title?: string;
  className?: string;
}

/**
 * The page's <h1>. After client-side navigation, focus moves here so keyboard and
 * screen-reader users start at the new page, as they would after a full page load.
 * Only a change of path moves focus: filters in the query string leave it where it is, and the
 * first page of a visit keeps the browser's own starting point.
 */
export function PageHeading({ children, title, className }: PageHeadingProps) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { pathname } = useLocation();

  useEffect(() => {
    // A full page load leaves focus at the top (the skip link comes first); only moves inside the app focus the heading.
    if (!navigated && window.location.pathname === INITIAL_PATH) return;
    navigated = true;
    const active = document.activeElement;
    // Do not pull focus out of a dialog that is open on top of the page.
    if (active && active.closest('dialog[open]')) return;
    ref.current?.focus({ preventScroll: false });
  }, [pathname]);

  const text = title ?? (typeof children === 'string' ? children : undefined);
  useEffect(() => {
    if (text) document.title = `${text} · Baton`;
  }, [text]);

  return (
    <h1 ref={ref} tabIndex={-1} className={`page-heading ${className ?? ''}`}>
      {children}
    </h1>
  );
}
