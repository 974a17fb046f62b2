// Users feature: the admin's users and API tokens dialog, the first-run admin dialog, the user menu.
export { UsersDialog } from './users-dialog';
export type { UsersDialogProps } from './users-dialog';
export { FirstRunDialog } from './first-run-dialog';
export type { FirstRunDialogProps } from './first-run-dialog';
export { UserMenu } from './user-menu';
export type { UserMenuProps } from './user-menu';
