import { useTranslation } from 'react-i18next';
import { useMe } from '../app/auth.ts';
import { Home } from './Home.tsx';
import { Login } from './Login.tsx';
import { PlaceView } from './PlaceView.tsx';
import { matchRoute, useLocation } from './router.ts';
import { Scan } from './Scan.tsx';
import { ErrorBox, Spinner } from './ui.tsx';

export function MobileApp() {
  const me = useMe();
  const { pathname } = useLocation();
  useTranslation(); // re-render on language change
  if (me.isPending) return <div className="m-boot"><Spinner /></div>;
  if (me.error) return <main className="m-main"><ErrorBox error={me.error} retry={() => void me.refetch()} /></main>;
  if (!me.data) return <Login />;
  const route = matchRoute(pathname);
  switch (route.name) {
    case 'token':
      return <PlaceView key={route.token} token={route.token} />;
    case 'place':
      return <PlaceView key={route.id} id={route.id} />;
    case 'scan':
      return <Scan />;
    default:
      return <Home me={me.data} />;
  }
}
