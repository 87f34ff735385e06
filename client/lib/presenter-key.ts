/**
 * The presenter key arrives in the URL fragment (#key=…). It is moved to sessionStorage and removed
 * from the address bar, so it is not shown on the projector.
 */
export function takePresenterKey(code: string): string | null {
  const storageKey = `kotae:presenter:${code}`;
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fromHash) {
    sessionStorage.setItem(storageKey, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return fromHash ?? sessionStorage.getItem(storageKey);
}
