import { describe, expect, it } from 'vitest';
import { matchRoute, scannedPath, scannedToken } from './routes.ts';

describe('phone routes', () => {
  it('recognises label scans, places, the scanner and home', () => {
    expect(matchRoute('/q/Gn1QRqnubnSbTpDG')).toEqual({ name: 'token', token: 'Gn1QRqnubnSbTpDG' });
    expect(matchRoute('/m/places/9426eba2-3a4d-43da-9a10-0123456789ab')).toEqual({ name: 'place', id: '9426eba2-3a4d-43da-9a10-0123456789ab' });
    expect(matchRoute('/m/scan')).toEqual({ name: 'scan' });
    expect(matchRoute('/m/')).toEqual({ name: 'home' });
    expect(matchRoute('/q/short')).toEqual({ name: 'home' });
  });

  it('knows the work-item pages', () => {
    const id = '65364fe8-b2bc-4bea-96f2-9801e15560af';
    expect(matchRoute('/m/report')).toEqual({ name: 'report' });
    expect(matchRoute('/m/items')).toEqual({ name: 'items' });
    expect(matchRoute(`/m/items/${id}`)).toEqual({ name: 'item', id });
    expect(matchRoute(`/m/items/${id}/arrive`)).toEqual({ name: 'arrive', id });
    expect(matchRoute('/m/inbox')).toEqual({ name: 'inbox' });
    expect(matchRoute('/m/items/not-an-id')).toEqual({ name: 'home' });
  });

  it('knows the task pages (IN-3)', () => {
    const id = '65364fe8-b2bc-4bea-96f2-9801e15560af';
    expect(matchRoute('/m/tasks')).toEqual({ name: 'tasks' });
    expect(matchRoute(`/m/tasks/${id}`)).toEqual({ name: 'task', id });
    expect(matchRoute('/m/tasks/nope')).toEqual({ name: 'home' });
  });

  it('reads the token of a scanned label for arrival', () => {
    expect(scannedToken('https://jinwen.example.com/q/Gn1QRqnubnSbTpDG', 'http://localhost:8080')).toBe('Gn1QRqnubnSbTpDG');
    expect(scannedToken('https://weixin.qq.com/r/abcdef', 'http://localhost:8080')).toBeNull();
  });

  it('follows scanned label URLs from any host, and refuses other codes', () => {
    expect(scannedPath('https://jinwen.example.com/q/Gn1QRqnubnSbTpDG', 'http://localhost:8080')).toBe('/q/Gn1QRqnubnSbTpDG');
    expect(scannedPath('/q/Gn1QRqnubnSbTpDG', 'http://localhost:8080')).toBe('/q/Gn1QRqnubnSbTpDG');
    expect(scannedPath('https://weixin.qq.com/r/abcdef', 'http://localhost:8080')).toBeNull();
    expect(scannedPath('WIFI:S:guest;;', 'http://localhost:8080')).toBeNull();
  });
});
