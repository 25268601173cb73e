import { useTranslation } from 'react-i18next';
import { Home } from './Home.tsx';
import { Login } from './Login.tsx';
import { PlaceView } from './PlaceView.tsx';
import { matchRoute, useLocation } from './router.ts';
import { Scan } from './Scan.tsx';
import { useAccount } from './offline/account.ts';
import { TaskList } from './tasks/TaskList.tsx';
import { TaskScreen } from './tasks/TaskScreen.tsx';
import { TokenScan } from './tasks/TokenScan.tsx';
import { ErrorBox, Spinner } from './ui.tsx';
import { Arrive } from './work/Arrive.tsx';
import { Inbox } from './work/Inbox.tsx';
import { ItemDetail } from './work/ItemDetail.tsx';
import { ItemList } from './work/ItemList.tsx';
import { ReportForm } from './work/ReportForm.tsx';

export function MobileApp() {
  // The last confirmed account when the server is unreachable: the tasks work offline (IN-3).
  const me = useAccount();
  const { pathname, search } = useLocation();
  useTranslation(); // re-render on language change
  if (me.isPending) return <div className="m-boot"><Spinner /></div>;
  if (me.error) return <main className="m-main"><ErrorBox error={me.error} retry={() => void me.refetch()} /></main>;
  if (!me.data) return <Login />;
  const route = matchRoute(pathname);
  switch (route.name) {
    case 'token':
      // A label scanned during a task is that checkpoint's scan (offline too); else the place page.
      return <TokenScan key={route.token} token={route.token} me={me.data} />;
    case 'place':
      return <PlaceView key={route.id} id={route.id} me={me.data} />;
    case 'scan':
      return <Scan />;
    case 'report':
      return <ReportForm key={search.get('placeId') ?? ''} me={me.data} />;
    case 'items':
      return <ItemList me={me.data} />;
    case 'item':
      return <ItemDetail key={route.id} id={route.id} me={me.data} />;
    case 'arrive':
      return <Arrive key={route.id} id={route.id} />;
    case 'inbox':
      return <Inbox />;
    case 'tasks':
      return <TaskList />;
    case 'task':
      return <TaskScreen key={route.id} id={route.id} />;
    default:
      return <Home me={me.data} />;
  }
}
