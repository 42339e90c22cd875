"""crawler.boards: the shipped registry, users' files, and which boards a crawl takes by default."""

from __future__ import annotations

import pytest

from crawler.boards import BoardsFileError, boards_for, load_registry


def test_shipped_registry_marks_only_evidenced_tokens_verified():
    boards = load_registry()
    assert {b.source for b in boards} >= {"greenhouse", "lever", "ashby", "smartrecruiters", "workable"}
    for board in boards:
        assert board.verified == bool(board.evidence), board
        assert board.enabled == board.verified
    assert "stripe" in boards_for("greenhouse")
    assert "cloudflare" not in boards_for("greenhouse")  # shipped but unverified: opt-in


def test_user_file_adds_and_overrides(tmp_path):
    user = tmp_path / "boards.toml"
    user.write_text(
        '[[greenhouse]]\ntoken = "cloudflare"\n\n[[greenhouse]]\ntoken = "stripe"\nenabled = false\n'
        '[[lever]]\ntoken = "acme"\ncompany = "Acme"\n'
    )
    tokens = boards_for("greenhouse", [str(user)])
    assert "cloudflare" in tokens and "stripe" not in tokens
    assert boards_for("lever", [str(user)])[-1] == "acme"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[greenhouse]\ntoken=", "not valid TOML"),
        ('greenhouse = "x"', "array of tables"),
        ("[[greenhouse]]\ncompany = 'no token'", "needs a token"),
    ],
)
def test_bad_user_file_is_a_clear_error(tmp_path, content, message):
    user = tmp_path / "boards.toml"
    user.write_text(content)
    with pytest.raises(BoardsFileError, match=message):
        load_registry([str(user)])


def test_missing_user_file(tmp_path):
    with pytest.raises(BoardsFileError, match="does not exist"):
        load_registry([str(tmp_path / "nope.toml")])
