"""Reports sessions that ended by inactivity (reason `inactivity`), then deletes them.

Run it from cron instead of (or before) `clearsessions`. Database-backed sessions only: other
backends expire sessions without anything left to read.
"""
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY as AUTH_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from ... import flush
from ...signals import SESSION_KEY, session_expired


class Command(BaseCommand):
    help = "Report expired sessions to Kibotics Analytics as session_end (reason inactivity) and delete them."

    def handle(self, *args, **options):
        users = get_user_model()
        age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
        reported = 0
        for session in Session.objects.filter(expire_date__lt=timezone.now()).iterator():
            data = session.get_decoded()
            info, uid = data.get(SESSION_KEY), data.get(AUTH_KEY)
            if info and uid is not None:
                user = users._default_manager.filter(pk=uid).first()
                if user is not None:
                    # A session expires SESSION_COOKIE_AGE after it was last saved: that is its last activity.
                    session_expired(
                        user, session_id=info.get("id"), started_at=info.get("started_at"), at=session.expire_date - age
                    )
                    reported += 1
            session.delete()
        delivered = flush(30)
        self.stdout.write(
            f"{reported} expired session(s) reported{'' if delivered else ' (some still in the spool: the site delivers them later)'}"
        )
