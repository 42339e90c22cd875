"""Pay ranges stated in free text: ``parse_pay(text) -> list[PayRange]`` and ``primary_pay(ranges)``.

Pure functions, no I/O. Input is plain text (``pipeline.text.html_to_text`` output: lines preserved).

How it works (one linear pass, no regex run over the whole text more than once):

1. ``_TRIGGER`` — one compiled regex whose pattern starts with a character class (so ``re`` scans for it at C
   speed) — finds currency symbols and digit runs. Only these spots are looked at further.
2. At each spot ``_TOKEN`` reads one amount: optional currency (``$``, ``CA$``, ``€``, ``USD``, ``CHF`` ...),
   the number (``120,000.50``, ``60.000``, ``75 000``, ``120'000``, ``31,2``), a multiplier (``k``; lakh ``L``;
   ``M``/``B``/``million`` mark company figures and are never pay) and a trailing currency (``75 000 €``).
   Then a period suffix (``/hr``, ``per annum``, ``p.a.``, ``USD Annually``...) and, when a connector follows
   (``-``, ``–``, ``—``, ``~``, ``to``, ``through``; ``and``/``und`` only after "between"/"zwischen"/"range"), the
   second bound (and a third: "$15.00 - $22.50 - $30.00" is min-mid-max).
3. Each candidate is judged from its clause (the text back to the previous line/sentence/``;``/``|``/``(``, or the
   previous line when the amount opens its line — "Salary:\\n$120,000 - $150,000") and from the words right
   after it: the nearest cue word decides. Pay cues (salary, pay, compensation, wage, rate, base, OTE, Gehalt...)
   make it pay; benefit/company cues (bonus, sign-on, stipend, allowance, budget, relocation, referral, 401(k),
   raised, funding, valuation, revenue, ARR, cost...) reject it. "OTE"/"on-target earnings" mark kind ``ote``.

Acceptance rules:

- A range whose bounds carry a currency ("$120,000 - $150,000 USD") is pay unless a benefit cue rejects it.
- A single amount with a currency needs a pay cue ("Salary: $95k", "we pay £450 per day", "interns are paid
  $900 per week"), a "+ equity"/"+ bonus" tail ("$180K + Offers Equity", "Comp: $200k+ base"), or a stated
  period on a line of its own ("USD $75,000.00/Yr."): "Fertility HRA (up to $10,000 per year)" and
  "$15/day for holding the on-call phone" are not pay.
- Inside parentheses the words before "(" decide: "salary ($59,636 - $65,827)" is pay, "anniversary gift
  ($200/year)" and "company matching (up to $5,000)" are not.
- Piece rates ("$0.07 per word", "$15 per task") are not pay: they cannot be annualized.
- Bare numbers (no currency on any bound) need a pay cue and either a ``k``/lakh multiplier, a stated period or
  both bounds >= 1,000; "2019-2024", "5+ years", "401(k)", percentages, phone numbers and version numbers fail.
- "up to X" gives ``max`` only; "from X"/"starting at X"/"X+" give ``min`` only; a single "X" gives min = max.
- "Competitive", "DOE", "Negotiable", "market rate" state no amount, so they give no range.

Period: stated words win (suffix "per hour", "/hr", "an hour", "p.a.", "annually", "/yr", "monthly", "per annum",
"a year", "daily", "weekly"...; else a prefix in the clause: "hourly rate of", "Annual Salary Range:"). When
unstated it is inferred from the magnitude of the larger bound, converted to a rough USD equivalent
(``_USD_PER_UNIT``; the rule is only meaningful for currencies of similar unit value):

- < 300 -> hour (US/AU hourly rates we saw top out near $250/h: "$90-$150+/hr", "$80 - $120 per hour");
- 300 - 999 -> ambiguous (a day rate, a weekly wage or a stipend) -> no pay unless the period is stated;
- 1,000 - 9,999 -> month (European/LatAm monthly pay: "4600 - 5500 Euro net per month", "2.691 - 4.037 EUR");
  but a "k" figure of 10k or more is never monthly;
- >= 10,000 -> year.
A range inferred as hourly also needs a pay cue ("Meals cost between $10-15" is not pay).

Currency: the symbol or ISO code on any bound or right after the range; ``$`` alone is USD, ``CA$``/``C$`` CAD,
``A$``/``AU$`` AUD, ``NZ$``, ``S$``, ``HK$``, ``R$``, ``MX$`` likewise; an explicit code beats a bare ``$``
("$67,185 - 87,263 CAD"). No symbol and no code -> None (never guessed).

Labels: "Zone A: $150,000 - $180,000", "Level 2: $145,000", "Staff Engineer ($200,000 - $250,000)",
"1. Staff Software Engineer - $200K-275K", "$126,000 - $148,000 (CA, NY, WA)" — the words before a colon/dash/
parenthesis or inside a short parenthesis after the range, minus generic pay words ("Salary", "Pay Range").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import PayRange

__all__ = ["parse_money", "parse_pay", "primary_pay"]

# --- currencies ------------------------------------------------------------------------------------------------

_SYMBOLS = {
    "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₪": "ILS", "₽": "RUB", "₺": "TRY",
    "₱": "PHP", "₦": "NGN", "₫": "VND", "฿": "THB", "₴": "UAH",
}  # fmt: skip
_DOLLAR_PREFIXES = {
    "US": "USD", "CA": "CAD", "C": "CAD", "CAD": "CAD", "A": "AUD", "AU": "AUD", "AUD": "AUD", "NZ": "NZD",
    "NZD": "NZD", "S": "SGD", "SG": "SGD", "SGD": "SGD", "HK": "HKD", "R": "BRL", "MX": "MXN", "USD": "USD",
}  # fmt: skip
_CODES = str.split(
    "USD EUR GBP CAD AUD NZD CHF SEK NOK DKK ISK PLN CZK HUF RON BGN JPY CNY RMB INR SGD HKD TWD KRW BRL MXN ARS "
    "CLP COP PEN ZAR ILS AED SAR QAR TRY RUB UAH PHP IDR MYR THB VND NGN KES EGP PKR BDT LKR"
)
# Lower-case codes occur in normalised free-text salary fields ("$120,750 - $172,500 usd"); "cad" and friends
# are left out because as words they mean software ("CAD tools").
_LOWER_CODES = ("usd", "eur", "gbp", "aud", "chf", "inr")
_WORD_CURRENCIES = {"euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD", "rs": "INR", "rs.": "INR"}
# Rough units per USD, only to put the magnitude rule on one scale. CHF/EUR/GBP/CAD/AUD are close enough to 1.
_USD_PER_UNIT = {
    "JPY": 150, "CNY": 7, "RMB": 7, "INR": 83, "KRW": 1300, "SEK": 10, "NOK": 10, "DKK": 7, "ISK": 140,
    "PLN": 4, "CZK": 23, "HUF": 360, "RON": 4.6, "BGN": 1.8, "TWD": 32, "BRL": 5, "MXN": 17, "ARS": 900,
    "CLP": 900, "COP": 4000, "PEN": 3.7, "ZAR": 18, "ILS": 3.7, "AED": 3.7, "SAR": 3.7, "QAR": 3.6, "TRY": 32,
    "RUB": 90, "UAH": 40, "PHP": 56, "IDR": 16000, "MYR": 4.7, "THB": 36, "VND": 25000, "NGN": 1500, "KES": 130,
    "EGP": 48, "PKR": 280, "BDT": 110, "LKR": 300, "HKD": 7.8, "SGD": 1.35, "NZD": 1.6,
}  # fmt: skip

_CODE_ALT = "|".join(_CODES + list(_LOWER_CODES))
_SYMBOL_CLASS = "".join(re.escape(s) for s in _SYMBOLS)

# --- the scanner -----------------------------------------------------------------------------------------------

# Starts with a character class so that re's fast prefix scan applies (an alternation of words would be tried at
# every position: ~3x slower on a 5 KB posting). Digit runs only count at their start.
_TRIGGER = re.compile(
    rf"""[{_SYMBOL_CLASS}\d](?<![\w.,'’/=#@]\d)
    (?:(?<=[^\d])                                      # a currency symbol
      |[\d,.'’\ ]{{3,}}                                 # 1,000 and up, "75 000", "120'000", years (dropped later)
      |[\d,.'’]*\ ?(?:[kKL%+\-–—~_/€£₹]|to\b|per\b|an?\b|p[a/.h]|hr|[Hh]our|[Aa]nnu|[Yy]ear|[Mm]onth|[Ww]eek
        |[Dd]a[iy]|[A-Z]{{3}}|[Ee]uro|und\b|bis\b|and\b)
    )""",
    re.VERBOSE,
)

_NUM = r"""
    (?<![\w.,'’/=#@])
    (?:\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?           # 120,000  11,670.34
      |\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?           # 60.000  120.000,00 (European)
      |\d{1,3}(?:['’]\d{3})+(?:[.,]\d{1,2})?      # CHF 120'000
      |\d{1,3}(?:[ ]\d{3})+(?:[.,]\d{1,2})?       # 75 000 €
      |\d{1,12}(?:[.,]\d{1,2})?                     # 137000  26.76  31,2(k)
    )(?![.,]?\d)
"""
_TOKEN = re.compile(
    rf"""
    (?:
        (?:(?<![A-Za-z])(?P<dpre>{"|".join(sorted(_DOLLAR_PREFIXES, key=len, reverse=True))}))?(?P<dollar>\$)
      | (?P<sym>[{_SYMBOL_CLASS.replace(re.escape("$"), "")}])
      | (?<![A-Za-z])(?P<cpre>{_CODE_ALT}|Rs\.?)(?![A-Za-z])\ ?(?P<cdollar>\$)?
    )?
    (?:\ ?~\ ?|\ )?
    (?P<num>{_NUM})
    (?P<mult>\ ?[kK](?![a-z0-9])|L(?:PA)?(?![A-Za-z])|\ ?(?:lakhs?|lacs?|[Cc]r|crores?)\b)?
    (?P<big>\ ?\+?\ ?(?:[mM]|MM|mn|mil|[Mm]illion|[bB]|bn|[Bb]illion|[Tt]rillion)(?![A-Za-z]))?
    (?P<pct>\ ?%)?
    (?P<plus>\ ?\+)?
    (?:\ ?(?:(?P<psym>[€£₹¥])|(?P<pcode>{_CODE_ALT})(?![a-z]|[A-Z]{{2}})|(?P<pword>(?i:euros?|dollars?))\b))?
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
_PERIOD_AFTER = re.compile(
    r"""
    \ ?(?:\+\ ?)?
    (?:(?:gross|net|brutto|netto|base|pro[- ]rata|salary|USD|EUR)\ ?)?
    (?:
        (?:/\ ?(?:per\ )?|\bper\ |\bpro\ |\ban?\ |\bp/?|\bdie\ )
        (?P<u1>calendar\ month|hours?|hrs?|h|years?|yrs?|annum|a|months?|mos?|mths?|weeks?|wks?|days?|d
            |jahr|monat|stunde|std|tag|woche|hourly|annually|yearly|monthly|weekly|daily)\b
      | (?P<u2>hourly|annually|annual|annualized|yearly|monthly|weekly|daily|p\.?\ ?a|pa|ph|hr|jährlich|monatlich|mtl)
        (?![a-zäöü])\.?
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
_CONNECT = re.compile(
    r"""
    (?:\ in\ the\ low(?:est|er)\b[^.;\n$€£]{0,40}?)?      # "USD 140,000 in the lowest geographic market and ..."
    [ \t]*(?P<c>[-–—~_‐‑‒―−�]+|to|and|und|bis|through|thru)[ \t]*
    (?:(?:a\ )?max(?:imum)?\ (?:(?:annual\ )?(?:salary|pay|base|rate)\ )?(?:of\ )?)?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_DASH_CONNECTORS = frozenset("-–—~_‐‑‒―−�")

# Cue words in the clause before an amount (nearest wins) and right after it.
# Matched against lower-cased text (IGNORECASE makes re several times slower on this alternation).
_CUE = re.compile(
    r"""
    \b(?:
      (?P<ote>ote|on[- ]?target(?:\ earnings)?|at\ target|target\ (?:total\ )?(?:comp\w*|earnings|cash|pay))
    | (?P<non>bonus(?:es)?|sign[- ]?on|signing|stipends?|allowances?|budgets?|reimburs\w*|relocation|referrals?
        |401\ ?\(?k\)?|match(?:ing)?|raised|rais(?:e|ing)|fund(?:ing|ed|s)?|valu(?:ation|ed)|revenues?|arr|mrr
        |sales|spend|invest\w*|donat\w*|gifts?|vouchers?|discounts?|perks?|credits?|fees?|prices?|pricing|costs?
        |savings?|prizes?|grants?|commissions?|tuition|insurance|contributions?|packaging|sacrifice|worth|assets
        |payments?|payroll|loans?|transactions?|volume|bets|deals?|certifications?|conferences?|training
        |learning|wellness|wellbeing|equipment|membership|gym|childcare|internet|meals?|lunch|travel|projects?
        |customers|users|employees|people|downloads|requests|companies|clients|contracts?|acvs?|budget|additional)
    | (?P<pay>salar(?:y|ies)|pay(?:\ (?:range|rate|band|scale))?|compensation|comp|wages?|rate|remuneration
        |earnings|base(?=\ ?(?:salary|pay|comp|rate|:))|income|\w*gehalt|vergütung|lohn|stundenlohn|salaire|salario
        |sueldo|package)
    )\b
    """,
    re.VERBOSE,
)
# "+ equity", "plus bonus": the figure before is the base of a package (HN headers, Ashby titles).
_PLUS_TAIL = re.compile(
    r"\s*(?:\+|plus\b|with\b)\s*(?:\w+\s){0,2}?(?:bonus|equity|commission|benefits|super\w*|stock|options|package"
    r"|OTE|profit)",
    re.IGNORECASE,
)
_AHEAD_STOP = re.compile(
    r"[+,();:|\n$€£]|\.(?:\s|$)|\b(?:plus|and|with|or|und|excl\w*|incl\w*|inclusive|exclusive)\b|[–—]|\s-\s",
    re.IGNORECASE,
)
_BASE_AHEAD = re.compile(r"\s*base\b", re.IGNORECASE)
_CLAUSE_BOUNDARY = re.compile(r"[\n;•|(\[!?]|\.\s+(?=[A-Z$€£])")
_PERIOD_BEFORE = re.compile(
    r"""\b(?:(?P<hour>hourly|per\ hour|an\ hour|hour|stundenlohn|stündlich)
          |(?P<day>daily|day\ rate|per\ day|tagessatz)
          |(?P<week>weekly|per\ week)
          |(?P<month>monthly|per\ month|monatsgehalt|monatlich)
          |(?P<year>annual(?:ly|ized|ised)?|yearly|per\ year|per\ annum|jahresgehalt|brutto\ ?/?\ ?jahr))\b""",
    re.VERBOSE | re.IGNORECASE,
)
_PERIOD_NAMES = ("hour", "day", "week", "month", "year")
_UP_TO = re.compile(
    r"(?:\bup\s?to|\bmax(?:imum)?(?:\s+of)?|\bnot\s+to\s+exceed|\bbis\s+zu|\bas\s+much\s+as)\s*$", re.IGNORECASE
)
_FROM = re.compile(
    r"(?:\bfrom|\bstarting(?:\s+(?:at|from))?|\bstarts?\s+at|\bmin(?:imum)?(?:\s+of)?|\bat\s+least|\bab)\s*$",
    re.IGNORECASE,
)
_ONE_SIDED_HEAD = re.compile(r"^(?:up\s?to|from|starting(?:\s+(?:at|from))?|starts\s+at)?[\s:\-–—]*", re.IGNORECASE)
_MIN_LABEL = re.compile(r"\bmin(?:imum)?\b[^$€£\d]{0,20}$", re.IGNORECASE)
_MAX_LABEL = re.compile(r"\bmax(?:imum)?\b[^$€£\d]{0,20}$", re.IGNORECASE)
_BETWEEN = re.compile(r"\b(?:between|zwischen|range|ranging)\b", re.IGNORECASE)
_BULLET = re.compile(r"^[\s\-*•·–—>]*(?:\d{1,2}[.)]\s+)?")
_WORD = re.compile(r"[^\W_]+(?:['.][^\W_]+)*\.?")
_PARENTHETICAL = re.compile(r"\([^()]*\)?")
_LABEL_REJECT = re.compile(r"[$€£¥₹]|\d{3,}|\d\s?[kK]\b|https?:|www\.|\.(?:com|io|ai|org|co)\b")
# Piece rates ("$0.07 per word", "$20 per 100 words", "$15 per task") are not a wage we can annualize.
_PIECE_RATE = re.compile(
    r"\s*(?:/|per|a)\s*(?:\d+[- ])?(?:words?|pages?|tasks?|articles?|units?|items?|visits?|heads?|hires?|referrals?"
    r"|leads?|sales?|calls?|miles?|km|minutes?|min|session|lesson|class|video|post)\b",
    re.IGNORECASE,
)
_PROSE_WORDS = frozenset(
    str.split(
        "is are be will we you your our by determined eligible consists includes may can should would this that "
        "these those it its their have has"
    )
)
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
    r"|about\s+|approximately\s+|an?\s+(?:hourly\s+|daily\s+)?rate\s+of\s+)?~?$",
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
    rf"|(?P<sym>[{_SYMBOL_CLASS.replace(re.escape('$'), '')}])|(?<![A-Za-z])(?P<code>{_CODE_ALT})(?![A-Za-z]))"
)
_MONEY_NUMBER = re.compile(r"\d[\d,.'’ ]*")

_CLAUSE_WINDOW = 110
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


def _to_number(num: str) -> float:
    """``120,000.50`` / ``120.000,50`` / ``120'000`` / ``75 000`` / ``31,2`` -> float. A separator followed by
    exactly three digits groups thousands (salaries never carry three decimals); otherwise it is decimal."""
    s = num.replace("'", "").replace("’", "").replace(" ", "")
    last = max(s.rfind(","), s.rfind("."))
    if last == -1:
        return float(s)
    if len(s) - last - 1 == 3:
        return float(s.replace(",", "").replace(".", ""))
    return float(s[:last].replace(",", "").replace(".", "") + "." + s[last + 1 :])


def _read_token(text: str, pos: int) -> _Token | None:
    m = _TOKEN.match(text, pos)
    if not m or not m.group("num"):
        return None
    currency = None
    explicit = False
    if m.group("dollar"):
        pre = m.group("dpre")
        currency = _DOLLAR_PREFIXES[pre] if pre else "USD"
        explicit = bool(pre)
    elif m.group("sym"):
        currency, explicit = _SYMBOLS[m.group("sym")], True
    elif m.group("cpre"):
        code = m.group("cpre").rstrip(".")
        currency, explicit = _WORD_CURRENCIES.get(code.lower()) or code.upper(), True
        if currency == "RMB":
            currency = "CNY"
    post = m.group("psym") or m.group("pcode") or m.group("pword")
    if post:
        code = _SYMBOLS.get(post) or _WORD_CURRENCIES.get(post.lower()) or post.upper()
        if code == "RMB":
            code = "CNY"
        if not explicit or currency is None:
            currency, explicit = code, True
    value = _to_number(m.group("num"))
    mult = m.group("mult")
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
    num = m.group("num")
    end = m.end()
    if m.group("plus") and m.end("plus") == end:
        end = m.start("plus")  # leave "+ bonus" / "+ equity" for the look-ahead
    return _Token(
        start=m.start(),
        end=end,
        value=value,
        currency=currency,
        explicit=explicit,
        has_k=has_k,
        scaled=bool(mult),
        mult=factor,
        big=bool(m.group("big")),
        pct=bool(m.group("pct")),
        plus=bool(m.group("plus")),
        grouped=len(num) > 3 and not num.isdigit(),
    )


def _period_after(text: str, pos: int) -> tuple[str | None, int]:
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
    if boundary == "\n" and _BULLET.sub("", clause).strip(" \t:-–—") == "":
        prev = text[max(0, lo - _CLAUSE_WINDOW) : lo + cut].rstrip()
        nl = prev.rfind("\n")
        prev_line = prev[nl + 1 :][-_CLAUSE_WINDOW:]
        return prev_line, True, boundary
    return clause, False, boundary


def _nearest_cue(clause: str) -> tuple[str | None, str | None]:
    kind = word = None
    for m in _CUE.finditer(clause.lower()):
        kind, word = m.lastgroup, m.group(0)
    return kind, word


def _ahead_cue(ahead: str) -> str | None:
    """The cue in the words right after an amount, before the next "+", comma, "and", parenthesis..."""
    if ahead[:1].isupper():  # "$51,500On Target Earnings: $86,500" - text glued when HTML was flattened
        return None
    stop = _AHEAD_STOP.search(ahead)
    immediate = ahead[: stop.start()] if stop else ahead
    # The first cue wins: "$130,000 base salary, annual bonus" is pay, "$5,000 sign-on bonus" is not.
    if _BASE_AHEAD.match(immediate):
        return "pay"
    m = _CUE.search(immediate.lower())
    return m.lastgroup if m else None


def _clean_label(raw: str) -> str | None:
    """A short location/level/role name, or None for generic pay words and for prose."""
    raw = _PARENTHETICAL.sub("", raw)
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


def _scan(text: str) -> list[_Candidate]:
    """Amount tokens chained into ranges, in text order (no judging yet)."""
    out: list[_Candidate] = []
    consumed = 0
    for trig in _TRIGGER.finditer(text):
        pos = trig.start()
        if pos < consumed:
            continue
        # A currency code or dollar prefix may sit just before the symbol/digit ("USD 90k", "CA$120", "CHF 120'000").
        back = max(consumed, pos - 5)
        tok = None
        for p in range(back, pos):
            if text[p].isalpha() and (p == 0 or not text[p - 1].isalpha()):
                tok = _read_token(text, p)
                if tok:
                    break
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
            if not conn:
                break
            c = conn.group("c").lower()
            if len(tokens) == 2 and c[0] not in _DASH_CONNECTORS:
                break
            if c in ("and", "und"):
                clause, _, _ = _clause_before(text, tokens[0].start)
                if not _BETWEEN.search(clause):
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


def _judge(text: str, cand: _Candidate, pay_field: bool) -> PayRange | None:
    toks = cand.tokens
    if any(t.big or t.pct for t in toks):
        return None
    first, last = toks[0], toks[-1]
    # 401(k), 403(b): the plan, not an amount.
    plan_suffix = text[first.end : first.end + 3]
    if first.currency is None and first.value in (401, 403, 457) and plan_suffix in ("(k)", "(b)", "k"):
        return None
    if first.currency is None and first.value in (401_000, 403_000, 457_000) and first.has_k:
        return None
    has_currency = any(t.currency for t in toks)
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
    bare = not has_currency
    # Cheap rejections first: most candidates are years, counts and version numbers.
    if bare and (
        not (any(t.scaled for t in toks) or cand.stated or min(lo_v, hi_v) >= 1000)
        or any(not t.grouped and not t.scaled and _BARE_YEAR.fullmatch(str(int(t.value))) for t in toks)
    ):
        return None
    currency = next((t.currency for t in toks if t.explicit), None) or next(
        (t.currency for t in toks if t.currency), None
    )
    clause, from_prev, boundary = _clause_before(text, cand.start)
    back_kind, _ = _nearest_cue(clause)
    if back_kind != "non" and _PAY_VERB.search(clause):  # "we pay £450 per day", "interns are paid $900 per week"
        back_kind = "pay"
    opens_segment = boundary in ("", "\n", "|", "•") and _ONE_SIDED_HEAD.sub("", _BULLET.sub("", clause)) == ""
    if boundary == "(" and not clause.strip(" ~"):
        # "anniversary gift ($200/year)", "company matching (up to $5,000)": judge by the words before "(".
        pre = text[max(0, cand.start - 40) : cand.start].rsplit("(", 1)[0]
        kinds = {m.lastgroup for m in _CUE.finditer(pre.lower())}
        back_kind = "non" if "non" in kinds else ("pay" if "pay" in kinds else back_kind)
    ahead_text = text[cand.end : cand.end + _AHEAD_WINDOW]
    if _PIECE_RATE.match(ahead_text):
        return None
    ahead_kind = _ahead_cue(ahead_text)
    plus_tail = bool(_PLUS_TAIL.match(ahead_text))
    if ahead_kind == "non" or (ahead_kind is None and back_kind == "non"):
        return None
    pay_cue = back_kind in ("pay", "ote") or ahead_kind in ("pay", "ote") or plus_tail or pay_field
    is_range = len(toks) >= 2
    if bare:
        if not pay_cue:
            return None
        nxt = _NEXT_WORD.match(text, cand.end)
        if nxt and nxt.group(1).lower() not in _BARE_NEXT_OK and not _CUE.match(nxt.group(1).lower()):
            return None
    elif not is_range and not (pay_cue or (cand.stated and (opens_segment or from_prev))):
        # A lone figure needs a pay word, or a stated period on a line of its own ("USD $75,000.00/Yr.").
        return None
    period = cand.period
    if period is None:
        prefixes = _PERIOD_BEFORE.findall(clause)
        if prefixes:  # the nearest: "Salary Range (hourly for non-exempt; yearly for exempt)" is cut at ";"
            period = next(name for name, hit in zip(_PERIOD_NAMES, prefixes[-1], strict=True) if hit)
    if period is None:
        period = _magnitude_period(max(lo_v, hi_v), currency, any(t.has_k for t in toks))
        if period is None or (period == "hour" and not pay_cue):
            return None
    if max(lo_v, hi_v) <= 0:
        return None
    kind = "ote" if ahead_kind == "ote" or (ahead_kind is None and back_kind == "ote") else "base"
    label = _label_before(text, cand.start, clause, from_prev)
    if label is None:
        pm = _PAREN_AFTER.match(text, cand.end)
        if pm and not _PAREN_NOT_LABEL.search(pm.group(1)):
            label = _clean_label(pm.group(1))
    if is_range:
        lo, hi = lo_v, hi_v
    else:
        head = clause.rstrip()
        if _UP_TO.search(head):
            lo, hi = None, lo_v
        elif _FROM.search(head) or first.plus:
            lo, hi = lo_v, None
        else:
            lo = hi = lo_v
    raw = text[cand.start : cand.end].strip()
    return PayRange(min=lo, max=hi, currency=currency, period=period, kind=kind, label=label, raw=raw)


def _pair_min_max(text: str, found: list[tuple[_Candidate, PayRange]]) -> list[tuple[_Candidate, PayRange]]:
    """ "Minimum Salary: USD $75,000.00/Yr. ... Maximum Salary: USD $95,000.00/Yr." -> one range."""
    out: list[tuple[_Candidate, PayRange]] = []
    i = 0
    while i < len(found):
        cand, pr = found[i]
        if i + 1 < len(found) and len(cand.tokens) == 1 and len(found[i + 1][0].tokens) == 1:
            nxt_cand, nxt = found[i + 1]
            clause_a, _, _ = _clause_before(text, cand.start)
            clause_b, _, _ = _clause_before(text, nxt_cand.start)
            lo = pr.min if pr.min is not None else pr.max
            hi = nxt.max if nxt.max is not None else nxt.min
            if (
                nxt_cand.start - cand.end < 120
                and nxt.currency == pr.currency
                and nxt.period == pr.period
                and _MIN_LABEL.search(clause_a)
                and _MAX_LABEL.search(clause_b)
            ):
                pr = PayRange(
                    min=lo, max=hi, currency=pr.currency, period=pr.period, kind=pr.kind, label=pr.label,
                    raw=text[cand.start : nxt_cand.end].strip(),
                )  # fmt: skip
                i += 1
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
    found: list[tuple[_Candidate, PayRange]] = []
    for cand in _scan(text):
        pr = _judge(text, cand, pay_field)
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
        ranges.remove(primary)
        ranges.insert(0, primary)
    return ranges


def primary_pay(ranges: list[PayRange]) -> PayRange | None:
    """The range that stands for the posting: the first ``base`` range in text order; when every range is ``ote``
    (sales roles that state only on-target earnings), the first ``ote`` one. For several location or level ranges
    ("Zone A: ... Zone B: ...", "San Francisco: ...; New York: ...") that is the first stated, which employers list
    as the headline (usually the highest-cost zone). None for an empty list."""
    for pr in ranges:
        if pr.kind == "base":
            return pr
    return ranges[0] if ranges else None


def parse_money(text: str) -> tuple[float | None, str | None]:
    """The first amount in a price-like string and its currency: ``"CHF 120'000"`` -> (120000.0, "CHF"),
    ``"75 000 €"`` -> (75000.0, "EUR"), ``"$1.5k"`` -> (1500.0, "USD"). (None, None) parts when absent.

    The number layer of ``parse_pay`` exposed for reuse and for the price-string evaluation; unlike pay, a lone
    separator before three digits is still read as a thousands separator ("1.500" -> 1500).
    """
    cur = None
    amount = None
    for trig in _TRIGGER.finditer(text):
        tok = _read_token(text, trig.start())
        if tok is not None:
            amount = tok.value
            cur = tok.currency
            break
    if cur is None:
        m = _MONEY_CURRENCY.search(text)
        if m:
            if m.group("code"):
                cur = m.group("code").upper()
            elif m.group("sym"):
                cur = _SYMBOLS[m.group("sym")]
            else:
                cur = _DOLLAR_PREFIXES[m.group("dpre")] if m.group("dpre") else "USD"
    if amount is None:
        m = _MONEY_NUMBER.search(text)
        if m:
            try:
                amount = _to_number(m.group(0).rstrip(",.' "))
            except ValueError:
                amount = None
    return amount, cur
