import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { initI18n } from '../app/i18n.ts';
import { makeQueryClient } from '../app/query.ts';
import { MobileApp } from './App.tsx';
import { mobileStrings } from './locales.ts';
import { registerServiceWorker } from './offline/register.ts';
import './mobile.css';

// The phone entry (m.html): no antd, plain components and one small stylesheet (DESIGN §3).
initI18n(mobileStrings);
const queryClient = makeQueryClient();
registerServiceWorker(); // installable, works offline (IN-3, docs/offline.md)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <MobileApp />
    </QueryClientProvider>
  </StrictMode>,
);
