// First run: no admin exists yet. The desktop app asks for the admin password (required); a browser on
// this machine in loopback-open mode is invited to set one (dismissible). Calls createFirstAdmin.
import { useState } from 'react';
import type { Transport } from '../../api';
import { checkPassword } from './user-forms';
import './users.css';

export interface FirstRunDialogProps {
  api: Pick<Transport, 'createFirstAdmin'>;
  /** True in the desktop app: there is no way around it. */
  required: boolean;
  onDone(): void;
  onDismiss(): void;
}

export function FirstRunDialog({ api, required, onDone, onDismiss }: FirstRunDialogProps) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const bad = checkPassword(password);
    if (bad) return setError(bad);
    if (password !== confirm) return setError('The two passwords differ.');
    setBusy(true);
    setError(null);
    try {
      await api.createFirstAdmin({ username: username.trim(), password });
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <div className="dialog-scrim">
      <div
        className="dialog first-run"
        role="dialog"
        aria-modal="true"
        aria-label="Set the admin password"
        data-testid="first-run"
      >
        <div className="dialog-head">
          <h2>Set the admin password</h2>
        </div>
        <form
          className="dialog-body users"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <p>
            Nobody can sign in to this NVR yet. Choose the admin account: it is what you (and only
            you) use to open the NVR from a browser on your network and to manage users.
          </p>
          <label>
            User name
            <input
              value={username}
              autoComplete="username"
              onChange={(e) => setUsername(e.target.value)}
            />
          </label>
          <label>
            Password (10+ characters)
            <input
              type="password"
              value={password}
              autoComplete="new-password"
              autoFocus
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <label>
            Password again
            <input
              type="password"
              value={confirm}
              autoComplete="new-password"
              onChange={(e) => setConfirm(e.target.value)}
            />
          </label>
          {error && (
            <div className="error" role="alert">
              {error}
            </div>
          )}
          <div className="actions">
            {!required && (
              <button type="button" className="btn ghost" onClick={onDismiss}>
                Later
              </button>
            )}
            <button type="submit" className="btn primary" disabled={busy}>
              Create admin
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
