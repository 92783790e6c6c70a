"""UI strings: the theme's text goes through gettext (`jinja2.ext.i18n`)."""

from pelican import signals


def install_translations(generator):
    if "jinja2.ext.InternationalizationExtension" in generator.env.extensions:
        generator.env.install_null_translations(newstyle=True)


def register():
    signals.generator_init.connect(install_translations)
