/**
 * The postMessage protocol between the loader (on the site's page) and the frame (on Baton's
 * origin). Every message carries `baton: 'chat'`; each side checks who sent it.
 */
export type FrameToPage =
  | { baton: 'chat'; type: 'ready'; colour: string; name: string }
  | { baton: 'chat'; type: 'unread'; count: number }
  | { baton: 'chat'; type: 'close' }
  | { baton: 'chat'; type: 'hide' }
  | { baton: 'chat'; type: 'visitor'; token: string };

export type PageToFrame =
  | { baton: 'chat'; type: 'open' }
  | { baton: 'chat'; type: 'closed' }
  | { baton: 'chat'; type: 'identity'; token: string }
  /** The visitor token the page keeps for the frame (null: none yet). */
  | { baton: 'chat'; type: 'visitor'; token: string | null };

export function isChatMessage(data: unknown): data is { baton: 'chat'; type: string } & Record<string, unknown> {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { baton?: unknown }).baton === 'chat' &&
    typeof (data as { type?: unknown }).type === 'string'
  );
}
