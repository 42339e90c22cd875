"""Is a posting a backend-engineering role? (policy: docs/role-policy.md)

``classify_role(title, text)`` -> ``(is_backend, role_reason)``. Pure and cheap: one compiled regex scans the title
(every class it finds is collected, then the highest-priority class decides); only when the title is a generic
engineering title ("Software Engineer", "Python Developer", "Engineering Manager", ...) is the description read,
and then only its first ``DESCRIPTION_SCAN_CHARS`` characters: their tokens (as ``_tokens`` defines them) are
looked up in fixed vocabularies, all at once by one Aho-Corasick pass (no big regex alternation over the text, no
Python step per token, see DESIGN.md). The title's part of the decision is cached per title.

Every posting is stored whatever this returns; ``jobscout reprocess`` re-applies a better filter without a crawl.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import ahocorasick

from pipeline.text import case_free, finditer_gated

DESCRIPTION_SCAN_CHARS = 8000

# --- title classes -------------------------------------------------------------------------------------------
# One alternation of named groups. finditer() collects every class present in the title; _PRIORITY decides.
# Within the alternation, longer/more specific phrases come first so they win at the same start position
# ("data platform" before "data", "react native" before "react").
_ENG = r"(?:engineer|engineering|developer|dev|programmer|architect)"
_TITLE_RE = re.compile(
    r"""
    (?P<pm>\b(?:technical\s+)?(?:product|program|programme|project|portfolio|delivery)\s+
        (?:manager|management|owner|lead|director|coordinator|planner)s?\b
      |\btpm\b|\bscrum\s+master\b|\bproduct\s+(?:director|lead|owner|specialist)\b|\b(?:platform|service)\s+owners?\b)
    |(?P<dataplat>\b(?:data|ml|mlops|machine\s+learning|ai|analytics)[\s-]*(?:platforms?|infrastructure|infra)\b
      |\bmlops\b)
    |(?P<security>\b(?:cyber\s*security|security|appsec|devsecops|infosec)\s+(?:operations\s+)?(?:software\s+)?
        (?:engineer|architect|analyst|specialist|researcher|consultant)s?\b|\bdevsecops\b|\bsoc\s+analyst\b
      |\bpenetration\s+test|\bpen\s*test\w*|\boffensive\b|\bred[\s-]+team\w*|\bexploit\w*|\bvulnerability\s+research\w*
      |\bmalware\b|\bthreat\s+(?:intelligence|hunt\w*|research\w*))
    |(?P<solutions>\b(?:solutions?|sales|pre[\s-]?sales|partner\s+solutions|customer|implementation|consulting
        |deployment|escalation|field|professional\s+services)\s+(?:engineer|architect|consultant|engineering)s?\b
      |\bsolutions?\s+architecture\b|\bforward[\s-]+deployed\b|\bpartner\s+engineer\b|\bconsultant\b)
    |(?P<support>\b(?:technical|tech|customer|it|developer|product|desktop|application)\s+support\b
      |\bsupport\s+(?:engineer|specialist|technician|associate|representative|analyst|agent|manager)s?\b
      |\bhelp\s*desk\b|\bservice\s+desk\b|\btechnical\s+services\b|\bcustomer\s+(?:service|success|experience\s+lab)\b)
    |(?P<sales>\b(?:account\s+(?:executive|exec|manager|management|director|strategist|lead)|key\s+accounts?|sales|business\s+develop(?:er|ment)
        |\bsdr\b|\bbdr\b|partner(?:ships?)?|revenue|gtm|go[\s-]to[\s-]market|deal\s+strategy|client\s+partner
        |channel|alliances?|vertrieb|inside\s+sales|commercial\s+(?:lead|director|manager|strategy))\b)
    |(?P<marketing>\b(?:marketing\w*|marketer|seo|sem|copywriter|content\s+(?:writer|strategist|creator|manager
        |marketing|reviewer|specialist|moderator)|brand\s+(?:designer|manager|protection|strategist)|communications
        |community\s+(?:manager|director|lead)|director\s+of\s+community|social\s+media|paid\s+(?:media|search|social)
        |demand\s+generation|redaktion|public\s+relations)\b)
    |(?P<recruiting>\b(?:recruit\w*|talent|sourcer|people\s+(?:operations|partner)|(?<!/)hr\b|human\s+resources)\b)
    |(?P<design>\b(?:designer|dise[ñn]ador\w*|ux|ui/ux|user\s+experience|design\s+(?:engineer|lead|manager|director|system)
        |head\s+of\s+design|artist|illustrator|animator)\b)
    |(?P<datasci>\b(?:data\s+scien\w*|scientist|analyst|analytics|business\s+intelligence|\bbi\b|power\s+bi|tableau
        |statistic\w*|quantitative|researcher|research\s+(?:engineer|scientist)|data\s+engineer\w*
        |data\s+(?:analyst|architect|solutions)|etl|data\s+warehouse|insights?)\b)
    |(?P<ml>\b(?:machine[\s-]+learning|ml|deep\s+learning|computer\s+vision|nlp|natural\s+language|llm|genai)\b
      |\bai(?:\s+product)?\s+(?:engineer|architect|researcher|specialist|trainer|scientist)\b|\bai\s*/\s*ml\b
      |\b(?:ai|model|genai|agent)\s+(?:quality|evaluations?|evals?|safety|alignment|training|behaviou?r)\b
      |\b(?:ai\s+)?agents?\s+(?:software\s+)?engineer\w*
      |\bgen(?:erative)?\s+ai\s+(?:\w+\s+)?(?:engineer|developer)\w*)
    |(?P<frontend>\b(?:front[\s-]*end|ui\s+(?:software\s+)?(?:engineer|developer|development)
        |web\s+(?:designer|platform|presence)|webgpu|webgl|shaders?|graphics\s+(?:engineer|developer|programmer)
        |wordpress|wp\b|shopify|webflow|design\s+engineer)\b)
    |(?P<mobile>\b(?:mobile|ios|android|iphone|flutter|react\s+native|xamarin|swift\b|objective-c)\b)
    |(?P<desktop>\b(?:desktop|windows\s*/\s*desktop)\b)
    |(?P<qa>\b(?:qa|qe|quality\s+(?:assurance|engineer\w*|control|analyst)|sdet|tester|test\s+(?:engineer|automation|analyst)
        |testautomatisierung|software\s+engineer\s+in\s+test)\b)
    |(?P<hardware>\b(?:embedded|firmware|hardware|electrical|electronics?|mechanical|rf|rfic|asic|fpga|silicon
        |dft|eda|thermal|propulsion|manufacturing\s+engineer\w*|industrial\s+engineer\w*|audio\s+engineer|civil|structural|chemical|process
        \s+engineer\w*|physical\s+(?:verification|design)|design\s+verification|analog|mixed[\s-]signal
        |power\s+(?:electronics|solutions)|equipment\s+engineer\w*|semiconductor|bauingenieur|os|kernel|drivers?|systems?\s+software|iot|robotics|avionics|pcb)\b)
    |(?P<trade>\b(?:(?:medical|clinical|certified|inpatient|outpatient|coding|hcc|risk\s+adjustment|profee|facility
        |health\s+information|records)\s+(?:coder|coding)|coding\s+(?:specialist|auditor|analyst|educator|manager|lead)
        |(?:professional|certified\s+professional)\s+coder|coder\s*/\s*biller|biller|cpc|medical\s+records?
        |health\s+information\s+management|field\s+service|hvac|maintenance\s+engineer\w*
        |facilit(?:y|ies)\s+engineer\w*|biomedical|technicians?|mfg|roads?|highways?|railways?|wastewater
        |geotechnical|surveying)\b)
    |(?P<game>\b(?:game|gameplay|unity|unreal|level\s+designer)\b)
    |(?P<vendor>\b(?:salesforce|sap|netsuite|servicenow|dynamics\s+365|workday|mulesoft|tibco|zuora|odoo|oracle\s+ebs
        |sharepoint|power\s+platform|power\s+apps|rightangle|pega|appian|outsystems|hubspot|crm\s+developer)\b)
    |(?P<chain>\b(?:smart\s+contracts?|solidity|web3|blockchain|defi|dapps?|evm|on[\s-]?chain)\b)
    |(?P<itops>\b(?:it\s+(?:engineer|automation|manager|specialist|technician|administrator|operations)
        |system\s+administrator|sysadmin|systemintegration|fachinformatiker|network\s+(?:engineer|administrator)
        |business\s+systems|revenue\s+systems|identity\s+architect|classified\s+systems)\b)
    |(?P<writer>\b(?:technical\s+writer|documentation|developer\s+(?:advocate|relations|evangelist)|devrel
        |advoca\w*|evangelis\w*|(?<=developer\s)relations
        |curriculum|trainer|teacher|instructor|mentor|interviewer)\b)
    |(?P<backend>\bback[\s-]*end\b|\bserver[\s-]*side\b|\bbackend\w*)
    |(?P<fullstack>\bfull[\s-]*stack\b|\bfullstack\b)
    |(?P<infra>\binfrastructure\b|\binfra\b|\bsre\b|\bsite\s+reliability\b|\b(?:software\s+)?reliability\s+
        (?:engineer|engineering)\b|\bdevops\b|\bdev\s*ops\b|\bcloud\s+(?:engineer|operations|ops|systems|architect
        |platforms?|developer|infrastructure)\b|\bkubernetes\b|\bdistributed\s+systems?\b|\bdeveloper\s+
        (?:productivity|experience|tooling|platform)\b|\bdevex\b|\bstorage\s+layer\b|\bdatabase\s+(?:engineer
        |reliability)\b|\bbuild\s+(?:and|&)\s+release\b|\brelease\s+engineer\b)
    |(?P<api>\bapis?\b|\bintegrations?\s+engineer\b)
    |(?P<platform>\bplatforms?\b)
    |(?P<servertech>(?<![\w.#+])(?:python|django|flask|fastapi|java|spring|golang|go(?=\s+(?:engineer|developer)|\s*[/,&+)])|node(?:\.?js)?
        |ruby|rails|php|laravel|symfony|\.net|asp\.net|c\#|scala|rust|elixir|erlang|clojure|haskell|c\+\+|kotlin
        |perl|postgres(?:ql)?)(?![\w+#]))
    |(?P<fronttech>\b(?:react(?:\.?js)?|vue(?:\.?js)?|angular|svelte|next\.js)\b)
    |(?P<leader>\b(?:engineering\s+(?:manager|lead|director|head)|software\s+(?:engineering|engineer|development)
        \s+manager|head\s+of\s+(?:engineering|software|technology|platform)|(?:vp|vice\s+president|director)
        \s*,?\s+(?:of\s+)?(?:engineering|software)|tech(?:nical)?\s+lead(?:er)?|lead\s+engineer|principal\s+engineering
        |engineering\s+(?:team\s+)?lead|manager\s*[,\-:]?\s*(?:of\s+)?(?:software\s+)?engineering)\b)
    |(?P<generic>\b(?:software|swe|application|applications|product|founding|staff|principal|senior|sr\.?|junior
        |jr\.?|lead|web|member\s+of\s+technical|integration|performance|member\s+of\s+staff|growth)\s*
        (?:software\s+)?"""
    + _ENG
    + r"""s?\b|\bswe\b|^(?:senior\s+|sr\.?\s+|staff\s+|lead\s+)?(?:engineer|developer)s?\b
      |\bsoftware\s*entwickler\w*|\bsoftwareentwickler\w*|\bentwickler\b|\bdesarrollador\w*|\bd[ée]veloppeur\w*
      |\bing[ée]nieur\s+logiciel|\bengenheir[oa]\s+de\s+software|\bprogrammer\b|\bcoder\b
      |\bsoftware\s+(?:engineering|development)\b|\bdeveloper\b)
    |(?P<several>\b(?:multiple|several|various|many|open|\d+)\s+(?:engineering\s+|tech\s+|technical\s+)?
        (?:roles|positions|openings)\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Resolution order: the first class present decides. Management and customer-facing roles first (a "Product
# Manager, Infrastructure" is a PM), then explicit backend/full-stack words (they beat a "Mobile-First Company"
# prefix and a "Sales Platform" team), then the other non-backend classes, then backend areas that a specialty can
# qualify ("React Native Platform Engineer" is mobile, "Data Scientist, Core Infrastructure" is data science).
_EXCLUDED_REASON = {
    "pm": "excluded: not engineering (product/program management)",
    "solutions": "excluded: solutions/sales engineering (customer-facing)",
    "support": "excluded: not engineering (support)",
    "sales": "excluded: not engineering (sales)",
    "marketing": "excluded: not engineering (marketing)",
    "recruiting": "excluded: not engineering (recruiting/people)",
    "design": "excluded: design",
    "datasci": "excluded: data science/analytics/data engineering",
    "writer": "excluded: not engineering (docs/advocacy/training)",
    "security": "excluded: security",
    "ml": "excluded: machine learning/AI",
    "frontend": "excluded: frontend",
    "mobile": "excluded: mobile",
    "desktop": "excluded: desktop applications",
    "qa": "excluded: QA/test",
    "hardware": "excluded: hardware/embedded/low-level",
    "trade": "excluded: not software (another trade's coding/engineering)",
    "game": "excluded: games",
    "vendor": "excluded: vendor-platform specialist (SAP/Salesforce/...)",
    "chain": "excluded: blockchain/smart contracts",
    "itops": "excluded: IT/business systems",
}
_POSITIVE_REASON = {
    "backend": "title: backend",
    "fullstack": "title: full-stack",
    "dataplat": "title: data/ML platform or infrastructure",
    "infra": "title: infrastructure/SRE/DevOps",
    "api": "title: API/integration",
    "platform": "title: platform engineer",
}
_PRIORITY = (
    "pm",
    "solutions",
    "security",
    "backend",
    "chain",
    "fullstack",
    "support",
    "sales",
    "recruiting",
    "writer",
    "design",
    "marketing",
    "datasci",
    "ml",
    "frontend",
    "mobile",
    "desktop",
    "qa",
    "hardware",
    "trade",
    "game",
    "vendor",
    "itops",
    "dataplat",
    "infra",
    "api",
    "platform",
)
# A backend-area word only makes a backend role when the title names an engineering job (or leads one): "Backend
# Engineer", "Platform Engineer", "VP, Data Platforms", "Platform Manager" -- not "Partner Platform Sales".
_ENGINEERING_WORD = re.compile(
    r"engineer|develop|programm|architect|\bswe\b|\bsre\b|devops|entwickler|\bcoder\b|desarroll|d[ée]velopp|ingeni|ing[ée]nieur",
    re.IGNORECASE,
)
_LEADERSHIP_WORD = re.compile(r"\b(?:manager|director|head|vp|vice\s+president|lead|cto)\b", re.IGNORECASE)
# Words of a business function: a leader title holding one runs that function, whatever area it serves ("Director,
# Platform Account Management", "Platform Business Manager", "Infrastructure Finance Lead").
_FUNCTION_WORD = re.compile(
    r"\b(?:accounts?|business|finance|financial|legal|procurement|commercial|customer|client|strategy|policy"
    r"|compliance|office|facilities|supply|vendor|purchasing|pricing|payroll|audit)\b"
)


def _function_word(low: str) -> bool:
    return _FUNCTION_WORD.search(low) is not None


# Team names that, after a software-engineer or engineering-manager title, name the team rather than the job.
_TEAM_WORDS: dict[str, frozenset[str]] = {
    "datasci": frozenset({"analytics", "insights", "insight"}),
    "sales": frozenset({"partner", "partners", "partnerships", "partnership"}),
}
# ... unless the team word names the discipline itself ("Analytics Engineering Manager" leads analytics engineers).
_TEAM_DISCIPLINE = re.compile(r"\b(?:analytics|insights?)\s+engineer")
# The title names a frontend framework and nothing else: see _frontend_title_role.
_FRONTEND_KIND = "frontend framework"
_LIST_SEPARATOR = re.compile(r"\s*[,;+]\s*")
# A part names a role when it ends with a role noun ("Infra Engineers", "Account Executive (Remote)"), not when the
# noun only qualifies a team ("Developer Infrastructure").
_ROLE_NOUN = re.compile(
    r"\b(?:engineers?|developers?|designers?|managers?|executives?|scientists?|analysts?|architects?|recruiters?"
    r"|directors?|specialists?|representatives?|researchers?|sres?|swes?|programmers?)\s*(?:\([^)]*\))?\s*$",
    re.IGNORECASE,
)
_PLURAL_ROLE = re.compile(r"\b(?:engineer|developer|designer|manager|scientist|analyst|architect|sre|swe)s\b", re.I)
# A thread post's header line: "Acme | Berlin | Full-time | https://acme.example" (a field after the first one
# states the work mode, the employment type or a link).
_HEADER_FIELD = re.compile(
    r"^(?:remote|onsite|on-site|hybrid|full[\s-]?time|part[\s-]?time|contract|https?://|www\.)"
)

# Speed: _TITLE_RE is a word-boundary-led alternation that ``re`` tries at every position of the title (~40 us per
# title in cProfile). Its case-sensitive twin runs over the lowered title, and only where a match can start: at
# the start, after a non-word character (every branch starts with a word character after ``\b`` or
# ``(?<![\w.#+])``, or with the "." of ".net"). Titles holding the characters that ``re.IGNORECASE`` equates with
# an ASCII letter although ``lower()`` does not map them to it (İ ı ſ) keep the original pattern.
_TITLE_RE_LOW = case_free(_TITLE_RE)
_ENGINEERING_WORD_LOW = case_free(_ENGINEERING_WORD)
_LEADERSHIP_WORD_LOW = case_free(_LEADERSHIP_WORD)
_TITLE_START = re.compile(r"\W(?=[\w.])")
_CASE_SPECIAL = re.compile("[\u0130\u0131\u017f]")

# --- description vocabulary (generic titles only) -------------------------------------------------------------


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_BACKEND_TERMS = _words(
    """backend back-end api apis rest restful graphql grpc microservice microservices distributed database
    databases postgres postgresql mysql sql redis kafka rabbitmq kubernetes k8s docker aws gcp azure terraform
    server-side servers infrastructure scalability python django flask fastapi java spring golang go rust ruby
    rails php laravel symfony node.js nodejs c# .net asp.net scala elixir erlang kotlin mongodb dynamodb
    cassandra elasticsearch queues sre devops observability linux services c++ jvm nginx dotnet full-stack
    fullstack"""
)
_BACKEND_BIGRAMS = frozenset(
    {
        "back end",
        "server side",
        "distributed systems",
        "backend services",
        "data pipelines",
        "message queues",
        "event driven",
        "cloud functions",
        "low latency",
        "high availability",
        "data model",
        "ruby on",
        "net core",
        "net framework",
        "web api",
        "full stack",
    }
)
_FRONTEND_TERMS = _words(
    "frontend front-end react reactjs react.js vue vue.js vuejs angular svelte css html tailwind ui ux pixels "
    "figma webflow wordpress shopify drupal wix squarespace webgl webgpu shaders"
)
_FRONTEND_BIGRAMS = frozenset({"front end", "user interfaces", "user interface", "design systems", "design system"})
_MOBILE_TERMS = _words("ios android swift swiftui objective-c flutter mobile xamarin")
_MOBILE_BIGRAMS = frozenset({"react native"})
_ML_TERMS = _words("ml llm llms pytorch tensorflow nlp genai fine-tune fine-tuning embeddings")
_ML_BIGRAMS = frozenset(
    {"machine learning", "deep learning", "computer vision", "data science", "model training", "language models"}
)
# Other trades that borrow software words (a medical coder's "database", a mechanical applications engineer's
# "services"), and on-chain work: evidence that a generic title is not a backend role.
_TRADE_TERMS = _words("solidworks autocad catia creo ansys plc plcs cnc machining hvac icd-10 cpt hcpcs")
_TRADE_BIGRAMS = frozenset({"medical coding", "medical records", "mechanical design"})
_CHAIN_TERMS = _words("solidity evm defi web3 dapps")
_CHAIN_BIGRAMS = frozenset({"smart contract", "smart contracts"})
_OTHER_TERMS = _FRONTEND_TERMS | _MOBILE_TERMS | _ML_TERMS | _TRADE_TERMS | _CHAIN_TERMS
_OTHER_BIGRAMS = _FRONTEND_BIGRAMS | _MOBILE_BIGRAMS | _ML_BIGRAMS | _TRADE_BIGRAMS | _CHAIN_BIGRAMS
# Backend terms that other trades use as much ("our services", "the rest of the team", "a customer database"): on
# their own (no term only software uses beside them) each counts half, so that they do not outweigh a
# description's words of another trade or specialty.
_WEAK_BACKEND_TERMS = _words("services rest database databases servers infrastructure scalability queues linux sql")
# Server-side languages and frameworks: what a description must name before a frontend-framework title reads as
# full-stack.
_SERVER_LANGUAGES = _words(
    """python django flask fastapi java spring golang go rust ruby rails php laravel symfony node.js nodejs c# .net
    asp.net dotnet scala elixir erlang kotlin jvm"""
) | {"net core", "net framework"}  # ".NET Core": a token loses its leading "."
_TOKEN = re.compile(r"[a-z0-9.#+][a-z0-9.#+\-]*")


def _tokens(text: str) -> list[str]:
    return [t.strip(".-") or t for t in _TOKEN.findall(text[:DESCRIPTION_SCAN_CHARS].lower())]


def _description_signals(text: str) -> tuple[list[str], list[str]]:
    """Distinct backend terms and distinct non-backend (frontend/mobile/ML) terms in the description's head."""
    head = text[:DESCRIPTION_SCAN_CHARS]
    if not head.isascii() and ("\u0130" in head or "\u212a" in head):
        return _signals_from_tokens(head)  # İ and K lower to ASCII letters: the scan below would not see them
    return _signals_from_scan(head)


def _signals_from_tokens(head: str) -> tuple[list[str], list[str]]:
    """The definition: every token in order, a term check then a bigram check with the previous token."""
    backend: dict[str, None] = {}
    other: dict[str, None] = {}
    prev = ""
    for tok in _tokens(head):
        bigram = f"{prev} {tok}"
        if tok in _BACKEND_TERMS:
            backend.setdefault(tok)
        elif tok in _OTHER_TERMS:
            other.setdefault(tok)
        if bigram in _BACKEND_BIGRAMS:
            backend.setdefault(bigram)
        elif bigram in _OTHER_BIGRAMS:
            other.setdefault(bigram)
        prev = tok
    return list(backend), list(other)


# --- the same signals from one Aho-Corasick pass -----------------------------------------------------------------
# Tokenizing the head and looking every token up cost ~150 us per generic-title posting (a Python step per token).
# Instead the head is mapped in C to lower-case token characters with every other character a space (a token is
# then a run between spaces), and one automaton finds the vocabulary words as whole runs: a key is a word with the
# character before it (space, or a "-"/"." the token strips) and the one after it. Only the keys led or ended by
# "-"/"." need a look at the rest of the run. Bigrams are keys too ("back end"); a bigram's first word followed by
# anything but one space and the second word (a "-"/"." edge, a longer gap, a "-" run between) is checked by reading
# the next token.
_BACKEND, _OTHER = 0, 1
_TERM, _BIGRAM, _FIRST = 0, 1, 2
_EDGES = " -."
_TOKEN_CHARS = b"abcdefghijklmnopqrstuvwxyz0123456789.#+-"
_SCAN_TABLE = bytes(
    c if c in _TOKEN_CHARS else c + 32 if 65 <= c <= 90 else 32 for c in range(256)
)  # fmt: skip
_NEXT_RUN = re.compile(r" +(?:-+ +)*([^ ]+)")


def _term_category(word: str) -> int | None:
    if word in _BACKEND_TERMS or word in _BACKEND_BIGRAMS:
        return _BACKEND
    if word in _OTHER_TERMS or word in _OTHER_BIGRAMS:
        return _OTHER
    return None


def _signal_automaton() -> ahocorasick.Automaton:
    actions: dict[str, list[tuple[int, str, int]]] = {}
    terms = _BACKEND_TERMS | _OTHER_TERMS
    bigrams = _BACKEND_BIGRAMS | _OTHER_BIGRAMS
    for term in terms:
        if term.strip(".-") != term:
            continue  # ".net": a token never keeps a leading "." (it is stripped), so it never matches
        for before in _EDGES:
            for after in _EDGES:
                actions.setdefault(before + term + after, []).append((_TERM, term, _term_category(term)))
    for bigram in bigrams:
        first = bigram.split()[0]
        for before in _EDGES:
            for after in _EDGES:
                actions.setdefault(before + bigram + after, []).append((_BIGRAM, bigram, _term_category(bigram)))
            for gap in (".", "-", "  ", " -", " ."):
                key = before + first + gap
                if (_FIRST, first, 0) not in actions.get(key, ()):
                    actions.setdefault(key, []).append((_FIRST, first, 0))
    automaton = ahocorasick.Automaton()
    for key, acts in actions.items():
        automaton.add_word(key, (len(key), tuple(acts)))
    automaton.make_automaton()
    return automaton


_SIGNALS = _signal_automaton()
_ALL_BIGRAMS = {b: _term_category(b) for b in _BACKEND_BIGRAMS | _OTHER_BIGRAMS}


def _run_edge(s: str, i: int, step: int) -> int:
    """The index of the space that ends the run from ``s[i]`` on (stepping by ``step``) when the run holds only
    "-"/"." up to there, else -1."""
    while s[i] == "-" or s[i] == ".":
        i += step
    return i if s[i] == " " else -1


def _signals_from_scan(head: str) -> tuple[list[str], list[str]]:
    """What ``_signals_from_tokens`` returns, for a head without İ or K (then ``lower()`` maps nothing else to
    ASCII, so the tokens are the runs of the mapped bytes)."""
    s = " " + head.encode("ascii", "replace").translate(_SCAN_TABLE).decode("ascii") + " "
    events: list[tuple[int, int, int, str]] = []  # (token start, term before bigram, category, word)
    for end, (size, acts) in _SIGNALS.iter(s):
        start = end - size + 1  # the key's first character: the edge before the word
        if s[start] != " " and _run_edge(s, start, -1) < 0:
            continue
        for kind, word, category in acts:
            if kind == _FIRST:
                stop = _run_edge(s, start + 1 + len(word), 1)
                if stop < 0:
                    continue  # "data-driven": the run goes on
                m = _NEXT_RUN.match(s, stop)
                if m is None:
                    continue
                run = m.group(1)
                token = run.strip(".-") or run
                category = _ALL_BIGRAMS.get(f"{word} {token}")
                if category is not None:
                    events.append((m.start(1) + len(run) - len(run.lstrip(".-")), 1, category, f"{word} {token}"))
            elif s[end] == " " or _run_edge(s, end, 1) >= 0:
                last = word.rsplit(" ", 1)[-1]
                events.append((end - len(last), kind, category, word))
    backend: dict[str, None] = {}
    other: dict[str, None] = {}
    for _, _, category, word in sorted(events):
        (backend if category == _BACKEND else other).setdefault(word)
    return list(backend), list(other)


def _clean_title(title: str) -> str:
    if "&" in title:
        for _ in range(3):  # some feeds double-escape ("&amp;#8211;")
            unescaped = html.unescape(title)
            if unescaped == title:
                break
            title = unescaped
    return " ".join(title.split())


def classify_role(title: str, text: str = "") -> tuple[bool, str]:
    """(is_backend, role_reason) for a posting's title and (plain-text) description."""
    verdict = _title_verdict(title or "")
    if verdict == _FRONTEND_KIND:
        return _frontend_title_role(text or "")
    if not isinstance(verdict, str):
        return verdict
    kind = verdict
    backend, other = _description_signals(text or "")
    if not backend and not other:
        return True, f"generic {kind}; description silent (kept)"
    if _backend_weight(backend) >= len(other):
        return True, f"generic {kind}; description is backend ({', '.join(backend[:3])})"
    return False, f"generic {kind}; description not backend ({', '.join(other[:3])})"


def _backend_weight(backend: list[str]) -> float:
    """Distinct backend terms; when none of them is a term only software uses, each counts half."""
    if any(term not in _WEAK_BACKEND_TERMS for term in backend):
        return float(len(backend))
    return len(backend) / 2


def _frontend_title_role(text: str) -> tuple[bool, str]:
    """A title that names only a frontend framework ("React Developer") is frontend unless the description asks
    for server-side work too: a server-side language or framework and at least as many backend terms as
    frontend/mobile/ML ones (then it is a full-stack role, "React developer" building C#/.NET REST integrations)."""
    backend, other = _description_signals(text)
    server = [t for t in backend if t in _SERVER_LANGUAGES]
    if server and _backend_weight(backend) >= len(other):
        return True, f"title: frontend framework; description asks for server-side work ({', '.join(server[:3])})"
    return False, "excluded: frontend"


# Titles repeat across a board and between crawls; the title's part of the decision is a pure function of it.
@lru_cache(maxsize=4096)
def _title_verdict(title: str) -> tuple[bool, str] | str:
    """``(is_backend, role_reason)`` when the title decides, else the kind of generic engineering title (the
    description then decides)."""
    title = _clean_title(title)
    parts = _listed_roles(title)
    if parts:
        return _several_roles_verdict(parts)
    return _one_title_verdict(title)


def _listed_roles(title: str) -> list[str]:
    """The parts of a title that lists several roles ("Senior Java Engineer, Support Engineer, Account Executive";
    "Robotics Engineers, Infra Engineers, GTM"): at least two of its comma/semicolon/plus-separated parts name a
    role. A role with its team ("Software Engineer, Payments", "Manager, Engineering") is one role."""
    if "," not in title and ";" not in title and "+" not in title:
        return []
    parts = [p for p in _LIST_SEPARATOR.split(title) if p.strip()]
    roles = [p for p in parts if _ROLE_NOUN.search(p)]
    if len(roles) < 2:
        return []
    # two singular roles after a comma are usually one role and its team ("Senior Software Engineer, Forward
    # Deployed AI Engineer"); a list has more parts, a plural ("Software Engineers, Research Engineer") or a "+"/";"
    if len(parts) < 3 and "+" not in title and ";" not in title and not any(_PLURAL_ROLE.search(p) for p in roles):
        return []
    return parts


def _several_roles_verdict(parts: list[str]) -> tuple[bool, str] | str:
    """A title listing several roles is backend when one of them is; else the description decides when one of them
    is a generic engineering title; else the first role's exclusion."""
    verdicts = [_one_title_verdict(p) for p in parts]
    for verdict in verdicts:
        if isinstance(verdict, tuple) and verdict[0]:
            return True, f"{verdict[1]} (one of several roles)"
    kinds = [v for v in verdicts if isinstance(v, str)]
    if kinds:
        return next((k for k in kinds if k != _FRONTEND_KIND), kinds[0])
    return verdicts[0]


def _one_title_verdict(title: str) -> tuple[bool, str] | str:
    low = title.lower()
    if len(low) == len(title) and (title.isascii() or not _CASE_SPECIAL.search(title)):
        matches = finditer_gated(_TITLE_RE_LOW, low, _TITLE_START, low)
        has_eng_word = bool(_ENGINEERING_WORD_LOW.search(low))
        leads = bool(_LEADERSHIP_WORD_LOW.search(low))
    else:
        matches = _TITLE_RE.finditer(title)
        has_eng_word = bool(_ENGINEERING_WORD.search(title))
        leads = bool(_LEADERSHIP_WORD.search(title))
    found: dict[str, str] = {}
    words: dict[str, set[str]] = {}  # every text each class matched
    for m in matches:
        if m.lastgroup:
            text = " ".join(m.group(0).lower().split())
            found.setdefault(m.lastgroup, text)
            words.setdefault(m.lastgroup, set()).add(text)

    # Server-side and frontend technology both named in the title ("Node.js & React.js") is a full-stack role.
    if "servertech" in found and "fronttech" in found and not ({"backend", "fullstack"} & found.keys()):
        found["fullstack"] = found["servertech"]

    # A software engineer or an engineering manager named by their team ("Software Engineer, Analytics",
    # "Engineering Manager, Partner Experience") is not an analyst or a salesperson: the team word does not decide.
    if ({"generic", "leader", "several"} & found.keys()) and not _TEAM_DISCIPLINE.search(low):
        for cls, team_words in _TEAM_WORDS.items():
            if cls in words and words[cls] <= team_words:
                del found[cls]

    for cls in _PRIORITY:
        if cls not in found:
            continue
        if cls in _POSITIVE_REASON:
            if has_eng_word or "leader" in found:
                return True, _POSITIVE_REASON[cls]
            # "VP, Data Platforms" leads engineering; "Director, Platform Account Management" does not
            if leads and cls not in ("backend", "fullstack", "api") and not _function_word(low):
                return True, _POSITIVE_REASON[cls]
            continue
        return False, _EXCLUDED_REASON[cls]

    if "fronttech" in found and "servertech" not in found:
        return _FRONTEND_KIND
    if not found and "|" in title and any(_HEADER_FIELD.match(f.strip()) for f in low.split("|")[1:]):
        return "role not named in the title"  # a thread post's header line: its text names the roles
    if "several" in found and not ({"generic", "leader", "servertech"} & found.keys()):
        return "several roles"  # "Multiple roles": the post lists them in its text
    if not ({"generic", "leader", "servertech"} & found.keys()) or not (has_eng_word or "leader" in found):
        return False, "excluded: not a backend engineering title"

    kind = "engineering lead/manager" if "leader" in found else "software engineer"
    if "servertech" in found:
        kind = f"{found['servertech']} engineer"
    return kind
