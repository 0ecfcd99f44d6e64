"""Everything the adviser desk says, in the chat and on its pages, in English and Danish."""

from __future__ import annotations

from bot.i18n import Texts

CHAT = Texts(
    {
        "link": {
            "en": "Your sign-in link to the adviser desk, for one sign-in within 10 minutes:\n[{url}]({url})\n"
            "Do not forward it: it signs in as you.",
            "da": "Dit login-link til rådgiverskrivebordet, til ét login inden for 10 minutter:\n[{url}]({url})\n"
            "Send det ikke videre: det logger ind som dig.",
        },
        "link_sent": {
            "en": "I have sent you a sign-in link to the adviser desk in a private message. It works once, "
            "within 10 minutes.",
            "da": "Jeg har sendt dig et login-link til rådgiverskrivebordet i en privat besked. Det virker én "
            "gang inden for 10 minutter.",
        },
        "off": {
            "en": "The adviser desk is off: its public address is not configured (CEDBOT_PUBLIC_URL). "
            "Ask the administrator to set it.",
            "da": "Rådgiverskrivebordet er slået fra: dets offentlige adresse er ikke sat op (CEDBOT_PUBLIC_URL). "
            "Bed administratoren om at sætte den.",
        },
    }
)

PAGE = Texts(
    {
        "desk": {"en": "Adviser desk", "da": "Rådgiverskrivebord"},
        "skip": {"en": "Skip to content", "da": "Spring til indhold"},
        "queue": {"en": "Queue", "da": "Kø"},
        "audit": {"en": "Audit log", "da": "Revisionslog"},
        "signed_in_as": {"en": "Signed in as {who}", "da": "Logget ind som {who}"},
        "sign_out": {"en": "Sign out", "da": "Log ud"},
        "language": {"en": "Language", "da": "Sprog"},
        "switch_lang": {"en": "Dansk", "da": "English"},
        "off_title": {"en": "The desk is off", "da": "Skrivebordet er slået fra"},
        "off_body": {
            "en": "The adviser desk needs the public address of this server: set CEDBOT_PUBLIC_URL "
            "(for example https://bot.ced.example) and restart. Until then it is off, so no sign-in "
            "link can be made.",
            "da": "Rådgiverskrivebordet skal kende serverens offentlige adresse: sæt CEDBOT_PUBLIC_URL "
            "(for eksempel https://bot.ced.example) og genstart. Indtil da er det slået fra, så der kan "
            "ikke laves login-links.",
        },
        "signin_title": {"en": "Sign in", "da": "Log ind"},
        "signin_how": {
            "en": "Type /desk to the assistant in Slack, Telegram or the console. You get a sign-in link "
            "on your own channel; it works once, within 10 minutes. Only CED advisers can sign in.",
            "da": "Skriv /desk til assistenten i Slack, Telegram eller konsollen. Du får et login-link på "
            "din egen kanal; det virker én gang inden for 10 minutter. Kun CED's rådgivere kan logge ind.",
        },
        "signin_confirm": {
            "en": "Sign in to the adviser desk as {who}?",
            "da": "Log ind på rådgiverskrivebordet som {who}?",
        },
        "signin_button": {"en": "Sign in", "da": "Log ind"},
        "link_invalid": {
            "en": "This sign-in link cannot be used: it has been used already, it has expired (links "
            "last 10 minutes), or it is not a link the desk made. Type /desk in the chat for a new one.",
            "da": "Dette login-link kan ikke bruges: det er allerede brugt, det er udløbet (links gælder i "
            "10 minutter), eller det er ikke lavet af skrivebordet. Skriv /desk i chatten for at få et nyt.",
        },
        "not_adviser": {
            "en": "Only CED advisers and administrators can use the desk.",
            "da": "Kun CED's rådgivere og administratorer kan bruge skrivebordet.",
        },
        "forbidden": {
            "en": "The form was refused: it did not come from this page (a missing or wrong security "
            "token). Nothing was changed. Reload the page and try again.",
            "da": "Formularen blev afvist: den kom ikke fra denne side (manglende eller forkert "
            "sikkerhedsnøgle). Intet er ændret. Genindlæs siden, og prøv igen.",
        },
        "signed_out": {
            "en": "You are signed out.",
            "da": "Du er logget ud.",
        },
        "session_over": {
            "en": "Your session has ended (signed out, or unused for {minutes} minutes). Type /desk in the "
            "chat for a new sign-in link.",
            "da": "Din session er slut (logget ud, eller ubrugt i {minutes} minutter). Skriv /desk i "
            "chatten for at få et nyt login-link.",
        },
        "not_found": {"en": "There is no such page.", "da": "Den side findes ikke."},
        "no_ticket": {"en": "There is no ticket #{number}.", "da": "Der er ingen sag nr. {number}."},
        "filter": {"en": "Filter", "da": "Filtrér"},
        "show": {"en": "Show", "da": "Vis"},
        "status": {"en": "Status", "da": "Status"},
        "kind": {"en": "Kind", "da": "Type"},
        "f_active": {"en": "Open and claimed", "da": "Åbne og taget"},
        "f_open": {"en": "Open", "da": "Åbne"},
        "f_claimed": {"en": "Claimed", "da": "Taget"},
        "f_mine": {"en": "Claimed by me", "da": "Taget af mig"},
        "f_resolved": {"en": "Resolved or cancelled (7 days)", "da": "Løst eller annulleret (7 dage)"},
        "f_all": {"en": "Everything recent", "da": "Alt det seneste"},
        "k_all": {"en": "Tickets and call-backs", "da": "Sager og opkald"},
        "k_tickets": {"en": "Tickets", "da": "Sager"},
        "k_callbacks": {"en": "Call-back requests", "da": "Anmodninger om opkald"},
        "live": {
            "en": "This list updates by itself every few seconds.",
            "da": "Listen opdaterer sig selv med få sekunders mellemrum.",
        },
        "empty": {"en": "Nothing here.", "da": "Intet her."},
        "col_item": {"en": "Item", "da": "Sag"},
        "col_who": {"en": "From", "da": "Fra"},
        "col_topic": {"en": "Topic", "da": "Emne"},
        "col_state": {"en": "State", "da": "Tilstand"},
        "col_activity": {"en": "Last activity", "da": "Seneste aktivitet"},
        "col_summary": {"en": "Summary", "da": "Resumé"},
        "ticket_n": {"en": "Ticket #{number}", "da": "Sag nr. {number}"},
        "callback_n": {"en": "Call-back request {number}", "da": "Anmodning om opkald {number}"},
        "callback_ticket_n": {"en": "Call-back #{number}", "da": "Opkald nr. {number}"},
        "callback_hint": {
            "en": "A call-back: nothing is relayed. Contact the person with the details in the summary, then "
            "resolve it.",
            "da": "Et opkald: intet videresendes. Kontakt personen med oplysningerne i resuméet, og løs så sagen.",
        },
        "callback_state": {"en": "call back", "da": "ring op"},
        "st_open": {"en": "open", "da": "åben"},
        "st_claimed": {"en": "claimed by {adviser}", "da": "taget af {adviser}"},
        "st_resolved": {"en": "resolved by {adviser}", "da": "løst af {adviser}"},
        "st_cancelled": {"en": "cancelled", "da": "annulleret"},
        "summary": {"en": "Summary", "da": "Resumé"},
        "details": {"en": "Details", "da": "Detaljer"},
        "person": {"en": "Person", "da": "Person"},
        "channel": {"en": "Channel", "da": "Kanal"},
        "opened": {"en": "Opened", "da": "Oprettet"},
        "rating": {"en": "Rating", "da": "Bedømmelse"},
        "rating_value": {"en": "{rating} of 5", "da": "{rating} ud af 5"},
        "conversation": {"en": "Conversation before the hand-off", "da": "Samtalen før overdragelsen"},
        "relayed": {"en": "Messages on this ticket", "da": "Beskeder på sagen"},
        "no_messages": {"en": "No messages yet.", "da": "Ingen beskeder endnu."},
        "speaker_person": {"en": "{name}", "da": "{name}"},
        "speaker_bot": {"en": "cedbot", "da": "cedbot"},
        "speaker_adviser": {"en": "Adviser", "da": "Rådgiver"},
        "claim": {"en": "Claim", "da": "Tag sagen"},
        "resolve": {"en": "Resolve", "da": "Løs sagen"},
        "reply": {"en": "Reply to {name}", "da": "Svar {name}"},
        "send": {"en": "Send", "da": "Send"},
        "reply_hint": {
            "en": "Your answer reaches the person on their own channel, marked as from you.",
            "da": "Dit svar når personen på deres egen kanal, markeret som fra dig.",
        },
        "reply_empty": {
            "en": "Write an answer before sending. Nothing was sent.",
            "da": "Skriv et svar, før du sender. Intet blev sendt.",
        },
        "claim_first": {
            "en": "Claim the ticket to answer it.",
            "da": "Tag sagen for at svare på den.",
        },
        "back": {"en": "Back to the queue", "da": "Tilbage til køen"},
        "save_draft": {"en": "Save as FAQ draft", "da": "Gem som FAQ-udkast"},
        "draft_kept": {
            "en": "Ticket #{number} is saved as a FAQ draft; publish it under Knowledge.",
            "da": "Sag nr. {number} er gemt som FAQ-udkast; udgiv det under Viden.",
        },
        "claimed_ok": {"en": "Ticket #{number} is yours.", "da": "Sag nr. {number} er din."},
        "resolved_ok": {
            "en": "Ticket #{number} is resolved; the person is asked for a rating.",
            "da": "Sag nr. {number} er løst; personen bliver bedt om en bedømmelse.",
        },
        "sent_ok": {
            "en": "Your answer on ticket #{number} is on its way to the person.",
            "da": "Dit svar på sag nr. {number} er på vej til personen.",
        },
        "labels": {"en": "Labels", "da": "Mærker"},
        "register": {"en": "The label register", "da": "Mærkeregistret"},
        "level": {"en": "Label", "da": "Mærke"},
        "region": {"en": "Region", "da": "Region"},
        "any": {"en": "Any", "da": "Alle"},
        "expiring_within": {"en": "Expiring within (days)", "da": "Udløber inden for (dage)"},
        "awarded": {"en": "Awarded", "da": "Tildelt"},
        "valid_until": {"en": "Valid until", "da": "Gyldig til"},
        "days_left": {"en": "Days left", "da": "Dage tilbage"},
        "name": {"en": "Name", "da": "Navn"},
        "shown_of": {"en": "{shown} of {total} clusters", "da": "{shown} af {total} klynger"},
        "import_title": {"en": "Import the register (CSV)", "da": "Importér registret (CSV)"},
        "import_how": {
            "en": "Columns: name, aliases, region, website, label, awarded_on, valid_until. Preview checks "
            "every line and shows what would change; nothing is written until you press Import, and a file "
            "with any bad line imports nothing.",
            "da": "Kolonner: name, aliases, region, website, label, awarded_on, valid_until. Forhåndsvisning "
            "tjekker hver linje og viser, hvad der ville ændres; intet gemmes, før du trykker Importér, og en "
            "fil med blot én fejl importerer intet.",
        },
        "csv_file": {"en": "CSV file", "da": "CSV-fil"},
        "preview": {"en": "Preview", "da": "Forhåndsvis"},
        "import": {"en": "Import", "da": "Importér"},
        "csv_empty": {
            "en": "Choose a CSV file first. Nothing was changed.",
            "da": "Vælg først en CSV-fil. Intet er ændret.",
        },
        "csv_problems": {
            "en": "{count} problem(s) in the file; nothing was imported and nothing changed:",
            "da": "{count} fejl i filen; intet er importeret, og intet er ændret:",
        },
        "csv_preview": {
            "en": "Preview: nothing has been written yet.",
            "da": "Forhåndsvisning: intet er gemt endnu.",
        },
        "csv_done": {"en": "Imported.", "da": "Importeret."},
        "knowledge": {"en": "Knowledge", "da": "Viden"},
        "gaps": {"en": "Gaps: what to write next", "da": "Huller: hvad der skal skrives"},
        "gaps_how": {
            "en": "Questions the assistant declined or that were marked not helpful in the last {days} days, "
            "grouped, largest first.",
            "da": "Spørgsmål, assistenten afviste, eller som blev markeret som ikke nyttige, de seneste {days} "
            "dage, grupperet, største først.",
        },
        "gap_size": {"en": "{size} question(s)", "da": "{size} spørgsmål"},
        "drafts": {"en": "FAQ drafts from resolved tickets", "da": "FAQ-udkast fra løste sager"},
        "draft_n": {"en": "Draft {number}", "da": "Udkast {number}"},
        "no_draft": {"en": "There is no FAQ draft {number}.", "da": "Der er intet FAQ-udkast {number}."},
        "entries": {"en": "Entries (stale first)", "da": "Opslag (forældede først)"},
        "entry_id": {"en": "Id", "da": "Id"},
        "title": {"en": "Title", "da": "Titel"},
        "category": {"en": "Category", "da": "Kategori"},
        "reviewed": {"en": "Reviewed", "da": "Gennemgået"},
        "stale": {"en": "stale", "da": "forældet"},
        "question": {"en": "Question", "da": "Spørgsmål"},
        "answer": {"en": "Answer", "da": "Svar"},
        "save": {"en": "Save", "da": "Gem"},
        "publish": {"en": "Publish", "da": "Udgiv"},
        "publish_how": {
            "en": "Publish into a new entry (give it an id, a category, titles, answers and at least four "
            "phrasings per language) or add the question to an existing entry. The same checks as "
            "cedbot kb check run first; nothing is written unless they pass.",
            "da": "Udgiv som et nyt opslag (giv det et id, en kategori, titler, svar og mindst fire "
            "formuleringer pr. sprog) eller tilføj spørgsmålet til et eksisterende opslag. De samme tjek som "
            "cedbot kb check kører først; intet gemmes, medmindre de består.",
        },
        "new_id": {"en": "New entry id", "da": "Id for nyt opslag"},
        "into_id": {"en": "Or add to the entry", "da": "Eller tilføj til opslaget"},
        "none_chosen": {"en": "(none)", "da": "(ingen)"},
        "title_lang": {"en": "Title ({lang})", "da": "Titel ({lang})"},
        "answer_lang": {"en": "Answer ({lang})", "da": "Svar ({lang})"},
        "questions_lang": {
            "en": "More phrasings ({lang}), one per line",
            "da": "Flere formuleringer ({lang}), én pr. linje",
        },
        "keywords_lang": {"en": "Keywords ({lang}), comma-separated", "da": "Nøgleord ({lang}), kommasepareret"},
        "sources": {"en": "Sources, one URL per line", "da": "Kilder, én URL pr. linje"},
        "related": {"en": "Related entry ids, comma-separated", "da": "Relaterede opslag (id), kommasepareret"},
        "draft_empty": {
            "en": "The question and the answer must not be empty. Nothing was saved.",
            "da": "Spørgsmål og svar må ikke være tomme. Intet blev gemt.",
        },
        "draft_saved": {"en": "The draft is saved.", "da": "Udkastet er gemt."},
        "publish_target": {
            "en": "Give either a new entry id or an existing entry to add the question to (one of the two).",
            "da": "Angiv enten et id for et nyt opslag eller et eksisterende opslag at tilføje spørgsmålet til "
            "(ét af de to).",
        },
        "publish_problems": {
            "en": "The draft was not published; nothing was written:",
            "da": "Udkastet blev ikke udgivet; intet er skrevet:",
        },
        "published": {
            "en": "Draft {number} is published in {file}; the assistant answers from it now.",
            "da": "Udkast {number} er udgivet i {file}; assistenten svarer ud fra det nu.",
        },
        "bookings": {"en": "Bookings", "da": "Bookinger"},
        "courses": {"en": "Courses", "da": "Kurser"},
        "course": {"en": "Course", "da": "Kursus"},
        "starts": {"en": "Starts", "da": "Starter"},
        "seats": {"en": "Seats taken", "da": "Optagne pladser"},
        "waiting": {"en": "Waiting list", "da": "Venteliste"},
        "deadline": {"en": "Register by", "da": "Tilmelding senest"},
        "participants": {"en": "Participants", "da": "Deltagere"},
        "csv_download": {"en": "CSV of {code}", "da": "CSV for {code}"},
        "slots": {"en": "Adviser meeting slots", "da": "Mødetider hos rådgiverne"},
        "slot": {"en": "Time and place", "da": "Tid og sted"},
        "booked_by": {"en": "Booked by", "da": "Booket af"},
        "free": {"en": "free", "da": "ledig"},
        "remove": {"en": "Remove", "da": "Fjern"},
        "remove_slot": {"en": "Remove slot {number}", "da": "Fjern mødetid {number}"},
        "add_slot": {"en": "Add a slot", "da": "Tilføj en mødetid"},
        "date": {"en": "Date", "da": "Dato"},
        "time": {"en": "Time", "da": "Klokkeslæt"},
        "minutes": {"en": "Minutes", "da": "Minutter"},
        "place": {"en": "Place (empty: online)", "da": "Sted (tomt: online)"},
        "add": {"en": "Add", "da": "Tilføj"},
        "figures": {"en": "Figures", "da": "Tal"},
        "month": {"en": "Month", "da": "Måned"},
        "bad_month": {
            "en": "{value} is not a month such as 2026-11; showing the current month.",
            "da": "{value} er ikke en måned som 2026-11; viser den aktuelle måned.",
        },
        "report_title": {"en": "CED assistant, {month}", "da": "CED-assistenten, {month}"},
        "report_csv": {"en": "Monthly report (CSV)", "da": "Månedsrapport (CSV)"},
        "report_png": {"en": "Monthly report (PNG)", "da": "Månedsrapport (PNG)"},
        "answered": {"en": "answered", "da": "besvaret"},
        "declined": {"en": "declined", "da": "afvist"},
        "chart_questions": {"en": "Questions per week", "da": "Spørgsmål pr. uge"},
        "chart_ratings": {"en": "Ratings of resolved tickets", "da": "Bedømmelser af løste sager"},
        "chart_labels": {"en": "Clusters by label", "da": "Klynger efter mærke"},
        "top_topics": {"en": "Top topics", "da": "Mest efterspurgte emner"},
        "fig_questions": {
            "en": "Questions: {total}, {answered}% answered",
            "da": "Spørgsmål: {total}, {answered} % besvaret",
        },
        "fig_handoffs": {
            "en": "Hand-offs: {tickets}, median {minutes} min to first claim",
            "da": "Overdragelser: {tickets}, median {minutes} min. til første rådgiver",
        },
        "fig_ratings": {
            "en": "Rating: average {average} of 5 ({count} ratings)",
            "da": "Bedømmelse: gennemsnit {average} ud af 5 ({count} bedømmelser)",
        },
        "fig_bookings": {
            "en": "Course seats booked: {seats} (+{waiting} waiting); fill rate {fill}%",
            "da": "Kursuspladser booket: {seats} (+{waiting} på venteliste); belægning {fill} %",
        },
        "fig_meetings": {
            "en": "Adviser meetings booked: {meetings}; slots offered: {slots}",
            "da": "Rådgivermøder booket: {meetings}; mødetider udbudt: {slots}",
        },
        "fig_labels": {
            "en": "Labels: {gold} gold, {silver} silver, {bronze} bronze; {expiring} expiring within 90 days",
            "da": "Mærker: {gold} guld, {silver} sølv, {bronze} bronze; {expiring} udløber inden for 90 dage",
        },
        "audit_when": {"en": "When", "da": "Hvornår"},
        "audit_who": {"en": "Who", "da": "Hvem"},
        "audit_what": {"en": "What", "da": "Hvad"},
        "audit_target": {"en": "On", "da": "På"},
        "audit_detail": {"en": "Result", "da": "Resultat"},
        "admins_only": {
            "en": "Only administrators can see the audit log.",
            "da": "Kun administratorer kan se revisionsloggen.",
        },
    }
)
