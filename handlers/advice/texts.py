"""Everything the advice feature says, in English and Danish."""

from __future__ import annotations

from bot.i18n import Texts

TEXTS = Texts(
    {
        "ask_topic": {
            "en": "**A meeting with a CED adviser** (free for Danish clusters and networks). "
            "What would you like to talk about?",
            "da": "**Et møde med en rådgiver fra CED** (gratis for danske klynger og netværk). "
            "Hvad vil du gerne tale om?",
        },
        "ask_describe": {
            "en": "**{topic}.** Describe briefly what you would like help with, so the adviser can "
            "prepare (a sentence or two). Type /cancel to stop.",
            "da": "**{topic}.** Beskriv kort, hvad du gerne vil have hjælp til, så rådgiveren kan "
            "forberede sig (en sætning eller to). Skriv /cancel for at stoppe.",
        },
        "bad_describe": {
            "en": "Please describe it in 10 to 1000 characters.",
            "da": "Beskriv det med 10 til 1000 tegn.",
        },
        "pick": {
            "en": "These are the next free times. Choose one:",
            "da": "Her er de næste ledige tider. Vælg en:",
        },
        "no_slots": {
            "en": "There are no free times right now. Ask for a call-back, and an adviser will "
            "contact you to find a time.",
            "da": "Der er ingen ledige tider lige nu. Bed om at blive kontaktet, så finder en rådgiver en tid med dig.",
        },
        "btn_none": {"en": "None of these suit me", "da": "Ingen af dem passer mig"},
        "btn_callback": {"en": "Ask for a call-back", "da": "Bliv kontaktet"},
        "btn_handoff": {"en": "Write to an adviser now", "da": "Skriv til en rådgiver nu"},
        "slot_line": {
            "en": "{when} ({minutes} min), {adviser}, {where}",
            "da": "{when} ({minutes} min.), {adviser}, {where}",
        },
        "online": {"en": "online", "da": "online"},
        "ics_link_later": {
            "en": "The adviser sends the link to the online meeting before it starts.",
            "da": "Rådgiveren sender linket til onlinemødet, før det begynder.",
        },
        "confirm": {
            "en": "Book a meeting on **{topic}**: {slot}?",
            "da": "Vil du booke et møde om **{topic}**: {slot}?",
        },
        "confirm_callback": {
            "en": "Ask an adviser to contact you about **{topic}**?",
            "da": "Vil du bede en rådgiver om at kontakte dig om **{topic}**?",
        },
        "btn_confirm": {"en": "Confirm", "da": "Bekræft"},
        "btn_change": {"en": "Change my details", "da": "Ret mine oplysninger"},
        "btn_stop": {"en": "Cancel", "da": "Annullér"},
        "booked": {
            "en": "Your meeting is booked: {slot}. The calendar invite is attached, and I'll remind "
            "you the day before. See, cancel or move it with /mybookings.",
            "da": "Dit møde er booket: {slot}. Kalenderinvitationen er vedhæftet, og jeg minder dig om "
            "det dagen før. Se, aflys eller flyt det med /mybookings.",
        },
        "taken": {
            "en": "Sorry, someone booked that time a moment ago. Nothing was booked for you.",
            "da": "Beklager, en anden bookede den tid for et øjeblik siden. Der er ikke booket noget til dig.",
        },
        "slot_gone": {
            "en": "That time is no longer available.",
            "da": "Den tid er ikke længere ledig.",
        },
        "already": {
            "en": "You have already booked this meeting. See it with /mybookings.",
            "da": "Du har allerede booket dette møde. Se det med /mybookings.",
        },
        "expired": {
            "en": "That request is no longer open. Type /advice to start again.",
            "da": "Den forespørgsel er ikke længere åben. Skriv /advice for at starte forfra.",
        },
        "callback_done": {
            "en": "Thank you. An adviser will contact you by e-mail within two working days.",
            "da": "Tak. En rådgiver kontakter dig på e-mail inden for to arbejdsdage.",
        },
        "callback_queued": {
            "en": "Thank you. Your call-back request is **#{number}** in the advisers' queue; an adviser will "
            "contact you at {email}, usually within two working days. Type /ticket to see its status.",
            "da": "Tak. Din anmodning om at blive kontaktet er **#{number}** i rådgivernes kø; en rådgiver "
            "kontakter dig på {email}, som regel inden for to arbejdsdage. Skriv /ticket for at se status.",
        },
        "callback_unannounced": {
            "en": "Thank you. Your call-back request is **#{number}** in the advisers' queue. The advisers are not "
            "notified of new requests here yet, so I can't say when one will see it; type /ticket to follow it.",
            "da": "Tak. Din anmodning om at blive kontaktet er **#{number}** i rådgivernes kø. Rådgiverne får "
            "endnu ikke besked om nye anmodninger her, så jeg kan ikke sige, hvornår de ser den; skriv /ticket "
            "for at følge den.",
        },
        "callback_kept": {
            "en": "Thank you; your request is saved. The advisers are not notified of new requests here yet, so "
            "I can't promise when they will contact you. Type /advice to book a meeting time instead.",
            "da": "Tak; din anmodning er gemt. Rådgiverne får endnu ikke besked om nye anmodninger her, så jeg kan "
            "ikke love, hvornår de kontakter dig. Skriv /advice for at booke en mødetid i stedet.",
        },
        "stopped": {
            "en": "OK, nothing was booked. Type /advice to start again.",
            "da": "OK, der blev ikke booket noget. Skriv /advice for at starte forfra.",
        },
        "my_meeting": {
            "en": "- Adviser meeting on {topic}: {slot}",
            "da": "- Rådgivermøde om {topic}: {slot}",
        },
        "btn_cancel": {"en": "Cancel meeting {when}", "da": "Aflys møde {when}"},
        "btn_resched": {"en": "Move meeting {when}", "da": "Flyt møde {when}"},
        "cancel_ask": {
            "en": "Cancel your meeting on **{topic}**, {slot}?",
            "da": "Vil du aflyse dit møde om **{topic}**, {slot}?",
        },
        "btn_yes_cancel": {"en": "Yes, cancel", "da": "Ja, aflys"},
        "btn_keep": {"en": "No, keep it", "da": "Nej, behold det"},
        "kept": {"en": "Fine, your meeting stays.", "da": "Fint, dit møde består."},
        "cancelled": {
            "en": "Your meeting {slot} is cancelled. The adviser has been told.",
            "da": "Dit møde {slot} er aflyst. Rådgiveren har fået besked.",
        },
        "not_yours": {
            "en": "That meeting doesn't exist or isn't yours, so nothing was changed. "
            "See your bookings with /mybookings.",
            "da": "Det møde findes ikke eller er ikke dit, så intet er ændret. Se dine bookinger med /mybookings.",
        },
        "not_active": {
            "en": "That meeting is cancelled or already over.",
            "da": "Det møde er aflyst eller allerede overstået.",
        },
        "resched_pick": {
            "en": "Move your meeting {slot} to which time?",
            "da": "Hvilken tid vil du flytte dit møde {slot} til?",
        },
        "resched_none": {
            "en": "There are no other free times right now. Your meeting stays as it is.",
            "da": "Der er ingen andre ledige tider lige nu. Dit møde forbliver som det er.",
        },
        "moved": {
            "en": "Your meeting is moved to {slot}. The new calendar invite is attached.",
            "da": "Dit møde er flyttet til {slot}. Den nye kalenderinvitation er vedhæftet.",
        },
        "reminder": {
            "en": "Reminder: your meeting with a CED adviser on {topic} is {slot}.",
            "da": "Påmindelse: Dit møde med en rådgiver fra CED om {topic} er {slot}.",
        },
        "removed_by_adviser": {
            "en": "Sorry: the adviser had to cancel your meeting {slot}. Type /advice to choose another time.",
            "da": "Beklager: Rådgiveren har måttet aflyse dit møde {slot}. Skriv /advice for at vælge en anden tid.",
        },
        "ics_title": {"en": "CED adviser meeting: {topic}", "da": "Rådgivermøde med CED: {topic}"},
    }
)

ADVISER_TEXTS = Texts(
    {
        "booked": {
            "en": "**New meeting** {slot}\nTopic: {topic}\nFrom: {name}, {organisation} ({email})\n{description}",
            "da": "**Nyt møde** {slot}\nEmne: {topic}\nFra: {name}, {organisation} ({email})\n{description}",
        },
        "moved": {
            "en": "**Meeting moved** to {slot} (was {old})\nTopic: {topic}\nWith: {name}, {organisation}",
            "da": "**Møde flyttet** til {slot} (var {old})\nEmne: {topic}\nMed: {name}, {organisation}",
        },
        "cancelled": {
            "en": "**Meeting cancelled** {slot}\nTopic: {topic}\nWith: {name}, {organisation}. The slot is free again.",
            "da": "**Møde aflyst** {slot}\nEmne: {topic}\nMed: {name}, {organisation}. Tiden er ledig igen.",
        },
        "callback": {
            "en": "**Call-back request** (none of the free times suit)\nTopic: {topic}\n"
            "From: {name}, {organisation} ({email})\n{description}",
            "da": "**Ønsker at blive kontaktet** (ingen af de ledige tider passer)\nEmne: {topic}\n"
            "Fra: {name}, {organisation} ({email})\n{description}",
        },
        "ics_title": {
            "en": "Adviser meeting with {name} ({organisation})",
            "da": "Rådgivermøde med {name} ({organisation})",
        },
        "list_title": {"en": "**Upcoming slots**", "da": "**Kommende tider**"},
        "list_none": {
            "en": "There are no upcoming slots. Add one with /slots add 2027-01-12 10:00 60",
            "da": "Der er ingen kommende tider. Tilføj en med /slots add 2027-01-12 10:00 60",
        },
        "list_free": {"en": "- #{id} {slot}: free", "da": "- #{id} {slot}: ledig"},
        "list_booked": {
            "en": "- #{id} {slot}: booked by {name}, {organisation}, on {topic}",
            "da": "- #{id} {slot}: booket af {name}, {organisation}, om {topic}",
        },
        "usage": {
            "en": "Use /slots to list, /slots add DATE TIME MINUTES [PLACE] to add "
            "(e.g. /slots add 2027-01-12 10:00 60, or with a place instead of online), "
            "and /slots remove ID.",
            "da": "Brug /slots for at se tiderne, /slots add DATO TID MINUTTER [STED] for at tilføje "
            "(fx /slots add 2027-01-12 10:00 60, eller med et sted i stedet for online) "
            "og /slots remove ID.",
        },
        "bad_date": {
            "en": "“{value}” is not a date. Write it as year-month-day, e.g. 2027-01-12.",
            "da": "“{value}” er ikke en dato. Skriv den som år-måned-dag, fx 2027-01-12.",
        },
        "bad_time": {
            "en": "“{value}” is not a time of day. Write it as hours:minutes, e.g. 10:00.",
            "da": "“{value}” er ikke et klokkeslæt. Skriv det som timer:minutter, fx 10:00.",
        },
        "bad_minutes": {
            "en": "The length must be a whole number of minutes from 1 to 480, e.g. 60 (got “{value}”).",
            "da": "Længden skal være et helt antal minutter fra 1 til 480, fx 60 (fik “{value}”).",
        },
        "past": {
            "en": "{when} is in the past. Choose a future time.",
            "da": "{when} er allerede passeret. Vælg et tidspunkt i fremtiden.",
        },
        "too_far": {
            "en": "Slots can be added up to {years} years ahead; {value} is further away. Choose an earlier date.",
            "da": "Mødetider kan oprettes op til {years} år frem; {value} ligger længere ude. Vælg en tidligere dato.",
        },
        "duplicate": {
            "en": "You already have a slot at {when}.",
            "da": "Du har allerede en tid {when}.",
        },
        "added": {"en": "Added slot #{id}: {slot}.", "da": "Tiden #{id} er tilføjet: {slot}."},
        "no_slot": {
            "en": "There is no upcoming slot #{value}. Type /slots to see them.",
            "da": "Der er ingen kommende tid #{value}. Skriv /slots for at se dem.",
        },
        "removed": {"en": "Removed slot #{id}: {slot}.", "da": "Tiden #{id} er fjernet: {slot}."},
        "removed_told": {
            "en": "Removed slot #{id}: {slot}. The meeting with {name} is cancelled, and they have been told.",
            "da": "Tiden #{id} er fjernet: {slot}. Mødet med {name} er aflyst, og vedkommende har fået besked.",
        },
    }
)
