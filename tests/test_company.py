"""pipeline.company: company keys, and the company a posting's text introduces itself as."""

from __future__ import annotations

import pytest

from pipeline.company import company_from_text, company_key, legal_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("At Brightwater, we build tidal turbines.", "Brightwater"),
        ("About us\nAt Nimbus Freight our engineers ship daily.", "Nimbus Freight"),
        ("At Grey Owl (greyowl.example), we are hiring.", "Grey Owl"),
        ("At Brightwater you will own the billing system.", "Brightwater"),
        # no introduction: the sentence does not go on with we/our/you, or the words are not a name
        ("At scale, the system handles a billion events.", None),
        ("At Brightwater scale the numbers are large.", None),
        ("At this stage we need a generalist.", None),
        ("", None),
    ],
)
def test_company_from_text(text, expected):
    assert company_from_text(text) == expected


def test_keys_unchanged():
    assert company_key("Stripe, Inc.") == company_key("stripe") == "stripe"
    assert legal_name("Acme Holdings, Inc.") == "Acme"
