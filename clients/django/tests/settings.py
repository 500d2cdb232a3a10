"""A small Django site standing in for Kibotics: its views call what Kibotics' probes would."""
import os

BASE_DIR = os.path.dirname(os.path.abspath(__file__))
SECRET_KEY = "tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "Europe/Madrid"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.admin",
    "django.contrib.messages",
    "kibotics_analytics",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kibotics_analytics.middleware.VisitsMiddleware",
]
ROOT_URLCONF = "tests.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.request",
            ]
        },
    }
]
# A file, not :memory:, so a second process (an end reported elsewhere) sees the same users and sessions.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("KA_TEST_DB", os.path.join(BASE_DIR, "test.sqlite3")),
        "TEST": {"NAME": os.environ.get("KA_TEST_DB")},
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
STATIC_URL = "/static/"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"kibotics": {"class": "kibotics_analytics.handler.LogHandler"}},
    # The logger Kibotics' old probes write their " | " lines to.
    "loggers": {"kibotics.probes": {"handlers": ["kibotics"], "level": "INFO", "propagate": False}},
}

KIBOTICS_ANALYTICS = {
    "URL": os.environ.get("KA_GATEWAY_URL", "http://127.0.0.1:9"),
    "SPOOL_PATH": os.environ.get("KA_SPOOL", os.path.join(BASE_DIR, "spool.sqlite3")),
    "GROUP": "tests.views.group_of",
    "FLUSH_INTERVAL": 0.05,
    "RETRY_MAX": 1.0,
    "EXIT_TIMEOUT": float(os.environ.get("KA_EXIT_TIMEOUT", "2")),
    "PROXY_HEADER": "HTTP_X_FORWARDED_FOR",
}
