"""Demo content for ``flask seed-demo``: Hotel De Gouden Sleutel, Amsterdam.

Pure data plus a few tiny helpers, standard library only, so the seeder (and
tests) can import it without an application context. The seeder decides dates,
authors, points and randomness; this module only supplies believable words.

Conventions:

* Team and value names are referenced through the constants below, so a typo
  fails at import time instead of producing an orphan tag.
* Moments carry ``lang`` ("nl" or "en"): a seeder can hand Dutch moments to
  Dutch-speaking staff. Moments with a ``gesture_cost_cents`` also carry a
  short ``gesture_note`` (<= 140 characters, the column's limit); the rest
  have ``None`` for both.
* Kudos and recognition texts may contain ``{name}``; fill it with
  :func:`fill`, which uses the receiver's first name.
"""

from __future__ import annotations

ORGANISATION = {
    "name": "Hotel De Gouden Sleutel",
    "slug": "demo",
    "timezone": "Europe/Amsterdam",
}

# How many weeks of history the seeder spreads the moments, kudos and
# recognitions over.
DEMO_WEEKS = 8

# --- Values -----------------------------------------------------------------
# Each value is written in Dutch and English, as the hotel's staff read both. The
# organisation's default language is English, so ``name`` and ``description`` (the
# columns everyone falls back to) are the English text.


def _value(en: tuple[str, str], nl: tuple[str, str]) -> dict[str, object]:
    return {
        "name": en[0],
        "description": en[1],
        "translations": {
            "en": {"name": en[0], "description": en[1]},
            "nl": {"name": nl[0], "description": nl[1]},
        },
    }


ANTICIPATE = "Anticipate"
PERSONAL_TOUCH = "Personal touch"
DETAIL = "Eye for detail"
CALM = "Calm under pressure"
EXTRA_MILE = "Extra mile"
LOCAL_HOST = "Local host"

VALUES = [
    _value(
        (
            ANTICIPATE,
            "See what the guest needs before they ask, and already do something about it.",
        ),
        (
            "Vooruitdenken",
            "Zien wat de gast nodig heeft voordat hij erom vraagt, en er alvast iets mee doen.",
        ),
    ),
    _value(
        (
            PERSONAL_TOUCH,
            "Treat every guest as this guest: remember what they like, use their name, make it "
            "theirs.",
        ),
        (
            "Persoonlijke aandacht",
            "Behandel elke gast als déze gast: onthoud wat hij fijn vindt, gebruik zijn naam, "
            "maak het van hem.",
        ),
    ),
    _value(
        (
            DETAIL,
            "Notice the small things others miss: an empty glass, a frayed cable, a tired look.",
        ),
        (
            "Oog voor detail",
            "De kleine dingen opmerken die een ander mist: een leeg glas, een rafelige kabel, "
            "een vermoeide blik.",
        ),
    ),
    _value(
        (
            CALM,
            "When it gets busy or goes wrong, stay kind and clear so the guest never feels the "
            "chaos.",
        ),
        (
            "Rustig onder druk",
            "Wordt het druk of gaat er iets mis, blijf vriendelijk en duidelijk, zodat de gast "
            "niets van de chaos merkt.",
        ),
    ),
    _value(
        (EXTRA_MILE, "Doing the thing nobody asked for, because you could see it would matter."),
        (
            "Een stapje extra",
            "Doen waar niemand om vroeg, omdat je zag dat het ertoe zou doen.",
        ),
    ),
    _value(
        (
            LOCAL_HOST,
            "Share the Amsterdam we know: the right café, the quiet route, the market day that "
            "tourists miss.",
        ),
        (
            "Gastheer van de stad",
            "Deel het Amsterdam dat wij kennen: het goede café, de rustige route, de marktdag "
            "die toeristen missen.",
        ),
    ),
]

# --- Teams ------------------------------------------------------------------

FRONT_DESK = "Front desk"
RESTAURANT = "Restaurant & bar"
HOUSEKEEPING = "Housekeeping"

TEAMS = [FRONT_DESK, RESTAURANT, HOUSEKEEPING]

# Keys of the awards Kizuki offers (webapp/recognition/schemas.py), shown in each
# reader's language.
AWARDS = ["golden_key", "guest_whisperer", "calm_captain", "eagle_eye"]

# --- People -----------------------------------------------------------------


def _person(
    email: str, name: str, team: str, locale: str, role: str = "staff", team_role: str = "member"
) -> dict[str, str]:
    return {
        "email": email,
        "name": name,
        "role": role,
        "team": team,
        "team_role": team_role,
        "locale": locale,
    }


PEOPLE = [
    # Front desk / Receptie
    _person("manager@demo.test", "Sanne de Vries", FRONT_DESK, "nl", "manager", "lead"),
    _person("admin@demo.test", "Maarten Verhoeven", FRONT_DESK, "nl", "admin"),  # general manager
    _person("staff1@demo.test", "Noor El Amrani", FRONT_DESK, "nl"),
    _person("staff2@demo.test", "Lucas Oliveira", FRONT_DESK, "en"),
    _person("priya.raman@demo.test", "Priya Raman", FRONT_DESK, "en"),
    _person("daan.bakker@demo.test", "Daan Bakker", FRONT_DESK, "nl"),
    _person("sofia.romano@demo.test", "Sofia Romano", FRONT_DESK, "en"),
    _person("kevin.tjonafong@demo.test", "Kevin Tjon A Fong", FRONT_DESK, "nl"),
    _person("emma.lindqvist@demo.test", "Emma Lindqvist", FRONT_DESK, "en"),
    _person("jesse.vandam@demo.test", "Jesse van Dam", FRONT_DESK, "nl"),
    # Restaurant & bar
    _person("lead.restaurant@demo.test", "Rachid Bouzid", RESTAURANT, "nl", "manager", "lead"),
    _person("fleur.jansen@demo.test", "Fleur Jansen", RESTAURANT, "nl"),
    _person("mateo.garcia@demo.test", "Mateo García", RESTAURANT, "en"),
    _person("aylin.yildiz@demo.test", "Aylin Yıldız", RESTAURANT, "nl"),
    _person("tom.obrien@demo.test", "Tom O'Brien", RESTAURANT, "en"),
    _person("anouk.smit@demo.test", "Anouk Smit", RESTAURANT, "nl"),
    _person("kofi.mensah@demo.test", "Kofi Mensah", RESTAURANT, "en"),
    _person("julia.kowalska@demo.test", "Julia Kowalska", RESTAURANT, "en"),
    _person("thijs.mulder@demo.test", "Thijs Mulder", RESTAURANT, "nl"),
    _person("chiara.bianchi@demo.test", "Chiara Bianchi", RESTAURANT, "en"),
    # Housekeeping
    _person("lead.housekeeping@demo.test", "Marisol Reyes", HOUSEKEEPING, "en", "manager", "lead"),
    _person("ewa.nowak@demo.test", "Ewa Nowak", HOUSEKEEPING, "en"),
    _person("fatima.ouali@demo.test", "Fatima Ouali", HOUSEKEEPING, "nl"),
    _person("dewi.soerjadi@demo.test", "Dewi Soerjadi", HOUSEKEEPING, "nl"),
    _person("ana.ionescu@demo.test", "Ana Ionescu", HOUSEKEEPING, "en"),
    _person("bram.degroot@demo.test", "Bram de Groot", HOUSEKEEPING, "nl"),
    _person("mariam.haile@demo.test", "Mariam Haile", HOUSEKEEPING, "en"),
    _person("yusuf.demir@demo.test", "Yusuf Demir", HOUSEKEEPING, "nl"),
    _person("kasia.zielinska@demo.test", "Kasia Zielińska", HOUSEKEEPING, "en"),
    _person("shanti.ramdin@demo.test", "Shanti Ramdin", HOUSEKEEPING, "nl"),
]

# --- Moments ----------------------------------------------------------------


def _moment(
    team: str,
    lang: str,
    values: list[str],
    cue: str,
    action: str,
    reaction: str,
    cost: int | None = None,
    note: str | None = None,
) -> dict[str, object]:
    return {
        "team": team,
        "lang": lang,
        "values": values,
        "cue": cue,
        "action": action,
        "reaction": reaction,
        "gesture_cost_cents": cost,
        "gesture_note": note,
    }


_FRONT_DESK_MOMENTS = [
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[ANTICIPATE],
        cue="A business guest at checkout kept glancing at his watch while the printer warmed up.",
        action=(
            "I had already printed his invoice and boarding pass from the check-in link in his "
            "booking notes, and the Schiphol taxi was at the door while he signed."
        ),
        reaction="He said it was the first checkout in months that took less than a minute.",
    ),
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[EXTRA_MILE, PERSONAL_TOUCH],
        cue=(
            "Through the window I saw an elderly guest dragging a heavy suitcase over the "
            "cobbles from the tram stop."
        ),
        action=(
            "I went out and carried it in, and on her departure day I walked her and the case to "
            "her son's car, parked across the bridge."
        ),
        reaction="She hugged me, and her son came back in just to shake my hand.",
    ),
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[DETAIL],
        cue="A guest squinted at the city map and kept holding it at arm's length.",
        action=(
            "I fetched a pair of reading glasses from our spare box and circled the three places "
            "she'd asked about in thick marker."
        ),
        reaction=(
            "She laughed that hers were still on the plane and borrowed ours for the whole stay."
        ),
    ),
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[ANTICIPATE, CALM],
        cue=(
            "A family arrived at 11 pm after a delayed flight; the toddler was crying and the "
            "father mumbled that the milk had gone cold."
        ),
        action=(
            "I asked the bar to warm a bottle of milk, and it was on the desk before the key cards "
            "were ready."
        ),
        reaction=(
            "The little one was asleep before the lift reached the fourth floor, and the parents "
            "thanked us at breakfast."
        ),
    ),
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[ANTICIPATE],
        cue=(
            "A guest was trying to show her booking on a phone at 3% battery, and her charger was "
            "in the suitcase she'd checked through to Berlin."
        ),
        action="I found the booking by her surname and gave her a USB-C charger to keep.",
        reaction="She said it saved her evening, because she needed the phone to find her sister.",
        cost=1200,
        note="USB-C charger for a guest whose own was checked through",
    ),
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[LOCAL_HOST],
        cue=(
            "A honeymoon couple mentioned in passing that it was pouring on their first ever day "
            "in Amsterdam."
        ),
        action=(
            "I booked them on an evening canal cruise with a covered boat and marked a cosy brown "
            "café near the pier on their map."
        ),
        reaction=(
            "They came back soaked but beaming, and said it was their favourite night of the trip."
        ),
    ),
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[LOCAL_HOST, ANTICIPATE],
        cue="A guest asked where to buy an umbrella while staring at the rain radar on his phone.",
        action=(
            "I lent him one of our big hotel umbrellas and told him the showers would pass by "
            "three, so the Rijksmuseum first and the walk along the canals after."
        ),
        reaction=(
            "He came back at four with the umbrella under his arm, saying the timing was perfect."
        ),
    ),
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[PERSONAL_TOUCH],
        cue="A guest checking in was on an urgent call in Spanish and clearly couldn't hang up.",
        action=(
            "I did the whole check-in silently with a few written notes, and put the room number "
            "and Wi-Fi password on a card she could read mid-call."
        ),
        reaction="She gave me a thumbs-up and came back later to say gracias properly.",
    ),
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[CALM],
        cue="Eight guests were queueing at the desk when the key card encoder froze.",
        action=(
            "I handed out water, took names in order and coded cards on the back-office encoder "
            "while a colleague restarted the main one."
        ),
        reaction=(
            "Nobody left the queue annoyed; one guest said we were calmer than his airline had "
            "been."
        ),
    ),
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[PERSONAL_TOUCH, ANTICIPATE],
        cue="A regular guest always asks for an extra pillow and a room away from the lift.",
        action=(
            "I added both to his profile, so this time the room was far from the lift with two "
            "extra pillows on the bed before he arrived."
        ),
        reaction="He noticed straight away and said it felt like coming home.",
    ),
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[LOCAL_HOST, PERSONAL_TOUCH],
        cue=(
            "A solo traveller asked, a bit hesitantly, whether it was safe to walk back from "
            "Leidseplein late at night."
        ),
        action=(
            "I wrote down the night bus and a well-lit route along the canals, and gave her the "
            "desk's direct number in case she wanted us to call a taxi."
        ),
        reaction="She stopped by the desk at one in the morning to say she'd made it back fine.",
    ),
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[ANTICIPATE, EXTRA_MILE],
        cue="A guest mentioned he was running the marathon on Sunday.",
        action=(
            "I arranged a 5:30 breakfast bag with a banana, bread and peanut butter, and printed "
            "the race-day tram diversions for him."
        ),
        reaction="He came back that afternoon to show us his medal.",
    ),
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[EXTRA_MILE],
        cue="A guest was dragging her suitcase across the lobby on a broken wheel.",
        action=(
            "I called a luggage repair shop in De Pijp that could fix it the same day and sent it "
            "over with a bike courier."
        ),
        reaction="The case was back in her room before dinner and she couldn't quite believe it.",
        cost=1500,
        note="Bike courier to the luggage repair shop and back",
    ),
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[DETAIL],
        cue=(
            "A guest signing the registration card had a plaster on his hand that was coming loose."
        ),
        action=(
            "I brought a fresh plaster and an antiseptic wipe from the first aid kit, without "
            "making a fuss about it."
        ),
        reaction=(
            "He laughed that it was his first bike fall in Amsterdam and that the city had "
            "officially initiated him."
        ),
        cost=150,
        note="Plaster and antiseptic wipe",
    ),
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[LOCAL_HOST, EXTRA_MILE],
        cue=(
            "A Japanese family stood puzzled in front of the ticket machine at the tram stop "
            "outside."
        ),
        action=(
            "I went out, helped them buy day tickets and showed the kids how to check in and out "
            "on the tram."
        ),
        reaction="Every morning after that the kids practised their 'dank je wel' on me.",
    ),
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[CALM],
        cue=(
            "A guest called down at 2 am, whispering that the room next door was having a loud "
            "party."
        ),
        action=(
            "I went up myself, asked the neighbours politely to keep it down, and brought the "
            "caller earplugs and the offer of a late checkout."
        ),
        reaction=(
            "She was asleep before I got back to the desk and left a thank-you note in the morning."
        ),
    ),
    _moment(
        team=FRONT_DESK,
        lang="en",
        values=[CALM, PERSONAL_TOUCH],
        cue=(
            "A guest came back to the desk close to tears: her flight was cancelled and she had "
            "already checked out."
        ),
        action=(
            "I reopened her room at the same rate, printed the airline's rebooking options and "
            "stayed with her while she made the call."
        ),
        reaction="She said she would never forget that she didn't have to sort it out alone.",
    ),
    _moment(
        team=FRONT_DESK,
        lang="nl",
        values=[ANTICIPATE, CALM],
        cue=(
            "Een moeder vroeg terloops of er nog een apotheek open was; haar dochtertje had koorts."
        ),
        action=(
            "Ik heb de dienstapotheek gebeld om te checken of ze kinderparacetamol hadden en een "
            "taxi besteld die bleef wachten."
        ),
        reaction=(
            "Binnen een halfuur was ze terug, en de volgende ochtend kwam ze vertellen dat de "
            "koorts gezakt was."
        ),
        cost=1800,
        note="Taxi heen en terug naar de dienstapotheek",
    ),
    _moment(
        team=FRONT_DESK,
        lang="nl",
        values=[DETAIL, PERSONAL_TOUCH],
        cue=(
            "Een oudere meneer vroeg twee keer hoe laat het ontbijt was en leek het niet goed te "
            "onthouden."
        ),
        action=(
            "Ik heb de ontbijttijden en zijn kamernummer in grote letters op een kaartje "
            "geschreven dat precies in zijn sleutelhoesje past."
        ),
        reaction="De volgende ochtend liet hij het trots aan de bediening zien.",
    ),
    _moment(
        team=FRONT_DESK,
        lang="nl",
        values=[PERSONAL_TOUCH, EXTRA_MILE],
        cue=(
            "Een stel kwam voor hun trouwdag, en de vrouw vertelde dat ze hier dertig jaar geleden "
            "ook hadden geslapen."
        ),
        action=(
            "Ik heb in het oude gastenboek hun kamer opgezocht, ze die kamer gegeven en er een "
            "kaartje met een oude foto van het hotel neergelegd."
        ),
        reaction="Ze werd er helemaal stil van en vroeg of ze de foto mocht houden.",
    ),
    _moment(
        team=FRONT_DESK,
        lang="nl",
        values=[ANTICIPATE],
        cue=(
            "Een zakelijke gast vroeg om een wekdienst om kwart over vijf voor de eerste trein "
            "naar Parijs."
        ),
        action=(
            "Ik heb meteen een ontbijtpakketje bij de keuken besteld en de taxi vastgelegd, zodat "
            "hij 's ochtends alleen nog hoefde in te stappen."
        ),
        reaction="Hij zei dat hij voor het eerst niet met een lege maag op het perron stond.",
    ),
    _moment(
        team=FRONT_DESK,
        lang="nl",
        values=[LOCAL_HOST],
        cue=(
            "Een Duitse gast vroeg waar je 'echte' Hollandse kaas koopt, niet in een "
            "toeristenwinkel."
        ),
        action=(
            "Ik heb haar naar de kaasboer op de Noordermarkt gestuurd en op de kaart gezet dat de "
            "boerenmarkt alleen op zaterdag is."
        ),
        reaction="Ze kwam terug met een tas vol kaas en een stuk oude Beemster voor de receptie.",
    ),
    _moment(
        team=FRONT_DESK,
        lang="nl",
        values=[ANTICIPATE, PERSONAL_TOUCH],
        cue=(
            "Twee kinderen hingen verveeld over de balie terwijl hun ouders het inschrijfformulier "
            "invulden."
        ),
        action=(
            "Ik gaf ze een kleurplaat van de grachtenpanden en vroeg hoeveel fietsen ze vanuit het "
            "raam konden tellen."
        ),
        reaction=(
            "De ouders konden rustig inchecken en de kinderen kwamen trots terug met "
            "'zevenenveertig'."
        ),
    ),
    _moment(
        team=FRONT_DESK,
        lang="nl",
        values=[CALM, EXTRA_MILE],
        cue=(
            "Een gast belde in paniek dat hij zijn laptop op de kamer had laten liggen en al op "
            "Schiphol stond."
        ),
        action=(
            "Ik heb de laptop laten ophalen en met een koerier naar de vertrekhal gestuurd, waar "
            "hij hem nog voor het boarden in handen had."
        ),
        reaction="Anders had hij zijn presentatie in Londen niet kunnen geven, schreef hij later.",
        cost=2000,
        note="Spoedkoerier naar Schiphol met de vergeten laptop",
    ),
    _moment(
        team=FRONT_DESK,
        lang="nl",
        values=[ANTICIPATE, LOCAL_HOST],
        cue="Een gast in een rolstoel vroeg hoe ze het best bij het Anne Frank Huis kon komen.",
        action=(
            "Ik heb het museum gebeld over de toegankelijke ingang, een tijdslot voor haar "
            "geboekt en een rolstoeltaxi besteld."
        ),
        reaction="Ze zei dat ze normaal alles zelf moet uitzoeken en nu gewoon kon genieten.",
    ),
    _moment(
        team=FRONT_DESK,
        lang="nl",
        values=[PERSONAL_TOUCH],
        cue=(
            "Een gast vertelde bij het inchecken dat hij jarig was, maar dat zijn vrouw pas morgen "
            "zou aankomen."
        ),
        action=(
            "Ik heb een taartje met een kaarsje op zijn kamer laten zetten, met een kaart namens "
            "het hele team."
        ),
        reaction="Hij belde naar beneden om te zeggen dat hij er even stil van was.",
        cost=650,
        note="Taartje met kaarsje voor een gast die alleen jarig was",
    ),
    _moment(
        team=FRONT_DESK,
        lang="nl",
        values=[CALM, ANTICIPATE],
        cue=(
            "Het was druk bij de balie en een moeder met een kinderwagen stond achteraan te "
            "zuchten."
        ),
        action=(
            "Ik heb haar sleutel alvast gecodeerd, de kinderwagen naar de lift gebracht en gezegd "
            "dat ze het formulier later kon tekenen."
        ),
        reaction="Ze zei dat ze dit nog nooit in een hotel had meegemaakt.",
    ),
    _moment(
        team=FRONT_DESK,
        lang="nl",
        values=[DETAIL, PERSONAL_TOUCH],
        cue="Een gast keek bij de lift steeds naar de trap en vroeg of er ook een kamer lager lag.",
        action=(
            "Ik heb niet doorgevraagd, maar hem zonder gedoe een kamer op de eerste verdieping "
            "gegeven en zijn koffer laten brengen."
        ),
        reaction=(
            "Later vertelde hij dat hij niet tegen liften kan en blij was dat hij het niet hoefde "
            "uit te leggen."
        ),
    ),
]

_RESTAURANT_MOMENTS = [
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[DETAIL],
        cue="A guest at dinner kept tilting the menu towards the candle to read it.",
        action=(
            "I brought over our large-print menu and a small table lamp from the bar, without "
            "saying a word about it."
        ),
        reaction="She smiled and said her daughter usually has to read menus out to her.",
    ),
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[ANTICIPATE],
        cue="At breakfast a toddler kept reaching for his mother's coffee cup.",
        action=(
            "I moved the hot drinks out of reach and brought a plastic cup of warm milk and a few "
            "rice cakes before the parents had even ordered."
        ),
        reaction="His mother said she'd finally finished a coffee while it was still hot.",
    ),
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[DETAIL, ANTICIPATE],
        cue="A guest asked twice, in slightly different words, whether a dish contained nuts.",
        action=(
            "I checked with the chef, had her food prepared on a separate board and flagged the "
            "allergy on every course ticket."
        ),
        reaction=(
            "She told us she normally eats before going out because restaurants make her nervous."
        ),
    ),
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[LOCAL_HOST, PERSONAL_TOUCH],
        cue="A couple at the bar were debating whether to try jenever but looked unsure.",
        action=(
            "I poured them two small tasters, a young and an old jenever, and showed them how to "
            "take the first sip bent over the glass without lifting it."
        ),
        reaction="They ordered a second round and took a photo of the bottle to buy at home.",
        cost=600,
        note="Two jenever tasters for curious guests",
    ),
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[ANTICIPATE],
        cue="A business guest dining alone kept glancing at his laptop bag.",
        action=(
            "I seated him at the corner table near a socket and brought the bill with dessert, so "
            "he didn't have to flag anyone down."
        ),
        reaction=(
            "He said it was the first dinner on this trip where he felt neither rushed nor "
            "forgotten."
        ),
    ),
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[PERSONAL_TOUCH],
        cue="A guest mentioned at breakfast that jet lag had kept her up all night.",
        action=(
            "I brought a pot of fresh mint tea and offered her a quiet table by the window, away "
            "from the buffet clatter."
        ),
        reaction="She came back to the same table every morning and asked for 'her' tea.",
    ),
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[CALM],
        cue="The card terminal went down in the middle of a full Saturday service.",
        action=(
            "I kept taking orders as normal, set up the backup terminal at the bar and walked "
            "tables over one by one with a glass of water."
        ),
        reaction="Not one complaint; one table even left a cash tip 'for the calm'.",
    ),
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[PERSONAL_TOUCH, DETAIL],
        cue="A reservation note mentioned a birthday, and also asked us to 'please not sing'.",
        action=(
            "I had the pastry chef write 'Happy birthday, Ines' in chocolate on her dessert plate "
            "and served it quietly."
        ),
        reaction="She said it was exactly the right amount of fuss.",
    ),
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[ANTICIPATE, EXTRA_MILE],
        cue="A vegan guest was eating only bread and salad from the breakfast buffet.",
        action=(
            "I asked the kitchen for avocado toast and warm oat porridge, and put oat milk at the "
            "coffee station from the next morning."
        ),
        reaction="She said she'd been living on bread for three days and nearly hugged me.",
    ),
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[DETAIL, PERSONAL_TOUCH],
        cue="A man at the bar kept nervously patting a small box in his jacket pocket.",
        action=(
            "I quietly asked if tonight was the night, then dimmed the light at their table and "
            "had two glasses of champagne ready for the moment."
        ),
        reaction="She said yes, and they came back the next evening to thank the whole bar.",
        cost=1800,
        note="Two glasses of champagne for a proposal",
    ),
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[CALM, EXTRA_MILE],
        cue="A group of ten arrived forty minutes late, just as the kitchen was about to close.",
        action=(
            "I asked the chef for a sharing menu we could serve all at once and set their table "
            "while they were still taking off their coats."
        ),
        reaction="They had expected to be turned away and called it the best meal of their trip.",
    ),
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[DETAIL, PERSONAL_TOUCH],
        cue="A guest asked for a table 'somewhere quiet', touching her hearing aid as she said it.",
        action=(
            "I gave her the table against the back wall, away from the espresso machine, and made "
            "sure I always spoke facing her."
        ),
        reaction=(
            "She said she could follow the whole conversation with her friend for the first time "
            "that week."
        ),
    ),
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[EXTRA_MILE],
        cue=(
            "A girl with coeliac disease was looking glumly at the dessert menu while her brother "
            "ordered."
        ),
        action=(
            "I asked the pastry chef to make the chocolate mousse without the biscuit crumble and "
            "served it in a tall glass so it looked special."
        ),
        reaction="She ate it with an enormous grin and asked for the recipe.",
    ),
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[LOCAL_HOST],
        cue="A guest at the bar asked where locals go for a drink, 'not the tourist places'.",
        action=(
            "I drew a route on a napkin to a brown café in the Jordaan and told him to order a "
            "kopstootje."
        ),
        reaction="The next day he showed us a photo of himself with the bartender there.",
    ),
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[ANTICIPATE, CALM],
        cue="Breakfast was packed and a guest in a suit stood with his tray, checking his watch.",
        action=(
            "I set a small table by the window for him and brought his coffee straight away, so "
            "he could eat in ten minutes."
        ),
        reaction="He made his meeting and left a note at reception for 'the fast waiter'.",
    ),
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[ANTICIPATE],
        cue="A guest on the terrace pulled her cardigan tighter as the sun went down.",
        action="I brought a blanket and moved the patio heater closer before she had to ask.",
        reaction="She stayed for dessert and another glass of wine.",
    ),
    _moment(
        team=RESTAURANT,
        lang="en",
        values=[PERSONAL_TOUCH],
        cue="A regular always orders his espresso with a glass of sparkling water on the side.",
        action="This time it was on his table before he had sat down.",
        reaction="He said 'you remembered' and told his colleague we're the reason he stays here.",
    ),
    _moment(
        team=RESTAURANT,
        lang="nl",
        values=[PERSONAL_TOUCH],
        cue="Een gast zat aan het ontbijt steeds haar neus te snuiten en zag er grauw uit.",
        action=(
            "Ik heb verse gemberthee met honing en citroen gebracht en gevraagd of ze liever in "
            "een rustig hoekje wilde zitten."
        ),
        reaction="Ze zei dat het precies was wat haar moeder vroeger deed.",
        cost=350,
        note="Verse gember, honing en citroen voor een verkouden gast",
    ),
    _moment(
        team=RESTAURANT,
        lang="nl",
        values=[PERSONAL_TOUCH, DETAIL],
        cue="Een ouder echtpaar twijfelde hardop of ze wel drie gangen op zouden krijgen.",
        action=(
            "Ik stelde voor het hoofdgerecht te delen en vroeg de keuken het op twee borden op te "
            "maken."
        ),
        reaction="Ze vonden het zo fijn dat ze de avond erna terugkwamen.",
    ),
    _moment(
        team=RESTAURANT,
        lang="nl",
        values=[DETAIL],
        cue="Een gast aan de bar zat de hele tijd een voetbalwedstrijd op zijn telefoon te kijken.",
        action="Ik heb de wedstrijd op de tv in de bar gezet en hem een kruk recht ervoor gegeven.",
        reaction=(
            "Bij de 2-1 juichte de halve bar mee, en hij zei dat het net een thuiswedstrijd voelde."
        ),
    ),
    _moment(
        team=RESTAURANT,
        lang="nl",
        values=[DETAIL, ANTICIPATE],
        cue=(
            "Een moeder met een baby keek tijdens het diner zoekend rond naar een rustige plek om "
            "te voeden."
        ),
        action=(
            "Ik heb haar de lege zaal naast het restaurant aangeboden en haar hoofdgerecht daar "
            "warm gehouden en geserveerd."
        ),
        reaction=(
            "Ze zei dat ze zich nog nooit zo welkom had gevoeld met een baby in een restaurant."
        ),
    ),
    _moment(
        team=RESTAURANT,
        lang="nl",
        values=[LOCAL_HOST, EXTRA_MILE],
        cue=(
            "Een gast vroeg bij het afrekenen of we lunchpakketten maken, want hij ging naar de "
            "Zaanse Schans fietsen."
        ),
        action=(
            "Ik heb er een fles water en een stroopwafel bij gedaan en de mooiste route langs de "
            "Zaan op een kaartje getekend."
        ),
        reaction=(
            "Hij kwam terug met rode wangen en zei dat de route beter was dan die in zijn gids."
        ),
        cost=250,
        note="Water en een stroopwafel bij het lunchpakket",
    ),
    _moment(
        team=RESTAURANT,
        lang="nl",
        values=[CALM],
        cue=(
            "Op een volle zaterdag viel er halverwege de avond een collega in de bediening ziek "
            "uit."
        ),
        action=(
            "Ik heb de tafels opnieuw verdeeld, de kleine tafels zelf overgenomen en gasten "
            "eerlijk "
            "gezegd dat het iets langer kon duren, met een amuse van het huis."
        ),
        reaction="Iedereen reageerde begripvol, en een tafel noemde het later nog in een review.",
        cost=1600,
        note="Amuses van het huis voor tafels die langer moesten wachten",
    ),
    _moment(
        team=RESTAURANT,
        lang="nl",
        values=[PERSONAL_TOUCH, EXTRA_MILE],
        cue="Een vaste gast vertelde dat hij sinds een paar maanden geen alcohol meer drinkt.",
        action=(
            "Samen met de bar heb ik een alcoholvrije cocktail met rabarber en tonic voor hem "
            "bedacht, die nu als 'de Henk' op de kaart staat."
        ),
        reaction="Hij bestelt hem elke keer en zegt dat hij zich niet meer de vreemde eend voelt.",
    ),
    _moment(
        team=RESTAURANT,
        lang="nl",
        values=[DETAIL],
        cue="Een gast met zijn arm in het gips probeerde met één hand zijn biefstuk te snijden.",
        action=(
            "Ik heb de keuken gevraagd zijn vlees voortaan in stukjes te snijden voordat het de "
            "zaal in ging, zonder er een punt van te maken."
        ),
        reaction="Hij knipoogde en zei dat hij het zelf niet had durven vragen.",
    ),
    _moment(
        team=RESTAURANT,
        lang="nl",
        values=[PERSONAL_TOUCH],
        cue=(
            "Een groep collega's vierde een afscheid aan de bar, en de vrouw die vertrok zat "
            "een beetje stil in de hoek."
        ),
        action=(
            "Ik heb haar een glas bubbels gebracht met een kaartje 'succes met je nieuwe "
            "avontuur' van de bar."
        ),
        reaction="Ze stopte het kaartje in haar telefoonhoesje om het te bewaren.",
        cost=900,
        note="Glas bubbels en een kaartje voor iemand die afscheid nam",
    ),
    _moment(
        team=RESTAURANT,
        lang="nl",
        values=[LOCAL_HOST],
        cue="Een Amerikaanse gast vroeg wat een 'bitterbal' eigenlijk is.",
        action=(
            "Ik heb er twee laten brengen met mosterd en uitgelegd dat je ze eerst even moet laten "
            "afkoelen, anders verbrand je je mond."
        ),
        reaction="Hij bestelde er meteen twintig voor zijn hele groep.",
        cost=400,
        note="Twee bitterballen om te proeven",
    ),
    _moment(
        team=RESTAURANT,
        lang="nl",
        values=[DETAIL, ANTICIPATE],
        cue=(
            "Een gast liep drie keer langs het ontbijtbuffet en leek iets te zoeken dat er niet "
            "lag."
        ),
        action=(
            "Ik vroeg wat ze zocht: glutenvrij brood. Ik heb het uit de keuken gehaald, geroosterd "
            "en de rest van haar verblijf elke ochtend klaargelegd."
        ),
        reaction="Ze zei dat ze zich voor het eerst geen lastige gast voelde.",
    ),
]

_HOUSEKEEPING_MOMENTS = [
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[DETAIL, PERSONAL_TOUCH],
        cue="A child's drawing was stuck to the mirror and a half-built Lego set covered the desk.",
        action=(
            "I cleaned around it, left every brick exactly where it was and put a towel-folded "
            "dog next to it to stand guard."
        ),
        reaction=(
            "The boy told his parents the Lego was 'guarded by a towel dog' and drew us a "
            "thank-you picture."
        ),
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[ANTICIPATE, PERSONAL_TOUCH],
        cue=(
            "The bin was full of tissues and there was an empty bottle of cough syrup on the "
            "nightstand."
        ),
        action=(
            "I left an extra box of tissues, a flask of hot water with honey sachets and a note "
            "asking whether she'd prefer the room done later so she could sleep."
        ),
        reaction="She rang housekeeping to say thank you and asked for an afternoon clean.",
        cost=300,
        note="Honey sachets and a flask of hot water for a guest with a cold",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[ANTICIPATE, EXTRA_MILE],
        cue="A suit and shirt were laid out on the bed next to the iron and a wedding invitation.",
        action=(
            "I asked the laundry to press the shirt and steam the suit that morning, and hung "
            "them back with a note."
        ),
        reaction=(
            "He said he'd never ironed a shirt well in his life and now he finally looked like a "
            "best man."
        ),
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[DETAIL],
        cue=(
            "An elderly guest had a row of medicine boxes on the nightstand next to an empty "
            "water glass."
        ),
        action=(
            "I put a fresh carafe and a clean glass within reach and left the boxes in exactly "
            "the same order."
        ),
        reaction="Her daughter told reception that her mother felt really looked after.",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[ANTICIPATE, PERSONAL_TOUCH],
        cue="A bike helmet and mud-caked cycling shoes stood by the door after a rainy day.",
        action=(
            "I stuffed the shoes with newspaper to dry overnight and left two extra bath towels "
            "and a bottle of sports drink."
        ),
        reaction="He left a note saying his shoes had never dried that fast after a ride.",
        cost=250,
        note="Sports drink for a guest back from a long wet ride",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[DETAIL],
        cue="The guest's phone cable on the nightstand was frayed and held together with tape.",
        action=(
            "I left a new cable from our unclaimed lost-and-found spares next to it, with a note, "
            "and didn't touch hers."
        ),
        reaction="She took it home and mentioned it in her review.",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[DETAIL, PERSONAL_TOUCH],
        cue=(
            "The Do Not Disturb sign had been out for two days, and used towels were piled "
            "outside the door."
        ),
        action=(
            "I left fresh towels, toiletries and a bin bag at the door with a note that she could "
            "call for a five-minute refresh at any time."
        ),
        reaction="She called the next morning and asked for me by name.",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[ANTICIPATE],
        cue=(
            "A tiny pair of shoes lay by the bed and a baby bottle was drying in the bathroom sink."
        ),
        action=(
            "I put up the travel cot without being asked, fitted socket covers on the low plugs "
            "and left a bottle brush."
        ),
        reaction="The parents said they hadn't even thought about the sockets.",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[CALM],
        cue="Twelve rooms had to be ready by two for a tour group, and one of us was off sick.",
        action=(
            "I reordered the list so the group's floor went first, paired up with a colleague for "
            "the beds and kept reception updated every half hour."
        ),
        reaction=(
            "The group walked straight into their rooms and the tour leader thanked the front desk."
        ),
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[DETAIL],
        cue="A stack of novels on the nightstand, and the reading lamp had a dim, flickering bulb.",
        action=(
            "I replaced the bulb with a brighter warm one and angled the lamp towards the side of "
            "the bed she reads on."
        ),
        reaction="At checkout she said it was the first hotel bed she could actually read in.",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[ANTICIPATE, EXTRA_MILE],
        cue=(
            "A note on the pillow said the room was too warm to sleep and the window wouldn't open."
        ),
        action=(
            "I reported it to maintenance and, in the meantime, set up a quiet fan from the "
            "storeroom before she came back."
        ),
        reaction="She slept through the night and asked for the same fan on her next stay.",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[DETAIL, EXTRA_MILE],
        cue="Cleaning a room that had just checked out, I found a wedding ring beside the sink.",
        action=(
            "I took it straight to the front desk, and we reached the guest by phone while he was "
            "still at Centraal station."
        ),
        reaction="He came back pale, left with his ring, and gave me a big hug.",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[ANTICIPATE],
        cue="A suitcase on the rack had a broken zip, and clothes were spilling onto the floor.",
        action="I left a luggage strap on the case with a note that it was hers to keep.",
        reaction="She said it got her suitcase home in one piece.",
        cost=800,
        note="Luggage strap for a suitcase with a broken zip",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[PERSONAL_TOUCH, DETAIL],
        cue="A sketchbook lay open on the desk with drawings of the canal view.",
        action=(
            "I moved the armchair to the window where the light is best and left the curtains "
            "fully open."
        ),
        reaction="He left us one of his drawings, which now hangs in the staff room.",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[ANTICIPATE, DETAIL],
        cue="A guest with a walking stick had left the bath mat folded over the edge of the tub.",
        action=(
            "I put down a non-slip mat, added a shower stool and placed the toiletries at hand "
            "height."
        ),
        reaction="His wife thanked us, because she had been worried about him slipping.",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[CALM],
        cue=(
            "At seven in the morning water started coming through the bathroom ceiling, with the "
            "guests still in bed."
        ),
        action=(
            "I helped them out with their bags kept dry, had a clean room ready within ten minutes "
            "and unpacked their things in the order they had left them."
        ),
        reaction=(
            "They said they were impressed by how calmly it was handled, and booked two extra "
            "nights."
        ),
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="en",
        values=[DETAIL, PERSONAL_TOUCH],
        cue="A bunch of market tulips was wilting in a tooth glass on the desk.",
        action="I put them in a proper vase with fresh water and trimmed the stems.",
        reaction="The guest told reception the flowers lasted the whole week.",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="nl",
        values=[DETAIL, ANTICIPATE],
        cue=(
            "Op het nachtkastje lagen oordopjes en een slaapmasker, en de kamer ligt aan de "
            "tramkant."
        ),
        action=(
            "Ik heb de receptie gevraagd of er een stillere kamer vrij was, en tot die tijd de "
            "verduisterende gordijnen goed dichtgedaan en extra oordopjes neergelegd."
        ),
        reaction=(
            "De gast verhuisde dezelfde middag en zei dat hij voor het eerst in dagen goed had "
            "geslapen."
        ),
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="nl",
        values=[ANTICIPATE, DETAIL],
        cue="Er stond een koeltasje met insuline op het bureau, maar de minibar zat helemaal vol.",
        action=(
            "Ik heb de minibar leeggehaald, op de koudste stand gezet en er een briefje in gelegd "
            "dat de ruimte voor haar medicijnen is."
        ),
        reaction="Ze zei dat ze daar de hele nacht wakker van had gelegen.",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="nl",
        values=[PERSONAL_TOUCH],
        cue=(
            "Op het bureau lag een half ingepakt cadeau met plakband en een schaar, maar geen "
            "inpakpapier meer."
        ),
        action=(
            "Ik heb een vel inpakpapier en een lintje neergelegd met een briefje: 'voor het "
            "laatste stukje'."
        ),
        reaction="De gast kwam speciaal naar de gang om me te bedanken.",
        cost=300,
        note="Inpakpapier en een lintje",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="nl",
        values=[DETAIL],
        cue="Een gast had haar sokken en ondergoed over de verwarming gehangen om te drogen.",
        action=(
            "Ik heb een droogrekje neergezet en alles er netjes overheen gehangen, zodat het "
            "sneller droog was."
        ),
        reaction="Ze schreef op een briefje: 'jullie zijn engelen'.",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="nl",
        values=[ANTICIPATE],
        cue=(
            "In een familiekamer lagen overal natte handdoeken en zwemspullen na een dag in het "
            "zwembad."
        ),
        action=(
            "Ik heb extra handdoeken gebracht, een tas voor de natte spullen en een waslijntje in "
            "de badkamer gespannen."
        ),
        reaction="De moeder zei dat de kamer eindelijk niet meer naar chloor rook.",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="nl",
        values=[ANTICIPATE, PERSONAL_TOUCH],
        cue=(
            "Een ouder echtpaar had alle lampen aan en zocht zichtbaar naar het juiste knopje "
            "bij het bed."
        ),
        action=(
            "Ik heb uitgelegd welke knop wat doet en een nachtlampje in de gang naar de badkamer "
            "gezet."
        ),
        reaction="De man zei dat zijn vrouw 's nachts nu niet meer in het donker hoefde te zoeken.",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="nl",
        values=[DETAIL],
        cue=(
            "Ik zag dat een gast elke dag haar kussen op de stoel legde en met een opgerolde "
            "handdoek sliep."
        ),
        action=(
            "Ik heb een laag, stevig kussen uit ons kussenmenu neergelegd en het dikke kussen "
            "weggehaald."
        ),
        reaction="Bij het uitchecken vroeg ze waar ze dat kussen kon kopen.",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="nl",
        values=[PERSONAL_TOUCH],
        cue=(
            "Op het bureau van een gast die voor een begrafenis naar Nederland was gekomen, lag "
            "een rouwkaart."
        ),
        action=(
            "Ik heb de kamer extra rustig gedaan en een vaasje witte bloemen neergezet met een "
            "kaartje 'veel sterkte' van het team."
        ),
        reaction=(
            "Ze liet bij de receptie een kaartje achter voor 'de mevrouw die mijn kamer deed'."
        ),
        cost=1200,
        note="Witte bloemen en een kaartje voor een gast in de rouw",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="nl",
        values=[CALM],
        cue=(
            "De wasserij leverde 's ochtends maar de helft van het beddengoed, terwijl de hele "
            "derde verdieping vol zou komen."
        ),
        action=(
            "Ik heb de kamers met vroege aankomsten voorrang gegeven, uit de reservevoorraad "
            "geleend en de wasserij gebeld voor een extra rit."
        ),
        reaction="Alle gasten konden op tijd hun kamer in en niemand heeft er iets van gemerkt.",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="nl",
        values=[ANTICIPATE, PERSONAL_TOUCH],
        cue=(
            "De hond van een gast dronk uit een koffiekopje op de grond; er was geen bakje "
            "meegekomen."
        ),
        action=(
            "Ik heb een voer- en een waterbak neergezet en een oude handdoek voor de natte poten."
        ),
        reaction="De eigenaar liet de receptie een foto zien van de hond, languit op de handdoek.",
        cost=500,
        note="Voer- en waterbak voor een logerende hond",
    ),
    _moment(
        team=HOUSEKEEPING,
        lang="nl",
        values=[LOCAL_HOST, DETAIL],
        cue="Op het bureau lag een briefje: 'Albert Cuyp zondag?' met een kaart van De Pijp.",
        action=(
            "Ik heb er een briefje bij gelegd dat de markt op zondag dicht is, met de tip om "
            "zaterdag vroeg te gaan, voor de drukte."
        ),
        reaction="Ze hield me op de gang aan om te zeggen dat ze bijna voor niets was gegaan.",
    ),
]

MOMENTS = _FRONT_DESK_MOMENTS + _RESTAURANT_MOMENTS + _HOUSEKEEPING_MOMENTS

# --- Kudos ------------------------------------------------------------------
# Short (<= 140 characters); "{name}" is the receiver's first name.

KUDOS_BY_LANG = {
    "nl": [
        "Hoe jij die boze gast aan de balie rustig kreeg: petje af, {name}.",
        "Dankzij jou stond de kinderstoel al klaar voordat ze binnenkwamen. Top!",
        "{name}, jij ziet echt alles. Die rafelige oplader had ik nooit gezien.",
        "Dank je dat je mijn tafels overnam toen het even te veel werd. Je bent goud waard.",
        "Die tip over de kaasboer op de Noordermarkt: de gast had het er de hele ochtend over.",
        "Zo fijn om met jou een drukke zaterdag te draaien, {name}. Altijd rustig, altijd scherp.",
        "Je had de kamer van die oudere meneer helemaal aangepast. Zo attent!",
        "Dank je voor het inwerken van de nieuwe collega. Ze voelde zich meteen thuis.",
        "{name}, jouw briefjes op de kamers zijn inmiddels beroemd. Gasten vragen ernaar!",
        "Lief dat je die gast in de regen naar de tram bracht. Echt iets voor jou.",
        "Sterk hoe je de storing met de sleutelkaarten opving. Niemand merkte iets.",
        "Je dacht al aan het glutenvrije brood voordat ik het kon zeggen. Dank je!",
        "Dank voor de koffie om zes uur 's ochtends, {name}. Die had ik even nodig.",
        "Jij maakte van een afscheidsborrel een avond die ze niet snel vergeten.",
        "Wat een oog voor detail, {name}. Zelfs de Lego stond nog precies zo.",
        "Dank je dat je op tijd aan de bel trok toen het te druk werd. Zo doen we het samen.",
    ],
    "en": [
        "{name}, the way you remembered his espresso order made his whole morning.",
        "Thanks for covering the desk so I could take my break. Really appreciated.",
        "You spotted the nut allergy before anyone else did. Thank you, {name}!",
        "That jenever tasting you did for the couple at the bar? Pure magic.",
        "Calmest person in the building during the fire alarm. Thanks, {name}.",
        "The towel dog was a hit: the kids talked about it all through breakfast.",
        "Thanks for walking me through the new booking system without making me feel slow.",
        "{name}, you turned a cancelled flight into a guest who wants to come back.",
        "Your restaurant tips beat any guidebook. Guests keep quoting you.",
        "Thank you for the handover notes. They made my night shift so much easier.",
        "Saw you crouch down to talk to that little girl at check-in. Lovely.",
        "You had the travel cot up before the parents even asked. Legend.",
        "{name}, thanks for staying calm when the card machine died. You saved service.",
        "The reading lamp you fixed for the guest with all the novels: that's what we're about.",
        "Thank you for swapping shifts so I could be at my son's school play.",
        "Those handwritten notes you leave in the rooms are little works of art, {name}.",
        "You noticed he was nervous about the proposal before any of us did. Brilliant.",
        "Thanks for teaching me to fold the pillows the Gouden Sleutel way.",
        "You found that wedding ring just in time. The guest was speechless.",
        "{name}, the way you handled that late group of ten was pure class.",
        "Your calm voice on the phone at 2 am really helped that guest. Thank you.",
        "Thanks for the heads-up about the early arrivals. We were ready because of you.",
        "The cycling map you drew for the Zaanse Schans guest: so thoughtful.",
        "You always make the new people feel welcome. Thank you, {name}.",
    ],
}

KUDOS_MESSAGES = KUDOS_BY_LANG["nl"] + KUDOS_BY_LANG["en"]

# A closing line with the receiver's name, so that a message without "{name}" can be said
# to several people and every kudos in the demo still reads as its own.
KUDOS_CLOSINGS = {
    "nl": [
        "Dank je wel, {name}!",
        "Top gedaan, {name}.",
        "Blij met jou, {name}.",
        "Chapeau, {name}.",
    ],
    "en": [
        "Thank you, {name}!",
        "Well done, {name}.",
        "So glad you're here, {name}.",
        "Cheers, {name}.",
    ],
}

# --- Recognitions -----------------------------------------------------------
# A manager's specific, personal acknowledgement; "{name}" as above.

RECOGNITIONS_BY_LANG = {
    "nl": [
        "{name}, deze maand zag ik je keer op keer dingen opmerken die anderen missen: de "
        "oordopjes, het koeltasje met insuline, het hondenbakje. Precies daar staan we voor. "
        "Dank je wel.",
        "Toen de pinautomaat uitviel op die volle zaterdag bleef jij rustig en hield je het "
        "team bij elkaar. Gasten hebben er niets van gemerkt, en dat is jouw verdienste, {name}.",
        "{name}, gasten citeren jouw tips over de stad letterlijk in hun reviews. Je laat ze "
        "Amsterdam zien zoals wij het kennen.",
        "Je hebt de nieuwe collega's met zoveel geduld ingewerkt dat ze na twee weken al "
        "zelfstandig draaiden. Dat zie ik, en dat waardeer ik enorm.",
        "Wat je deed voor die gast met de geannuleerde vlucht was omotenashi in het echt: je "
        "nam de tijd en je bleef erbij. Dank je, {name}.",
    ],
    "en": [
        "{name}, three guests mentioned you by name in their reviews this month. Not for one "
        "big thing, but for lots of small things done right. Thank you.",
        "When the laundry delivery fell short, you reorganised the whole floor without being "
        "asked, and every guest got their room on time. That's leadership.",
        "{name}, you have a gift for noticing when a guest needs quiet rather than attention. "
        "The guest with the hearing aid told me she'll be back because of you.",
        "You spent only a small part of your gesture budget, but every euro landed. The jenever "
        "tasting and the farewell bubbles were perfectly judged.",
        "Thank you for speaking up when the shift got too busy, {name}. Looking after yourself "
        "and each other is part of great hospitality too.",
        "{name}, you turned a 2 am emergency into a calm, well-handled moment, and your handover "
        "notes afterwards were a model for the whole team.",
        "Your care for our older guests, from the large-print cards to the night lights, does "
        "not go unnoticed. You make people feel safe here.",
    ],
}

RECOGNITIONS = RECOGNITIONS_BY_LANG["nl"] + RECOGNITIONS_BY_LANG["en"]

# --- Helpers ----------------------------------------------------------------


def first_name(full_name: str) -> str:
    """Return the first word of a person's name ("Kevin Tjon A Fong" -> "Kevin")."""
    return full_name.split()[0] if full_name.strip() else full_name


def fill(template: str, receiver_name: str) -> str:
    """Put the receiver's first name into a kudos or recognition text."""
    # str.replace, not str.format: a stray brace in a text must never crash the seeder.
    return template.replace("{name}", first_name(receiver_name))


def people_in_team(team: str) -> list[dict[str, str]]:
    """Return the demo people whose team is ``team``."""
    return [p for p in PEOPLE if p["team"] == team]


def moments_for_team(team: str, lang: str | None = None) -> list[dict[str, object]]:
    """Return the moments that fit ``team``, optionally only those in ``lang``."""
    return [m for m in MOMENTS if m["team"] == team and (lang is None or m["lang"] == lang)]
