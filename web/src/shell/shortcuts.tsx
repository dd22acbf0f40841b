import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import { isTextField } from '../hooks/keyboard';

/** Return false to let the key do its normal thing (the shortcut did not apply). */
export type ShortcutHandler = (event: KeyboardEvent) => boolean | void;
/** Keys are KeyboardEvent.key values; a two-key sequence is written 'g i'. */
export type ShortcutMap = Partial<Record<string, ShortcutHandler>>;

interface Layer {
  map: ShortcutMap;
}

const ShortcutContext = createContext<{ register(layer: Layer): () => void } | null>(null);

const SEQUENCE_TIMEOUT_MS = 1500;

/**
 * Single-key shortcuts for the whole app. They stay quiet while focus is in a text field,
 * while a modal dialog is open and when a modifier key is held (browser and screen-reader
 * commands keep working). Pages add layers; the most recent layer wins.
 */
export function ShortcutsProvider({ children }: { children: ReactNode }) {
  const layers = useRef<Layer[]>([]);

  useEffect(() => {
    let prefix: string | null = null;
    let prefixTimer: number | undefined;

    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      if (isTextField(event.target)) return;
      if (document.querySelector('dialog[open]')) return;

      let key = event.key;
      if (prefix) {
        key = `${prefix} ${key}`;
        prefix = null;
        window.clearTimeout(prefixTimer);
      } else if (key === 'g') {
        prefix = 'g';
        prefixTimer = window.setTimeout(() => (prefix = null), SEQUENCE_TIMEOUT_MS);
        return;
      }

      for (let i = layers.current.length - 1; i >= 0; i--) {
        const handler = layers.current[i]?.map[key];
        if (!handler) continue;
        if (handler(event) !== false) event.preventDefault();
        return;
      }
    }

    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      window.clearTimeout(prefixTimer);
    };
  }, []);

  const api = useRef({
    register(layer: Layer) {
      layers.current.push(layer);
      return () => {
        layers.current = layers.current.filter((l) => l !== layer);
      };
    },
  });

  return <ShortcutContext.Provider value={api.current}>{children}</ShortcutContext.Provider>;
}

/** Registers shortcuts while the calling component is mounted; handlers always see fresh state. */
export function useShortcuts(map: ShortcutMap): void {
  const context = useContext(ShortcutContext);
  const layer = useRef<Layer>({ map });
  layer.current.map = map;
  useEffect(() => context?.register(layer.current), [context]);
}
