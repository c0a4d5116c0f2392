/*
 * The screens after Start, each its own chunk (React.lazy + Suspense, issue 23), loaded when the wizard
 * reaches it and fetched in the background at the user's first move on Start (App).
 */
export const loaders = {
  system: () => import('./System'),
  details: () => import('./Details'),
  register: () => import('./Register'),
  credentials: () => import('./Credentials'),
  signin: () => import('./SignIn'),
  test: () => import('./Test'),
  done: () => import('./Done'),
};
