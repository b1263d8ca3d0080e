"""The WSGI entry point gunicorn serves: ``minitwit.wsgi:app``."""

from . import create_app

app = create_app()
