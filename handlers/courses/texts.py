"""Everything the courses feature says, in English and Danish."""

from __future__ import annotations

from bot.i18n import Texts

TEXTS = Texts(
    {
        "list_title": {
            "en": "**Upcoming CED courses.** Choose one to see the details and book:",
            "da": "**Kommende kurser hos CED.** Vælg et for at se detaljer og booke:",
        },
        "none": {
            "en": "There are no upcoming courses to book right now. New dates are published here "
            "as soon as they are planned.",
            "da": "Der er ingen kommende kurser at booke lige nu. Nye datoer kommer her, så snart de er planlagt.",
        },
        "when": {"en": "When", "da": "Hvornår"},
        "where": {"en": "Where", "da": "Hvor"},
        "language": {"en": "Language", "da": "Sprog"},
        "price": {"en": "Price", "da": "Pris"},
        "seats": {"en": "Seats", "da": "Pladser"},
        "deadline": {"en": "Register by", "da": "Tilmelding senest"},
        "seats_free": {"en": "{free} of {capacity} free", "da": "{free} af {capacity} ledige"},
        "seats_full": {
            "en": "full ({waiting} on the waiting list)",
            "da": "fuldt booket ({waiting} på venteliste)",
        },
        "online": {"en": "online", "da": "online"},
        "ics_link_later": {
            "en": "CED sends the link for taking part online before the course starts.",
            "da": "CED sender linket til at deltage online, før kurset begynder.",
        },
        "free": {"en": "free of charge", "da": "gratis"},
        "dkk": {"en": "DKK {price}", "da": "{price} kr."},
        "lang_da": {"en": "Danish", "da": "dansk"},
        "lang_en": {"en": "English", "da": "engelsk"},
        "btn_book": {"en": "Book a seat", "da": "Book en plads"},
        "btn_wait": {"en": "Join the waiting list", "da": "Skriv mig på ventelisten"},
        "btn_all": {"en": "All courses", "da": "Alle kurser"},
        "closed": {
            "en": "Registration closed on {deadline}, so this course can no longer be booked.",
            "da": "Tilmeldingen lukkede {deadline}, så kurset kan ikke længere bookes.",
        },
        "started": {
            "en": "This course has already started, so it can no longer be booked.",
            "da": "Kurset er allerede gået i gang, så det kan ikke længere bookes.",
        },
        "no_course": {
            "en": "I can't find that course. Type /courses to see the courses you can book.",
            "da": "Jeg kan ikke finde det kursus. Skriv /courses for at se de kurser, du kan booke.",
        },
        "have_seat": {"en": "You have a seat on this course.", "da": "Du har en plads på kurset."},
        "have_wait": {
            "en": "You are number {position} on the waiting list.",
            "da": "Du er nummer {position} på ventelisten.",
        },
        "confirm": {
            "en": "Book a seat on **{title}** ({when})?",
            "da": "Vil du booke en plads på **{title}** ({when})?",
        },
        "confirm_full": {
            "en": "**{title}** ({when}) is full. Join the waiting list?",
            "da": "**{title}** ({when}) er fuldt booket. Vil du på ventelisten?",
        },
        "btn_confirm": {"en": "Confirm", "da": "Bekræft"},
        "now_full": {
            "en": "**{title}** is now full: the last seat was just taken. Join the waiting list as number {position}?",
            "da": "**{title}** er nu fuldt booket: den sidste plads blev taget lige før. "
            "Vil du på ventelisten som nummer {position}?",
        },
        "btn_join_wait": {"en": "Join the waiting list", "da": "Skriv mig på ventelisten"},
        "btn_change": {"en": "Change my details", "da": "Ret mine oplysninger"},
        "btn_stop": {"en": "Cancel", "da": "Annullér"},
        "booked_seat": {
            "en": "Your seat on **{title}** is booked. The calendar invite is attached, and I'll "
            "remind you the day before. See or cancel it with /mybookings.",
            "da": "Din plads på **{title}** er booket. Kalenderinvitationen er vedhæftet, og jeg "
            "minder dig om det dagen før. Se eller afbestil den med /mybookings.",
        },
        "booked_wait": {
            "en": "**{title}** is full, so you are on the waiting list as number {position}. "
            "If a seat frees up, it goes to the first on the list, and I'll tell you here.",
            "da": "**{title}** er fuldt booket, så du står på ventelisten som nummer {position}. "
            "Bliver en plads ledig, går den til den første på listen, og jeg giver dig besked her.",
        },
        "already_seat": {
            "en": "You already have a seat on **{title}**. See it with /mybookings.",
            "da": "Du har allerede en plads på **{title}**. Se den med /mybookings.",
        },
        "already_wait": {
            "en": "You are already on the waiting list for **{title}** as number {position}. See it with /mybookings.",
            "da": "Du står allerede på ventelisten til **{title}** som nummer {position}. Se det med /mybookings.",
        },
        "stopped": {
            "en": "OK, nothing was booked. Type /courses to look again.",
            "da": "OK, der blev ikke booket noget. Skriv /courses for at kigge igen.",
        },
        "details_saved": {"en": "Saved.", "da": "Gemt."},
        "my_title": {"en": "**Your bookings**", "da": "**Dine bookinger**"},
        "my_none": {
            "en": "You have no upcoming bookings. Type /courses for courses, or /advice for a meeting with an adviser.",
            "da": "Du har ingen kommende bookinger. Skriv /courses for kurser eller /advice for et "
            "møde med en rådgiver.",
        },
        "my_seat": {"en": "- {title}, {when}: seat booked", "da": "- {title}, {when}: plads booket"},
        "my_wait": {
            "en": "- {title}, {when}: number {position} on the waiting list",
            "da": "- {title}, {when}: nummer {position} på ventelisten",
        },
        "btn_cancel": {"en": "Cancel: {title}", "da": "Afbestil: {title}"},
        "cancel_ask_seat": {
            "en": "Cancel your seat on **{title}** ({when})? It goes to the next person on the waiting list.",
            "da": "Vil du afbestille din plads på **{title}** ({when})? Den går videre til den næste på ventelisten.",
        },
        "cancel_ask_wait": {
            "en": "Leave the waiting list for **{title}** ({when})?",
            "da": "Vil du af ventelisten til **{title}** ({when})?",
        },
        "btn_yes_cancel": {"en": "Yes, cancel", "da": "Ja, afbestil"},
        "btn_keep": {"en": "No, keep it", "da": "Nej, behold den"},
        "cancelled": {
            "en": "Your booking on **{title}** is cancelled.",
            "da": "Din booking på **{title}** er afbestilt.",
        },
        "kept": {"en": "Fine, your booking stays.", "da": "Fint, din booking består."},
        "not_yours": {
            "en": "That booking doesn't exist or isn't yours, so nothing was changed. "
            "See your bookings with /mybookings.",
            "da": "Den booking findes ikke eller er ikke din, så intet er ændret. Se dine bookinger med /mybookings.",
        },
        "not_active": {
            "en": "That booking is already cancelled.",
            "da": "Den booking er allerede afbestilt.",
        },
        "too_late_cancel": {
            "en": "The course has started, so the booking can't be cancelled here. Please contact CED directly.",
            "da": "Kurset er gået i gang, så bookingen kan ikke afbestilles her. Kontakt CED direkte.",
        },
        "promoted": {
            "en": "Good news: a seat has become free on **{title}** ({when}), and it is yours. "
            "The calendar invite is attached. If you can no longer come, cancel with /mybookings.",
            "da": "Godt nyt: Der er blevet en plads ledig på **{title}** ({when}), og den er din. "
            "Kalenderinvitationen er vedhæftet. Kan du ikke komme, så afbestil med /mybookings.",
        },
        "reminder": {
            "en": "Reminder: **{title}** starts {when} ({where}). See you there!",
            "da": "Påmindelse: **{title}** begynder {when} ({where}). Vi ses!",
        },
        "help_courses": {"en": "upcoming courses; book a seat", "da": "kommende kurser; book en plads"},
        "help_mybookings": {
            "en": "your bookings and meetings; cancel or reschedule",
            "da": "dine bookinger og møder; afbestil eller flyt",
        },
    }
)
