import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

/** One polite live region for the whole app: status changes are announced to screen readers. */
const AnnounceContext = createContext<(message: string) => void>(() => {});

export function useAnnounce(): (message: string) => void {
  return useContext(AnnounceContext);
}

const hidden: React.CSSProperties = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' };

export function AnnouncerProvider(props: { children: ReactNode }) {
  const [message, setMessage] = useState('');
  const announce = useCallback((text: string) => {
    // Clear first so the same text twice is announced twice.
    setMessage('');
    setTimeout(() => setMessage(text), 30);
  }, []);
  return (
    <AnnounceContext.Provider value={announce}>
      {props.children}
      <div role="status" aria-live="polite" style={hidden} data-testid="announcer">
        {message}
      </div>
    </AnnounceContext.Provider>
  );
}
