"""The app as gunicorn serves it in the benchmark: `wsgi:app` behind a reverse proxy (PROXY_COUNT=1).

The benchmark gives each simulated tablet its own X-Forwarded-For address, and sends X-Forwarded-Proto: https so
that the production config's Secure cookies and CSRF checks apply.
"""

from wsgi import app  # noqa: F401 - what gunicorn serves
