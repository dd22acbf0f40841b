import { useEffect, useState, type InputHTMLAttributes } from 'react';
import { splitList } from './ruleFields';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> & {
  value: string[];
  onChange: (list: string[]) => void;
};

/** A comma-separated list in one text field; keeps what the agent types until it parses differently. */
export function ListInput({ value, onChange, ...rest }: Props) {
  const [text, setText] = useState(value.join(', '));
  useEffect(() => {
    setText((current) => (splitList(current).join('\u0000') === value.join('\u0000') ? current : value.join(', ')));
  }, [value]);
  return (
    <input
      type="text"
      {...rest}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(splitList(e.target.value));
      }}
    />
  );
}
