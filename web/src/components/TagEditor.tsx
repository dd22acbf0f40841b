import { useId, useState, type FormEvent } from 'react';
import { t } from '../i18n';

interface TagEditorProps {
  tags: string[];
  onChange: (tags: string[]) => void;
  /** Visible label of the add field. */
  label?: string;
  maxLength?: number;
}

/** Tags as a list with a remove button each, plus a field to add more (comma-separated). */
export function TagEditor({ tags, onChange, label, maxLength = 50 }: TagEditorProps) {
  const id = useId();
  const [text, setText] = useState('');

  function add(event: FormEvent) {
    event.preventDefault();
    const added = text
      .split(',')
      .map((tag) => tag.trim())
      .filter((tag) => tag && !tags.includes(tag));
    setText('');
    if (added.length > 0) onChange([...tags, ...new Set(added)]);
  }

  return (
    <div className="tag-editor">
      {tags.length > 0 ? (
        <ul className="tag-list" aria-label={t('tags.current')}>
          {tags.map((tag) => (
            <li key={tag} className="tag tag--removable">
              <span>{tag}</span>
              <button
                type="button"
                className="tag__remove"
                aria-label={t('tags.remove', { tag })}
                onClick={() => onChange(tags.filter((x) => x !== tag))}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">{t('tags.none')}</p>
      )}
      {/* A div, not a nested <form>: the editor may sit inside another form. */}
      <div className="inline-form">
        <label htmlFor={id} className="inline-form__label">
          {label ?? t('tags.add')}
        </label>
        <input
          id={id}
          type="text"
          value={text}
          maxLength={maxLength * 5}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') add(e);
          }}
        />
        <button type="button" className="button button--small" onClick={add} disabled={!text.trim()}>
          {t('tags.addButton')}
        </button>
      </div>
    </div>
  );
}
