"""The import's state beside the posts: what each WordPress post became, so that imports never duplicate.

`.import-state.json` maps each post's id (`ru/1234` for a language edition's) to its file, the
hash of the text last written, its address and slug. Files and the state are written whole or
not at all, so an import killed at any point leaves nothing half-written.
"""

import hashlib
import json
import os

from .originals import address_key

STATE = ".import-state.json"


def digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_atomically(path, text):
    """A file is there whole or not at all, even if the import is killed while writing it."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def load_state(state_file):
    return json.loads(state_file.read_text(encoding="utf-8")) if state_file.exists() else {}


def save_state(state_file, state):
    new_state = json.dumps(state, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if not state_file.exists() or state_file.read_text(encoding="utf-8") != new_state:
        write_atomically(state_file, new_state)


def originals_by_address(state, default_lang):
    """The default language's posts by their address, and by WordPress's short one (?p=id), for translations."""
    found = {}
    for key, entry in state.items():
        if entry.get("lang", default_lang) == default_lang and entry.get("link"):
            found[address_key(entry["link"])] = entry
            host = address_key(entry["link"]).split("/")[0]
            found[f"{host}/?p={key}"] = entry
    return found
