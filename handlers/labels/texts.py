"""Everything the labels feature says, in English and Danish, and how it writes dates and levels."""

from __future__ import annotations

from datetime import date

from bot import formatting
from bot.i18n import Texts
from bot.types import Lang
from storage.labels import Level

TEXTS = Texts(
    {
        "level_none": {"en": "No label", "da": "Intet mærke"},
        "level_bronze": {"en": "Bronze", "da": "Bronze"},
        "level_silver": {"en": "Silver", "da": "Sølv"},
        "level_gold": {"en": "Gold", "da": "Guld"},
        "level_expired": {"en": "Expired", "da": "Udløbet"},
        "day": {"en": "{n} day", "da": "{n} dag"},
        "days": {"en": "{n} days", "da": "{n} dage"},
        "card_label": {"en": "- Label: **{level}**", "da": "- Mærke: **{level}**"},
        "card_label_expired": {
            "en": "- Label: **{level}**, expired",
            "da": "- Mærke: **{level}**, udløbet",
        },
        "card_none": {"en": "- Label: none yet", "da": "- Mærke: intet endnu"},
        "card_awarded": {"en": "- Awarded: {date}", "da": "- Tildelt: {date}"},
        "card_valid": {
            "en": "- Valid until: {date} ({days} left)",
            "da": "- Gyldigt til: {date} ({days} tilbage)",
        },
        "card_valid_today": {
            "en": "- Valid until: {date} (expires today)",
            "da": "- Gyldigt til: {date} (udløber i dag)",
        },
        "card_expired": {
            "en": "- Expired: {date} ({days} ago)",
            "da": "- Udløbet: {date} (for {days} siden)",
        },
        "card_reminders": {
            "en": "You get a reminder 90 and 30 days before it expires.",
            "da": "Du får en påmindelse 90 og 30 dage før, det udløber.",
        },
        "next_none": {
            "en": "**Next step:** Bronze starts with a benchmarking interview by an ESCA expert "
            "(36 indicators) and meeting the eligibility criteria.",
            "da": "**Næste skridt:** Bronze begynder med et benchmarking-interview med en ESCA-ekspert "
            "(36 indikatorer) og at opfylde betingelserne.",
        },
        "next_bronze": {
            "en": "**Next level, Silver:** a second benchmarking 1.5-2 years after the first, three "
            "documented areas of improvement, and an on-site audit against the minimum requirements.",
            "da": "**Næste niveau, sølv:** en ny benchmarking 1,5-2 år efter den første, tre dokumenterede "
            "forbedringsområder og en audit på stedet mod minimumskravene.",
        },
        "next_silver": {
            "en": "**Next level, Gold:** 31 indicators, each with a minimum level; a pre-test, then "
            "two experts spend two days on site. Strategy weighs most.",
            "da": "**Næste niveau, guld:** 31 indikatorer med hver sit minimumsniveau; en forhåndstest, "
            "derefter to eksperter i to dage på stedet. Strategien vægter højest.",
        },
        "next_gold": {
            "en": "**Gold is the top level.** Renewing within a year of expiry takes one day on site instead of two.",
            "da": "**Guld er det højeste niveau.** En fornyelse inden for et år efter udløb tager én dag "
            "på stedet i stedet for to.",
        },
        "next_expired": {
            "en": "**The label has expired.** It can usually be renewed up to a year after it ran out; "
            "an adviser can help you plan the next assessment.",
            "da": "**Mærket er udløbet.** Det kan som regel fornys op til et år efter udløbet; "
            "en rådgiver kan hjælpe jer med at planlægge den næste vurdering.",
        },
        "kb_labels-bronze": {"en": "About Bronze", "da": "Om bronze"},
        "kb_labels-silver": {"en": "What Silver requires", "da": "Det kræver sølv"},
        "kb_labels-gold": {"en": "What Gold requires", "da": "Det kræver guld"},
        "kb_labels-next-level": {"en": "Moving up a level", "da": "Næste niveau"},
        "kb_labels-validity-renewal": {"en": "Validity and renewal", "da": "Gyldighed og fornyelse"},
        "btn_book": {"en": "Book an adviser meeting on labels", "da": "Book et rådgivermøde om mærker"},
        "btn_remind": {"en": "Remind me before it expires", "da": "Påmind mig, før det udløber"},
        "btn_stop": {"en": "Stop reminders", "da": "Stop påmindelser"},
        "btn_adviser": {"en": "Ask a CED adviser", "da": "Spørg en rådgiver hos CED"},
        "btn_yes": {"en": "Yes, that's us", "da": "Ja, det er os"},
        "btn_no": {"en": "No", "da": "Nej"},
        "choose": {
            "en": "Several clusters match “{query}”. Which one do you mean?",
            "da": "Flere klynger passer på “{query}”. Hvilken mener du?",
        },
        "not_found": {
            "en": "I can't find a cluster called “{query}” in the label register.",
            "da": "Jeg kan ikke finde en klynge ved navn “{query}” i mærkeregistret.",
        },
        "suggest": {"en": "The closest name is **{name}**.", "da": "Det nærmeste navn er **{name}**."},
        "ask_adviser": {
            "en": "If your cluster is missing or its data looks wrong, a CED adviser can check it.",
            "da": "Hvis jeres klynge mangler, eller oplysningerne ser forkerte ud, kan en rådgiver hos CED tjekke det.",
        },
        "label_usage": {
            "en": "Which cluster? Type /label NAME, for example /label {example}. "
            "Link your own cluster once with /mycluster NAME; then /label alone shows it.",
            "da": "Hvilken klynge? Skriv /label NAVN, for eksempel /label {example}. "
            "Knyt dig til jeres egen klynge én gang med /mycluster NAVN; så viser /label alene den.",
        },
        "empty_register": {
            "en": "The label register is empty. An administrator can import it with 'cedbot labels import FILE.csv'.",
            "da": "Mærkeregistret er tomt. En administrator kan indlæse det med 'cedbot labels import FIL.csv'.",
        },
        "remind_on": {
            "en": "I'll remind you 90 and 30 days before the label of **{name}** expires ({date}).",
            "da": "Jeg minder dig om det 90 og 30 dage før, mærket for **{name}** udløber ({date}).",
        },
        "remind_already": {
            "en": "You already get reminders before the label of **{name}** expires.",
            "da": "Du får allerede påmindelser, før mærket for **{name}** udløber.",
        },
        "remind_nothing": {
            "en": "**{name}** has no label that is still valid, so there is nothing to remind you of.",
            "da": "**{name}** har ikke et gyldigt mærke, så der er ikke noget at minde dig om.",
        },
        "remind_off": {
            "en": "No more reminders for **{name}**.",
            "da": "Ikke flere påmindelser om **{name}**.",
        },
        "mine_confirm": {
            "en": "Is **{name}** your cluster? Then /label shows its status straight away, and I'll "
            "remind you before its label expires.",
            "da": "Er **{name}** jeres klynge? Så viser /label straks dens status, og jeg minder dig om "
            "det, før mærket udløber.",
        },
        "mine_replace": {
            "en": "Your cluster is **{old}** now. Change it to **{name}**?",
            "da": "Din klynge er **{old}** nu. Skal den ændres til **{name}**?",
        },
        "mine_linked": {
            "en": "Done: **{name}** is your cluster. Type /label to see its status.",
            "da": "Sådan: **{name}** er din klynge. Skriv /label for at se dens status.",
        },
        "mine_kept": {"en": "OK, I left it as it was.", "da": "Okay, jeg lod det være, som det var."},
        "mine_current": {
            "en": "Your cluster is **{name}**. To change it, type /mycluster NAME.",
            "da": "Din klynge er **{name}**. Skriv /mycluster NAVN for at ændre den.",
        },
        "mine_usage": {
            "en": "Type /mycluster NAME to link yourself to your cluster, for example /mycluster {example}.",
            "da": "Skriv /mycluster NAVN for at knytte dig til din klynge, for eksempel /mycluster {example}.",
        },
        "own_unknown": {
            "en": "I don't know your cluster yet. Link it once with /mycluster NAME, "
            "or look any cluster up with /label NAME.",
            "da": "Jeg kender ikke din klynge endnu. Knyt dig til den én gang med /mycluster NAVN, "
            "eller slå en klynge op med /label NAVN.",
        },
        "overview_title": {
            "en": "**Cluster labels in the register** ({total} clusters, as of {date})",
            "da": "**Klyngemærker i registret** ({total} klynger, pr. {date})",
        },
        "overview_line": {"en": "- {level}: {count}", "da": "- {level}: {count}"},
        "expiring_title": {
            "en": "**Expiring in the next 90 days** ({count})",
            "da": "**Udløber inden for 90 dage** ({count})",
        },
        "expiring_line": {
            "en": "- {name}: {level}, valid until {date} ({days} left)",
            "da": "- {name}: {level}, gyldigt til {date} ({days} tilbage)",
        },
        "expiring_none": {
            "en": "No labels expire in the next 90 days.",
            "da": "Ingen mærker udløber inden for 90 dage.",
        },
        "chart_title": {"en": "Cluster labels as of {date}", "da": "Klyngemærker pr. {date}"},
        "chart_ylabel": {"en": "Clusters", "da": "Klynger"},
        "reminder": {
            "en": "Reminder: the **{level}** label of **{name}** expires on {date}, in {days}. "
            "Renewing in time keeps it without a gap, and a CED adviser can help you plan it.",
            "da": "Påmindelse: **{level}**-mærket for **{name}** udløber {date}, om {days}. "
            "Fornyer I i tide, er der ingen pause, og en rådgiver hos CED kan hjælpe med planen.",
        },
        "summary_title": {
            "en": "**Labels expiring in the next 90 days** ({count}), weekly summary",
            "da": "**Mærker der udløber inden for 90 dage** ({count}), ugentligt overblik",
        },
    }
)


def level_name(lang: Lang, level: Level | str) -> str:
    return TEXTS(lang, f"level_{Level(level).value}")


def days(lang: Lang, n: int) -> str:
    return TEXTS(lang, "day" if abs(n) == 1 else "days", n=abs(n))


def long_date(lang: Lang, value: date) -> str:
    """``14 December 2026`` / ``14. december 2026``."""
    return formatting.long_date(value, lang)
