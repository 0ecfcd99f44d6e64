"""Everything the hand-off feature says, in English and Danish."""

from __future__ import annotations

from bot.i18n import Texts

TOPICS = {
    "labels": {"en": "Labels", "da": "Mærker"},
    "funding": {"en": "Funding", "da": "Finansiering"},
    "international": {"en": "Internationalisation", "da": "Internationalisering"},
    "management": {"en": "Cluster management", "da": "Klyngeledelse"},
    "courses": {"en": "Courses", "da": "Kurser"},
    "other": {"en": "Other", "da": "Andet"},
}

TEXTS = Texts(
    {
        "ask_summary": {
            "en": "I'll pass your question to a CED adviser. In a line or two: what should they help with?",
            "da": "Jeg sender dit spørgsmål videre til en rådgiver hos CED. "
            "Skriv kort, hvad rådgiveren skal hjælpe med.",
        },
        "confirm": {
            "en": "I'll send this to a CED adviser:\n**{summary}**\n"
            "Choose a topic to send it, write a new summary, or cancel.",
            "da": "Jeg sender dette til en rådgiver hos CED:\n**{summary}**\n"
            "Vælg et emne for at sende det, skriv et nyt resumé, eller annullér.",
        },
        "summary_too_short": {
            "en": "Please write a few words about what you need help with.",
            "da": "Skriv et par ord om, hvad du har brug for hjælp til.",
        },
        "edit": {"en": "Write a new summary", "da": "Skriv nyt resumé"},
        "edit_prompt": {
            "en": "Write the summary as you'd like the adviser to read it.",
            "da": "Skriv resuméet, som du gerne vil have, at rådgiveren læser det.",
        },
        "cancel": {"en": "Cancel", "da": "Annullér"},
        "aborted": {
            "en": "OK, nothing was sent. Ask me anything, or type /adviser when you want a person.",
            "da": "OK, der blev ikke sendt noget. Spørg mig om hvad som helst, "
            "eller skriv /adviser, når du vil tale med et menneske.",
        },
        "already_open": {
            "en": "You already have request #{number} with the advisers; what you write here goes to them. "
            "Type /ticket to see its status.",
            "da": "Du har allerede forespørgsel #{number} hos rådgiverne; det, du skriver her, går til dem. "
            "Skriv /ticket for at se status.",
        },
        "created": {
            "en": "Your request is **#{number}**, number {position} in the queue. {hours}\n"
            "Anything you write here from now on goes to the adviser. "
            "Type /ticket to see the status.",
            "da": "Din forespørgsel er **#{number}**, nummer {position} i køen. {hours}\n"
            "Det, du skriver her fra nu af, går til rådgiveren. Skriv /ticket for at se status.",
        },
        "hours_open": {
            "en": "Advisers are at work now ({office}, Danish time) and usually answer within the hour.",
            "da": "Rådgiverne er på arbejde nu ({office}, dansk tid) og svarer som regel inden for en time.",
        },
        "hours_closed": {
            "en": "Advisers answer {office}, Danish time; they'll pick it up from {next_open}.",
            "da": "Rådgiverne svarer {office}, dansk tid; de tager fat på den fra {next_open}.",
        },
        "no_adviser_channel": {
            "en": "(The advisers' channel is not set up yet, so an adviser will see it in the queue.)",
            "da": "(Rådgivernes kanal er ikke sat op endnu, så en rådgiver ser den i køen.)",
        },
        "stale": {
            "en": "That request was already sent or cancelled. Type /ticket to see your requests.",
            "da": "Den forespørgsel er allerede sendt eller annulleret. Skriv /ticket for at se dine forespørgsler.",
        },
        "status_none": {
            "en": "You have no requests with the advisers. Type /adviser to ask one.",
            "da": "Du har ingen forespørgsler hos rådgiverne. Skriv /adviser for at stille en.",
        },
        "status": {
            "en": "Request **#{number}**: {state}\n{summary}",
            "da": "Forespørgsel **#{number}**: {state}\n{summary}",
        },
        "state_open": {
            "en": "waiting for an adviser (number {position} in the queue)",
            "da": "venter på en rådgiver (nummer {position} i køen)",
        },
        "state_claimed": {"en": "{adviser} is helping you", "da": "{adviser} hjælper dig"},
        "state_resolved": {"en": "resolved", "da": "løst"},
        "state_cancelled": {"en": "cancelled", "da": "annulleret"},
        "cancel_request": {"en": "Cancel request #{number}", "da": "Annullér forespørgsel #{number}"},
        "offer_cancel": {
            "en": "Do you want to cancel request #{number}?",
            "da": "Vil du annullere forespørgsel #{number}?",
        },
        "cancelled": {
            "en": "Request #{number} is cancelled. Type /adviser if you need an adviser later.",
            "da": "Forespørgsel #{number} er annulleret. Skriv /adviser, hvis du får brug for en rådgiver senere.",
        },
        "not_yours": {
            "en": "That request is not yours, so I can't change it.",
            "da": "Den forespørgsel er ikke din, så jeg kan ikke ændre den.",
        },
        "claimed_person": {
            "en": "**{adviser}** from CED has picked up your request #{number}. "
            "Their replies will appear here, and you can answer right here.",
            "da": "**{adviser}** fra CED har taget din forespørgsel #{number}. "
            "Svarene kommer her, og du kan svare direkte her.",
        },
        "claimed_callback": {
            "en": "**{adviser}** from CED has taken your call-back request #{number} and will contact you.",
            "da": "**{adviser}** fra CED har taget din anmodning #{number} om at blive kontaktet og kontakter dig.",
        },
        "from_adviser": {"en": "**{adviser} (CED adviser):** {text}", "da": "**{adviser} (rådgiver, CED):** {text}"},
        "resolved_person": {
            "en": "{adviser} has marked request #{number} as resolved. How helpful was it? "
            "Press or type a number: 1 = not at all, 5 = very.",
            "da": "{adviser} har markeret forespørgsel #{number} som løst. Hvor god var hjælpen? "
            "Tryk eller skriv et tal: 1 = slet ikke, 5 = meget.",
        },
        "relayed_open": {
            "en": "Added to request #{number}; the adviser will see it when they pick it up.",
            "da": "Tilføjet til forespørgsel #{number}; rådgiveren ser det, når de tager den.",
        },
        "relayed_claimed": {
            "en": "Passed on to {adviser} (request #{number}).",
            "da": "Sendt videre til {adviser} (forespørgsel #{number}).",
        },
        "rate_prompt": {
            "en": "How helpful was it? Press or type a number: 1 = not at all, 5 = very.",
            "da": "Hvor god var hjælpen? Tryk eller skriv et tal: 1 = slet ikke, 5 = meget.",
        },
        "rated": {
            "en": "Thank you for your rating. Ask me anything, any time.",
            "da": "Tak for din vurdering. Spørg mig om hvad som helst, når som helst.",
        },
        "already_rated": {
            "en": "You have already rated request #{number}. Thank you!",
            "da": "Du har allerede vurderet forespørgsel #{number}. Tak!",
        },
    }
)

# The adviser channel speaks the office's language: one set of texts, Danish and English.
CARD = Texts(
    {
        "title": {"en": "**Ticket #{number}** · {state}", "da": "**Sag #{number}** · {state}"},
        "callback_summary": {
            "en": "Call-back request ({topic}) from {name}, {organisation}, {email}: {description}",
            "da": "Ønsker at blive kontaktet ({topic}) af {name}, {organisation}, {email}: {description}",
        },
        "from": {
            "en": "From: {name} ({channel}) · Topic: {topic} · Language: {lang}",
            "da": "Fra: {name} ({channel}) · Emne: {topic} · Sprog: {lang}",
        },
        "summary": {"en": "Summary: {summary}", "da": "Resumé: {summary}"},
        "transcript": {"en": "Recent conversation:", "da": "Seneste samtale:"},
        "person": {"en": "Person", "da": "Person"},
        "open": {"en": "waiting", "da": "venter"},
        "claimed": {"en": "claimed by {adviser}", "da": "taget af {adviser}"},
        "resolved": {"en": "resolved by {adviser}", "da": "løst af {adviser}"},
        "cancelled": {"en": "cancelled by the person", "da": "annulleret af personen"},
        "reminder": {
            "en": "Reminder: ticket #{number} has waited {minutes} minutes.",
            "da": "Påmindelse: sag #{number} har ventet {minutes} minutter.",
        },
        "claim": {"en": "Claim", "da": "Tag sagen"},
        "resolve": {"en": "Resolve", "da": "Luk sagen"},
        "draft": {"en": "Save as FAQ draft", "da": "Gem som FAQ-udkast"},
        "how_to_reply": {
            "en": "Reply in this thread (or /reply {number} TEXT) to answer the person.",
            "da": "Svar i denne tråd (eller /reply {number} TEKST) for at svare personen.",
        },
        "from_person": {"en": "**{name} (ticket #{number}):** {text}", "da": "**{name} (sag #{number}):** {text}"},
        "person_cancelled": {
            "en": "Ticket #{number} was cancelled by the person.",
            "da": "Sag #{number} blev annulleret af personen.",
        },
        "only_advisers": {
            "en": "Only CED advisers can work on tickets; nothing was changed.",
            "da": "Kun CED's rådgivere kan arbejde med sager; intet blev ændret.",
        },
        "taken": {
            "en": "Ticket #{number} is already claimed by {adviser}.",
            "da": "Sag #{number} er allerede taget af {adviser}.",
        },
        "closed": {"en": "Ticket #{number} is closed ({state}).", "da": "Sag #{number} er lukket ({state})."},
        "claim_first": {
            "en": "Ticket #{number} is not claimed yet: press Claim first.",
            "da": "Sag #{number} er ikke taget endnu: tryk først på Tag sagen.",
        },
        "no_ticket": {"en": "There is no ticket #{number}.", "da": "Der er ingen sag #{number}."},
        "reply_usage": {"en": "Use: /reply NUMBER TEXT", "da": "Brug: /reply NUMMER TEKST"},
        "resolve_usage": {"en": "Use: /resolve NUMBER", "da": "Brug: /resolve NUMMER"},
        "sent": {"en": "Sent to {name} (ticket #{number}).", "da": "Sendt til {name} (sag #{number})."},
        "draft_saved": {
            "en": "Saved ticket #{number} as FAQ draft {draft} for the curators (see: cedbot kb drafts).",
            "da": "Sag #{number} er gemt som FAQ-udkast {draft} til redaktionen (se: cedbot kb drafts).",
        },
        "draft_exists": {
            "en": "Ticket #{number} is already saved as a FAQ draft.",
            "da": "Sag #{number} er allerede gemt som FAQ-udkast.",
        },
        "draft_empty": {
            "en": "Ticket #{number} has no adviser answer to save yet.",
            "da": "Sag #{number} har endnu intet svar fra en rådgiver at gemme.",
        },
        "queue_empty": {"en": "The queue is empty.", "da": "Køen er tom."},
        "queue_title": {"en": "**Adviser queue**", "da": "**Rådgivernes kø**"},
        "queue_row": {
            "en": "- #{number} {state} · {age} min · {topic} · {summary}",
            "da": "- #{number} {state} · {age} min · {topic} · {summary}",
        },
    }
)
