"""`{% kibotics_panel "kibotics-groups" "Logins by weekday × hour" group=class.name lang="es" %}`"""
from django import template
from django.utils.html import format_html

from ..embed import panel_url

register = template.Library()


@register.simple_tag
def kibotics_panel(
    dashboard,
    panel,
    time_from="now-30d",
    time_to="now",
    theme="light",
    lang=None,
    tz=None,
    width="100%",
    height="300",
    css_class="kibotics-panel",
    **variables,
):
    """An iframe of one provisioned panel. Keyword arguments other than the named ones are the
    dashboard's variables (`group="1ESO-A"` becomes `var-group=1ESO-A`). An unknown dashboard,
    panel or variable raises UnknownPanel naming what exists."""
    url = panel_url(
        dashboard, panel, time_from=time_from, time_to=time_to, theme=theme, lang=lang, tz=tz, variables=variables
    )
    return format_html(
        '<iframe src="{}" width="{}" height="{}" class="{}" title="{}" frameborder="0" loading="lazy"></iframe>',
        url,
        width,
        height,
        css_class,
        panel,
    )


@register.simple_tag
def kibotics_panel_url(
    dashboard, panel, time_from="now-30d", time_to="now", theme="light", lang=None, tz=None, **variables
):
    """Only the URL, for a site that builds its own iframe."""
    return panel_url(
        dashboard, panel, time_from=time_from, time_to=time_to, theme=theme, lang=lang, tz=tz, variables=variables
    )
