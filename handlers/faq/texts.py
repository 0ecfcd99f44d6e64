"""What the FAQ says, in English and Danish."""

from __future__ import annotations

from bot.i18n import Texts

TEXTS = Texts(
    {
        "sources": {"en": "**Sources**", "da": "**Kilder**"},
        "helpful": {"en": "Helpful", "da": "Hjælpsomt"},
        "not_helpful": {"en": "Not helpful", "da": "Ikke hjælpsomt"},
        "thanks": {
            "en": "Thank you, that helps us keep the answers good.",
            "da": "Tak, det hjælper os med at holde svarene gode.",
        },
        "sorry": {
            "en": "Sorry that didn't help. You could ask again in other words, browse the topics, "
            "or reach a person at CED.",
            "da": "Ærgerligt, at det ikke hjalp. Du kan spørge igen med andre ord, kigge i emnerne "
            "eller få fat i en medarbejder hos CED.",
        },
        "did_you_mean": {
            "en": "I'm not sure which of these you mean. Did you mean:",
            "da": "Jeg er ikke sikker på, hvilket af disse du mener. Mente du:",
        },
        "decline": {
            "en": "I'm sorry, I don't have an answer to that in my knowledge base.\n"
            "What you can do:\n"
            "- ask again in other words, or with a keyword such as 'gold label', 'innobooster' "
            "or 'member survey'\n"
            "- type /topics to browse everything I know about\n"
            "- reach a person at CED (see below)",
            "da": "Beklager, det har jeg ikke et svar på i min vidensbase.\n"
            "Det kan du gøre:\n"
            "- spørg igen med andre ord eller med et stikord som 'guldmærke', 'innobooster' "
            "eller 'medlemsundersøgelse'\n"
            "- skriv /topics for at se alt, hvad jeg ved noget om\n"
            "- få fat i en medarbejder hos CED (se nedenfor)",
        },
        "talk_greeting": {
            "en": "Hello! I'm CED's assistant. Ask me about cluster management, the cluster labels "
            "or funding, in English or Danish, or browse the topics.",
            "da": "Hej! Jeg er CED's assistent. Spørg mig om klyngeledelse, klyngemærkerne eller "
            "finansiering, på dansk eller engelsk, eller se emnerne.",
        },
        "talk_thanks": {
            "en": "You're welcome! Just ask if there is anything else.",
            "da": "Det var så lidt! Spørg bare, hvis der er mere.",
        },
        "talk_abilities": {
            "en": "I answer questions on cluster management, the cluster excellence labels and funding, "
            "show your cluster's label status, book CED courses and adviser meetings, and pass your "
            "question to a CED adviser. Type /help for the commands, or just ask.",
            "da": "Jeg svarer på spørgsmål om klyngeledelse, klyngemærkerne og finansiering, viser jeres "
            "klynges mærkestatus, booker CED-kurser og møder med en rådgiver og sender dit spørgsmål "
            "videre til en rådgiver hos CED. Skriv /help for kommandoerne, eller spørg bare.",
        },
        "not_a_question": {
            "en": "A number alone is not a question I can look up. Numbers pick a button when buttons "
            "are shown; otherwise write your question in words.",
            "da": "Et tal alene er ikke et spørgsmål, jeg kan slå op. Tal vælger en knap, når der vises "
            "knapper; ellers skriv dit spørgsmål med ord.",
        },
        "abroad": {
            "en": "My knowledge base covers Denmark and the European programmes Danish clusters use; "
            "it says nothing about another country's national programmes.",
            "da": "Min vidensbase dækker Danmark og de europæiske programmer, danske klynger bruger; "
            "den siger intet om andre landes nationale programmer.",
        },
        "browse_topics": {"en": "Browse topics", "da": "Se emnerne"},
        "ask_adviser": {"en": "Ask a CED adviser", "da": "Spørg en rådgiver fra CED"},
        "topics": {"en": "**Topics**: pick an area.", "da": "**Emner**: vælg et område."},
        "pick_topic": {"en": "Pick a topic:", "da": "Vælg et emne:"},
        "all_topics": {"en": "All topics", "da": "Alle emner"},
        "reloaded": {
            "en": "Knowledge base reloaded: {count} entries.",
            "da": "Vidensbasen er indlæst igen: {count} emner.",
        },
        "reload_failed": {
            "en": "The knowledge base was NOT reloaded; the previous version stays in use. Problems:\n{errors}",
            "da": "Vidensbasen blev IKKE indlæst igen; den forrige version bruges fortsat. Fejl:\n{errors}",
        },
    }
)

CATEGORIES = {
    "ced": {"en": "About CED", "da": "Om CED"},
    "bot": {"en": "This assistant", "da": "Denne assistent"},
    "labels": {"en": "Cluster labels", "da": "Klyngemærker"},
    "management": {"en": "Cluster management", "da": "Klyngeledelse"},
    "international": {"en": "International", "da": "Internationalt"},
    "funding": {"en": "Funding", "da": "Finansiering"},
    "courses": {"en": "Courses", "da": "Kurser"},
    "advice": {"en": "Advice", "da": "Rådgivning"},
    "tools": {"en": "Tools and templates", "da": "Værktøjer og skabeloner"},
    "events": {"en": "Events", "da": "Arrangementer"},
}
"""Category names for /topics; a category not listed here is shown by its key."""
