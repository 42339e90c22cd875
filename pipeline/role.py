"""Is a posting a backend-engineering role? (policy: docs/role-policy.md)

``classify_role(title, text)`` -> ``(is_backend, role_reason)``. Pure and cheap: one compiled regex scans the title
(every class it finds is collected, then the highest-priority class decides); only when the title is a generic
engineering title ("Software Engineer", "Python Developer", "Engineering Manager", ...) is the description read:
a post whose title names no role is read for the roles it names (``_roles_in_text``), and the description's head is
weighed by its vocabulary (``pipeline.role_vocabulary``). The title's part of the decision is cached per title.

Every posting is stored whatever this returns; ``jobscout reprocess`` re-applies a better filter without a crawl.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.role_vocabulary import (
    DESCRIPTION_SCAN_CHARS,
    OFFENSIVE_TERMS,
    SERVER_LANGUAGES,
    backend_weight,
    description_signals,
    frameworks_once,
)
from pipeline.text import case_free, finditer_gated

# --- title classes -------------------------------------------------------------------------------------------
# One alternation of named groups. finditer() collects every class present in the title; _PRIORITY decides.
# Within the alternation, longer/more specific phrases come first so they win at the same start position
# ("data platform" before "data", "react native" before "react").
_ENG = r"(?:engineer|engineering|developer|dev|programmer|architect)"


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_TITLE_RE = re.compile(
    r"""
    (?P<pm>\b(?:technical\s+)?(?:product|program|programme|project|portfolio|delivery)\s+
        (?:manager|management|owner|lead|director|coordinator|planner)s?\b
      |\btpm\b|\bscrum\s+master\b|\bproduct\s+(?:director|lead|owner|specialist)\b|\b(?:platform|service)\s+owners?\b)
    |(?P<dataplat>\b(?:data|ml|mlops|machine\s+learning|ai|analytics)[\s-]*(?:platforms?|infrastructure|infra)\b
      |\bmlops\b)
    |(?P<security>\b(?:cyber\s*security|security|appsec|devsecops|infosec)\s+(?:operations\s+|platform\s+
        |infrastructure\s+|cloud\s+)?(?:software\s+)?
        (?:engineer|architect|analyst|specialist|researcher|consultant)s?\b|\bdevsecops\b|\bsoc\s+analyst\b
      |\bpenetration\s+test|\bpen\s*test\w*|\boffensive\b|\bred[\s-]+team\w*|\bexploit\w*|\bvulnerability\s+research\w*
      |\bmalware\b|\bthreat\s+(?:intelligence|hunt\w*|research\w*)|\bsocial\s+engineering\b)
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
        |data\s+(?:analyst|architect|solutions|integrations?)|etl|data\s+warehouse|insights?)\b)
    |(?P<ml>\b(?:machine[\s-]+learning|ml|deep\s+learning|computer\s+vision|nlp|natural\s+language|llm|genai)\b
      |\bai(?:\s+product)?\s+(?:engineer|architect|researcher|specialist|trainer|scientist)\b
      |\bai\s+(?:tech(?:nical)?\s+)?lead(?:er)?\b|\bai\s*/\s*ml\b
      |\b(?:ai|model|genai|agent)\s+(?:quality|evaluations?|evals?|safety|alignment|training|behaviou?r)\b
      |\b(?:ai\s+)?agents?\s+(?:software\s+)?engineer\w*
      |\bgen(?:erative)?\s+ai\s+(?:\w+\s+)?(?:engineer|developer)\w*)
    |(?P<frontend>\b(?:front[\s-]*end|ui\s+(?:software\s+)?(?:engineer|developer|development)
        |web\s+(?:designer|platform|presence)|ui\s+platforms?|webgpu|webgl|shaders?|graphics\s+(?:engineer|developer|programmer)
        |design\s+engineer)\b)
    |(?P<sitebuilder>\b(?:wordpress|wp|shopify|webflow|wix|squarespace)\b)
    |(?P<mobile>\b(?:mobile|ios|android|iphone|flutter|react\s+native|xamarin|swift\b|objective-c)\b)
    |(?P<desktop>\b(?:desktop|windows(?:\s+forms)?|macos|mac\s+os|winforms|wpf|uwp|windows\s*/\s*desktop)\b)
    |(?P<qa>\b(?:qa|qe|quality\s+(?:assurance|engineer\w*|control|analyst)|sdet|tester|test\s+(?:engineer|automation|analyst)
        |testautomatisierung|software\s+engineer\s+in\s+test|in\s+test(?:ing)?)\b)
    |(?P<hardware>\b(?:embedded|firmware|hardware|electrical|electronics?|mechanical|rf|rfic|asic|fpga|silicon
        |dft|eda|thermal|propulsion|manufacturing\s+engineer\w*|industrial\s+engineer\w*|audio\s+engineer|civil|structural|chemical|process
        \s+engineer\w*|physical\s+(?:verification|design)|design\s+verification|analog|mixed[\s-]signal
        |power\s+(?:electronics|solutions)|equipment\s+engineer\w*|semiconductor
        |simulation\s+(?:software\s+)?(?:engineer|developer|programmer)\w*|bauingenieur|os|kernel|drivers?|systems?\s+software|iot|robotics|avionics|pcb)\b)
    |(?P<science>\b(?:scientific\s+(?:software\s+)?(?:programm|develop|engineer|comput)\w*|research\s+software\s+
        (?:engineer|developer)\w*|computational\s+(?:scientist|engineer|physicist|chemist|biologist)\w*)\b)
    |(?P<trade>\b(?:(?:medical|clinical|certified|inpatient|outpatient|coding|hcc|risk\s+adjustment|profee|facility
        |health\s+information|records)\s+(?:coder|coding)|coding\s+(?:specialist|auditor|analyst|educator|manager|lead)
        |(?:professional|certified\s+professional)\s+coder|coder\s*/\s*biller|biller|cpc|medical\s+records?
        |health\s+information\s+management|field\s+service|hvac|maintenance\s+engineer\w*
        |facilit(?:y|ies)\s+engineer\w*|biomedical|technicians?|mfg|roads?|highways?|railways?|wastewater
        |geotechnical|surveying|project\s+engineer\w*)\b)
    |(?P<game>\b(?:game|gameplay|unity|unreal|godot|bevy|level\s+designer)\b)
    |(?P<vendor>\b(?:salesforce|sap|netsuite|servicenow|dynamics\s+365|workday|mulesoft|tibco|zuora|odoo|oracle\s+ebs
        |sharepoint|power\s+platform|power\s+apps|rightangle|pega|appian|outsystems|hubspot|crm\s+developer)\b)
    |(?P<chain>\b(?:smart\s+contracts?|solidity|web3|blockchains?|defi|dapps?|evm|on[\s-]?chain|bitcoin|ethereum|solana)\b)
    |(?P<itops>\b(?:it\s+(?:engineer|automation|manager|specialist|technician|administrator|operations)
        |system\s+administrator|sysadmin|systemintegration|fachinformatiker|network\s+(?:engineer|administrator)
        |business\s+systems|revenue\s+systems|identity\s+architect|classified\s+systems|mainframe)\b)
    |(?P<writer>\b(?:technical\s+writer|documentation|developer\s+(?:advocate|relations|evangelist)|devrel
        |advoca\w*|evangelis\w*|(?<=developer\s)relations
        |curriculum|trainer|teacher|instructor|mentor|interviewer|writers?|editors?|copy\s*editors?)\b)
    |(?P<office>\b(?:(?<!ai\s)(?<!voice\s)(?<!coding\s)(?<!code\s)assistants?(?=\s*(?:$|[^\w\s]|(?:to|for|at|in|with)\b))|coordinators?|accountants?|bookkeep\w*
        |receptionists?|office\s+managers?|chief\s+of\s+staff|paralegals?|attorneys?|lawyers?|counsel|nurses?
        |physicians?|translators?|journalists?)\b)
    |(?P<backend>\bback[\s-]*end\b|\bserver[\s-]*side\b|\bbackend\w*)
    |(?P<fullstack>\bfull[\s-]*stack\b|\bfullstack\b)
    |(?P<infra>\binfrastructure\b|\binfra\b|\bsre\b|\bsite\s+reliability\b|\b(?:software\s+)?reliability\s+
        (?:engineer|engineering)\b|\bdevops\b|\bdev\s*ops\b|\bcloud\s*ops\b|\bcloud\s+(?:(?:software|native)\s+)?(?:engineer|operations|ops|systems|architect
        |platforms?|developer|infrastructure)\b|\b(?:engineer|developer)s?(?:\s+(?:[ivx]{1,3}|\d))?\s*[-\u2013\u2014,:(|]\s*cloud\b(?!\s+(?:sales|security
        |solutions|partner\w*|marketing|accounts?|customers?|support|success))|\bkubernetes\b|\bdistributed\s+systems?\b|\bdeveloper\s+
        (?:productivity|experience|tooling|platform)\b|\bdevex\b|\bstorage\s+layer\b|\b(?:database|db|storage|cassandra|postgres(?:ql)?|mysql|mongodb|redis|kafka)\s+internals\b|\bdatabase\s+(?:[a-z]+\s+)?(?:engineer
        |reliability)\b|\bbuild\s+(?:and|&)\s+release\b|\brelease\s+engineer\b
      |\bcontinuous\s+(?:integration|delivery|deployment)\b|\bci\s*/\s*cd\b)
    |(?P<api>\bapis?\b|\bintegrations?\s+engineer\b)
    |(?P<platform>\bplatforms?\b)
    |(?P<servertech>(?<![\w.#+])(?:python|django|flask|fastapi|java|spring|golang|go(?=\s+(?:engineer|developer)|\s*[/,&+)])|node(?:\.?js)?
        |ruby|rails|ror|php|laravel|symfony|\.net|asp\.net|dotnet|c\#|scala|rust|elixir|erlang|clojure|haskell|c\+\+
        |kotlin|perl|postgres(?:ql)?|nest\.?js|express\.?js|fastify|ktor)(?![\w+#]))
    |(?P<fronttech>\b(?:react(?:\.?js)?|vue(?:\.?js)?|angular|svelte|next\.js)\b)
    |(?P<leader>\b(?:engineering\s+(?:manager|lead|director|head)s?|software\s+(?:engineering|engineer|development)
        \s+managers?|head\s+of\s+(?:engineering|software|technology|platform)|(?:vp|vice\s+president|director)
        \s*,?\s+(?:of\s+)?(?:engineering|software)|tech(?:nical)?\s+lead(?:er)?s?|lead\s+engineer|principal\s+engineering
        |engineering\s+(?:team\s+)?lead|manager\s*[,\-:]?\s*(?:of\s+)?(?:software\s+)?engineering
        |(?:lead|head)\s*[,\-:]\s*(?:software\s+)?engineering
        |technology\s+development\s+(?:lead|leader|manager)|(?:vp|vice\s+president)\s*,?\s+(?:of\s+)?technology)\b)
    |(?P<generic>\b(?:software|swe|sw|application|applications|product|founding|staff|principal|senior|sr\.?|junior
        |jr\.?|lead|web|member\s+of\s+technical|integration|performance|member\s+of\s+staff|growth|ops|operations)\s*
        (?:software\s+)?"""
    + _ENG
    + r"""s?\b|\bswe\b|^(?:senior\s+|sr\.?\s+|staff\s+|lead\s+)?(?:engineer|developer)s?\b
      |\bsoftware\s*entwickler\w*|\bsoftwareentwickler\w*|\bentwickler\b|\bdesarrollador\w*|\bd[ée]veloppeur\w*
      |\bing[ée]nieur\s+logiciel|\bengenheir[oa]\s+de\s+software|\bprogrammer\b|\bcoder\b
      |\bsoftware\s+(?:engineering|development)\b|\bdeveloper\b|\b(?:engineering|software)\s+intern(?:ship)?s?\b
      |\bmember\s+of\s+(?:the\s+)?technical\s+staff\b|\bmts\b|\b(?:technical|engineering)\s+architect\b)
    |(?P<several>\b(?:multiple|several|various|many|open|some|(?:a\s+)?few|\d+)\s+(?:[\w-]+\s+)?
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
    "sitebuilder": "excluded: frontend (site builder)",
    "mobile": "excluded: mobile",
    "desktop": "excluded: desktop applications",
    "qa": "excluded: QA/test",
    "hardware": "excluded: hardware/embedded/low-level",
    "science": "excluded: scientific/research software (computational science)",
    "trade": "excluded: not software (another trade's coding/engineering)",
    "game": "excluded: games",
    "vendor": "excluded: vendor-platform specialist (SAP/Salesforce/...)",
    "chain": "excluded: blockchain/smart contracts",
    "itops": "excluded: IT/business systems",
    "office": "excluded: not engineering (administration, office and other occupations)",
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
    "sitebuilder",
    "fullstack",
    "support",
    "sales",
    "recruiting",
    "writer",
    "office",
    "design",
    "marketing",
    "datasci",
    "ml",
    "frontend",
    "mobile",
    "desktop",
    "qa",
    "hardware",
    "science",
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
    r"engineer|develop|programm|architect|\bswe\b|\bsre\b|devops|entwickler|\bcoder\b|desarroll|d[ée]velopp|ingeni|ing[ée]nieur"
    r"|technical\s+staff|\bmts\b|\bsoftware\s+intern",
    re.IGNORECASE,
)
# (not CTO: a company's executive, out of scope like a co-founder, whatever platform it names)
_LEADERSHIP_WORD = re.compile(r"\b(?:manager|director|head|vp|vice\s+president|lead)\b", re.IGNORECASE)
# Words of a business function: a leader title holding one runs that function, whatever area it serves ("Director,
# Platform Account Management", "Platform Business Manager", "Infrastructure Finance Lead").
_FUNCTION_WORD = re.compile(
    r"\b(?:accounts?|business|finance|financial|legal|procurement|commercial|customer|client|strategy|policy"
    r"|compliance|office|facilities|supply|vendor|purchasing|pricing|payroll|audit|sourcing|logistics|construction"
    r"|products?)\b"
)


def _function_word(low: str) -> bool:
    return _FUNCTION_WORD.search(low) is not None


# Team names that, after a software-engineer or engineering-manager title, name the team rather than the job.
_TEAM_WORDS: dict[str, frozenset[str]] = {
    "datasci": frozenset({"analytics", "insights", "insight"}),
    "sales": frozenset({"partner", "partners", "partnerships", "partnership", "revenue"}),
    "marketing": frozenset({"communications"}),  # "Software Engineer, Platform Communications": messaging
}
# ... unless the team word names the discipline itself ("Analytics Engineering Manager" leads analytics engineers).
# (and a revenue-operations engineer works in sales operations, not on a revenue team's software)
_TEAM_DISCIPLINE = re.compile(r"\b(?:analytics|insights?)\s+engineer|\brevenue\s+(?:operations|ops)\b")
# A data-engineering or data-integration team counts as a team only after the job ("Software Engineer, Data
# Engineering Tools"); in front of it, it is the discipline ("Data Engineering Manager", "Data Integration Engineer").
_DATA_TEAM_AFTER_JOB = re.compile(
    r"\b(?:engineer|developer|manager|swe)s?\b\s*(?:[-\u2013\u2014,:(/|]|\bon\s+the\b)\s*(?:[\w&]+\s+){0,2}"
    r"data\s+(?:engineer\w*|integrations?)\b"
)
_DATA_TEAM_WORDS = frozenset({"data engineering", "data engineer", "data integration", "data integrations"})
# The title names a frontend framework and nothing else: see _frontend_title_role.
_FRONTEND_KIND = "frontend framework"
# A full-stack title on a site builder ("Full-Stack WordPress Developer"): the description decides the same way.
_SITE_BUILDER_KIND = "full-stack site builder"
# A role followed by a dash and a list of what the person should be ("Product Engineer - ships fast, owns the API,
# designer at heart"): at least three comma-separated parts, mostly lower-case words. The role names the job; a trade
# word among the traits ("designer") does not.
_TRAITS_TAIL = re.compile(
    r"^(.*?\b(?:engineer|developer|swe|programmer)s?)\s+[-\u2013\u2014]\s+((?:[^,]+,){2,}[^,]+)$", re.IGNORECASE
)
_LIST_SEPARATOR = re.compile(r"\s*[,;+]\s*(?:and\s+)?|\s+and\s+")
# A part names a role when it ends with a role noun ("Infra Engineers", "Account Executive (Remote)"), not when the
# noun only qualifies a team ("Developer Infrastructure").
_ROLE_NOUN = re.compile(
    r"\b(?:engineers?|developers?|designers?|managers?|executives?|scientists?|analysts?|architects?|recruiters?"
    r"|directors?|specialists?|representatives?|researchers?|sres?|swes?|programmers?|leads?)\s*(?:\([^)]*\))?\s*$",
    re.IGNORECASE,
)
_SENIORITY_LED = re.compile(r"(?:senior|sr\.?|staff|principal|lead|junior|jr\.?|founding|head)\b", re.I)
_PLURAL_ROLE = re.compile(r"\b(?:engineer|developer|designer|manager|scientist|analyst|architect|sre|swe)s\b", re.I)
# Titles naming several openings by other separators (docs/role-policy.md, "Titles that name no single role"):
# roles split by "/" or "|" outside brackets ("Lead Backend Engineer/Staff Solutions Engineer/Data Analyst"), and
# areas sharing one trailing role noun ("[Infra / Growth] Engineer", "Kernel/Web/Platform Engineer", "Mobile &
# Platform Engineers"). A link's slashes are no separators.
_LINK = re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)
_SHARED_ROLE_NOUN = re.compile(
    r"\s*((?:software\s+)?(?:engineer|developer|programmer|architect)(s?))\s*(?:\([^()]*\))?\s*$", re.IGNORECASE
)
# Text before the list that is no area of it: "Acme (YC W25) Is Hiring ...", a header field, a dash.
_HIRING_LEAD = re.compile(r"^.*\b(?:is|are|we're|we\s+are|now)\s+hiring\s+(?:for\s+)?", re.IGNORECASE)
_LIST_LEAD = re.compile(r"^.*(?:[|:\u2013\u2014]|\s-\s)", re.IGNORECASE)
_AREA_LIST_SEPARATOR = re.compile(r"\s*(?:[,&+/|]|\band\b)\s*(?:and\s+)?", re.IGNORECASE)
_SLASH_ONLY = re.compile(r"^[^,&+]*/[^,&+]*$")
_AREA_WORDS = 3
# A thread post's header line: "Acme | Berlin | Full-time | https://acme.example" (a field after the first one
# states the work mode, the employment type or a link).
# Its fields are separated by "|", or by long dashes between spaces ("Acme — Onsite (Munich) — Full-time").
_HEADER_SEPARATOR = re.compile(r"\s*\|\s*|\s+[\u2013\u2014]\s+")
_HEADER_FIELD = re.compile(
    r"^(?:remote|onsite|on-site|hybrid|full[\s-]?time|part[\s-]?time|contract|https?://|www\.)"
)
# Titles that name no role and stand for a whole post: "Acme is hiring", or a first line cut short ("We're building
# the ... for architects…"); the post's text names the roles.
_FULL_STACK_MOBILE = re.compile(r"\bfull[\s-]*stack\s+(?:mobile|ios|android|flutter|react\s+native)\b")
_PLATFORM_ROLE = re.compile(r"\b(?:platform|infrastructure|infra|mlops)\s+(?:data\s+)?engineers?\b")
_BARE_ENGINEERS = re.compile(r"\b(?:engineer|developer)s?\b")
_DATABASE_DEVELOPER = re.compile(r"\b(?:sql|t-sql|pl/sql|database|db)\s+(?:server\s+)?(?:developer|programmer)s?\b")
# ... also in other words: "Acme needs an engineer", "Acme is looking for developers", "Acme seeks engineers".
_HIRING_TITLE = re.compile(
    r"\b(?:is|are|we're|we\s+are|now)\s+hiring\b|^\W*hiring\b|\bneeds?\s+(?:an?|some|more|new)\b"
    r"|\b(?:is|are|we're|we\s+are)\s+(?:looking|searching)\s+for\b|\bseek(?:s|ing)\b"
)
_CUT_SHORT = ("…", "...")
# Specialty classes (not business functions): in a sentence about the company they name its field.
_SPECIALTY_CLASSES = frozenset(
    {
        "datasci", "ml", "frontend", "sitebuilder", "mobile", "desktop", "hardware", "science", "trade", "game",
        "vendor", "chain",
    }
)  # fmt: skip


# A title that lists areas rather than roles ("Engineering & Product", "Hiring Eng & Sales", "FE, FS, ML engineers",
# "Multiple Roles: Eng, GTM, Support"): one bare part names engineering as a whole, and no part names one role.
_AREA_SEPARATOR = re.compile(r"\s*(?:[,;&/+:\[\]()]|\band\b)\s*")
_AREA_NOISE = re.compile(r"^(?:we're\s+|we\s+are\s+|now\s+)?hiring\s+|\s+(?:roles|positions|openings|\+?\s*more)$")
_ENGINEERING_AREAS = frozenset(
    {"eng", "engineering", "engineers", "software", "tech", "dev", "devs", "developers", "fs"}
    | {"software engineering", "software development"}  # "Software Engineering & Sales": the area, not a role
)
_SINGLE_ROLE_NOUN = re.compile(
    r"\b(?:engineer|developer|designer|manager|executive|scientist|analyst|architect|recruiter|director|specialist"
    r"|representative|researcher|lead|head|vp|owner|coordinator|associate|intern|internship)\b"
)
_ANY_ROLE_NOUN = re.compile(
    r"\b(?:engineer|developer|designer|manager|executive|scientist|analyst|architect|recruiter|director|specialist"
    r"|representative|researcher|lead|intern|associate|programmer|coder)s?\b"
)
_NOT_ENGINEERING = "excluded: not a backend engineering title"
# An area that is a technology (a language, framework or site builder): a list of them is one opening's stack.
_TECH_AREA = re.compile(
    r"(?<![\w.#+])(?:python|django|flask|java|spring|go|golang|node(?:\.?js)?|ruby|rails|ror|php|laravel|symfony"
    r"|\.net|asp\.net|dotnet|c\#|c\+\+|c|scala|rust|elixir|erlang|clojure|haskell|kotlin|perl|typescript|javascript"
    r"|js|ts|react(?:\.?js)?|vue(?:\.?js)?|angular|svelte|next\.js|nest\.?js|express\.?js|wordpress|wp|shopify"
    r"|webflow|drupal|magento|sql|postgres(?:ql)?|mysql|swift|objective-c|flutter|unity|unreal)(?![\w+#])"
)
# "Software/Data Engineer", "Software / ML Developer": a software engineer or another one.
_SOFTWARE_OR = re.compile(r"\bsoftware\s*/\s*([a-z]+(?:\s+[a-z]+)?)\s+(engineer|developer)s?\b", re.IGNORECASE)
_FIRST_LINE = "post's first line"
_HEADER_FIELD_KIND = "role not named in the title"
# A post's header line that names no role at all: company, place, link, employment terms ("Acme - Leeds - Full time").
_HEADER_LINE_KIND = "header line names no role"
# The lines below such a header that name its openings: short lines (up to six words before a dash) holding a role
# word, among the first six lines of the text.
_ROLE_LINES = 6
_ROLE_LINES_CHARS = 1500
_ROLE_LINE_WORDS = 6
_BRACKETED = re.compile(r"\([^()]*\)")
_ROLE_LINE_DASH = re.compile(r"\s+[-\u2013\u2014:]\s+")
_ROLE_LINE_WORD = re.compile(
    r"\b(?:engineer|developer|designer|manager|executive|scientist|analyst|architect|recruiter|director|specialist"
    r"|representative|researcher|lead|intern|associate|programmer|coder|assistant|marketer|writer|tester|head|officer)s?\b"
)
# An engineer named in a thread's words rather than by a role noun.
_ENGINEER_IN_OTHER_WORDS = re.compile(
    r"\b(?:devs|developpers?|hackers|coders|rubyists|pythonistas|engineering\s+(?:positions|roles|openings|jobs|hires))\b",
    re.IGNORECASE,
)
# Employment terms of a thread's header ("FULLTIME + INTERN", "(H1B, INTERN)"): beside them "intern" is a term.
_EMPLOYMENT_TERM = re.compile(r"\b(?:full[\s-]?time|part[\s-]?time|ft|h1b|h-1b|remote|onsite|on-site|flexible)\b")
_INTERN_TERM = re.compile(r"\bintern(?:ship)?s?\b")
# What marks a title as a thread post's header line: a link or employment terms.
_HEADER_MARK = re.compile(
    r"\bhttps?://|\bwww\.|\b(?:full[\s-]?time|fulltime|part[\s-]?time|h-?1b|remote|onsite|on-site)\b", re.IGNORECASE
)
# The classes whose words name companies and their fields as often as roles ("Acme Insights", "Acme Talent", "Acme
# Mobile Games"); occupations (a nurse, a writer, a threat hunter) and business functions other than sales stay roles.
_COMPANY_WORD_VERDICTS = frozenset(
    (False, _EXCLUDED_REASON[c]) for c in ("datasci", "recruiting", "sales", "ml", "mobile", "game", "hardware")
)
_HEADER_SCAN_CHARS = 2000  # a post's first line is read within its first characters
# Words that name a role although they are not role nouns of _ANY_ROLE_NOUN: a job title's gender marker ("(m/w/d)",
# "(f/m/x)"), a head or officer, and occupations by their suffix ("Projektcontroller", "Bioinformatician",
# "Pharmacist"): a title holding one names a role, so it is no header line.
_OTHER_ROLE_WORD = re.compile(
    r"\((?:\s*[mwfdx]\s*/){1,3}\s*[mwfdx]\s*\)|\b(?:head|chief|officer|controller|lead|execs?)\b|controller\b"
    r"|\b(?!(?:play|check|wish|wait|short|black|white)?list\b|exist|assist|twist|persist|insist|resist)\w+(?:ician|ist)s?\b"
)
_NO_ROLE_KINDS = frozenset({_HEADER_FIELD_KIND, "several roles", _FIRST_LINE, _HEADER_LINE_KIND})
# A thread post's title taken from one field of its header line ("Acme | Legal Tech | Remote", or the line begins
# with the title and a shouted work mode: "Acme Notes REMOTE mostly"): the field names a topic or a product.
_SHOUTED_FIELD = re.compile(r"\s*(?:\||(?:REMOTE|ONSITE|ON-SITE|HYBRID|FULL[- ]TIME)\b)")
_HEADER_LINE_CHARS = 300
# Header fields that name a role or a function without a role noun ("CTO", "Product", "Quantum Computing Expert").
_ROLE_LIKE_FIELD = re.compile(
    r"\b(?:cto|ceo|cfo|coo|cpo|vp|founders?|co-?founders?|experts?|consultants?|freelanc\w*|contractors?)\b"
    r"|^(?:product|operations|ops|finance|legal|support|sales|marketing|design|research)$"
)
# Role names in a post's text, for a title that names none: up to four words before a role noun, and the team after
# a comma when it is capitalized ("Senior Software Engineer, Agent Platform"); words up to the last function word are
# dropped ("we are hiring a senior backend engineer" -> "senior backend engineer").
# (Speed: the role noun is found first and the words are read around it; a pattern led by the optional words costs
# milliseconds per post, as ``re`` retries them from every position.)
_TEXT_ROLE_NOUN = re.compile(
    r"\b(?:engineer|developer|sre|architect|programmer|technical[ \t]+staff)s?\b", re.IGNORECASE
)
# A role noun that qualifies the next word names no role ("developer tooling", "engineering-grade", "developer
# experience", "SRE practices"): such matches are skipped.
_ROLE_NOUN_AS_MODIFIER = re.compile(
    r"[ \t]+(?:tool\w*|experience|productivity|platforms?|relations|advoca\w*|communit\w*|docs|documentation"
    r"|portal|ecosystem|apis?|sdks?|first|friendly|focused|facing|velocity|workflows?|happiness|practices|culture"
    r"|onboarding|journey|adoption|program)\b",
    re.IGNORECASE,
)
# An engineering leader among a post's openings ("Engineering Manager, Payments"): a generic engineering opening that
# the role nouns above do not catch.
_LEADS_ENGINEERING = re.compile(
    r"\b(?:engineering\s+(?:manager|lead|director)|tech(?:nical)?\s+lead|head\s+of\s+engineering"
    r"|(?:vp|director)\s*,?\s+(?:of\s+)?engineering)s?\b",
    re.IGNORECASE,
)
_WORDS_BEFORE = re.compile(r"(?<![\w.+#/-])(?:[\w.+#/-]+[ \t]+){0,4}$")
_TEAM_AFTER = re.compile(r",[ \t]+[A-Z][\w.+#&-]*(?:[ \t]+[A-Z][\w.+#&-]*){0,2}")
_WORDS_BEFORE_CHARS = 120
_FUNCTION_WORDS = _words(
    """for by with to the our your a an and or of in on at as we are is was hiring looking seeking from who that
    help all many other more join like into across about through"""
)
_TEXT_ROLE_SCAN_CHARS = 3000
# A post's openings list: after a label ("Open Roles (6+ years):", "Hiring:", "Positions:"), items split by bullets,
# semicolons or line breaks ("ML Infrastructure (Staff+) * Data Infrastructure Lead * ..."); a line of prose (more
# than six words) ends it.
_OPENINGS_LABEL = re.compile(
    r"\b(?:open\s+roles?|open\s+positions?|roles|positions|openings|hiring)\b[^:\n.]{0,80}:", re.IGNORECASE
)
_OPENINGS_ITEM_SPLIT = re.compile(r"[ \t]+[*\u2022\u00b7][ \t]+|\s*[\n;]\s*|[ \t]\|[ \t]")
_OPENINGS_LIST_CHARS = 400
_OPENINGS_ITEM_WORDS = 6
# A startup job page's fields ("Job type Full-time Role Engineering, Backend Experience 3+ years"): the "Role" field
# names the job's area, and for engineering its kind.
_JOB_PAGE_ROLE = re.compile(
    r"\bJob type\s+[\w -]{0,30}?\s+Role\s+([A-Z][a-z]+)(?:,\s*([A-Za-z][\w ./&-]{0,30}?))?\s+Experience\b"
)
# A post's openings field: "Open Roles - Sales ...", "Role: Product Manager ...", "Positions: ..." (up to five words).
_OPENINGS_FIELD = re.compile(
    r"\b(?:open\s+roles?|open\s+positions?|roles?|positions?|openings?|hiring(?=\s*:))\s*(?::|\s[-\u2013\u2014])"
    r"\s*[-\u2022*]?\s*"
    r"((?:[^\s:|]+\s+){0,4}[^\s:|]+)",
    re.IGNORECASE,
)
# SQL and database developers: when the description is about reports and dashboards, business intelligence.
_DATABASE_KINDS = frozenset({"database developer"})
_REPORTING_WORDS = re.compile(
    r"\b(?:ssrs|ssis|power\s+bi|tableau|looker|qlik|crystal\s+reports|dashboards?|business\s+intelligence"
    r"|reporting\s+(?:team|tools?|solutions?|deliverables?|requests?|needs|services)|(?:build|create|design)\w*\s+reports)\b"
)
# The role right after "hiring (for)": up to six words, ending with a role noun or "roles"/"positions".
_HIRING_FOR = re.compile(
    r"\bhiring\s+(?!managers?\b)(?:for\s+)?((?:[\w()+/&'’.:-]+[ \t]+){0,6}?(?:roles?|positions?|openings?|engineers?"
    r"|developers?|designers?|managers?|executives?|scientists?|analysts?|architects?|associates?|recruiters?"
    r"|researchers?|specialists?|representatives?|advocates?|writers?|editors?|marketers?|interns?|leads?"
    r"|assistants?|coordinators?|accountants?))\b",
    re.IGNORECASE,
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


# An anonymised dataset's placeholders ("<ORGANIZATION> <LOCATION>"): its titles run on into the ad's other fields
# after the first one ("Frontend Engineer <ORGANIZATION> <ADDRESS> ... Date posted: ... Role: ..."), so the title is
# the text before it (after any that lead it). No real title holds such a token.
_PLACEHOLDER = re.compile(r"<(?:ORGANIZATION|ADDRESS|LOCATION|PERSON|DATE|URL|EMAIL|PHONE)>")


def _without_placeholders(title: str) -> str:
    m = _PLACEHOLDER.search(title)
    while m and not title[: m.start()].strip(" -\u2013\u2014(|,"):
        title = title[m.end() :]
        m = _PLACEHOLDER.search(title)
    return title[: m.start()] if m else title


def _clean_title(title: str) -> str:
    if "<" in title:
        title = _without_placeholders(title)
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
    if verdict in (_FRONTEND_KIND, _SITE_BUILDER_KIND):
        return _frontend_title_role(text or "", verdict)
    if verdict == (False, _NOT_ENGINEERING):
        if _header_field_title(title or "", text or ""):
            verdict = _HEADER_FIELD_KIND
        elif _header_line_title(title or "", text or ""):
            verdict = _HEADER_LINE_KIND
    elif (
        verdict in _COMPANY_WORD_VERDICTS
        and _HEADER_MARK.search(_clean_title(title or ""))
        and _header_line_title(title or "", text or "")
    ):
        # a header line marked by a link or employment terms that names no role: a specialty or business word in it
        # is the company's name or field ("Acme Insights (https://acme.example) - Durham, NC"), not a role
        verdict = _HEADER_LINE_KIND
    if not isinstance(verdict, str):
        return verdict
    kind = verdict
    text = text or ""
    if kind in _NO_ROLE_KINDS:
        named, rest = _roles_in_text(text)
        if named is not None:
            return named
        role_line = _role_line_below_header(text) if kind == _HEADER_LINE_KIND else None
        if role_line is not None:
            return False, f"excluded: the post's role line names another role ({role_line[:48]})"
        if kind == _HEADER_LINE_KIND and not _names_engineer(text[:_TEXT_ROLE_SCAN_CHARS]):
            # a header that names no role stands for an engineering posting only when the post names an engineer:
            # a post hiring a tester, a marketer or a scientist under such a header has backend words too (its
            # product's)
            return False, _NOT_ENGINEERING
        text = rest
    if kind not in _NO_ROLE_KINDS and _names_several_openings(title or ""):
        # a thread post's text begins with its header line: the openings it names (an "ML Engineers" beside the
        # "Product Engineers" that made the title generic) are not evidence of the work, like a post's listed roles
        head = _clean_title(title)
        if text.lstrip().startswith(head):
            text = text.lstrip()[len(head) :]
    if kind in _DATABASE_KINDS:
        reporting = _reporting_terms(text)
        if reporting:
            return False, f"excluded: business intelligence (a {kind} writing {', '.join(reporting[:3])})"
    backend, other = description_signals(text)
    other = frameworks_once(other)
    if (
        kind == _FIRST_LINE
        and backend_weight(backend) < 1
        and not _TEXT_ROLE_NOUN.search(text[:_TEXT_ROLE_SCAN_CHARS])
    ):
        # a first line cut short stands for a post that hires engineers or describes backend work; a thread's other
        # posts (replies, links to search tools) do neither
        return False, _NOT_ENGINEERING
    if "security" in (title or "").lower() and any(t in OFFENSIVE_TERMS for t in other):
        # a security team's generic title doing offensive work is a security role ("Software Engineer - Security"
        # writing exploit tooling), whatever the backend words of the services it attacks
        return False, f"excluded: security (offensive work: {', '.join(t for t in other if t in OFFENSIVE_TERMS)})"
    if not backend and not other:
        return True, f"generic {kind}; description silent (kept)"
    if backend_weight(backend) >= len(other):
        return True, f"generic {kind}; description is backend ({', '.join(backend[:3])})"
    return False, f"generic {kind}; description not backend ({', '.join(other[:3])})"


def _frontend_title_role(text: str, kind: str = _FRONTEND_KIND) -> tuple[bool, str]:
    """A title that names only a frontend framework ("React Developer") is frontend unless the description asks
    for server-side work too: a server-side language or framework and at least as many backend terms as
    frontend/mobile/ML ones (then it is a full-stack role, "React developer" building C#/.NET REST integrations).
    A full-stack title on a site builder ("Full-Stack WordPress Developer") is read the same way."""
    backend, other = description_signals(text)
    server = [t for t in backend if t in SERVER_LANGUAGES]
    if server and backend_weight(backend) >= len(other):
        return True, f"title: {kind}; description asks for server-side work ({', '.join(server[:3])})"
    return False, "excluded: frontend" if kind == _FRONTEND_KIND else "excluded: frontend (site builder)"


# Titles repeat across a board and between crawls; the title's part of the decision is a pure function of it.
@lru_cache(maxsize=4096)
def _title_verdict(title: str) -> tuple[bool, str] | str:
    """``(is_backend, role_reason)`` when the title decides, else the kind of generic engineering title (the
    description then decides)."""
    title = _clean_title(title)
    traits = _TRAITS_TAIL.match(title)
    if traits and _mostly_lower(traits.group(2)):
        title = traits.group(1)  # "Product Engineer - strong product sense, ships fast, designer": the role is first
    if _LINK.fullmatch(title):
        # a post that begins with a link ("https://acme.example/engineering"): like a first line cut short, it
        # stands for a posting only when the post names a role or backend work (a bare link in a thread is no post)
        return _FIRST_LINE
    if _names_areas(title.lower()):
        return "several roles"
    alt = _SOFTWARE_OR.search(title)
    if alt:  # "Software/Data Engineer" is a software engineer or a data engineer: two roles
        return _several_roles_verdict([f"Software {alt.group(2)}", f"{alt.group(1)} {alt.group(2)}"])
    parts = _listed_roles(title)
    if parts:
        return _several_roles_verdict(parts)
    verdict = _one_title_verdict(title)
    openings = _named_openings(title)
    if openings:
        # judged by the opening that keeps it in view, not by whichever the single-title reading met first; a title
        # that reads as backend whole ("Node.js/React Developer": full-stack) stays so
        several = _several_roles_verdict(openings)
        if _verdict_rank(several) > _verdict_rank(verdict):
            return several
    return verdict


@lru_cache(maxsize=4096)
def _names_several_openings(title: str) -> bool:
    """The title names several openings (a list of roles, or areas sharing one role noun)."""
    title = _clean_title(title)
    return bool(_listed_roles(title) or _named_openings(title))


def _mostly_lower(text: str) -> bool:
    """Most words of ``text`` begin in lower case: prose, not a list of team or product names."""
    words = [w for w in text.split() if w[0].isalpha()]
    return sum(w[0].islower() for w in words) * 2 > len(words)


def _names_areas(low: str) -> bool:
    """The title lists areas of work, engineering among them, and names no single role ("Engineering & Product",
    "Software, Mobile, QA, IT, TPM"), or is that area alone ("Engineering", "Hiring Engineers")."""
    if _SINGLE_ROLE_NOUN.search(low):
        return False
    parts = [_AREA_NOISE.sub("", p) for p in _AREA_SEPARATOR.split(low) if p]
    return any(p in _ENGINEERING_AREAS for p in parts)


def _roles_in_text(text: str) -> tuple[tuple[bool, str] | None, str]:
    """For a title that names no role ("Acme | Berlin | Full-time", "Multiple roles"): backend when a role named in
    the head of its text is a backend role by its name, like a title listing several roles; excluded when the role
    the post says it is hiring for is excluded, or when its job page's "Role" field names another area; else None,
    and the description decides. (Other roles named anywhere do not exclude a post: its text names roles in passing
    too, "architects" as its users or "our ML engineers" as colleagues.)

    The text is returned for that description check: when the post names a generic engineering opening ("Senior
    Software Engineer"), the names of the roles it lists are blanked out of it, as they say which openings there
    are, not what the work is (a "Frontend Platform Engineer" among them does not make the post frontend)."""
    head = text[:_TEXT_ROLE_SCAN_CHARS]
    roles = _read_text_roles(head)
    if roles.backend is not None:
        return (True, f"the post names a backend role ({roles.backend[:48]})"), text
    listed = _listed_backend_opening(head)
    if listed is not None:
        return (True, f"the post names a backend role ({listed[:48]})"), text
    verdict = _stated_role_verdict(head)
    if verdict is None:
        verdict = _openings_verdict(roles, head)
    if verdict is not None:
        return verdict, text
    if roles.generic_named and roles.spans:
        text = _blanked(text, roles.spans)
    return None, text


@dataclass(slots=True)
class _TextRoles:
    """The roles named in a post's text (``_read_text_roles``)."""

    backend: str | None = None  # the first role named that is a backend role by its name (the reading stops there)
    spans: list[tuple[int, int]] = field(default_factory=list)  # where the role names are
    generic_named: bool = False  # a generic engineering role is named
    opening_named: bool = False  # ... with a qualifier ("Senior Engineer"): an opening, not "our engineers"
    chain_named: int = 0  # on-chain roles named
    generic_count: int = 0  # generic engineering roles named, by their own words
    titled_other: list[str] = field(default_factory=list)  # openings named in title case of another discipline
    titled_engineering: bool = False  # ... and of an engineering title (generic, or one the filter does not know)


def _read_text_roles(head: str) -> _TextRoles:
    """Every role named in the head of a post's text (up to four words before a role noun, and a capitalized team
    after a comma), read as a title, until one is a backend role."""
    roles = _TextRoles()
    for m in _TEXT_ROLE_NOUN.finditer(head):
        if _ROLE_NOUN_AS_MODIFIER.match(head, m.end()):
            continue
        before = _WORDS_BEFORE.search(head, max(0, m.start() - _WORDS_BEFORE_CHARS), m.start())
        team = _TEAM_AFTER.match(head, m.end())
        words = f"{before.group(0) if before else ''}{m.group(0)}{team.group(0) if team else ''}".split()
        cut = max((i for i, w in enumerate(words) if w.lower() in _FUNCTION_WORDS), default=-1)
        phrase = " ".join(words[cut + 1 :])
        verdict = _one_title_verdict(phrase) if phrase else None
        if isinstance(verdict, tuple) and verdict[0]:
            roles.backend = phrase
            return roles
        roles.generic_named = roles.generic_named or (isinstance(verdict, str) and verdict != _FRONTEND_KIND)
        # a qualified name ("Senior Engineer") names an opening; a bare "engineers" is often in passing ("work with
        # our engineers")
        roles.opening_named = roles.opening_named or (isinstance(verdict, str) and len(phrase.split()) > 1)
        # counted by the role's own words (a capitalized "team" after a comma is often the next opening)
        core = " ".join(f"{before.group(0) if before else ''}{m.group(0)}".split()[cut + 1 :])
        core_verdict = _one_title_verdict(core) if core else None
        roles.chain_named += core_verdict == (False, _EXCLUDED_REASON["chain"])
        roles.generic_count += isinstance(core_verdict, str)
        roles.spans.append((before.start() if before else m.start(), team.end() if team else m.end()))
        if m.group(0)[0].isupper() and core_verdict is not None:
            # a role named in title case ("Forward Deployed SRE", "Lead Quantitative Developer") is an opening;
            # in lower case it is often in passing ("our ML engineers")
            if isinstance(core_verdict, str) or core_verdict[1] == _NOT_ENGINEERING:
                roles.titled_engineering = (
                    True  # a generic one, or one this filter does not know ("Privacy Engineer")
                )
            else:
                roles.titled_other.append(core)
    return roles


def _stated_role_verdict(head: str) -> tuple[bool, str] | None:
    """The verdict of the role a post states: the role it says it is hiring for, when another trade's ("I'm hiring
    for some product manager roles", "Acme Is Hiring Founders Associate"), or its job page's "Role" field."""
    m = _HIRING_FOR.search(head)
    if m:
        verdict = _one_title_verdict(m.group(1))
        if isinstance(verdict, tuple) and not verdict[0] and verdict[1] != _NOT_ENGINEERING:
            return False, f"excluded: the post is hiring for another role ({m.group(1)[:48]})"
    role_field = _JOB_PAGE_ROLE.search(head)
    if role_field:
        area, sub = role_field.group(1), (role_field.group(2) or "").strip()
        if area.lower() != "engineering" or sub:
            verdict = _one_title_verdict(f"{sub} engineer" if area.lower() == "engineering" else area)
            if isinstance(verdict, tuple):
                if verdict[0]:
                    return True, f"the post names a backend role ({area}, {sub})"
                return False, f"excluded: the job page's role field names another area ({area} {sub})".strip()
            if verdict == _FRONTEND_KIND:
                return False, f"excluded: the job page's role field names another area ({area}, {sub})"
    return None


def _openings_verdict(roles: _TextRoles, head: str) -> tuple[bool, str] | None:
    """Excluded when the openings a post names are another discipline's: mostly on-chain roles, an openings field
    naming another trade (when no engineering opening is named), or only title-case roles of other disciplines."""
    if roles.chain_named >= 2 and roles.chain_named > roles.generic_count:
        # most openings it names are on-chain roles (smart contracts, a blockchain's protocol or indexer): an
        # on-chain company, whatever server languages its stack lists
        return False, "excluded: blockchain (the post's openings are mostly on-chain roles)"
    if not roles.opening_named:
        other = _openings_field_role(head)
        if other is not None:
            return False, f"excluded: the post's openings name another role ({other[:48]})"
    if roles.titled_other and not roles.titled_engineering and not _LEADS_ENGINEERING.search(head):
        # every opening it names is another discipline's (forward-deployed, quantitative, ML): its product words
        # (infrastructure, Kubernetes) describe what those roles work with
        return False, f"excluded: the post's openings are other roles ({roles.titled_other[0][:48]})"
    return None


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the given spans replaced by spaces (same length)."""
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], " " * (end - start)]
        last = end
    return "".join(parts) + text[last:]


def _listed_backend_opening(head: str) -> str | None:
    """The first item of the post's openings list that names a backend role ("Data Infrastructure Lead"); an item
    in title case with no role noun names the engineer of that area ("ML Infrastructure (Staff+)"). The part after a
    comma is left out ("Senior SWE - infra, ETL pipelines" names an infrastructure engineer)."""
    for label in _OPENINGS_LABEL.finditer(head):
        block = head[label.end() : label.end() + _OPENINGS_LIST_CHARS]
        for raw in _OPENINGS_ITEM_SPLIT.split(block):
            item = raw.split(",")[0].strip(" -*\u2022\t")
            if not item:
                continue
            words = item.split()
            if len(words) > _OPENINGS_ITEM_WORDS:
                break
            if not _ANY_ROLE_NOUN.search(item.lower()) and not _ENGINEERING_WORD_LOW.search(item.lower()):
                if not all(w[0].isupper() or not w[0].isalpha() for w in words):
                    continue
                item = f"{item} Engineer"
            verdict = _one_title_verdict(item)
            if isinstance(verdict, tuple) and verdict[0]:
                return item
    return None


def _openings_field_role(head: str) -> str | None:
    """The non-engineering role that a post's openings field names first ("Open Roles - Sales ...", "Role: Product
    Manager ..."), for a post that names no engineering role: the shortest run of the words after the label that
    reads as an excluded role title; None when the words read as an engineering title first, or name nothing."""
    for m in _OPENINGS_FIELD.finditer(head):
        words = m.group(1).split()
        for n in range(1, len(words) + 1):
            verdict = _one_title_verdict(" ".join(words[:n]))
            if isinstance(verdict, str) or verdict[0]:
                break
            if verdict[1] != _NOT_ENGINEERING:
                return " ".join(words[:n])
    return None


def _header_field_title(title: str, text: str) -> bool:
    """The title is one field of the post's header line: the text begins with it followed by a "|" field or a
    shouted work mode, or holds it between "|" separators near its start."""
    title = _clean_title(title)
    if not title or _ANY_ROLE_NOUN.search(title.lower()) or _ROLE_LIKE_FIELD.search(title.lower()):
        return False
    head = " ".join(text[:_HEADER_LINE_CHARS].split())
    if head.lower().startswith(title.lower()) and _SHOUTED_FIELD.match(head, len(title)):
        return True
    return re.search(rf"\|\s*{re.escape(title)}\s*\|", head, re.IGNORECASE) is not None


def _role_line_below_header(text: str) -> str | None:
    """Under a header line that names no role, the short lines that follow it name the openings ("Global Marketing
    Director", "* Content marketer - tell our story"): the first such line naming an excluded role, when no such line
    names an engineering one; else None."""
    excluded = None
    lines = [line.strip(" \t*-\u2022") for line in text[:_ROLE_LINES_CHARS].splitlines()[1:]]
    for line in [line for line in lines if line][:_ROLE_LINES]:
        # "Content marketer - tell our story": the role before the dash, or right after a company's name before it
        # ("Acme - Office Assistant, Leeds"); a remark in brackets is no part of it
        parts = [p.split(", ")[0] for p in _ROLE_LINE_DASH.split(_BRACKETED.sub(" ", line), 2)[:2]]
        role = next((p for p in parts if _ROLE_LINE_WORD.search(p.lower())), "")
        if not role or len(role.split()) > _ROLE_LINE_WORDS:
            continue
        verdict = _title_verdict(role)
        if isinstance(verdict, str) or verdict[0]:
            return None
        if verdict[1] != _NOT_ENGINEERING and excluded is None:
            excluded = role
    return excluded


def _names_engineer(head: str) -> bool:
    """The text names an engineer, developer, SRE, architect or programmer as a role (not "developer tooling"), or
    in the words of a thread ("devs", "hackers", "Rubyists", "engineering positions")."""
    if _ENGINEER_IN_OTHER_WORDS.search(head):
        return True
    return any(not _ROLE_NOUN_AS_MODIFIER.match(head, m.end()) for m in _TEXT_ROLE_NOUN.finditer(head))


def _header_line_title(title: str, text: str) -> bool:
    """The title is (part of) the post's first line and names no role at all: no role noun, no engineering word, no
    executive or business function (links left out: "acme.example/software-engineer" names no role). A thread post's
    header of company, place, link and employment terms ("Acme - Leeds, UK - https://acme.example", "Leeds. Full
    time. Acme"); a title naming a non-engineering role ("Account Executive") is not one, and an ATS title always
    names a role."""
    title = _clean_title(title)
    low = " ".join(_LINK.sub(" ", title).lower().split())
    if _EMPLOYMENT_TERM.search(low):
        low = _INTERN_TERM.sub(" ", low)
    if (
        not low
        or _ANY_ROLE_NOUN.search(low)
        or _ENGINEERING_WORD_LOW.search(low)
        or _ROLE_LIKE_FIELD.search(low)
        or _OTHER_ROLE_WORD.search(low)
    ):
        return False
    head = text[:_HEADER_SCAN_CHARS].lstrip()
    first_line = " ".join(head.split("\n", 1)[0].split()).lower()
    return title.lower() in first_line


def _reporting_terms(text: str) -> list[str]:
    """The business-intelligence words in a description's head: reports, dashboards and the tools that make them."""
    low = text[:DESCRIPTION_SCAN_CHARS].lower()
    return list(dict.fromkeys(m.group(0) for m in _REPORTING_WORDS.finditer(low)))


def _listed_roles(title: str) -> list[str]:
    """The parts of a title that lists several roles ("Senior Java Engineer, Support Engineer, Account Executive";
    "Robotics Engineers, Infra Engineers, GTM"): at least two of its comma/semicolon/plus-separated parts name a
    role. A role with its team ("Software Engineer, Payments", "Manager, Engineering") is one role."""
    if "," not in title and ";" not in title and "+" not in title and " and " not in title.lower():
        return []
    parts = [p for p in _LIST_SEPARATOR.split(title) if p.strip()]
    roles = [p for p in parts if _ROLE_NOUN.search(p)]
    if len(roles) < 2:
        return []
    # two singular roles after a comma are usually one role and its team ("Senior Software Engineer, Forward
    # Deployed AI Engineer"); a list has more parts, a plural ("Software Engineers, Research Engineer") or a "+"/";"
    if (
        len(parts) < 3
        and "+" not in title
        and ";" not in title
        and not any(_PLURAL_ROLE.search(p) for p in roles)
        # ... unless each part carries its own seniority ("Principal Product Engineer, Principal ML Engineer"): a
        # team name does not start with one
        and not (len(roles) == 2 and all(_SENIORITY_LED.match(p.strip()) for p in roles))
    ):
        return []
    return parts


def _named_openings(title: str) -> list[str]:
    """The openings a title names when it names several: its "/"- or "|"-separated parts outside brackets that each
    end with a role noun, three or more, or two each led by a seniority word ("Lead Backend Engineer/Staff Solutions
    Engineer/Data Analyst"); else its areas sharing one trailing role noun, each with that noun: in brackets ("[Infra
    / Growth / Docs] Engineer" -> "Infra Engineer", ...), three or more split by "/" ("Kernel/Web/Platform
    Engineer"), or split by commas, "&" or "and" before a plural noun ("Hiring Product, Brand and ML Engineers";
    "Research and Development Engineer" is one title). A list of technologies ("PHP/Laravel/Symfony Developer")
    names the stack of one opening, not several. [] otherwise (docs/role-policy.md, round 9)."""
    title = _LINK.sub(" ", title)
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(title):
        depth += (ch in "([{") - (ch in ")]}")
        if depth == 0 and ch in "/|":
            parts.append(title[start:i])
            start = i + 1
    parts.append(title[start:])
    roles = [p.strip() for p in parts if _ROLE_NOUN.search(p)]
    # two are one hybrid title ("Database Developer / BI Analyst") unless each carries its own seniority, as with
    # commas
    if len(roles) >= 3 or (len(roles) == 2 and all(_SENIORITY_LED.match(r) for r in roles)):
        return roles
    noun = _SHARED_ROLE_NOUN.search(title)
    if not noun:
        return []
    head = title[: noun.start()].rstrip()
    bracketed = head.endswith(("]", ")"))
    if bracketed:
        opener = "[" if head.endswith("]") else "("
        head = head[head.rfind(opener) + 1 : -1]  # "[Platform / Security] Engineer": the bracket holds the list
    else:
        head = _LIST_LEAD.sub("", _HIRING_LEAD.sub("", head))
        if not noun.group(2) and not _SLASH_ONLY.match(head):
            return []
    areas = [a.strip() for a in _AREA_LIST_SEPARATOR.split(head) if a.strip()]
    if not bracketed and not noun.group(2) and len(areas) < 3:
        return []  # "OS/Platform Software Engineer": one role across two areas
    if len(areas) < 2 or any(len(a.split()) > _AREA_WORDS or _ANY_ROLE_NOUN.search(a.lower()) for a in areas):
        return []
    if any(_TECH_AREA.search(a.lower()) for a in areas):
        return []
    return [f"{a} {noun.group(1)}" for a in areas]


def _verdict_rank(verdict: tuple[bool, str] | str) -> int:
    """How far a verdict keeps a posting in view: backend, then generic (the description decides), then a
    frontend-framework kind, then excluded."""
    if isinstance(verdict, tuple):
        return 3 if verdict[0] else 0
    return 1 if verdict in (_FRONTEND_KIND, _SITE_BUILDER_KIND) else 2


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
    """One title's verdict: ``(is_backend, role_reason)`` when its words decide, else the kind of generic title (the
    description decides). Phases: the classes the title's words belong to, the overlaps between classes resolved,
    the highest-priority class's verdict, and for a title no class decides, what kind of title it is."""
    low = title.lower()
    found, words, has_eng_word, leads = _title_classes(title, low)
    if _resolve_overlaps(found, words, low):
        return _SITE_BUILDER_KIND
    verdict = _class_verdict(title, low, found, has_eng_word, leads)
    if verdict is not None:
        return verdict
    return _unclassified_verdict(title, low, found, has_eng_word)


def _title_classes(title: str, low: str) -> tuple[dict[str, str], dict[str, set[str]], bool, bool]:
    """The classes present in a title (each with the first text it matched, and every text it matched), whether the
    title names an engineering job, and whether it names a leader."""
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
    return found, words, has_eng_word, leads


def _resolve_overlaps(found: dict[str, str], words: dict[str, set[str]], low: str) -> bool:
    """Classes that change meaning beside each other, resolved in ``found`` (in place); True when the title is a
    full-stack title on a site builder (the description decides, as for a frontend-framework title)."""
    # A platform or infrastructure engineer named by an ML or data area builds that platform ("Platform Engineer -
    # Machine Learning", "Platform Data Engineer"), like an "ML Platform Engineer"; so does a software engineer whose
    # team names an ML platform or infrastructure ("Software Engineer - Infrastructure, Machine Learning").
    if ({"ml", "datasci"} & found.keys()) and (
        _PLATFORM_ROLE.search(low) or ("generic" in found and ({"infra", "platform"} & found.keys()))
    ):
        found.pop("ml", None)
        found.pop("datasci", None)
        found.setdefault("dataplat", "platform")

    # Server-side and frontend technology both named in the title ("Node.js & React.js") is a full-stack role.
    # ... unless the title names the frontend itself ("Frontend Developer - React, Node.js"): the server runtime is
    # the frontend's tooling there
    if "servertech" in found and "fronttech" in found and not ({"backend", "fullstack", "frontend"} & found.keys()):
        found["fullstack"] = found["servertech"]
    if "sitebuilder" in found and "fullstack" in found and "backend" not in found:
        return True
    # "Full-Stack Mobile Engineer" is a mobile engineer working across the app's stack
    if "fullstack" in found and "mobile" in found and _FULL_STACK_MOBILE.search(low):
        del found["fullstack"]

    # A software engineer or an engineering manager named by their team ("Software Engineer, Analytics",
    # "Engineering Manager, Partner Experience") is not an analyst or a salesperson: the team word does not decide.
    if ({"generic", "leader", "several"} & found.keys()) and not _TEAM_DISCIPLINE.search(low):
        for cls, team_words in _TEAM_WORDS.items():
            if cls in found and words[cls] <= team_words:
                del found[cls]
        if "datasci" in found and words["datasci"] <= _DATA_TEAM_WORDS and _DATA_TEAM_AFTER_JOB.search(low):
            del found["datasci"]
    return False


def _class_verdict(
    title: str, low: str, found: dict[str, str], has_eng_word: bool, leads: bool
) -> tuple[bool, str] | str | None:
    """The verdict of the highest-priority class that decides (``_PRIORITY``); None when none does."""
    # A first line cut short that is a sentence about the company ("Hi, I'm ..., cofounder of Acme Robotics…"): a
    # specialty word in it names the company, not a role; the post decides (see classify_role).
    sentence_line = title.endswith(_CUT_SHORT) and len(low.split()) >= 6 and not _ANY_ROLE_NOUN.search(low)
    for cls in _PRIORITY:
        if cls not in found:
            continue
        if sentence_line and (cls in _SPECIALTY_CLASSES or cls in _POSITIVE_REASON):
            return _FIRST_LINE
        if cls in _POSITIVE_REASON:
            if has_eng_word or "leader" in found:
                return True, _POSITIVE_REASON[cls]
            if cls in ("backend", "fullstack") and not _ANY_ROLE_NOUN.search(low):
                return True, _POSITIVE_REASON[cls]  # "FE/Fullstack Senior", "Backend (Go)": the word names the role
            # "VP, Data Platforms" leads engineering; "Director, Platform Account Management" does not
            if leads and cls not in ("backend", "fullstack", "api") and not _function_word(low):
                return True, _POSITIVE_REASON[cls]
            continue
        return False, _EXCLUDED_REASON[cls]
    return None


def _unclassified_verdict(title: str, low: str, found: dict[str, str], has_eng_word: bool) -> tuple[bool, str] | str:
    """For a title no class decides: a frontend-framework title, a title that stands for a whole post (a header
    line, "Acme is hiring", a first line cut short, "Multiple roles"), no engineering title, or the kind of generic
    engineering title."""
    if "fronttech" in found and "servertech" not in found:
        return _FRONTEND_KIND
    if not found and _is_header_fields(low):
        return "role not named in the title"  # a thread post's header line: its text names the roles
    if not found and _HIRING_TITLE.search(low) and not _ANY_ROLE_NOUN.search(_BARE_ENGINEERS.sub("", low)):
        return "role not named in the title"  # "Acme is hiring", "Acme Is Hiring Engineers in Lisbon"
    if not found and not _ANY_ROLE_NOUN.search(low) and title.endswith(_CUT_SHORT):
        return _FIRST_LINE  # a post's first line cut short: see classify_role
    if "several" in found and (has_eng_word or "leader" in found or not ({"generic", "servertech"} & found.keys())):
        return "several roles"  # "Multiple roles", "Software Engineers (Multiple Roles)": the post lists them
    if not ({"generic", "leader", "servertech"} & found.keys()) or not (has_eng_word or "leader" in found):
        return False, _NOT_ENGINEERING

    kind = "engineering lead/manager" if "leader" in found else "software engineer"
    if "servertech" in found:
        kind = f"{found['servertech']} engineer"
    if _DATABASE_DEVELOPER.search(low):
        kind = "database developer"
    return kind


def _is_header_fields(low: str) -> bool:
    """A title of header fields ("Acme | Berlin | Full-time", "Acme — ONSITE (Munich) — Full-time")."""
    fields = _HEADER_SEPARATOR.split(low)
    first_field = fields[0]
    return (
        len(fields) > 1
        and first_field.count("(") == first_field.count(")")  # not "Night Nurse (Remote | Licence Required)"
        and (
            ("|" in low and (len(fields) >= 3 or any(_HEADER_FIELD.match(f.strip()) for f in fields[1:])))
            # with dashes, every field after the first states the work mode, the schedule or a link (not "Trial
            # Manager – UK, Remote – Contract", "Record to Report – Trainee – Remote")
            or ("|" not in low and all(_HEADER_FIELD.match(f.strip()) for f in fields[1:]))
        )
    )
