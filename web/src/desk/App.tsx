import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Spin } from 'antd';
import { useMe } from '../app/auth.ts';
import { can } from '../app/permissions.ts';
import { QueryState } from './common.tsx';
import { Shell, homeFor } from './Shell.tsx';
import { LoginPage } from './LoginPage.tsx';

/**
 * Screens load on first visit: antd is shared, each screen's own code stays out of the first
 * load. After a deploy, a tab opened before it asks for chunk names that no longer exist; one
 * reload fetches the new index and its new chunk names (once, so a real outage does not loop).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the props of each screen pass through untouched
function screen<T extends React.ComponentType<any>>(load: () => Promise<{ default: T }>) {
  return lazy(() => load().then(
    (m) => {
      sessionStorage.removeItem('towerdesk.chunkReload');
      return m;
    },
    (e: unknown) => {
      if (!sessionStorage.getItem('towerdesk.chunkReload')) {
        sessionStorage.setItem('towerdesk.chunkReload', '1');
        window.location.reload();
        return new Promise<never>(() => {});
      }
      throw e;
    },
  ));
}
const PlacesPage = screen(() => import('./places/PlacesPage.tsx'));
const PlaceLabelsPage = screen(() => import('./places/PlaceLabelsPage.tsx'));
const RegisterPage = screen(() => import('./registers/RegisterPage.tsx'));
const AccountsPage = screen(() => import('./accounts/AccountsPage.tsx'));
const CalendarPage = screen(() => import('./calendar/CalendarPage.tsx'));
const AuditPage = screen(() => import('./audit/AuditPage.tsx'));
const BoardPage = screen(() => import('./work-items/BoardPage.tsx'));
const IntakePage = screen(() => import('./work-items/IntakePage.tsx'));
const ReceptionPage = screen(() => import('./reception/ReceptionPage.tsx'));
const RevisitsPage = screen(() => import('./revisits/RevisitsPage.tsx'));
const DutyPage = screen(() => import('./duty/DutyPage.tsx'));
// Reports carry echarts: it loads with these screens only, never with the first desk load.
const ArchivePage = screen(() => import('./reports/ArchivePage.tsx'));
const ComplaintsMonthlyPage = screen(() => import('./reports/ComplaintsMonthlyPage.tsx'));
const SlaPage = screen(() => import('./reports/SlaPage.tsx'));
const SpotChecksPage = screen(() => import('./reports/SpotChecksPage.tsx'));
// Plans and round records (issue 4, IN-5 AR-1 GR-2).
const PlansPage = screen(() => import('./plans/PlansPage.tsx'));
const TodayPage = screen(() => import('./plans/TodayPage.tsx'));
const RecordsPage = screen(() => import('./plans/RecordsPage.tsx'));
const RatesPage = screen(() => import('./plans/RatesPage.tsx'));
const MissedPage = screen(() => import('./plans/MissedPage.tsx'));
const ReadingsPage = screen(() => import('./plans/ReadingsPage.tsx'));
const ChemicalsPage = screen(() => import('./plans/ChemicalsPage.tsx'));
// Stock (issue 4 §7: RP-9, CL-4, AR-2).
const StockPage = screen(() => import('./stock/StockPage.tsx'));
const ToolsPage = screen(() => import('./stock/ToolsPage.tsx'));
const ReorderPage = screen(() => import('./stock/ReorderPage.tsx'));
const CostReportPage = screen(() => import('./stock/CostReportPage.tsx'));

const fallback = <div className="center-pad"><Spin size="large" /></div>;

/**
 * Signed-in only; phone-layout accounts (field roles, occupants) belong on the phone app, which
 * is a different page (m.html), so they leave by a full navigation.
 */
function RequireDesk({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  const phone = me.data?.layout === 'phone';
  useEffect(() => {
    if (phone) window.location.replace('/m/');
  }, [phone]);
  if (me.isPending || phone) return fallback;
  if (me.error) return <div className="center-pad"><QueryState loading={false} error={me.error} retry={() => void me.refetch()}>{null}</QueryState></div>;
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

function Home() {
  const { data: me } = useMe();
  return <Navigate to={homeFor(me?.roles ?? []) ?? '/places'} replace />;
}

export function DeskRoutes() {
  const { data: me } = useMe();
  const roles = me?.roles ?? [];
  const guard = (ok: boolean, el: ReactNode) => (ok ? el : <Navigate to="/" replace />);
  return (
    <Suspense fallback={fallback}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        {/* The label sheet is printed: no shell, no navigation around it. */}
        <Route path="/places/:id/labels" element={<RequireDesk>{guard(can(roles, 'place.write'), <PlaceLabelsPage />)}</RequireDesk>} />
        <Route element={<RequireDesk><Shell /></RequireDesk>}>
          <Route index element={<Home />} />
          <Route path="/work-items" element={guard(can(roles, 'workItem.read'), <BoardPage />)} />
          <Route path="/intake" element={guard(can(roles, 'workItem.create'), <IntakePage />)} />
          <Route path="/reception" element={guard(can(roles, 'reception.read'), <ReceptionPage />)} />
          <Route path="/revisits" element={guard(can(roles, 'revisit.manage'), <RevisitsPage />)} />
          <Route path="/duty" element={guard(can(roles, 'duty.read'), <DutyPage />)} />
          <Route path="/reports/archive" element={guard(can(roles, 'report.read'), <ArchivePage />)} />
          <Route path="/reports/complaints" element={guard(can(roles, 'report.read'), <ComplaintsMonthlyPage />)} />
          <Route path="/reports/sla" element={guard(can(roles, 'report.read'), <SlaPage />)} />
          <Route path="/reports/spot-checks" element={guard(can(roles, 'report.read'), <SpotChecksPage />)} />
          <Route path="/plans" element={guard(can(roles, 'plan.read'), <PlansPage />)} />
          <Route path="/tasks/today" element={guard(can(roles, 'report.read'), <TodayPage />)} />
          <Route path="/records/search" element={guard(can(roles, 'report.read'), <RecordsPage />)} />
          <Route path="/records/rates" element={guard(can(roles, 'report.read'), <RatesPage />)} />
          <Route path="/records/missed" element={guard(can(roles, 'report.read'), <MissedPage />)} />
          <Route path="/records/readings" element={guard(can(roles, 'report.read'), <ReadingsPage />)} />
          <Route path="/records/chemicals" element={guard(can(roles, 'report.read'), <ChemicalsPage />)} />
          <Route path="/stock/items" element={guard(can(roles, 'stock.read'), <StockPage />)} />
          <Route path="/stock/tools" element={guard(can(roles, 'stock.read'), <ToolsPage />)} />
          <Route path="/stock/reorder" element={guard(can(roles, 'stock.read'), <ReorderPage />)} />
          <Route path="/stock/cost" element={guard(can(roles, 'report.read'), <CostReportPage />)} />
          <Route path="/places" element={guard(can(roles, 'place.read'), <PlacesPage />)} />
          <Route path="/companies" element={guard(can(roles, 'company.read'), <RegisterPage key="company" kind="company" />)} />
          <Route path="/occupants" element={guard(can(roles, 'occupant.read'), <RegisterPage key="occupant" kind="occupant" />)} />
          <Route path="/staff" element={guard(can(roles, 'staff.read'), <RegisterPage key="staff" kind="staff" />)} />
          <Route path="/contractors" element={guard(can(roles, 'contractor.read'), <RegisterPage key="contractor" kind="contractor" />)} />
          <Route path="/accounts" element={guard(can(roles, 'account.read'), <AccountsPage />)} />
          <Route path="/calendar" element={guard(can(roles, 'calendar.read'), <CalendarPage />)} />
          <Route path="/audit" element={guard(can(roles, 'audit.read'), <AuditPage />)} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
