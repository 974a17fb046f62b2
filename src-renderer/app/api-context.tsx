// React access to the one NvrApi transport of this window. Provider in main.tsx; components call useApi().
import { createContext, useContext, type ReactNode } from 'react';
import type { Transport } from '../api';

const ApiContext = createContext<Transport | null>(null);

export function ApiProvider({ api, children }: { api: Transport; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): Transport {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}
