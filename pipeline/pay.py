"""Pay ranges stated in free text: ``parse_pay(text) -> list[PayRange]`` and ``primary_pay(ranges)``.

The rules, with the examples they come from: docs/pay-rules.md.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline import scan
from pipeline.model import PayRange
from pipeline.money import CODES as _CODES
from pipeline.money import DOLLAR_PREFIXES as _DOLLAR_PREFIXES
from pipeline.money import SYMBOLS as _SYMBOLS
from pipeline.money import currency_code, to_number
from pipeline.text import fold

__all__ = ["parse_money", "parse_pay", "primary_pay"]

# --- currencies ------------------------------------------------------------------------------------------------

# Symbols, "$" prefixes and ISO codes: pipeline/money.py.
# Lower-case codes occur in normalised free-text salary fields ("$120,750 - $172,500 usd"); "cad" and friends
# are left out because as words they mean software ("CAD tools").
_LOWER_CODES = ("usd", "eur", "gbp", "aud", "chf", "inr")
_WORD_CURRENCIES = {"euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD", "rs": "INR", "rs.": "INR"}
# Rough units per USD, only to put the magnitude rule on one scale. CHF/EUR/GBP/CAD/AUD are close enough to 1.
_USD_PER_UNIT = {
    "kr": 10, "JPY": 150, "CNY": 7, "RMB": 7, "INR": 83, "KRW": 1300, "SEK": 10, "NOK": 10, "DKK": 7, "ISK": 140,
    "PLN": 4, "CZK": 23, "HUF": 360, "RON": 4.6, "BGN": 1.8, "TWD": 32, "BRL": 5, "MXN": 17, "ARS": 900,
    "CLP": 900, "COP": 4000, "PEN": 3.7, "ZAR": 18, "ILS": 3.7, "AED": 3.7, "SAR": 3.7, "QAR": 3.6, "TRY": 32,
    "RUB": 90, "UAH": 40, "PHP": 56, "IDR": 16000, "MYR": 4.7, "THB": 36, "VND": 25000, "NGN": 1500, "KES": 130,
    "EGP": 48, "PKR": 280, "BDT": 110, "LKR": 300, "HKD": 7.8, "SGD": 1.35, "NZD": 1.6,
}  # fmt: skip

_CODE_ALT = "|".join(_CODES + list(_LOWER_CODES))
# Local currency words written after the amount ("5 550 Kč", "2 499 zł", "12 000 Ft", "950 грн.", "45.000 kr."),
# longest first; "kr" names one of several currencies (pipeline.money.AMBIGUOUS) and gives no code.
_LOCAL_WORDS = r"Kč|zł|Zł|Ft|лв\.?|lei|Lei|LEI|рублей|руб\.?|грн\.?|TL|kr\.?|SFr\.|Fr\."
_SYMBOL_CLASS = "".join(re.escape(s) for s in _SYMBOLS)

# --- the scanner -----------------------------------------------------------------------------------------------

# Starts with a character class so that re's fast prefix scan applies (an alternation of words would be tried at
# every position: ~3x slower on a 5 KB posting). Digit runs only count at their start.
_TRIGGER = re.compile(
    rf"""[{_SYMBOL_CLASS}\d](?<![\w.,'’/=#@]\d)
    (?:(?<=[^\d])                                      # a currency symbol
      |[\d,.'’\ ]{{3,}}                                 # 1,000 and up, "75 000", "120'000", years (dropped later)
      |[\d,.'’]*\ ?(?:[kKL%+\-–—~_/€£₹]|to\b|per\b|an?\b|p[a/.h]|hr|[Hh]our|[Aa]nnu|[Yy]ear|[Mm]onth|[Ww]eek
        |[Dd]a[iy]|[A-Z]{{3}}|[Ee]uro|und\b|bis\b|and\b|{_LOCAL_WORDS})
    )""",
    re.VERBOSE,
)

# "25.–" / "25,-": no minor units (Swiss, German and Dutch prices and wages); not when a figure follows the dash.
_NO_CENTS = r"[.,][–—](?!\ ?\d)|,-(?![\d-]|\ \d)"
_NUM = rf"""
    (?<![\w.,'’/=#@])
    (?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d{{1,2}})?                  # 120,000  11,670.34
      |\d{{1,3}}(?:\.\d{{3}})+(?:,\d{{1,2}}|{_NO_CENTS})?       # 60.000  120.000,00 (European)
      |\d{{1,3}}(?:['’]\d{{3}})+(?:[.,]\d{{1,2}}|{_NO_CENTS})?   # CHF 120'000  2'750.00
      |\d{{1,3}}(?:[ ]\d{{3}})+(?:[.,]\d{{1,2}}|{_NO_CENTS})?    # 75 000 €  84 500,00 (NBSP read as a space)
      |\d{{1,12}}(?:[.,]\d{{1,2}}|{_NO_CENTS})?                   # 137000  26.76  31,2(k)  25.–
    )(?![.,]?\d)
"""
_NUM_AT = re.compile(_NUM, re.VERBOSE)
# What a currency prefix of _TOKEN leaves right before its "$" or number (a superset): most triggers follow a
# lower-case word or punctuation, and one short search is cheaper than trying _TOKEN at each letter before them.
_PREFIX_TAIL = re.compile(rf"(?:[A-Z]|{'|'.join(_LOWER_CODES)}|Rs\.?)\ ?\$?(?:\ ?~\ ?|\ )?$")
# The letters a currency prefix of _TOKEN can start with ("USD", "CA$", "Rs.", "usd").
_PREFIX_FIRST = frozenset(c[0] for c in [*_DOLLAR_PREFIXES, *_CODES, *_LOWER_CODES, "Rs"])
_TOKEN = re.compile(
    rf"""
    (?:
        (?:(?=[A-Z])(?<![A-Za-z])(?P<dpre>{"|".join(sorted(_DOLLAR_PREFIXES, key=len, reverse=True))}))?(?P<dollar>\$)
      | (?P<sym>[{_SYMBOL_CLASS.replace(re.escape("$"), "")}])
      | (?=[A-Za-z])(?<![A-Za-z])(?P<cpre>{_CODE_ALT}|Rs\.?)(?![A-Za-z])\ ?(?P<cdollar>\$)?
    )?
    (?:\ ?~\ ?|\ )?
    (?P<num>{_NUM})
    (?P<mult>\ ?[kK](?![^\W_])|L(?:PA)?(?![A-Za-z])|\ ?(?:lakhs?|lacs?|[Cc]r|crores?)\b)?
    (?P<big>\ ?\+?\ ?(?:[mM]|MM|mn|mil|[Mm]illion|[bB]|bn|[Bb]illion|[Tt]rillion)(?![A-Za-z]))?
    (?P<pct>\ ?%)?
    (?P<plus>\ ?\+)?
    (?:\ ?(?:(?P<psym>[€£₹¥])
      |(?P<lword>{_LOCAL_WORDS})(?![^\W\d_])
      |(?=[A-Za-z])(?:(?P<pcode>{_CODE_ALT})(?![a-z]|[A-Z]{{2}})|(?P<pword>(?i:euros?|dollars?))\b)))?
    """,
    re.VERBOSE,
)

# Units after an amount: "/hr", "per annum", "an hour", "p.a.", "USD Annually", "gross monthly", "brutto/Jahr".
_UNIT_WORDS = {
    "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour", "h": "hour", "hourly": "hour", "ph": "hour",
    "p/hr": "hour", "p/h": "hour", "stunde": "hour", "std": "hour",
    "day": "day", "days": "day", "d": "day", "daily": "day", "tag": "day",
    "week": "week", "weeks": "week", "wk": "week", "wks": "week", "weekly": "week", "woche": "week",
    "month": "month", "months": "month", "mo": "month", "mos": "month", "mth": "month", "mths": "month",
    "monthly": "month", "monat": "month", "monatlich": "month", "mtl": "month", "calendar month": "month",
    "year": "year", "years": "year", "yr": "year", "yrs": "year", "annum": "year", "a": "year", "annual": "year",
    "annually": "year", "annualized": "year", "yearly": "year", "pa": "year", "p.a": "year", "p/a": "year",
    "jahr": "year", "jährlich": "year",
}  # fmt: skip
# Period words of other languages (docs/pay-rules.md, "Languages"): nouns after a preposition ("par mois", "per
# maand", "om måneden", "za hodinu", "/mies.") and adverbs ("mensuel", "miesięcznie", "ročně", "havonta").
_FOREIGN_NOUNS = {
    "hour": "heure uur timme godz godzinę godzina hodinu hod óra hora ora час",
    "day": "jour dag dzień nap día giorno dia день",
    "week": "semaine uge vecka uke tydzień týden hét semana settimana неделю",
    "month": "mois maand måned måneden månad månaden mnd mdr md mån miesiąc mies měsíc měs hónap hó mes mese mês "
    "месяц мес",
    "year": "année an jaar året år rok év año anno ano год",
}
_FOREIGN_ADVERBS = {
    "hour": "stündlich óránként",
    "day": "täglich",
    "week": "wöchentlich hebdomadaire",
    "month": "mensuellement mensuelle mensuel maandelijks månedligt månedlig månatligen månatlig miesięcznie "
    "měsíčně havonta havi mensuales mensual mensili mensile mensal ежемесячно",
    "year": "annuellement annuelle annuel jaarlijks årligt årligen årlig rocznie ročně évente éves anuales anual "
    "annuali annuale annui annuo annua",
}
for _period, _words in (*_FOREIGN_NOUNS.items(), *_FOREIGN_ADVERBS.items()):
    _UNIT_WORDS.update(dict.fromkeys(_words.split(), _period))
_FOREIGN_NOUN_ALT = "|".join(sorted((w for ws in _FOREIGN_NOUNS.values() for w in ws.split()), key=len, reverse=True))
_FOREIGN_ADVERB_ALT = "|".join(
    sorted((w for ws in _FOREIGN_ADVERBS.values() for w in ws.split()), key=len, reverse=True)
)
# Prepositions before a period noun, besides "/", "per", "pro", "a(n)", "p/", "die".
_FOREIGN_PREP = r"par|pr\.?|om|i|im|na|za|al|por|de\ l'|all'|в"
# Gross/net and currency words between an amount and its period ("zł brutto miesięcznie", "€ brut annuel").
_GROSS_WORDS = r"gross|net|brutto|netto|brut|bruttó|nettó|bruto|lordi|lordo|base|pro[- ]rata|salary|USD|EUR"
_PERIOD_AFTER = re.compile(
    rf"""
    \ ?(?:\+\ ?)?
    (?:(?:{_GROSS_WORDS})\ ?)?
    (?:
        (?:/\ ?(?:per\ )?|\bper\ |\bpro\ |\ban?\ |\bp/?|\bdie\ |(?<![^\W\d_])(?:{_FOREIGN_PREP})\ )
        (?P<u1>calendar\ month|hours?|hrs?|h|years?|yrs?|annum|a|months?|mos?|mths?|weeks?|wks?|days?|d
            |jahr|monat|stunde|std|tag|woche|hourly|annually|yearly|monthly|weekly|daily|{_FOREIGN_NOUN_ALT})
            (?![^\W\d_])(?:(?:(?<=mies)|(?<=měs)|(?<=mnd)|(?<=hod)|(?<=godz)|(?<=mån)|(?<=mdr))\.)?
      | (?P<u2>hourly|annually|annual|annualized|yearly|monthly|weekly|daily|p\.?\ ?a|pa|ph|hr|jährlich|monatlich|mtl
            |{_FOREIGN_ADVERB_ALT})
        (?![^\W\d_])\.?
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
# "de 3 200 € à 3 900 €", "fra 40.000 til 50.000 kr.", "van € 3.600 tot € 4.800", "55 000 až 70 000 Kč": words
# that join two bounds on their own; "entre X et Y", "tussen X en Y", "mellem X og Y": only after a "between"
# word (_BETWEEN), like "and"/"und"; "od X do Y", "de X a Y": only after their "from" word (_FROM_OPENER).
_RANGE_WORDS = r"à|til|tot|až|hasta|jusqu'à|jusqu’à"
_PAIR_WORDS = r"et|en|og|och|y|e|i|és"
_FROM_TO_WORDS = r"do|a"
_CONNECT = re.compile(
    rf"""
    (?:\ in\ the\ low(?:est|er)\b[^.;\n$€£]{{0,40}}?)?      # "USD 140,000 in the lowest geographic market and ..."
    [ \t]*(?P<c>[-–—~_‐‑‒―−�]+
        |(?<![^\W\d_])(?:to|and|und|bis|through|thru|{_RANGE_WORDS}|{_PAIR_WORDS}|{_FROM_TO_WORDS})(?![^\W\d_]))[ \t]*
    (?:(?:a\ )?max(?:imum)?\ (?:(?:annual\ )?(?:salary|pay|base|rate)\ )?(?:of\ )?)?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_DASH_CONNECTORS = frozenset("-–—~_‐‑‒―−�")
_RISING = re.compile(
    r",?[ \t]+(?:and[ \t]+)?(?P<c>rising|increasing|going[ \t]+up|moving[ \t]+up|progressing|growing)[ \t]+to[ \t]+",
    re.IGNORECASE,
)
_PAIR_CONNECTORS = frozenset(("and", "und", *_PAIR_WORDS.split("|")))

# Cue words in the clause before an amount (nearest wins) and right after it, by kind, in priority order (at one
# position the first alternative that matches wins); whitespace separates alternatives, "\x20" is a space.
# Matched against lower-cased text (IGNORECASE makes re several times slower on this alternation).
_CUE_WORDS = {
    "ote": r"""ote on[-\x20]?target(?:\x20earnings)? at\x20target
        target\x20(?:total\x20)?(?:comp\w*|earnings|cash|pay)""",
    "non": r"""bonus(?:es)? sign[-\x20]?on signing stipends? allowances? budgets? reimburs\w* relocation referrals?
        401\x20?\(?k\)? match(?:ing)? raised rais(?:e|ing) fund(?:ing|ed|s)? valu(?:ation|ed) revenues? arr mrr sales
        spend invest\w* donat\w* gifts? vouchers? discounts? perks? credits? fees? prices? pricing costs? savings?
        prizes?
        grants? commissions? tuition insurance contributions? packaging sacrifice worth assets payments?(?!\x20range)
        payroll loans? transactions? volume bets deals? certifications? conferences? training learning wellness
        wellbeing equipment membership gym childcare internet meals? lunch travel projects? customers users employees
        people downloads requests companies clients contracts contract(?=\x20(?:value|worth|size|awards?)) acvs?
        budget additional sale add[-\x20]?ons? top[-\x20]?ups?
        education books? courses? coworking commut\w* phones? fitness therapy mileage
        transport\w* fahrtkosten\w* jobticket zuschuss\w* zuschüsse zulage\w* gutschein\w* sachbezug\w* prämie\w*
        provision(?:en)? empfehlung\w* umzug\w* parrainage cooptation indemnit\w* primes? tickets?\x20restaurants?
        mutuelle remboursement\w* déménagement reiskosten\w* onkosten\w* dodat\w* premi[ae] příspěv\w* stravenk\w*
        бонус\w* преми\w*""",
    "pay": r"""salar(?:y|ies) pay(?:\x20(?:range|rate|band|scale))? payment\x20range compensation comp wages? rate
        remuneration earnings base(?=\x20?(?:salary|pay|comp|rate|:)) income \w*gehalt vergütung lohn stundenlohn
        salaire salario sueldo package rémunération salaris loon løn lön lønn wynagrodzenie pensja mzda plat
        fizetés bér bérezés retribuzione stipendio ral remuneração salário retribución заплата зарплата оклад
        månadslön månedsløn årsløn årslön timløn timlön timeløn mållön""",
}


def _cue_pattern(words: dict[str, str]) -> str:
    """``\\b(?:alternatives)\\b`` with the alternatives grouped by first character, so that at a word start
    ``re`` tries the few that can match instead of all ~130 (measured: the flat alternation cost ~4x more on a
    clause). Same matches as the flat pattern in priority order: alternatives with different first characters
    cannot match at one position, and the one that starts with ``\\w*`` goes last (it matches only words
    ending in "gehalt", which no other alternative matches). Groups are named ``<kind>_<n>`` (see _cue_kind)."""
    buckets: dict[str, list[tuple[str, str]]] = {}
    tail: list[tuple[str, str]] = []
    for kind, alternatives in words.items():
        for alt in alternatives.split():
            if alt.startswith("\\"):
                tail.append((kind, alt))
            else:
                buckets.setdefault(alt[0], []).append((kind, alt[1:]))
    n = 0

    def groups(items: list[tuple[str, str]]) -> str:
        nonlocal n
        out = []
        for kind, alt in items:
            if out and out[-1][0] == kind:
                out[-1][1].append(alt)
            else:
                out.append((kind, [alt]))
        parts = []
        for kind, alts in out:
            n += 1
            parts.append(f"(?P<{kind}_{n}>{'|'.join(alts)})")
        return "|".join(parts)

    branches = [f"{re.escape(first)}(?:{groups(items)})" for first, items in buckets.items()]
    if tail:
        branches.append(groups(tail))
    return rf"\b(?:{'|'.join(branches)})\b"


_CUE = re.compile(_cue_pattern(_CUE_WORDS))
# The same without the "\w*gehalt" alternative, which costs a scan of every word: used when "gehalt" is absent.
_CUE_NO_GEHALT = re.compile(_cue_pattern({k: v.replace("\\w*gehalt", "") for k, v in _CUE_WORDS.items()}))


def _cue_re(low: str) -> re.Pattern[str]:
    return _CUE if "gehalt" in low else _CUE_NO_GEHALT


def _cue_kind(m: re.Match[str]) -> str:
    """ "ote", "non" or "pay" for a match of _CUE."""
    return m.lastgroup.partition("_")[0]  # type: ignore[union-attr]


# "+ equity", "plus bonus": the figure before is the base of a package (HN headers, Ashby titles).
_PLUS_TAIL = re.compile(
    r"\s*(?:\+|plus\b|with\b)\s*(?:\w+\s){0,2}?(?:bonus|equity|commission|benefits|super\w*|stock|options|package"
    r"|OTE|profit)",
    re.IGNORECASE,
)
_AHEAD_STOP = re.compile(
    r"[+,();:|\n$€£•·]|\.(?:\s|$)|\b(?:plus|and|with|or|und|excl\w*|incl\w*|inclusive|exclusive|besides?|alongside"
    r"|on\s+top\s+of|in\s+addition\s+to|next\s+to|as\s+well\s+as|zusätzlich|neben|en\s+plus\s+de?|naast)\b|[–—]|\s-\s",
    re.IGNORECASE,
)
# A benefit word right before a pay word makes the pair a benefit: "transport compensation", "referral pay".
_NON_MODIFIER = re.compile(
    r"\b(?:transport\w*|travel|commut\w*|relocation|moving|referrals?|meals?|phone|mobile|internet|wellness|gym"
    r"|equipment|mileage|childcare|education|learning|training|home[-\s]office|remote[-\s]work|fahrtkosten|reise)"
    r"[\s-]*$"
)
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_BASE_AHEAD = re.compile(r"\s*base\b", re.IGNORECASE)
# Led by one character class (re skips to it in C; an alternation is tried at every position).
_CLAUSE_BOUNDARY = re.compile(r"[\n;•|(\[!?.](?:(?<=[\n;•|(\[!?])|(?<=\.)\s+(?=[A-Z$€£]))")
_PERIOD_BEFORE = re.compile(
    r"""\b(?:(?P<hour>hourly|per\ hour|an\ hour|hour|stundenlohn|stündlich)
          |(?P<day>daily|day\ rate|per\ day|tagessatz)
          |(?P<week>weekly|per\ week)
          |(?P<month>monthly|per\ month|monatsgehalt|monatlich)
          |(?P<year>annual(?:ly|ized|ised)?|yearly|per\ year|per\ annum|jahresgehalt|brutto\ ?/?\ ?jahr))\b""",
    re.VERBOSE | re.IGNORECASE,
)
# Every match of _PAY_VERB / _PERIOD_BEFORE holds one of these (after _fold): a cheap test before the pattern.
_PAY_VERB_STEMS = ("paid", "pay", "earn", "offer", "bill")
_PERIOD_BEFORE_STEMS = (
    "hour", "stund", "stünd", "dai", "day", "tagessatz", "week", "month", "monat", "annu", "year", "jahr",
)  # fmt: skip
_PERIOD_NAMES = ("hour", "day", "week", "month", "year")
_UP_TO = re.compile(
    r"(?:\bup\s?to|\bmax(?:imum)?(?:\s+of)?|\bnot\s+to\s+exceed|\bbis\s+zu|\bas\s+much\s+as|\bhöchstens|\bmaximal"
    r"|\bjusqu['’]à|\btot|\bdo|\bhasta|\bfino\s+a|\baté|\bop\s+til)\s*$",
    re.IGNORECASE,
)
_FROM = re.compile(
    r"(?:\bfrom|\bstarting(?:\s+(?:at|from))?|\bstarts?\s+at|\bmin(?:imum)?(?:\s+of)?|\bat\s+least|\bab|\bmindestens"
    r"|\bà\s+partir\s+de|\bdès|\bvanaf|\bfra|\bfrån|\bod|\bdesde|\ba\s+partire\s+da|\bmindst|\bminst)\s*$",
    re.IGNORECASE,
)
_ONE_SIDED_HEAD = re.compile(r"^(?:up\s?to|from|starting(?:\s+(?:at|from))?|starts\s+at)?[\s:\-–—]*", re.IGNORECASE)
_MIN_LABEL = re.compile(r"\bmin(?:imum)?\b[^$€£\d]{0,20}$", re.IGNORECASE)
_MAX_LABEL = re.compile(r"\bmax(?:imum)?\b[^$€£\d]{0,20}$", re.IGNORECASE)
# A line that only names a bound ("Min:", "- Maximum", "Mid:") before its amount, and a line that starts with one.
_BOUND_ONLY = re.compile(r"[\s\-*•·]*(?:min(?:imum)?|mid(?:point)?|max(?:imum)?)[\s:\-–—]*", re.IGNORECASE)
_BOUND_LINE = re.compile(r"[\s\-*•·]*(?:min(?:imum)?|mid(?:point)?|max(?:imum)?)\b", re.IGNORECASE)
_BOUND_LINES_MAX = 4  # "Min:", "Mid:", "Max:" lines (and a spare) between a heading and an amount
_MID_LABEL = re.compile(r"\bmid(?:point)?\b[^$€£\d]{0,20}$", re.IGNORECASE)
_BETWEEN = re.compile(
    r"\b(?:between|zwischen|range|ranging|entre|tussen|mellem|mellan|mellom|między|mezi|között|tra|fra)\b",
    re.IGNORECASE,
)
# The "from" word that "do" (Polish, Czech) and "a" (Spanish, Italian, Portuguese) close: right before the first
# bound, its currency aside.
_FROM_OPENER = re.compile(r"(?<![^\W\d_])(?:od|de|desde|da)\s*(?:[$€£]\s?)?$", re.IGNORECASE)
_BULLET = re.compile(r"^[\s\-*•·–—>]*(?:\d{1,2}[.)]\s+)?")
_WORD = re.compile(r"[^\W_]+(?:['.][^\W_]+)*\.?")
_PARENTHETICAL = re.compile(r"\([^()]*\)?")
_PAREN_IN = re.compile(r"\(([^()]*)\)")
_LABEL_REJECT = re.compile(r"[$€£¥₹]|\d{3,}|\d\s?[kK]\b|https?:|www\.|\.(?:com|io|ai|org|co)\b")
# Piece rates ("$0.07 per word", "$20 per 100 words", "$15 per task") are not a wage we can annualize.
_PIECE_RATE = re.compile(
    # "$30 or $17 per page": the first figure of a pair shares the unit of the second.
    r"(?:\s*(?:and|or|to|[-–])\s*[$€£]?\s?\d[\d,.]*)?"
    r"\s*(?:/|per|a)\s*(?:\d+[- ])?(?:(?:accepted|approved|completed|valid|submitted|qualified|finished)\s)?"
    r"(?:words?|pages?|tasks?|articles?|units?|items?|visits?|heads?|hires?|referrals?|leads?|sales?|calls?|miles?"
    r"|km|minutes?|min|session|lesson|class|video|post|images?|photos?|pictures?|recordings?|clips?|responses?"
    r"|surveys?|annotations?|submissions?|transcripts?)\b",
    re.IGNORECASE,
)
_PROSE_WORDS = frozenset(
    str.split(
        "is are be will we you your our by determined eligible consists includes may can should would this that "
        "these those it its their have has"
    )
)
_PAREN_CODE = re.compile(rf"\ ?\(\ ?({_CODE_ALT})\ ?\)")
_PAREN_AFTER = re.compile(r"\s?\(([^()\n$€£]{2,40})\)")
_GENERIC_LABEL_WORDS = frozenset(
    str.split(
        """salary salaries pay range ranges compensation comp base annual annualized hourly rate rates the a an for
    this role position is of our expected estimated target total on earnings ote wage wages or and in usd eur gbp
    cad aud range: hiring starting typical anticipated gross full time band: package cash hire offer
    yearly monthly per year hour base: level: remuneration at to with from up proposed designated current
    reasonable approximate projected budgeted starting salary: competitive"""
    )
)
_PAREN_NOT_LABEL = re.compile(
    r"based|depend|experience|doe|fte|uncapped|plus|super|approx|rata|negotiable|equity|bonus|benefit|ote|gross"
    r"|\bnet\b|estimat|usd|eur|gbp|per|annual|hour|year|month|week|incl|excl|\d+\s?%|commission|stock|options",
    re.IGNORECASE,
)
_BARE_YEAR = re.compile(r"(?:19|20)\d\d")
_PAY_VERB = re.compile(
    r"\b(?:paid|pays?|earns?|earning|offers?|offering)\s+(?:at\s+|of\s+|up\s?to\s+|from\s+|between\s+|around\s+"
    r"|about\s+|approximately\s+|an?\s+(?:hourly\s+|daily\s+)?rate\s+of\s+)?~?$"
    # a contractor's rate: "you can bill up to $70 per hour" (not "a utility bill of $100")
    r"|\bbill(?:s|ing)?\s+(?:at|up\s?to|from|between|around|about)\s+~?$",
    re.IGNORECASE,
)
# A bare number must not be followed by a noun it counts ("8,000 engineers", "50,000+ courses").
_NEXT_WORD = re.compile(r"[\s+]*([A-Za-zÀ-ÿ]+)")
_BARE_NEXT_OK = frozenset(
    str.split(
        """base salary salaries ote per a an p pa plus and to annual annually yearly year yr month monthly hour hourly
    hr week weekly day daily gross net brutto netto total package depending doe or usd eur gbp cad aud chf inr
    pro bis und with base range k excluding including excl incl inclusive exclusive"""
    )
)
_MONEY_CURRENCY = re.compile(
    rf"(?:(?:(?<![A-Za-z])(?P<dpre>{'|'.join(sorted(_DOLLAR_PREFIXES, key=len, reverse=True))}))?\$"
    rf"|(?P<sym>[{_SYMBOL_CLASS.replace(re.escape('$'), '')}])|(?<![A-Za-z])(?P<code>{_CODE_ALT})(?![A-Za-z])"
    rf"|(?<![^\W\d_])(?P<lword>{_LOCAL_WORDS}|Rp|RM)(?![^\W\d_]))"
)
_MONEY_NUMBER = re.compile(r"\d[\d,.'’ ]*")

_CLAUSE_WINDOW = 110

# --- the line gate (see _pay_lines) ------------------------------------------------------------------------------


def _first_chars(alternation: str) -> str:
    """The characters (both cases) that the alternatives of ``alternation`` start with, for a ``[...]`` guard."""
    firsts = {alt.lstrip("\\")[:1] for alt in alternation.split("|") if alt}
    return re.escape("".join(sorted({c for f in firsts for c in (f.lower(), f.upper())})))


_GROSS_FIRST = _first_chars(_GROSS_WORDS)
_PREP_FIRST = _first_chars(_FOREIGN_PREP + "|per|pro|/")
_FOREIGN_FIRST = _first_chars(_FOREIGN_NOUN_ALT + "|" + _FOREIGN_ADVERB_ALT)
_LOCAL_FIRST = _first_chars(_LOCAL_WORDS)
_GATE_UPPER = "|".join(_CODES)
_GATE_LOWER = "|".join(_LOWER_CODES)
# A code before the number: "USD 90k", "Rs. 5", "usd ~ 90" (what _TOKEN allows between them, "$" aside: a line
# with a symbol passes anyway). A class test first: most numbers follow a lower-case word that ends no code.
_GATE_BEFORE = "|".join(
    rf"(?<=[A-Z]{{3}}{gap}[0-9])(?<=(?:{_GATE_UPPER}){gap}[0-9])|(?<=[dprfs]{gap}[0-9])(?:(?<=\b(?:{_GATE_LOWER}){gap}[0-9])|(?<=\bRs{gap}[0-9]))"
    for gap in ("", "[ ~.]", "[ ~.]{2}", "[ ~.]{3}", "[ ~.]{4}", "[ ~.]{5}")
)
# After the number (possessive: one try per number, not one per digit): INR multipliers, a code or currency word.
_GATE_AFTER_CUR = (
    rf"[0-9,.'’]*+(?:L|\ ?(?:lakh|lac|[Cc]r|crore))"
    rf"|[0-9,.'’]*+(?:[–—-])?(?:\ ?[kK])?(?:\ ?\+)?\ ?"
    rf"(?:(?=[A-Z])(?:{_GATE_UPPER})|(?=[a-z])(?:{_GATE_LOWER})|(?i:euro|dollar)"
    rf"|(?=[{_LOCAL_FIRST}])(?:{_LOCAL_WORDS})(?![^\W\d_]))"
)
# _PERIOD_AFTER without its word boundaries (a superset): "25 per hour", "40/hr", "50.000 p.a."
_UNITS = (
    r"calendar\ month|hours?|hrs?|h|years?|yrs?|annum|a|months?|mos?|mths?|weeks?|wks?|days?|d|jahr|monat|stunde|std"
    r"|tag|woche|hourly|annually|yearly|monthly|weekly|daily"
)


def _literal_words(alternation: str) -> list[str]:
    """The words an alternation of literals matches, for :func:`_trie`: ``\\ `` a space, a trailing ``?`` after a
    letter or an escaped dot makes it optional, ``[- ]`` either character. Nothing else may be in it."""
    words: list[str] = []
    for alt in alternation.split("|"):
        alt = alt.replace("\\ ", " ")
        forms = [alt.replace("[- ]", "-"), alt.replace("[- ]", " ")] if "[- ]" in alt else [alt]
        for form in forms:
            if form.endswith("\\.?"):
                words += [form[:-3], form[:-3] + "."]
            elif form.endswith("?"):
                words += [form[:-2], form[:-1]]
            else:
                words.append(form.replace("\\.", "."))
    if any(c in w for w in words for c in "\\[]()?*+|"):
        raise ValueError(f"not an alternation of literals: {alternation!r}")
    return words


def _trie(words: Iterable[str]) -> str:
    """A pattern that matches exactly ``words`` (literals), their common prefixes factored out: "mensuel",
    "mensuelle", "mensual" as ``mens(?:u(?:al|el(?:le)?))``. Longer words are tried before their prefixes, as in an
    alternation sorted longest first. Speed: ``re`` tries an alternation's branches one by one, and under
    IGNORECASE without testing their first characters first; a trie reads a character and goes on in the one
    branch it starts."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return "(?:" + "|".join(branches) + (")?" if "" in node else ")")

    return emit(root)


# The line gate's period words as tries (the gate asks only whether a period can follow a number, never which
# words matched: any pattern for the same words gives it the same answer). ~2 us a posting of its ~16.
_GATE_UNIT = rf"(?:{_trie(_literal_words(_UNITS))})(?![a-z])"
_GATE_PERIOD = (  # branches by first character: one or two tried per number
    rf"\ ?(?:\+\ ?)?(?:(?:{_trie(_literal_words('gross|net|brutto|netto|base|pro[- ]rata|salary|usd|eur'))})\ ?)?"
    rf"(?:/\ ?(?:per\ )?{_GATE_UNIT}"
    rf"|p(?:er\ {_GATE_UNIT}|ro\ {_GATE_UNIT}|/?{_GATE_UNIT}|\.?\ ?a(?![a-zäöü])|h(?![a-zäöü]))"
    rf"|a(?:n?\ {_GATE_UNIT}|nnual)|d(?:ie\ {_GATE_UNIT}|aily)|hourly|hr(?![a-zäöü])|yearly"
    r"|m(?:onthly|onatlich|tl)|weekly"
    r"|jährlich"
    # (each alternation behind a class of its first characters: re tries alternatives one by one)
    rf"|(?:(?=[{_GROSS_FIRST}])(?:{_trie(_literal_words(_GROSS_WORDS))})\ ?)?"
    rf"(?:(?=[{_PREP_FIRST}])(?:{_FOREIGN_PREP}|per|pro|/)\ ?)?"
    rf"(?=[{_FOREIGN_FIRST}])(?:{_trie(_literal_words(_FOREIGN_NOUN_ALT + '|' + _FOREIGN_ADVERB_ALT))})(?![^\W\d_]))"
)
# After a digit (consumed by the leading class): it starts a number as _NUM reads one.
_NUM_START = r"(?<=[0-9])(?<![\w.,'’/=#@][0-9])"
_LINE_GATE_CUR = re.compile(
    rf"[{_SYMBOL_CLASS}0-9](?:(?<=[{_SYMBOL_CLASS}])|{_NUM_START}(?:{_GATE_BEFORE}|{_GATE_AFTER_CUR}))"
)
_PERIOD_BRANCH = rf"| [0-9,.'’]*+(?:\ ?[kK])?(?:\ ?%)?(?:\ ?\+)?(?i:{_GATE_PERIOD})(?P<period>)"
_LINE_GATE = re.compile(
    rf"""[{_SYMBOL_CLASS}0-9](?:
        (?<=[{_SYMBOL_CLASS}])(?P<sym>)
      | {_NUM_START}(?:
          (?:{_GATE_BEFORE}|{_GATE_AFTER_CUR})(?P<cur>)
        | [0-9,.'’]*+\ ?[kK](?![a-z0-9])(?P<k>)                                   # 90k, 100-150k
        {_PERIOD_BRANCH}  # 25 per hour, 40/hr
        | (?:[0-9]{{4}}|[0-9]{{0,2}}[,.'’\ ][0-9]{{3}}|[0-9]{{3}}(?<!19[0-9]{{2}})(?<!20[0-9]{{2}}))
          (?P<big>)                                                               # 1,000 and up, but no year
    ))""",
    re.VERBOSE,
)
_CUE_STEMS = (
    "salar", "pay", "paid", "comp", "wage", "rate", "remuner", "earn", "base", "income", "gehalt", "vergütung",
    "lohn",
    "salaire", "salario", "sueldo", "package", "target", "offer", "bonus", "equity", "benefit", "super", "stock",
    "option", "profit", "rémun", "salaris", "loon", "løn", "lön", "lønn", "wynagrodzen", "pensj", "mzd", "plat",
    "fizet", "bér", "retribu", "stipendio", "ral", "remunera", "salário", "заплат", "зарплат", "оклад",
)  # fmt: skip
_ANY_DIGIT = re.compile("[0-9]")
# "non" cue words that follow figures as counted nouns, and start no longer cue ("payment range" does).
_COUNT_NOUNS = frozenset(str.split("customers users employees people downloads requests companies clients"))
_PLANS = ("401", "403", "457")  # 401(k) and friends: retirement plans, not amounts
_CONNECTOR_ENDS = (
    *"-–—~_‐‑‒―−�", "to", "and", "und", "bis", "through", "thru", "of", "max", "maximum", "salary", "pay", "base",
    "rate", *_RANGE_WORDS.split("|"), *_PAIR_WORDS.split("|"), *_FROM_TO_WORDS.split("|"),
)  # fmt: skip
_OTE_WORD = re.compile(r"(?<![a-z])ote")
# Location/level ranges of one posting overlap or nearly touch ("Region 1: $115,500 / Region 2: $109,000" is 6%
# apart; geographic tiers step ~10-20%); a benefit amount next to a salary is several times smaller.
_ENVELOPE_GAP = 1.2
_AHEAD_WINDOW = 60


@dataclass(slots=True)
class _Token:
    start: int
    end: int  # after the number, multiplier and trailing currency
    value: float
    currency: str | None
    explicit: bool  # currency given by a code or an unambiguous symbol (not a bare "$")
    has_k: bool
    scaled: bool  # written with a k/lakh/crore multiplier
    mult: float  # that multiplier (1 when none)
    big: bool  # M/B/million: company figures, never pay
    pct: bool
    plus: bool
    grouped: bool  # written with thousands separators
    written: str | None = None  # a currency written without a code of its own ("kr"), when currency is None


def _read_token(text: str, pos: int) -> _Token | None:
    m = _TOKEN.match(text, pos)
    if not m:
        return None
    dpre, dollar, sym, cpre, _, num, mult, big, pct, plus, psym, lword, pcode, pword = m.groups()
    if not num:
        return None
    currency = None
    explicit = False
    if dollar:
        currency = _DOLLAR_PREFIXES[dpre] if dpre else "USD"
        explicit = bool(dpre)
    elif sym:
        currency, explicit = _SYMBOLS[sym], True
    elif cpre:
        code = cpre.rstrip(".")
        currency, explicit = _WORD_CURRENCIES.get(code.lower()) or code.upper(), True
        if currency == "RMB":
            currency = "CNY"
    written = None
    if lword and not explicit:
        code = currency_code(lword)
        if code is None:  # "kr": Swedish, Danish, Norwegian or Icelandic crowns; a currency, but no code
            written = "kr"
        else:
            currency, explicit = code, True
    post = psym or pcode or pword
    if post:
        code = _SYMBOLS.get(post) or _WORD_CURRENCIES.get(post.lower()) or post.upper()
        if code == "RMB":
            code = "CNY"
        if not explicit or currency is None:
            currency, explicit = code, True
    value = to_number(num)
    has_k = False
    factor = 1.0
    if mult:
        mult = mult.strip().lower()
        if mult == "k":
            factor = 1000
            has_k = True
        elif mult.startswith(("l", "lac")):
            factor = 100_000
            currency = currency or "INR"
        else:  # crore
            factor = 10_000_000
            currency = currency or "INR"
        value *= factor
    end = m.end()
    if plus and m.end("plus") == end:
        end = m.start("plus")  # leave "+ bonus" / "+ equity" for the look-ahead
    # start, end, value, currency, explicit, has_k, scaled, mult, big, pct, plus, grouped
    return _Token(
        m.start(), end, value, currency, explicit, has_k, bool(mult), factor, bool(big), bool(pct), bool(plus),
        len(num) > 3 and not num.isdigit(), written,
    )  # fmt: skip


def _period_after(text: str, pos: int) -> tuple[str | None, int]:
    # _PERIOD_AFTER starts (after one optional space) with "+", "/" or a letter: most amounts are followed by
    # " -", ",", ")" or " USD", and a Python test is cheaper than a failed match.
    c = text[pos + 1 : pos + 2] if text[pos : pos + 1] == " " else text[pos : pos + 1]
    if not (c.isalpha() or c == "+" or c == "/"):
        return None, pos
    m = _PERIOD_AFTER.match(text, pos)
    if not m:
        return None, pos
    unit = (m.group("u1") or m.group("u2")).lower().replace(" ", "").rstrip(".")
    unit = {"p.a": "pa", "pa": "pa", "calendarmonth": "calendar month"}.get(unit, unit)
    return _UNIT_WORDS.get(unit), m.end()


def _clause_before(text: str, start: int) -> tuple[str, bool, str]:
    """The clause an amount sits in, up to the amount; when the amount opens its line ("Salary:\\n$120,000"),
    the previous non-empty line. Returns (clause, came_from_previous_line, boundary) where boundary is the
    character that opened the clause ("" at the start of the text or of the look-back window)."""
    lo = max(0, start - _CLAUSE_WINDOW)
    seg = text[lo:start]
    cut = 0
    boundary = ""
    for b in _CLAUSE_BOUNDARY.finditer(seg):
        cut = b.end()
        boundary = b.group(0)[0]
    clause = seg[cut:]
    if boundary == "" and lo > 0:
        boundary = " "
    if boundary == "\n":
        if _BULLET.sub("", clause).strip(" \t:-–—") == "":
            return _previous_line(text, lo + cut, max(0, lo - _CLAUSE_WINDOW)), True, boundary
        if _BOUND_ONLY.fullmatch(clause):
            # "Min: $138,800\nMid: $173,500\nMax: $208,200" under "USA base pay range (CA, WA) per year:": the
            # bound labels say nothing about what the figures are; the heading above them does.
            line_start = lo + cut
            for _ in range(_BOUND_LINES_MAX):
                prev_line = _previous_line(text, line_start, max(0, line_start - 2 * _CLAUSE_WINDOW))
                if not _BOUND_LINE.match(prev_line):
                    return prev_line, True, boundary
                line_start = text.rfind(prev_line, 0, line_start)
                if line_start <= 0:
                    break
                line_start = text.rfind("\n", 0, line_start) + 1
    return clause, False, boundary


def _previous_line(text: str, line_start: int, window_start: int) -> str:
    """The last non-empty line between ``window_start`` and ``line_start`` (its last ``_CLAUSE_WINDOW``
    characters)."""
    prev = text[window_start:line_start].rstrip()
    nl = prev.rfind("\n")
    return prev[nl + 1 :][-_CLAUSE_WINDOW:]


def _own_head(text: str, start: int) -> str:
    """The text before an amount on its line, or the previous non-empty line when the amount opens its line
    ("Min\n\nUSD $82,000.00/Yr."): where a bound label ("Min:", "Maximum salary of") sits."""
    line_start = text.rfind("\n", max(0, start - _CLAUSE_WINDOW), start) + 1 or max(0, start - _CLAUSE_WINDOW)
    head = text[line_start:start]
    if _BULLET.sub("", head).strip(" \t:-–—") == "":
        return _previous_line(text, line_start, max(0, line_start - 2 * _CLAUSE_WINDOW))
    return head


def _nearest_cue(clause: str) -> tuple[str | None, str | None]:
    kind = word = None
    low = _unglue(clause).lower()
    last = None
    for m in _cue_re(low).finditer(low):
        kind, word, last = _cue_kind(m), m.group(0), m
    if kind == "pay" and last is not None and _NON_MODIFIER.search(low, max(0, last.start() - 30), last.start()):
        kind = "non"  # "transportation compensation", "referral pay": a benefit named with a pay word
    return kind, word


def _unglue(clause: str) -> str:
    """Words run together where HTML block boundaries were lost ("Part-timeSalary:", "monthPay Rate:") apart."""
    return _GLUED.sub(" ", clause) if _GLUED.search(clause) else clause


def _ahead_cue(ahead: str) -> str | None:
    """The cue in the words right after an amount, before the next "+", comma, "and", parenthesis..."""
    if ahead[:1].isupper():  # "$51,500On Target Earnings: $86,500" - text glued when HTML was flattened
        return None
    stop = _AHEAD_STOP.search(ahead)
    immediate = ahead[: stop.start()] if stop else ahead
    # The first cue wins: "$130,000 base salary, annual bonus" is pay, "$5,000 sign-on bonus" is not.
    if _BASE_AHEAD.match(immediate):
        return "pay"
    low = immediate.lower()
    m = _cue_re(low).search(low)
    return _cue_kind(m) if m else None


def _clean_label(raw: str) -> str | None:
    """A short location/level/role name, or None for generic pay words and for prose."""
    label = _label_words(_PARENTHETICAL.sub("", raw))
    paren = _PAREN_IN.search(raw)
    if paren and (label is None or (len(label) <= 3 and label.isupper())):
        # "USA base pay range (CA, WA, NY, NJ, CT) per year:": the parenthesis names what the heading does not.
        inner = paren.group(1).strip()
        if inner and len(inner) <= 40 and not _PAREN_NOT_LABEL.search(inner) and not _LABEL_REJECT.search(inner):
            return f"{label} ({inner})" if label else inner
    return label


def _label_words(raw: str) -> str | None:
    raw = raw.rsplit(":", 1)[-1]  # "Ubicloud: Software Engineer" -> "Software Engineer"
    raw = _BULLET.sub("", raw).strip(" \t:-–—|,/")
    if _LABEL_REJECT.search(raw):
        return None
    words = list(_WORD.finditer(raw))
    # "Zone A": a capital single letter is a name, not the article.
    keep = [w for w in words if w.group(0).isupper() or w.group(0).lower().rstrip(".:") not in _GENERIC_LABEL_WORDS]
    if not keep or any(w.group(0).lower() in _PROSE_WORDS for w in keep):
        return None
    label = raw[keep[0].start() : keep[-1].end()].strip(" .,:;(")
    if len(_WORD.findall(label)) > 6:
        return None
    if not label or len(label) > 60:
        return None
    return label


def _last_segment(line: str) -> str:
    """The text after the last line/list separator: "Zone A: $1 - $2 / Zone B" -> " Zone B"."""
    cut = 0
    for sep in ("\n", "|", ";", "•", ". ", " / "):
        at = line.rfind(sep)
        if at >= 0:
            cut = max(cut, at + len(sep))
    return line[cut:]


def _label_before(text: str, start: int, clause: str, from_prev_line: bool) -> str | None:
    """ "Zone A: $150,000", "1. Staff Engineer - $200K-275K", "Band 7 ($90,632 - $100,666 pa)"."""
    stripped = clause.rstrip()
    if from_prev_line:
        return _clean_label(stripped[:-1]) if stripped.endswith(":") else None
    if stripped.endswith((":", " -", "—", "–")):
        # The whole line up to the amount, not the clause: "Staff Engineer (Full-time, ONSITE): $150K".
        lo = max(0, start - _CLAUSE_WINDOW)
        line = text[lo:start]
        return _clean_label(_last_segment(line).rstrip().rstrip(":-–— "))
    if not stripped:
        # The amount opens a parenthesis: the label is the phrase before it, back to the line or bullet start.
        lo = max(0, start - _CLAUSE_WINDOW)
        before = text[lo:start].rstrip()
        if before.endswith("("):
            seg = before[:-1]
            return _clean_label(_last_segment(seg))
    return None


def _magnitude_period(value: float, currency: str | None, has_k: bool) -> str | None:
    usd = value / _USD_PER_UNIT.get(currency or "USD", 1)
    if usd < 300:
        return "hour"
    if usd < 1000:
        return None
    if usd < 10_000 and not has_k:
        return "month"
    return "year"


@dataclass(slots=True)
class _Candidate:
    tokens: list[_Token]
    start: int
    end: int
    period: str | None
    stated: bool


def _pay_lines(text: str, gate: re.Pattern[str] | None = None) -> list[tuple[int, int]]:
    """(start, stop) of the lines that can hold an accepted amount, in text order: lines with a digit (found with
    ``str.find``, at C speed) on which ``_LINE_GATE`` finds a currency next to a number, or a number that could
    be pay without one (``k``, a stated period, 1,000 and up) and a pay word near the line (``_cue_near``).

    ``gate``: _LINE_GATE, or _LINE_GATE_NO_PERIOD where the scan says no period can follow a number (``_line_gate``).

    Most postings state no pay, and ``re`` costs ~4 ns a character even to skip to a character class, so the
    whole text is never scanned by a pattern: of the 980 corpus descriptions (3.8 KB of text on average) ~20%
    of the text is on lines with a digit, and ~3% on lines with a currency symbol. A line that fails the gate
    holds no candidate ``_judge`` would accept (the gate is a superset of what ``_TOKEN``/``_judge`` accept;
    tests/test_pay.py checks gated == ungated on random and real-format text; measured exceptions: fragments glued
    into non-words, "usersRs 1", 62 in 5.6 million random glued texts, none in spaced ones or the corpus)."""
    spans: list[tuple[int, int]] = []
    seen: set[int] = set()
    n = len(text)
    gate = gate or _LINE_GATE
    for digit in "0123456789":
        i = text.find(digit)
        while i >= 0:
            stop = text.find("\n", i)
            if stop < 0:
                stop = n
            if stop not in seen:
                seen.add(stop)
                start = text.rfind("\n", 0, i) + 1
                m = gate.search(text, start, stop)
                if m is not None and _line_may_pay(text, start, stop, m, gate):
                    spans.append((start, stop))
            i = text.find(digit, stop)
    spans.sort()
    return spans


def _line_may_pay(
    text: str, start: int, stop: int, m: re.Match[str] | None, gate: re.Pattern[str] | None = None
) -> bool:
    """Whether the line ``text[start:stop]``, whose first ``gate`` (_LINE_GATE) match is ``m``, can hold pay."""
    gate = gate or _LINE_GATE
    cue = None
    while m is not None:
        at = m.start()
        found = m.lastgroup
        if found == "sym":
            if not _big_after_symbol(text, at, start):  # "$100M in bookings": a company figure, never pay
                return True
        elif found == "cur":
            return True
        elif found == "big" and not _next_word_ok(text, at, stop):
            pass  # "50,000 organizations": _judge drops a bare figure followed by a counted noun
        elif found == "k" and _number_at(text, at, stop) in _PLANS and not _after_connector(text, start, at):
            pass  # "401k plan": _judge drops a first figure 401k/403k/457k
        else:  # a bare figure is pay only next to a pay word
            if cue is None:
                cue = _BOUND_LINE.match(text, start) is not None or _cue_near(text, start, stop)
            if cue:
                return True
        m = gate.search(text, at + 1, stop)  # "75 000 Euro": a number may start inside this match
    return False


# What may come between a number and a currency symbol after it in _TOKEN (a superset).
_PSYM_BEFORE = re.compile(
    r"[0-9](?:\ ?(?:[kK]|L(?:PA)?|lakhs?|lacs?|[Cc]r|crores?))?(?:\ ?\+?\ ?(?:[mM]|MM|mn|mil|[Mm]illion|[bB]|bn"
    r"|[Bb]illion|[Tt]rillion))?(?:\ ?%)?(?:\ ?\+)?\ ?$"
)


def _big_after_symbol(text: str, at: int, start: int) -> bool:
    """The amount that the currency symbol at ``at`` opens is a company figure ("$100M", "$3.6 Billion"), which
    _judge drops with its whole range. Not when the symbol may close an amount ("75 000 €", "40k€")."""
    if text[at] != "$" and _PSYM_BEFORE.search(text, max(start, at - 40), at):
        return False
    tok = _TOKEN.match(text, at)
    return tok is not None and tok.group("num") is not None and tok.group("big") is not None


def _number_at(text: str, num_start: int, stop: int) -> str | None:
    num = _NUM_AT.match(text, num_start, stop)
    return num.group() if num else None


def _after_connector(text: str, start: int, num_start: int) -> bool:
    """Whether a connector ("-", "to", "and", "a maximum of"...) may end right before ``num_start``, so that the
    figure there can be the second or third bound of a range (a superset of what _CONNECT reads)."""
    before = fold(text[max(start, num_start - 12) : num_start].rstrip(" \t"))
    # A bullet ("- 401k match") is no connector: a range needs a figure before it on the line.
    return before.endswith(_CONNECTOR_ENDS) and _ANY_DIGIT.search(text, start, num_start) is not None


def _has_stem(s: str, stems: tuple[str, ...]) -> bool:
    low = fold(s)
    return any(stem in low for stem in stems)


def _next_word_ok(text: str, num_start: int, stop: int) -> bool:
    """The word after the bare figure at ``num_start`` is one _judge accepts there (or is past the line: not
    decided here)."""
    num = _NUM_AT.match(text, num_start, stop)
    if num is None:
        return True
    nxt = _NEXT_WORD.match(text, num.end(), stop)
    if nxt is None:
        return True
    end = nxt.end(1)
    if end < stop and (text[end].isalnum() or text[end] == "_"):
        return True  # "120,000 people1": not a whole word, which _judge's look-ahead needs (found by hypothesis)
    word = nxt.group(1).lower()
    if word in _BARE_NEXT_OK:
        return True
    if _CUE.match(word) is None:
        return False
    # A counted noun that is also a "non" cue ("25,000 companies"): _judge's look-ahead rejects it, unless a "+"
    # ("25,000+ users": the look-ahead stops there) or nothing separates it from the figure.
    gap = text[num.end() : nxt.start(1)]
    return word not in _COUNT_NOUNS or not gap or "+" in gap


def _cue_near(text: str, start: int, stop: int) -> bool:
    """Whether a word that can make a bare number pay (``_CUE`` pay/ote words, ``_PAY_VERB``, ``_PLUS_TAIL``
    words) occurs where ``_judge`` looks for one: the clause or previous line before, the words after."""
    window = fold(text[max(0, start - 2 * _CLAUSE_WINDOW - 10) : stop + _AHEAD_WINDOW + 10])
    return any(stem in window for stem in _CUE_STEMS) or _OTE_WORD.search(window) is not None


def _scan(text: str, start: int, stop: int) -> list[_Candidate]:
    """Amount tokens in ``text[start:stop]`` chained into ranges, in text order (no judging yet). ``start`` is
    0 or a line start and ``stop`` a line end or ``len(text)``: no token, connector or period crosses a line
    break, so scanning lines one by one finds what scanning the whole text finds."""
    out: list[_Candidate] = []
    consumed = start
    for trig in _TRIGGER.finditer(text, start, stop):
        pos = trig.start()
        if pos < consumed:
            continue
        # A currency code or dollar prefix may sit just before the symbol/digit ("USD 90k", "CA$120", "CHF 120'000").
        # The token read from there must reach the trigger: "Rs 5\n$100" is not one token.
        back = max(consumed, pos - 5)
        tok = None
        for p in range(back, pos) if _PREFIX_TAIL.search(text, back, pos) else ():
            if text[p] in _PREFIX_FIRST and (p == 0 or not text[p - 1].isalpha()):
                tok = _read_token(text, p)
                if tok and tok.end > pos:
                    break
                tok = None
        if tok is None:
            tok = _read_token(text, pos)
        if tok is None:
            consumed = trig.end()
            continue
        tokens = [tok]
        period, end = _period_after(text, tok.end)
        stated = period is not None
        while len(tokens) < 3:
            conn = _CONNECT.match(text, end)
            if not conn and len(tokens) == 1:
                # "starts at £12.10 an hour, rising to £13.40": the second bound in a clause of its own.
                conn = _RISING.match(text, end)
            if not conn:
                break
            c = conn.group("c").lower()
            if len(tokens) == 2 and c[0] not in _DASH_CONNECTORS:
                break
            if c in _PAIR_CONNECTORS:
                clause, _, _ = _clause_before(text, tokens[0].start)
                if not _BETWEEN.search(clause):
                    break
            elif c in ("do", "a") and not _FROM_OPENER.search(text, max(0, tokens[0].start - 12), tokens[0].start):
                break
            nxt = _read_token(text, conn.end())
            if nxt is None:
                break
            tokens.append(nxt)
            p2, end = _period_after(text, nxt.end)
            if p2:
                period, stated = p2, True
        if len(tokens) == 1:
            end = max(end, tok.end)
        out.append(_Candidate(tokens, tokens[0].start, end, period, stated))
        consumed = end
    return out


def _opens_segment(clause: str, boundary: str) -> bool:
    """The amount opens its line, list item or "|" cell (after "up to"/"from" at most)."""
    return boundary in ("", "\n", "|", "•") and _ONE_SIDED_HEAD.sub("", _BULLET.sub("", clause)) == ""


def _judge(text: str, cand: _Candidate, pay_field: bool, quiet: _QuietIndex | None = None) -> PayRange | None:
    """The pay range ``cand`` states, or None. ``quiet`` (a dense line's index of pay words, see
    :class:`_QuietIndex`) lets a candidate with no pay word anywhere ``_judge`` looks skip the reading of its
    words: its answer is then decided by its tokens and period alone, and is the same.

    The phases, cheapest first: the tokens alone (:func:`_token_flags`, :func:`_is_plan_number`,
    :func:`_bound_values`, :func:`_bare_number_rejected`), the currency they name (:func:`_named_currency`), the
    shortcut of a silent candidate (:func:`_silent_rejected`), the words after the amount (:func:`_ahead_kind`,
    :func:`_counts_a_noun`) and before it (:func:`_back_kind`), whether that is cue enough (:func:`_cued_enough`),
    then the range's period (:func:`_range_period`), label (:func:`_label`) and shape (:func:`_min_max`)."""
    toks = cand.tokens
    flags = _token_flags(toks)
    if flags is None or _is_plan_number(text, toks[0]):
        return None
    explicit, scaled, has_k, has_currency = flags
    bounds = _bound_values(toks)
    if bounds is None:
        return None
    lo_v, hi_v = bounds
    bare = not has_currency
    # Cheap rejections first: most candidates are years, counts and version numbers.
    if bare and _bare_number_rejected(cand, scaled, lo_v, hi_v):
        return None
    currency = _named_currency(text, cand, explicit)
    if quiet is not None and quiet.silent(cand) and _silent_rejected(text, cand, bare, currency, lo_v, hi_v, has_k):
        return None
    # The words after the amount first: they are cheaper to read than the clause and reject many amounts.
    ahead_text = text[cand.end : cand.end + _AHEAD_WINDOW]
    ahead_kind = _ahead_kind(ahead_text)
    if ahead_kind == "non" or (bare and _counts_a_noun(text, cand)):
        return None
    clause, from_prev, boundary = _clause_before(text, cand.start)
    back_kind = _back_kind(text, cand, clause, boundary)
    if ahead_kind is None and back_kind == "non":
        return None
    plus_tail = bool(_PLUS_TAIL.match(ahead_text))
    pay_cue = back_kind in ("pay", "ote") or ahead_kind in ("pay", "ote") or plus_tail or pay_field
    if not _cued_enough(cand, bare, pay_cue, clause, from_prev, boundary):
        return None
    period = _range_period(cand, clause, currency, lo_v, hi_v, has_k, pay_cue)
    if period is None or max(lo_v, hi_v) <= 0:
        return None
    kind = "ote" if ahead_kind == "ote" or (ahead_kind is None and back_kind == "ote") else "base"
    label = _label(text, cand, clause, from_prev)
    lo, hi = _min_max(cand, clause, lo_v, hi_v, plus_tail)
    if currency is None:
        currency = _country_currency(text, cand.start)
    raw = text[cand.start : cand.end].strip()
    return PayRange(min=lo, max=hi, currency=currency, period=period, kind=kind, label=label, raw=raw)


def _token_flags(toks: list[_Token]) -> tuple[bool, bool, bool, bool] | None:
    """(explicit, scaled, has_k, has_currency) over the candidate's tokens, or None when one of them is too big to
    be pay or a percentage: those are never an amount, whatever the words around them say."""
    explicit = scaled = has_k = False
    has_currency = False
    for t in toks:
        if t.big or t.pct:
            return None
        explicit = explicit or t.explicit
        scaled = scaled or t.scaled
        has_k = has_k or t.has_k
        has_currency = has_currency or t.currency is not None or t.written is not None
    return explicit, scaled, has_k, has_currency


def _is_plan_number(text: str, first: _Token) -> bool:
    """Whether the first figure names a retirement plan: 401(k), 403(b) are the plan, not an amount."""
    plan_suffix = text[first.end : first.end + 3]
    if first.currency is None and first.value in (401, 403, 457) and plan_suffix in ("(k)", "(b)", "k"):
        return True
    return first.currency is None and first.value in (401_000, 403_000, 457_000) and first.has_k


def _bound_values(toks: list[_Token]) -> tuple[float, float] | None:
    """The (low, high) values of the first and last figures, the low one scaled like the high one where it was
    written short; None when they cannot be the two ends of one pay range (too far apart, or reversed)."""
    first, last = toks[0], toks[-1]
    lo_v, hi_v = first.value, last.value
    if len(toks) >= 2:
        # "$120-150k", "100 to $120K", "$140 - $160000": the multiplier of the second bound applies to the first.
        if not first.scaled and last.scaled and lo_v <= hi_v / last.mult:
            lo_v *= last.mult
        elif not first.scaled and lo_v < 1000 and hi_v >= 1000 and hi_v / 3 <= lo_v * 1000 <= hi_v:
            lo_v *= 1000
        if lo_v > 0 and hi_v / lo_v > 20:
            return None
        if lo_v > hi_v * 1.0001:
            return None
    return lo_v, hi_v


def _bare_number_rejected(cand: _Candidate, scaled: bool, lo_v: float, hi_v: float) -> bool:
    """Whether a figure with no currency is too plain to be pay: small, unscaled and with no stated period, or
    written like a year. Most candidates are years, counts and version numbers; this rejects them unread."""
    return not (scaled or cand.stated or min(lo_v, hi_v) >= 1000) or any(
        not t.grouped and not t.scaled and _BARE_YEAR.fullmatch(str(int(t.value))) for t in cand.tokens
    )


def _named_currency(text: str, cand: _Candidate, explicit: bool) -> str | None:
    """The currency the figures name (an explicit code over a symbol), else a code in parentheses right after the
    range ("$70k - $92k (AUD)"); None when neither names one (the country may, later: ``_country_currency``)."""
    toks = cand.tokens
    currency = next((t.currency for t in toks if t.explicit), None) if explicit else None
    currency = currency or next((t.currency for t in toks if t.currency), None)
    if not explicit:
        pc = _PAREN_CODE.match(text, cand.end)
        if pc:
            currency = pc.group(1).upper()
    return currency


def _silent_rejected(
    text: str, cand: _Candidate, bare: bool, currency: str | None, lo_v: float, hi_v: float, has_k: bool
) -> bool:
    """For a candidate with no pay word where the rest of ``_judge`` looks (so its ``pay_cue`` is False): whether
    ``_judge`` would drop it, decided without reading its words. A bare figure or a lone one without a stated
    period is dropped there, and a range needs a period from its clause or a magnitude that is not an hour's (the
    same tests, in the same order, on what they read)."""
    if bare or not (len(cand.tokens) >= 2 or cand.stated):
        return True
    if cand.period is None:
        clause, _, _ = _clause_before(text, cand.start)
        if not (_has_stem(clause, _PERIOD_BEFORE_STEMS) and _PERIOD_BEFORE.findall(clause)):
            scale = currency or next((t.written for t in cand.tokens if t.written), None)
            if _magnitude_period(max(lo_v, hi_v), scale, has_k) in (None, "hour"):
                return True
    return False


def _ahead_kind(ahead_text: str) -> str | None:
    """The cue in the words right after the amount (see ``_ahead_cue``), "non" for a piece rate ("$2 per
    delivery"): an amount followed by a word that is not pay is rejected before its clause is read."""
    if _PIECE_RATE.match(ahead_text):
        return "non"
    return _ahead_cue(ahead_text)


def _counts_a_noun(text: str, cand: _Candidate) -> bool:
    """Whether the word after a bare figure is a noun it counts ("8,000 engineers", "50,000+ courses")."""
    nxt = _NEXT_WORD.match(text, cand.end)
    return bool(nxt) and nxt.group(1).lower() not in _BARE_NEXT_OK and not _CUE.match(nxt.group(1).lower())


def _back_kind(text: str, cand: _Candidate, clause: str, boundary: str) -> str | None:
    """The cue in the clause before the amount: a pay verb makes it pay, and a figure opening a parenthesis is
    judged by the words before the "(" (an aside's own clause is empty)."""
    back_kind, _ = _nearest_cue(clause)
    if back_kind != "non" and _has_stem(clause, _PAY_VERB_STEMS) and _PAY_VERB.search(clause):
        back_kind = "pay"  # "we pay £450 per day", "interns are paid $900 per week"
    if boundary == "(" and not clause.strip(" ~"):
        # "anniversary gift ($200/year)", "company matching (up to $5,000)": judge by the words before "(".
        pre = text[max(0, cand.start - 40) : cand.start].rsplit("(", 1)[0]
        kinds = {_cue_kind(m) for m in _CUE.finditer(pre.lower())}
        back_kind = "non" if "non" in kinds else ("pay" if "pay" in kinds else back_kind)
    return back_kind


def _cued_enough(cand: _Candidate, bare: bool, pay_cue: bool, clause: str, from_prev: bool, boundary: str) -> bool:
    """Whether the cues carry the candidate: a bare figure needs a pay word; a lone figure with a currency needs a
    pay word, or a stated period on a line of its own ("USD $75,000.00/Yr."); a range with a currency needs
    neither here (its period decides, in ``_range_period``)."""
    if bare:
        return pay_cue
    if len(cand.tokens) >= 2:
        return True
    return pay_cue or (cand.stated and (from_prev or _opens_segment(clause, boundary)))


def _range_period(
    cand: _Candidate, clause: str, currency: str | None, lo_v: float, hi_v: float, has_k: bool, pay_cue: bool
) -> str | None:
    """The range's period: stated with it, else named in its clause (the nearest), else guessed from its
    magnitude in its currency; None when the magnitude says nothing, or says an hour with no pay word (an hour's
    figure is too common a number to be taken on its size alone)."""
    period = cand.period
    if period is None and _has_stem(clause, _PERIOD_BEFORE_STEMS):
        prefixes = _PERIOD_BEFORE.findall(clause)
        if prefixes:  # the nearest: "Salary Range (hourly for non-exempt; yearly for exempt)" is cut at ";"
            period = next(name for name, hit in zip(_PERIOD_NAMES, prefixes[-1], strict=True) if hit)
    if period is None:
        scale = currency or next((t.written for t in cand.tokens if t.written), None)  # "kr": crowns' scale
        period = _magnitude_period(max(lo_v, hi_v), scale, has_k)
        if period is None or (period == "hour" and not pay_cue):
            return None
    return period


def _label(text: str, cand: _Candidate, clause: str, from_prev: bool) -> str | None:
    """What the range is for: the label before it, else a parenthesis right after it that is neither a currency
    code nor one of the asides that are not labels."""
    label = _label_before(text, cand.start, clause, from_prev)
    if label is None:
        pm = _PAREN_AFTER.match(text, cand.end)
        if pm and not _PAREN_NOT_LABEL.search(pm.group(1)) and not _PAREN_CODE.match(pm.group(0)):
            label = _clean_label(pm.group(1))
    return label


def _min_max(
    cand: _Candidate, clause: str, lo_v: float, hi_v: float, plus_tail: bool
) -> tuple[float | None, float | None]:
    """(min, max): a range's two ends; a lone figure is a ceiling after "up to", a floor after "from" or with a
    "+" of its own, else both ends."""
    if len(cand.tokens) >= 2:
        return lo_v, hi_v
    head = clause.rstrip()
    if _UP_TO.search(head):
        return None, lo_v
    if _FROM.search(head) or (cand.tokens[0].plus and not plus_tail):
        # "$180K+" is a floor; "$180K + equity" (a package's base) is the figure itself.
        return lo_v, None
    return lo_v, lo_v


# "US salary range for this position consists of 100-200k base": a bare range under a pay phrase that names the
# country it is for takes that country's currency (seen on real Ashby postings; never a guess from a location).
_COUNTRY_PAY = re.compile(
    r"\b(?:(?P<USD>U\.?S\.?A?|United States)|(?P<GBP>UK|United Kingdom)|(?P<CAD>Canad(?:a|ian))"
    r"|(?P<AUD>Australian?))\s+(?i:(?:base\s+)?(?:salary|pay|compensation|base))\b"
)
_COUNTRY_REACH = 200


def _country_currency(text: str, start: int) -> str | None:
    """The currency of the nearest country-named pay phrase within _COUNTRY_REACH characters before ``start``."""
    found = None
    for m in _COUNTRY_PAY.finditer(text, max(0, start - _COUNTRY_REACH), start):
        found = m.lastgroup
    return found


def _bound_kind(text: str, cand: _Candidate) -> str | None:
    """ "min", "mid" or "max" when a lone amount is labelled as one bound ("Min: $138,800", "Maximum Salary:
    USD $95,000.00/Yr.", "Min\n\nUSD $82,000.00/Yr."), else None."""
    if len(cand.tokens) != 1:
        return None
    head = _own_head(text, cand.start)
    for kind, pattern in (("min", _MIN_LABEL), ("mid", _MID_LABEL), ("max", _MAX_LABEL)):
        if pattern.search(head):
            return kind
    return None


def _pair_min_max(text: str, found: list[tuple[_Candidate, PayRange]]) -> list[tuple[_Candidate, PayRange]]:
    """ "Minimum Salary: USD $75,000.00/Yr. ... Maximum Salary: USD $95,000.00/Yr." and "Min: $138,800 / Mid:
    $173,500 / Max: $208,200" (one per line) -> one range from the min to the max."""
    out: list[tuple[_Candidate, PayRange]] = []
    i = 0
    while i < len(found):
        cand, pr = found[i]
        if i + 1 < len(found) and _bound_kind(text, cand) == "min":
            j = i + 1
            if j + 1 < len(found) and _bound_kind(text, found[j][0]) == "mid":
                j += 1
            last_cand, last = found[j]
            chain = found[i : j + 1]
            if (
                _bound_kind(text, last_cand) == "max"
                and all(b[0].start - a[0].end < 120 for a, b in itertools.pairwise(chain))
                and all(p.currency == pr.currency and p.period == pr.period for _, p in chain)
            ):
                lo = pr.min if pr.min is not None else pr.max
                hi = last.max if last.max is not None else last.min
                pr = PayRange(
                    min=lo, max=hi, currency=pr.currency, period=pr.period, kind=pr.kind, label=pr.label,
                    raw=text[cand.start : last_cand.end].strip(),
                )  # fmt: skip
                i = j
        out.append((cand, pr))
        i += 1
    return out


def parse_pay(text: str, *, pay_field: bool = False) -> list[PayRange]:
    """Every pay range stated in ``text``, the primary one (see ``primary_pay``) first, the rest in text order.

    ``[]`` when no amount is stated ("Competitive", "DOE", "Negotiable"). ``pay_field=True`` says the whole text is
    the value of a salary field (Remotive's ``salary``, a board's "Pay" cell), so a bare "84000 - 99,601.85" or
    "25.98 p/hr" counts without a pay word.
    """
    if not text:
        return []
    gate = _line_gate(text) if not pay_field else _LINE_GATE
    if not text.isascii():
        # NBSP, narrow NBSP and thin space group thousands ("84 500,00") and sit around dashes and words in
        # plain-text fields; read as spaces (same length: positions and ``raw`` stay aligned with the text).
        for space in _FOLDED_SPACES:  # str.replace runs in C; str.translate with a dict costs ~0.4 ms a posting
            if space in text:
                text = text.replace(space, " ")
    whole = pay_field or (not text.isascii() and any(c in text for c in _CASE_FOLD_ODDITIES))
    return _ranges(text, [(0, len(text))] if whole else _pay_lines(text, gate), pay_field)


_FOLDED_SPACES = ("\u00a0", "\u202f", "\u2009", "\u2007")

# The line gate's period branch ("25 per hour", "50.000 p.a.", "zł brutto miesięcznie") was most of its cost (~9 us
# of ~15 a posting before its words were tries: they are tried after every number), and on 7 descriptions in 10 of
# the corpus no period follows any number.
# Its gate in the one compiled scan: the branch after a digit, without the possessive, with a space that may be one
# of the spaces parse_pay reads as one (the scan runs over the text as given). Where it is closed the lines are
# gated by _LINE_GATE_NO_PERIOD, the same pattern without that branch: it finds the same matches there, since the
# branch matches nowhere in the text.
_PERIOD_GATE = re.compile(
    (rf"[0-9][0-9,.'’]*(?:\ ?[kK])?(?:\ ?%)?(?:\ ?\+)?(?i:{_GATE_PERIOD})").replace(
        "\\ ", "[ " + "".join(_FOLDED_SPACES) + "]"
    )
)
_PERIOD_SCAN = scan.gate("pay.period", _PERIOD_GATE)
_LINE_GATE_NO_PERIOD = re.compile(_LINE_GATE.pattern.replace(_PERIOD_BRANCH, ""), re.VERBOSE)
# Shorter texts (a pay field, a title) are gated by _LINE_GATE as they are, out of the scan's cache.
_SHORT = 200


def _line_gate(text: str) -> re.Pattern[str]:
    """The line gate for ``text``: _LINE_GATE_NO_PERIOD when the scan says no period can follow a number in it."""
    if len(text) <= _SHORT or (not text.isascii() and ("\u0130" in text or "\u0131" in text)):
        return _LINE_GATE  # (RE2 does not equate İ and ı with i, as re's IGNORECASE does)
    return _LINE_GATE if _PERIOD_SCAN in scan.hits(text) else _LINE_GATE_NO_PERIOD


# Letters that re.IGNORECASE equates with ASCII ones ("İ"/"ı" ~ i, "ſ" ~ s, the Kelvin sign ~ k) but str.lower()
# does not: the line gate's literal tests can miss what the patterns match next to them (random texts found such
# differences, 98 in 6.5 million), so a text holding one is read whole, as before the gate.
_CASE_FOLD_ODDITIES = ("\u0130", "\u0131", "\u017f", "\u212a")


def _ranges(text: str, spans: list[tuple[int, int]], pay_field: bool) -> list[PayRange]:
    """``parse_pay`` over the line spans ``spans`` of ``text`` (all of it: ``[(0, len(text))]``)."""
    found: list[tuple[_Candidate, PayRange]] = []
    for start, stop in spans:
        cands = _scan(text, start, stop)
        quiet = _QuietIndex.build(text, start, stop) if len(cands) > _DENSE and not pay_field else None
        for cand in cands:
            pr = _judge(text, cand, pay_field, quiet)
            if pr is not None:
                found.append((cand, pr))
    if not found:
        return []
    found = _pair_min_max(text, found)
    ranges: list[PayRange] = []
    seen: set[tuple] = set()
    for _, pr in found:
        key = (pr.min, pr.max, pr.currency, pr.period, pr.kind)
        if key in seen:
            continue
        seen.add(key)
        ranges.append(pr)
    primary = primary_pay(ranges)
    if primary is not None and ranges[0] is not primary:
        if primary in ranges:
            ranges.remove(primary)
        ranges.insert(0, primary)
    return ranges


# A line with more candidates than this gets a _QuietIndex (a real pay line has a few; building one costs about
# what judging a few candidates does).
_DENSE = 16
# Where _judge reads words around a candidate (with no line break in the clause window): the clause (at most
# _CLAUSE_WINDOW characters before), the words before a "(" (40) and after it (_AHEAD_WINDOW); with a margin.
_QUIET_BEFORE = _CLAUSE_WINDOW + 10
_QUIET_AFTER = _AHEAD_WINDOW + 10
# Every pay, OTE, pay-verb and "+ package" word that makes ``pay_cue`` holds one of these, folded (_CUE_STEMS:
# see _cue_near) or is an "ote" at a word start.
_QUIET_STEMS = tuple(dict.fromkeys(_CUE_STEMS + _PAY_VERB_STEMS))
_QUIET_REACH = max(map(len, _QUIET_STEMS))


class _QuietIndex:
    """Where the pay words of one line (span) are, found once: a line dense with amounts (a 1 MB posting of
    "$1-$2 - 3 to 4k USD ...": ~34,000 candidates) would otherwise have the words around each candidate read by
    the cue patterns, ~15 us each, although no pay word is near any of them. ``silent(cand)`` says that none of
    the pay words (``_QUIET_STEMS``, a superset of what sets ``pay_cue`` in _judge) and no "ote" that can be a
    word of its own lies where _judge reads for ``cand``; then _judge decides without reading (same answer)."""

    __slots__ = ("ote_any", "text", "where")

    def __init__(self, text: str, where: list[int], ote_any: set[int]) -> None:
        self.text = text
        self.where = where  # sorted starts of stem occurrences and of "ote"s at a word start
        self.ote_any = ote_any  # starts of every "ote" (a clause or look-ahead cut there makes it a word start)

    @classmethod
    def build(cls, text: str, start: int, stop: int) -> _QuietIndex | None:
        lo, hi = max(0, start - _QUIET_BEFORE), min(len(text), stop + _QUIET_AFTER)
        region = text[lo:hi]
        low = fold(region)
        if len(low) != len(region):  # "İ": offsets would not agree; judge as before
            return None
        where: list[int] = []
        for stem in _QUIET_STEMS:
            i = low.find(stem)
            while i >= 0:
                where.append(lo + i)
                i = low.find(stem, i + 1)
        ote_any: set[int] = set()
        i = low.find("ote")
        while i >= 0:
            ote_any.add(lo + i)
            # a word start in the lowered words (not after a-z), or "remOte", which _unglue splits
            if i == 0 or not ("a" <= low[i - 1] <= "z") or region[i] == "O":
                where.append(lo + i)
            i = low.find("ote", i + 1)
        where.sort()
        return cls(text, where, ote_any)

    def silent(self, cand: _Candidate) -> bool:
        start, end = cand.start, cand.end
        lo = max(0, start - _QUIET_BEFORE)
        if self.text.rfind("\n", lo, start) >= 0:
            return False  # the clause may be the line before
        k = bisect_left(self.where, lo - _QUIET_REACH)
        if k < len(self.where) and self.where[k] < end + _QUIET_AFTER:
            return False
        # an "ote" where a window that _judge reads starts: the clause's, the words before a "(" and after
        ote = self.ote_any
        return not ote or not (max(0, start - _CLAUSE_WINDOW) in ote or max(0, start - 40) in ote or end in ote)


def primary_pay(ranges: list[PayRange]) -> PayRange | None:
    """The range that stands for the posting (None for an empty list).

    1. The head: the first ``base`` range in text order; when every range is ``ote`` (sales roles that state only
       on-target earnings), the first ``ote`` one. A one-sided head ("up to $90k") is the answer as it is.
    2. Ranges of the same kind, currency and period as the head that overlap it or lie within
       ``_ENVELOPE_GAP`` of it (transitively) are one pay stated per location, level or hiring band: "$126,000 -
       $148,000 (CA, NY, WA) and $110,000 - $130,000 (other U.S. locations)", "Zone A/B/C", "Region 1: $115,500 /
       Region 2: $109,000", a hiring range inside the full salary range. The primary is their envelope, from the
       lowest minimum to the highest maximum: what the posting can pay, and what LinkedIn's structured pay for
       such postings states (all 7 postings of this shape in its labelled dev set). One-sided ranges ("a raise up
       to $105K") and amounts far from the head (a "$3,000 per year" stipend next to a salary) stay out.
    3. When a stated range already is that envelope it is returned; otherwise a new range is built (label None,
       ``raw`` the members' texts joined by " / "). ``primary_pay`` of a list led by that envelope returns it.
    """
    if not ranges:
        return None
    head = next((pr for pr in ranges if pr.kind == "base"), ranges[0])
    if head.min is None or head.max is None:
        return head
    same = sorted(
        (
            pr
            for pr in ranges
            if pr.min is not None
            and pr.max is not None
            and (pr.kind, pr.currency, pr.period) == (head.kind, head.currency, head.period)
        ),
        key=lambda pr: pr.min,  # type: ignore[arg-type,return-value]
    )
    # Sorted by minimum, ranges within _ENVELOPE_GAP of each other form runs; the head's run is the envelope
    # (one pass: a 1 MB posting may state thousands of ranges).
    run: list[PayRange] = []
    lo = hi = 0.0
    found = False
    for pr in same:
        if run and pr.min > hi * _ENVELOPE_GAP:  # type: ignore[operator]
            if found:
                break
            run = []
        if not run:
            lo, hi = pr.min, pr.max
        run.append(pr)
        hi = max(hi, pr.max)  # type: ignore[type-var]
        found = found or pr is head
    if (lo, hi) == (head.min, head.max):
        return head
    members = {id(pr) for pr in run}
    for pr in ranges:
        if id(pr) in members and (pr.min, pr.max) == (lo, hi):
            return pr
    raw = " / ".join(pr.raw for pr in ranges if id(pr) in members and pr.raw) or None
    return PayRange(min=lo, max=hi, currency=head.currency, period=head.period, kind=head.kind, raw=raw)


def parse_money(text: str) -> tuple[float | None, str | None]:
    """The first amount in a price-like string and its ISO currency: ``"CHF 120'000"`` -> (120000.0, "CHF"),
    ``"75 000 €"`` -> (75000.0, "EUR"), ``"5 550 Kč"`` -> (5550.0, "CZK"). (None, None) parts when absent.

    The amount is price-parser's (it reads price strings better than our scanner: bench/compare_money.py); the
    currency is the one price-parser found, as an ISO code (``pipeline.money.currency_code``), else the one our
    scanner finds. Pay figures in text are read by ``parse_pay``'s own scanner, which measures better there
    (ranges, "k" and lakh multipliers, periods).
    """
    from price_parser import Price  # only price strings need it

    price = Price.fromstring(text)
    amount = float(price.amount) if price.amount is not None else None
    tok = _first_token(text)
    if tok is not None and tok.scaled and amount is not None and abs(tok.value / tok.mult - amount) < 0.005:
        amount = tok.value  # "$1.5k": price-parser reads no multipliers
    currency = currency_code(price.currency)
    if currency is None:
        currency = _scan_money(text)[1]
    return amount, currency


def _first_token(text: str) -> _Token | None:
    for trig in _TRIGGER.finditer(text):
        tok = _read_token(text, trig.start())
        if tok is not None:
            return tok
    return None


def _scan_money(text: str) -> tuple[float | None, str | None]:
    """Our scanner's reading of a price-like string: the first amount token and its currency (the hand-written
    alternative that bench/compare_money.py measures against price-parser)."""
    tok = _first_token(text)
    amount = tok.value if tok is not None else None
    cur = tok.currency if tok is not None else None
    if cur is None:
        m = _MONEY_CURRENCY.search(text)
        if m:
            if m.group("code"):
                cur = currency_code(m.group("code"))
            elif m.group("sym"):
                cur = _SYMBOLS[m.group("sym")]
            elif m.group("lword"):
                cur = currency_code(m.group("lword"))
            else:
                cur = _DOLLAR_PREFIXES[m.group("dpre")] if m.group("dpre") else "USD"
    if amount is None:
        m = _MONEY_NUMBER.search(text)
        if m:
            try:
                amount = to_number(m.group(0).rstrip(",.' "))
            except ValueError:
                amount = None
    return amount, cur
