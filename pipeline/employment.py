"""Employment type: ``infer_employment_type(hint, title, text) -> (value, provenance)``.

``value`` is one of ``model.EMPLOYMENT_TYPES`` (full_time, part_time, contract, internship, temporary) or None;
``provenance`` is "structured" (the source's own field), "title" or "text".

Structured hints (as the corpus shows them)
-------------------------------------------

=====================================  ===================================================================
source field                           values -> employment type
=====================================  ===================================================================
Ashby ``employmentType``               FullTime, PartTime, Intern, Contract, Temporary
Lever ``categories.commitment``        Full-time, Full-Time, Full Time, Permanent, Part-time, Contract,
                                       Internship, Intern, Temporary, Fixed-term (free text, any case)
JSON-LD ``employmentType``             FULL_TIME, PART_TIME, CONTRACTOR, TEMPORARY, INTERN, (VOLUNTEER,
                                       PER_DIEM, OTHER -> None); also seen "FullTime"
SmartRecruiters ``typeOfEmployment``   {"id": "permanent", "label": "Full-time"}, part-time, intern, contract,
                                       temporary (pass the label or the id)
Workable ``employment_type``           Full-time, Part-time, Contract, Temporary, Internship
Remotive ``job_type``                  full_time, part_time, contract, freelance, internship, "" -> None
We Work Remotely ``type``              Full-Time, Contract
Arbeitnow ``job_types`` (a list)       "Full-time permanent", "Freelance", "Internship", "Apprenticeship",
                                       "Side" (a side job: part_time), "Working student"/"Werkstudent"
                                       (part_time); the seniority-like "berufserfahren",
                                       "berufseinstieg", "entry", "experienced", "professional /
                                       experienced", "geschäftsleitung" say nothing -> None
Himalayas/Jobicy ``employmentType``    Full Time, Part Time, Contractor, ["Full-Time"], ["Contract"]
=====================================  ===================================================================

Mapping: full time / permanent / regular -> full_time; part time / side / working student / mini-job ->
part_time; contract / contractor / freelance / freelancer / consultant / C2C / 1099 -> contract; intern /
internship / apprenticeship / trainee / co-op / Praktikum -> internship; temporary / temp / fixed term / seasonal
-> temporary. A hint may be a list or a comma/slash-separated string; the first recognised entry wins (that is the
source's primary value), except that a more specific entry wins over full_time ("Full-time, Contract" is a
full-time contract engagement: contract). Labelled text values follow the same rule.

Title and text
--------------

When several types are stated, the most specific wins: internship > contract > temporary > part_time > full_time
("Part-Time Contract" -> contract, "Full-time internship" -> internship, "Temporary full-time" -> temporary).
The title is read for explicit words: "(Contract)", "Contractor", "Freelance", "Part-Time", "Intern",
"Internship", "Temporary", "Temp", "Fixed-Term", "Full Time", "Vollzeit"/"Teilzeit", "Werkstudent" (not
"Contract Manager"/"Contracts Counsel", which are legal roles, nor "Internal").

Text inference is conservative; only these count:

* a labelled field: "Job Type: Full-time" (Indeed footer), "Employment Type: Contract", "Position Type:",
  "Type of employment:", "Contract type:", "Commitment:", "Job Types: Full-time, Part-time" (first wins);
* a framed statement: "this is a 6-month contract (role)", "a full-time position/role/opportunity/job",
  "contract-to-hire", "temp-to-perm", "on a contract/freelance basis", "as an independent contractor", "1099
  contractor", "C2C"/"corp-to-corp", "this is a paid internship", "internship program", "fixed-term
  contract", "part-time (20 hours/week)", "a full-time, permanent role".

"Smart Contract Engineer", "smart contract", "contract negotiation", "full-time employees enjoy..." and "our
interns" do not count.

Cost: one compiled regex pass over the text; labelled values are read from the rest of their line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.text import case_free, finditer_gated, folded_same_length

_SPECIFICITY = {"internship": 4, "contract": 3, "temporary": 2, "part_time": 1, "full_time": 0}

_HINT_TABLE = {
    "fulltime": "full_time", "full_time": "full_time", "full-time": "full_time", "full time": "full_time",
    "permanent": "full_time", "regular": "full_time", "full-time permanent": "full_time",
    "festanstellung": "full_time",
    "vollzeit": "full_time", "cdi": "full_time", "regular full time": "full_time", "regular employee": "full_time",
    "parttime": "part_time", "part_time": "part_time", "part-time": "part_time", "part time": "part_time",
    "side": "part_time", "side job": "part_time", "working student": "part_time", "werkstudent": "part_time",
    "mini-job": "part_time", "minijob": "part_time", "teilzeit": "part_time",
    "contract": "contract", "contractor": "contract", "contracts": "contract", "freelance": "contract",
    "freelancer": "contract", "freelancing": "contract", "consultant": "contract", "c2c": "contract",
    "1099": "contract", "b2b": "contract", "contract to hire": "contract", "contract-to-hire": "contract",
    "intern": "internship", "internship": "internship", "apprenticeship": "internship", "apprentice": "internship",
    "trainee": "internship", "co-op": "internship", "coop": "internship", "praktikum": "internship",
    "ausbildung": "internship", "stage": "internship",
    "temporary": "temporary", "temp": "temporary", "fixed term": "temporary", "fixed-term": "temporary",
    "fixed_term": "temporary", "fixedterm": "temporary", "seasonal": "temporary", "befristet": "temporary",
    "cdd": "temporary",
}  # fmt: skip

_TITLE = re.compile(
    r"""
    (?P<internship>\b(?:intern|internship|praktikum|praktikant(?:in)?|co-?op|apprentice(?:ship)?)\b)
  | (?P<contract>\b(?:(?<!smart\s)contract(?!s)(?!\s+(?:manager|management|specialist|administrator
        |administration|analyst|negotiator|lawyer|counsel|attorney|law|review|coordinator|associate|officer|paralegal|lead))
        |contractor|freelance|freelancer|1099)\b)
  | (?P<temporary>\b(?:temporary|temp|fixed[\s-]term|seasonal|befristet)\b)
  | (?P<part_time>\b(?:part[\s-]?time|teilzeit|werkstudent(?:in)?|working\s+student|minijob)\b)
  | (?P<full_time>\b(?:full[\s-]?time|vollzeit)\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)

_LABEL = re.compile(
    r"(?:^|\n|\|)[ \t*•-]*(?:employee\s+)?(?:job\s+types?|employment\s+types?|type\s+of\s+employment"
    r"|contract\s+type|position\s+type|employment|commitment|engagement(?:\s+type)?|work\s+type|job\s+category"
    r"|schedule)\s*:[ \t]*\n?[ \t*•-]*"
    r"(?P<value>[^\n|]{1,80})",
    re.IGNORECASE,
)
_LABEL_VALUE = re.compile(
    r"(?P<internship>\binternship\b|\bintern\b)"
    r"|(?P<contract>\bcontract(?:or)?\b|\bfreelance\b|\bc2c\b|\b1099\b|\bb2b\b)"
    r"|(?P<temporary>\btemporary\b|\btemp\b|\bfixed[\s-]term\b|\bseasonal\b)"
    r"|(?P<part_time>\bpart[\s-]?time\b)"
    r"|(?P<full_time>\bfull[\s-]?time\b|\bpermanent\b|\bregular\b)",
    re.IGNORECASE,
)
_TEXT = re.compile(
    r"""
    (?P<contract>\bcontract[\s-]to[\s-]hire\b|\btemp[\s-]to[\s-]perm\b|\bon\s+a\s+(?:contract|contractor|freelance
        |consulting)\s+basis\b|\bas\s+an?\s+(?:independent\s+|freelance\s+)?contractor\b|\b1099\s+(?:contractor|contract
        |position|role)\b|\bcorp[\s-]to[\s-]corp\b
      | (?<![/-])\bc2c\b(?!\s*(?:/|-|marketplace|market|platform|commerce|e-?commerce|business))
      | \b(?:\d{1,2}|one|two|three|four|five|six|nine|twelve|eighteen)[\s-]+(?:month|week|year)s?[\s-]+(?:contract
        |freelance\s+(?:contract|engagement|project))\b(?!\s+(?:to|with\s+(?:the\s+)?possibility)\s)
      | \b(?:this\s+is\s+an?|is\s+an?|a|an)\s+
        (?:remote\s+|paid\s+|short-term\s+|long-term\s+|full-time\s+|part-time\s+)?(?:contract|contractor|freelance)\s+(?:role|position|opportunity|engagement|assignment|job|gig)\b)
  | (?P<temporary>\bfixed[\s-]term\s+(?:contract|role|position|employment)\b|\b(?:this\s+is\s+an?|a|an)\s+
        temporary\s+(?:role|position|assignment|job|contract)\b|\b(?:\d{1,2}|six|three|twelve)[\s-]+month\s+
        (?:fixed[\s-]term|temporary|maternity\s+cover|parental\s+leave\s+cover)\b)
  | (?P<internship>\b(?:this\s+is\s+an?|an?)\s+
        (?:paid\s+|unpaid\s+|summer\s+|remote\s+|\d{1,2}[\s-](?:week|month)\s+)*internship\b(?!\s+(?:program\s+)?(?:alumni|experience))|\binternship\s+(?:program|position|role|opportunity)\b)
  | (?P<part_time>\b(?:this\s+is\s+an?|an?)\s+part[\s-]time\s+(?:role|position|job|opportunity|contract|employment)\b
      | \bpart[\s-]time\s*\(\s*\d{1,2}\s*(?:\+|-|–)?\s*\d{0,2}\s*(?:hours|hrs|h)\b)
  | (?P<full_time>\b(?:this\s+is\s+an?|an?|the)\s+full[\s-]time\s+(?:,\s*)?(?:permanent\s+|remote\s+|salaried\s+)?
        (?:role|position|job|opportunity|employment|permanent\s+role)\b|\bfull[\s-]time,?\s+permanent\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _hint_values(hint: str | Iterable[str] | None) -> list[str]:
    if hint is None:
        return []
    parts = [hint] if isinstance(hint, str) else [h for h in hint if isinstance(h, str)]
    out: list[str] = []
    for part in parts:
        out.extend(p.strip() for p in re.split(r"[,/;|]| and ", part) if p.strip())
    return out


def employment_from_hint(hint: str | Iterable[str] | None) -> str | None:
    """Map a source's structured employment value (string or list of strings) to an EMPLOYMENT_TYPES value."""
    found: list[str] = []
    for raw in _hint_values(hint):
        key = re.sub(r"\s+", " ", raw.lower().replace("_", " ").strip(" .")).strip()
        value = (
            _HINT_TABLE.get(key) or _HINT_TABLE.get(key.replace(" ", "")) or _HINT_TABLE.get(key.replace(" ", "-"))
        )
        if value is None:
            m = _LABEL_VALUE.search(key)
            value = m.lastgroup if m else None
        if value is not None:
            found.append(value)
    return _pick(found) if found else None


def _pick(values: list[str]) -> str:
    """The first listed value, except that full_time yields to a more specific co-listed one ("Full-time,
    Contract" is a full-time contract engagement)."""
    if values[0] == "full_time":
        return max(values, key=_SPECIFICITY.__getitem__)
    return values[0]


def employment_from_title(title: str) -> str | None:
    if not title:
        return None
    found = {m.lastgroup for m in _TITLE.finditer(title[:500]) if m.lastgroup}
    return max(found, key=_SPECIFICITY.__getitem__) if found else None


_LABEL_LOW = case_free(_LABEL)
_LABEL_VALUE_LOW = case_free(_LABEL_VALUE)
_TEXT_LOW = case_free(_TEXT)


# Where a _TEXT match can start, on folded text (speed only; see ``text.finditer_gated``).
_TEXT_START = re.compile(
    r"\W(?=contract|temp|on\s|as\s|1099|corp|c2c|\d|one|two|three|four|five|six|nine|twelve|eighteen|this|is\s"
    r"|an?\s|fixed|internship|part|full|the\s)"
)


def employment_from_text(text: str) -> str | None:
    if not text:
        return None
    # Speed: the case-sensitive twins over the folded text when it aligns (same matches, several times faster).
    low = folded_same_length(text)
    label, label_value, free = (_LABEL_LOW, _LABEL_VALUE_LOW, _TEXT_LOW) if low else (_LABEL, _LABEL_VALUE, _TEXT)
    source = low or text
    for m in label.finditer(source):
        values = [v.lastgroup for v in label_value.finditer(m.group("value")) if v.lastgroup]
        if values:
            return _pick(values)
    hits = finditer_gated(free, low, _TEXT_START, low) if low else free.finditer(source)
    found = {m.lastgroup for m in hits if m.lastgroup}
    return max(found, key=_SPECIFICITY.__getitem__) if found else None


def infer_employment_type(
    hint: str | Iterable[str] | None, title: str = "", text: str = ""
) -> tuple[str | None, str | None]:
    """``(employment_type, provenance)``: the structured hint first, then the title, then the description."""
    value = employment_from_hint(hint)
    if value is not None:
        return value, "structured"
    value = employment_from_title(title or "")
    if value is not None:
        return value, "title"
    value = employment_from_text(text or "")
    if value is not None:
        return value, "text"
    return None, None
