// Users and API tokens for admins: list, add, edit role / camera set / password, delete users; create
// (the secret shown once, with copy) and revoke viewer-scoped API tokens. Calls the contract methods.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiToken, CreatedApiToken, User } from '../../../src-preload/contract';
import type { Transport } from '../../api';
import { Dialog } from '../../components';
import { useCameras, useSession } from '../../stores';
import { CameraSetPicker } from './camera-set-picker';
import {
  EMPTY_USER_FORM,
  TOKEN_LIFETIMES,
  describeCameras,
  describeExpiry,
  newUserInput,
  userPatch,
  type UserForm,
} from './user-forms';
import './users.css';

export interface UsersDialogProps {
  api: Transport;
  onClose(): void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function UsersDialog({ api, onClose }: UsersDialogProps) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [tokens, setTokens] = useState<ApiToken[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const me = useSession((s) => s.identity?.user ?? null);
  const cameras = useCameras((s) => s.cameras);
  const names = useMemo(() => new Map(cameras.map((c) => [c.id, c.name])), [cameras]);

  const reload = useCallback(async () => {
    try {
      const [u, t] = await Promise.all([api.listUsers(), api.listApiTokens()]);
      setUsers(u);
      setTokens(t);
    } catch (e) {
      setError(message(e));
    }
  }, [api]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await reload();
      return true;
    } catch (e) {
      setError(message(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Users and API tokens" onClose={onClose}>
      <div className="users" data-testid="users-dialog">
        <section>
          <div className="users-head">
            <h3>Users</h3>
            <button
              className="btn small"
              disabled={editing === 'new'}
              onClick={() => setEditing('new')}
            >
              Add user
            </button>
          </div>
          {users === null && !error && <p className="muted">Loading…</p>}
          <ul className="user-list" data-testid="user-list">
            {editing === 'new' && (
              <li>
                <UserEditor
                  busy={busy}
                  onCancel={() => setEditing(null)}
                  onSave={async (f) => {
                    const r = newUserInput(f);
                    if (!r.ok) return setError(r.error);
                    if (await run(() => api.addUser(r.value))) setEditing(null);
                  }}
                />
              </li>
            )}
            {users?.map((u) => (
              <li key={u.id} data-testid="user-row" data-username={u.username}>
                {editing === u.id ? (
                  <UserEditor
                    user={u}
                    busy={busy}
                    onCancel={() => setEditing(null)}
                    onSave={async (f) => {
                      const r = userPatch(u, f);
                      if (!r.ok) return setError(r.error);
                      if (Object.keys(r.value).length === 0) return setEditing(null);
                      if (await run(() => api.updateUser({ id: u.id, patch: r.value })))
                        setEditing(null);
                    }}
                  />
                ) : (
                  <div className="user-row">
                    <b>{u.username}</b>
                    {u.username === me && <span className="muted"> (you)</span>}
                    <span className="role" data-role={u.role}>
                      {u.role}
                    </span>
                    <span className="muted cams-of">
                      {u.role === 'admin' ? 'Everything' : describeCameras(u.cameras, names)}
                    </span>
                    <span className="spacer" />
                    <button className="btn small ghost" onClick={() => setEditing(u.id)}>
                      Edit
                    </button>
                    <ConfirmButton
                      label="Delete"
                      confirm={`Delete ${u.username}`}
                      disabled={busy}
                      onConfirm={() => void run(() => api.deleteUser({ id: u.id }))}
                    />
                  </div>
                )}
              </li>
            ))}
          </ul>
        </section>

        <section>
          <h3>API tokens</h3>
          <p className="muted">
            For scripts and embeds. A token can view (live, playback, export) the cameras of its
            user, never change settings.
          </p>
          {created && (
            <div className="token-once" data-testid="new-token">
              <div>
                Copy the token <b>{created.name}</b> now: it will not be shown again.
              </div>
              <div className="token-copy">
                <input readOnly value={created.token} aria-label="New API token" />
                <button
                  className="btn small"
                  onClick={() => void navigator.clipboard?.writeText(created.token)}
                >
                  Copy
                </button>
                <button className="btn small ghost" onClick={() => setCreated(null)}>
                  Done
                </button>
              </div>
            </div>
          )}
          <ul className="token-list" data-testid="token-list">
            {tokens.length === 0 && <li className="muted">No API tokens.</li>}
            {tokens.map((t) => (
              <li key={t.id} className="user-row" data-testid="token-row">
                <b>{t.name}</b>
                <span className="muted">
                  {t.username} · {describeExpiry(t.expiresMs, Date.now())}
                </span>
                <span className="spacer" />
                <ConfirmButton
                  label="Revoke"
                  confirm={`Revoke ${t.name}`}
                  disabled={busy}
                  onConfirm={() => void run(() => api.revokeApiToken({ id: t.id }))}
                />
              </li>
            ))}
          </ul>
          {users && users.length > 0 && (
            <TokenCreator
              users={users}
              me={me}
              busy={busy}
              onCreate={(input) =>
                void run(async () => setCreated(await api.createApiToken(input)))
              }
            />
          )}
        </section>
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
      </div>
    </Dialog>
  );
}

function ConfirmButton(props: {
  label: string;
  confirm: string;
  disabled: boolean;
  onConfirm(): void;
}) {
  const [armed, setArmed] = useState(false);
  return armed ? (
    <button
      className="btn small danger"
      disabled={props.disabled}
      onClick={() => {
        setArmed(false);
        props.onConfirm();
      }}
      onBlur={() => setArmed(false)}
      autoFocus
    >
      {props.confirm}
    </button>
  ) : (
    <button className="btn small ghost" onClick={() => setArmed(true)}>
      {props.label}…
    </button>
  );
}

function UserEditor(props: {
  user?: User;
  busy: boolean;
  onSave(f: UserForm): void;
  onCancel(): void;
}) {
  const u = props.user;
  const [f, setF] = useState<UserForm>(
    u ? { username: u.username, password: '', role: u.role, cameras: u.cameras } : EMPTY_USER_FORM,
  );
  return (
    <form
      className="user-editor"
      data-testid="user-editor"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave(f);
      }}
    >
      <div className="fields">
        <label>
          User name
          <input
            value={f.username}
            disabled={u !== undefined}
            autoComplete="off"
            onChange={(e) => setF({ ...f, username: e.target.value })}
          />
        </label>
        <label>
          {u ? 'New password (empty: keep)' : 'Password (10+ characters)'}
          <input
            type="password"
            value={f.password}
            autoComplete="new-password"
            onChange={(e) => setF({ ...f, password: e.target.value })}
          />
        </label>
        <label>
          Role
          <select
            value={f.role}
            onChange={(e) => setF({ ...f, role: e.target.value as UserForm['role'] })}
          >
            <option value="viewer">Viewer: live, playback, export</option>
            <option value="admin">Admin: everything</option>
          </select>
        </label>
      </div>
      {f.role === 'viewer' && (
        <CameraSetPicker value={f.cameras} onChange={(cameras) => setF({ ...f, cameras })} />
      )}
      <div className="actions">
        <button type="button" className="btn small ghost" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn small primary" disabled={props.busy}>
          {u ? 'Save' : 'Add user'}
        </button>
      </div>
    </form>
  );
}

function TokenCreator(props: {
  users: User[];
  me: string | null;
  busy: boolean;
  onCreate(input: { name: string; userId: number; ttlMs?: number }): void;
}) {
  const initial = props.users.find((u) => u.username === props.me) ?? props.users[0]!;
  const [name, setName] = useState('');
  const [userId, setUserId] = useState(initial.id);
  const [life, setLife] = useState(0);
  const ttlMs = TOKEN_LIFETIMES[life]?.ttlMs;
  return (
    <form
      className="token-create"
      onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim()) return;
        props.onCreate({ name: name.trim(), userId, ...(ttlMs ? { ttlMs } : {}) });
        setName('');
      }}
    >
      <label>
        New token
        <input
          value={name}
          placeholder="e.g. dashboard"
          maxLength={64}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label>
        Sees what this user sees
        <select value={userId} onChange={(e) => setUserId(Number(e.target.value))}>
          {props.users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.username}
            </option>
          ))}
        </select>
      </label>
      <label>
        Lifetime
        <select value={life} onChange={(e) => setLife(Number(e.target.value))}>
          {TOKEN_LIFETIMES.map((l, i) => (
            <option key={l.label} value={i}>
              {l.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn small" disabled={props.busy || !name.trim()}>
        Create token
      </button>
    </form>
  );
}
