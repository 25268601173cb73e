import { useTranslation } from 'react-i18next';
import { useMe } from '../app/auth.ts';
import { Home } from './Home.tsx';
import { Login } from './Login.tsx';
import { PlaceView } from './PlaceView.tsx';
import { matchRoute, useLocation } from './router.ts';
import { Scan } from './Scan.tsx';
import { ErrorBox, Spinner } from './ui.tsx';
import { Arrive } from './work/Arrive.tsx';
import { Inbox } from './work/Inbox.tsx';
import { ItemDetail } from './work/ItemDetail.tsx';
import { ItemList } from './work/ItemList.tsx';
import { ReportForm } from './work/ReportForm.tsx';

export function MobileApp() {
  const me = useMe();
  const { pathname, search } = useLocation();
  useTranslation(); // re-render on language change
  if (me.isPending) return <div className="m-boot"><Spinner /></div>;
  if (me.error) return <main className="m-main"><ErrorBox error={me.error} retry={() => void me.refetch()} /></main>;
  if (!me.data) return <Login />;
  const route = matchRoute(pathname);
  switch (route.name) {
    case 'token':
      return <PlaceView key={route.token} token={route.token} me={me.data} />;
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
    default:
      return <Home me={me.data} />;
  }
}
