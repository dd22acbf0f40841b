import { useEffect, useRef, type RefObject } from 'react';
import { Link } from 'react-router-dom';
import type { CaseRow } from '../../api/types';
import { PriorityBadge, StatusBadge } from '../../components/Badges';
import { RelativeTime } from '../../components/Time';
import { categoryLabel, t } from '../../i18n';

interface CaseTableProps {
  caption: string;
  rows: CaseRow[];
  selected: Set<string>;
  onToggle: (id: string, on: boolean) => void;
  onToggleAll: (on: boolean) => void;
  activeIndex: number;
  onActivate: (index: number) => void;
  /** Subject links by row index, for j/k focus moves. */
  linkRefs: RefObject<(HTMLAnchorElement | null)[]>;
}

export function caseLink(row: Pick<CaseRow, 'number'>): string {
  return `/cases/${row.number}`;
}

export function CaseTable({ caption, rows, selected, onToggle, onToggleAll, activeIndex, onActivate, linkRefs }: CaseTableProps) {
  const allRef = useRef<HTMLInputElement>(null);
  const selectedOnPage = rows.filter((r) => selected.has(r.id)).length;
  const all = rows.length > 0 && selectedOnPage === rows.length;

  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = selectedOnPage > 0 && !all;
  }, [selectedOnPage, all]);

  return (
    <div className="table-wrap">
      <table className="table case-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="case-table__select">
              <input
                ref={allRef}
                type="checkbox"
                checked={all}
                aria-label={t('inbox.selectAll')}
                onChange={(e) => onToggleAll(e.target.checked)}
              />
            </th>
            <th scope="col" className="case-table__number">
              {t('inbox.col.number')}
            </th>
            <th scope="col">{t('inbox.col.subject')}</th>
            <th scope="col">{t('inbox.col.customer')}</th>
            <th scope="col">{t('inbox.col.status')}</th>
            <th scope="col">{t('inbox.col.priority')}</th>
            <th scope="col">{t('inbox.col.category')}</th>
            <th scope="col">{t('inbox.col.assignee')}</th>
            <th scope="col">{t('inbox.col.updated')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr
              key={row.id}
              data-testid="case-row"
              data-case-number={row.number}
              className={index === activeIndex ? 'is-active' : undefined}
              onFocus={() => onActivate(index)}
            >
              <td className="case-table__select">
                <input
                  type="checkbox"
                  checked={selected.has(row.id)}
                  aria-label={t('inbox.selectCase', { number: row.number })}
                  onChange={(e) => onToggle(row.id, e.target.checked)}
                />
              </td>
              <td className="case-table__number">#{row.number}</td>
              <td className="case-table__subject">
                <Link
                  to={caseLink(row)}
                  ref={(el) => {
                    if (linkRefs.current) linkRefs.current[index] = el;
                  }}
                >
                  {row.subject || t('case.noSubject')}
                </Link>
                {row.tags.length > 0 && (
                  <span className="tag-list tag-list--inline">
                    <span className="visually-hidden">{t('case.tags')}: </span>
                    {row.tags.map((tag) => (
                      <span key={tag} className="tag">
                        {tag}
                      </span>
                    ))}
                  </span>
                )}
              </td>
              <td className="case-table__customer">
                <span>{row.customer.name || row.customer.primary_email || t('customer.unnamed')}</span>
                {row.customer.name && row.customer.primary_email && <span className="muted small">{row.customer.primary_email}</span>}
              </td>
              <td>
                <StatusBadge status={row.status} />
              </td>
              <td>
                <PriorityBadge priority={row.priority} />
              </td>
              <td>{categoryLabel(row.category)}</td>
              <td>{row.assignee ? row.assignee.name : <span className="muted">{t('case.unassigned')}</span>}</td>
              <td className="nowrap">
                <RelativeTime iso={row.updated_at} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
