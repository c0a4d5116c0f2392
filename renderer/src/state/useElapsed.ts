import { useEffect, useState } from 'react';

/** Seconds since `running` became true (updates every 250 ms while running). */
export function useElapsed(running: boolean): number {
  const [start, setStart] = useState<number | null>(null);
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (!running) return;
    const t0 = performance.now();
    setStart(t0);
    setNow(t0);
    const id = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(id);
  }, [running]);
  return start === null ? 0 : Math.max(0, now - start);
}
