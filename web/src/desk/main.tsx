import { StrictMode, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useTranslation } from 'react-i18next';
import { initI18n } from '../app/i18n.ts';
import { makeQueryClient } from '../app/query.ts';
import { deskStrings } from './locales.ts';
import { DeskRoutes } from './App.tsx';
import './desk.css';

initI18n(deskStrings);
const queryClient = makeQueryClient();

/** antd and dayjs follow the UI language (date pickers, pagination, empty states). */
function Localised({ children }: { children: React.ReactNode }) {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const [, force] = useState(0);
  const first = useRef(true);
  useEffect(() => {
    dayjs.locale(en ? 'en' : 'zh-cn');
    force((n) => n + 1);
    // Server-side texts (messages, label kind names) follow Accept-Language: fetch them again
    // after a switch (not on start, when nothing has been fetched in the old language).
    if (first.current) first.current = false;
    else void queryClient.invalidateQueries();
  }, [en]);
  return (
    <ConfigProvider
      locale={en ? enUS : zhCN}
      theme={{
        token: {
          colorPrimary: '#0b5cab',
          borderRadius: 6,
          // Chinese first: PingFang on Macs, YaHei on Windows, Noto CJK on Linux desks.
          fontFamily: "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif",
        },
      }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <Localised>
        <BrowserRouter>
          <DeskRoutes />
        </BrowserRouter>
      </Localised>
    </QueryClientProvider>
  </StrictMode>,
);
