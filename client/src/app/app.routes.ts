import { inject } from '@angular/core';
import { Router, type CanActivateFn, type Routes } from '@angular/router';
import { AuthService } from './core/auth.service';
import { returnTo } from './core/return-to';
import type { Settings } from './settings/settings';

const signedIn: CanActivateFn = async () => {
  const auth = inject(AuthService);
  const router = inject(Router);
  return (await auth.restore()) ? true : router.parseUrl('/sign-in');
};

const signedOut: CanActivateFn = async (route) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  return (await auth.restore()) ? router.parseUrl(returnTo(route.queryParamMap.get('next'))) : true;
};

export const routes: Routes = [
  {
    path: 'sign-in',
    canActivate: [signedOut],
    title: 'Sign in · Todo Chatbot',
    data: { mode: 'sign-in' },
    loadComponent: () => import('./auth/auth-page').then((m) => m.AuthPage),
  },
  {
    path: 'sign-up',
    canActivate: [signedOut],
    title: 'Create an account · Todo Chatbot',
    data: { mode: 'sign-up' },
    loadComponent: () => import('./auth/auth-page').then((m) => m.AuthPage),
  },
  {
    path: 'forgot-password',
    canActivate: [signedOut],
    title: 'Reset your password · Todo Chatbot',
    loadComponent: () => import('./account/forgot-password').then((m) => m.ForgotPassword),
  },
  {
    // Opened from the mailed link, signed in or not (the reset signs every device out).
    path: 'reset-password',
    title: 'Choose a new password · Todo Chatbot',
    loadComponent: () => import('./account/reset-password').then((m) => m.ResetPassword),
  },
  {
    // The mailed invite link: open signed in or not (signed out, it leads through sign-in).
    path: 'invites/:token',
    title: 'Invitation · Todo Chatbot',
    loadComponent: () => import('./invites/invite-page').then((m) => m.InvitePage),
  },
  {
    path: 'email-verified',
    title: 'Address confirmed · Todo Chatbot',
    loadComponent: () => import('./account/email-verified').then((m) => m.EmailVerified),
  },
  {
    path: '',
    canActivate: [signedIn],
    loadComponent: () => import('./shell/shell').then((m) => m.Shell),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'tasks' },
      {
        path: 'tasks',
        title: 'Tasks · Todo Chatbot',
        loadComponent: () => import('./tasks/task-list').then((m) => m.TaskList),
      },
      {
        path: 'tasks/:id/series',
        title: 'Recurring series · Todo Chatbot',
        loadComponent: () => import('./tasks/series-view').then((m) => m.SeriesView),
      },
      {
        path: 'inbox',
        title: 'Notifications · Todo Chatbot',
        loadComponent: () => import('./inbox/inbox').then((m) => m.Inbox),
      },
      {
        path: 'settings',
        title: 'Settings · Todo Chatbot',
        loadComponent: () => import('./settings/settings').then((m) => m.Settings),
        // Unsaved settings ask before the page is left.
        canDeactivate: [(page: Settings) => page.canLeave()],
      },
      {
        path: 'chat',
        title: 'Chat · Todo Chatbot',
        loadComponent: () => import('./chat/chat-page').then((m) => m.ChatPage),
      },
    ],
  },
  { path: '**', redirectTo: 'tasks' },
];
