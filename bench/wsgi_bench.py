"""The app as gunicorn serves it in the benchmark: `wsgi:app` behind ProxyFix, as behind a reverse proxy.

The app itself does not apply ProxyFix, so behind nginx every request would come from the proxy's address and
share one rate-limit key. The benchmark gives each simulated tablet its own X-Forwarded-For address instead,
and sends X-Forwarded-Proto: https so that the production config's Secure cookies and CSRF checks apply.
"""

from werkzeug.middleware.proxy_fix import ProxyFix

from wsgi import app as flask_app

app = ProxyFix(flask_app, x_for=1, x_proto=1, x_host=0)
