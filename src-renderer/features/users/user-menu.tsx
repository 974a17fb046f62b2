// The top bar's user button: who is signed in, the TLS fingerprint over HTTPS, "Users and API tokens"
// for admins and Log out for browser sessions. Reads the session store; acts through callbacks.
import { useEffect, useRef, useState } from 'react';
import { canLogOut, useSession, userLabel } from '../../stores';
import './users.css';

export interface UserMenuProps {
  onUsers(): void;
  onLogout(): void;
}

export function UserMenu({ onUsers, onLogout }: UserMenuProps) {
  const identity = useSession((s) => s.identity);
  const label = useSession(userLabel);
  const logout = useSession(canLogOut);
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [open]);
  if (!identity) return null;
  const admin = identity.role === 'admin';
  return (
    <div className="user-menu" ref={ref}>
      <button
        className="btn ghost"
        data-testid="user-menu"
        aria-haspopup="menu"
        aria-expanded={open}
        title={identity.user ? `Signed in as ${identity.user}` : 'This computer (no login)'}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="avatar" aria-hidden="true">
          {(identity.user ?? 'L').slice(0, 1).toUpperCase()}
        </span>
        <span className="hide-narrow" data-testid="user-name">
          {label}
        </span>
      </button>
      {open && (
        <div className="user-pop" role="menu">
          <div className="who">
            {identity.user ? (
              <>
                Signed in as <b>{identity.user}</b> ({identity.role})
              </>
            ) : (
              'This computer: local admin, no login needed'
            )}
          </div>
          {identity.tlsFingerprint && (
            <div className="tls" data-testid="tls-fingerprint">
              TLS certificate SHA-256
              <code>{identity.tlsFingerprint}</code>
            </div>
          )}
          {admin && (
            <button
              className="btn ghost"
              role="menuitem"
              data-testid="open-users"
              onClick={() => {
                setOpen(false);
                onUsers();
              }}
            >
              Users and API tokens…
            </button>
          )}
          {logout && (
            <button
              className="btn ghost"
              role="menuitem"
              data-testid="logout"
              onClick={() => {
                setOpen(false);
                onLogout();
              }}
            >
              Log out
            </button>
          )}
        </div>
      )}
    </div>
  );
}
