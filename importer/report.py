"""What an import did, as `var/import-report.txt` says it: each finding with file and line, then counts."""

from dataclasses import dataclass, field

# The kinds of finding, in the order the report lists and counts them.
KINDS = {
    "markers restored": "Markers restored",
    "markers ambiguous": "Markers left as text (ambiguous)",
    "shortcodes converted": "Shortcodes converted",
    "embeds": "Embeds (from an allowed host)",
    "embeds as links": "Embeds turned into links (host not allowed)",
    "invented alts": "Alt texts invented (check them)",
    "unknown shortcodes": "Unknown shortcodes (kept as text: replace them by hand)",
    "removed": "Left out (nothing of it can be shown)",
    "countries not recognised": "Posts with no recognised country (kept as drafts)",
    "translations": "Translations matched to their original",
    "translations unmatched": "Posts of a language edition with no original found",
    "authors unmapped": "Authors known only by their login",
}


@dataclass
class Report:
    imported: int = 0
    drafts: int = 0
    unchanged: int = 0
    updated: int = 0
    resumed: int = 0
    total: int = 0
    version: str = ""
    conflicts: list = field(default_factory=list)
    forms: dict = field(default_factory=dict)
    findings: dict = field(default_factory=lambda: {kind: [] for kind in KINDS})  # kind -> ["path:line: what"]
    decisions: set = field(default_factory=set)
    notes: list = field(default_factory=list)

    def add(self, kind, where, what):
        self.findings[kind].append(f"{where}: {what}" if where else what)

    def count(self, kind):
        if kind == "markers restored":
            return sum(self.forms.values())
        return len(self.findings[kind])

    def text(self):
        lines = [f"Imported {self.imported} new posts ({self.drafts} drafts); {self.updated} updated; "
                 f"{self.unchanged} unchanged; {len(self.conflicts)} conflicts."]  # fmt: skip
        lines.append(f"Read {self.total} posts from a WXR {self.version} export"
                     + (f"; {self.resumed} were already written by an import that was cut short." if self.resumed else "."))  # fmt: skip
        lines += ["Markers restored:"] + [f"  {form}: {count}" for form, count in sorted(self.forms.items())]
        for kind, heading in KINDS.items():
            if kind != "markers restored":
                lines += [f"{heading}:"] + [f"  {entry}" for entry in self.findings[kind]]
        lines += ["Conflicts (edited in Tilmash since the last import; not overwritten):"] + [f"  {c}" for c in self.conflicts]
        lines += ["Notes:"] + [f"  {note}" for note in self.notes]
        lines += ["Taxonomy decisions:"] + [f"  {d}" for d in sorted(self.decisions)]
        lines += ["Counts:"] + [f"  {heading.split(' (')[0]}: {self.count(kind)}" for kind, heading in KINDS.items()]
        return "\n".join(lines) + "\n"
