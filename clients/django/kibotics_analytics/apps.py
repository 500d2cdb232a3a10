from django.apps import AppConfig


class KiboticsAnalyticsConfig(AppConfig):
    name = "kibotics_analytics"
    verbose_name = "Kibotics Analytics"
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from . import signals
        from .conf import conf

        conf()  # a bad setting stops start-up with a message naming the key
        signals.connect()
        if conf().ENABLED:
            from .client import client

            # Deliver what a previous run left in the spool without waiting for the next event.
            client().start()
