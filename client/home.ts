/** The home page: shows why a typed join code was sent back. */
const error = document.getElementById('error');
if (error && new URLSearchParams(location.search).get('error') === 'code') error.hidden = false;
