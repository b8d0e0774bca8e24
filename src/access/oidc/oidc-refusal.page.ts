const TITLES: Record<number, string> = {
  401: 'You are not signed in',
  403: 'You cannot use the Insight Bank yet',
  503: 'Sign-in is not available right now',
};

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A small self-contained page telling a person why OIDC sign-in did not let them in. */
export function refusalPage(status: number, message: string): string {
  const title = TITLES[status] ?? 'Sign-in did not work';
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - Insight Bank</title>
<style>body{font-family:Arial,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#212b32;line-height:1.5}a{color:#005eb8}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
<p><a href="/auth/oidc/login">Sign in again</a> or <a href="/">go to the Insight Bank home page</a>.</p>
</main>
</body>
</html>
`;
}
