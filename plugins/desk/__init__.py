"""The authors' desk: Decap CMS at /admin/, writing posts in our format into content/.

`invoke desk` serves it with a local backend (decap-server on 127.0.0.1, see sitebuild/desk.py).
Local builds have the desk (`DESK = {"enabled": True}` in pelicanconf.py); publishing builds
do not, unless `publishconf.py` enables it with a Git-host backend and its login.
"""

from pelican import signals

from .writing import check_config, write_desk


def register():
    signals.initialized.connect(check_config)
    signals.finalized.connect(write_desk)
