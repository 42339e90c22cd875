"""User configuration: a TOML file in the user's config directory.

Precedence for every value: command-line flag > environment (read only by ``crawler.settings``) > config file >
default. The file is optional; ``jobscout info`` prints where it is looked for.

```toml
[database]
url = "postgresql://jobscout@localhost/jobscout"   # default: a SQLite file in the user's data directory

[crawler]
contact = "you@example.com"                         # goes into the User-Agent so site owners can reach you
boards_files = ["~/jobscout/my-boards.toml"]        # your boards (TOML or CSV), applied over the registry
registry = "/path/to/registry.csv.gz"               # another registry data file (default: the shipped one)
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "jobscout"
PROJECT_URL = "https://github.com/jobscout/jobscout"
VERSION = "0.1.0"


class ConfigError(ValueError):
    """The config file exists but cannot be used."""


@dataclass(frozen=True, slots=True)
class Config:
    config_path: Path
    data_dir: Path
    db_url: str
    db_url_origin: str  # flag | environment | config file | default
    contact: str | None = None
    boards_files: tuple[Path, ...] = field(default_factory=tuple)
    registry_file: Path | None = None  # None: the shipped registry (crawler/data/registry.csv.gz)


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_db_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'jobscout.db'}"


def read_config_file(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc.strerror}") from exc
    for section in ("database", "crawler"):
        if section in data and not isinstance(data[section], dict):
            raise ConfigError(f"config file {path}: [{section}] must be a table")
    return data


def resolve(env: dict[str, str], *, db_flag: str | None = None) -> Config:
    """Resolve the effective configuration from a flag, the environment values and the config file."""
    config_path = Path(env["JOBSCOUT_CONFIG"]).expanduser() if env.get("JOBSCOUT_CONFIG") else default_config_path()
    data_dir = Path(env["JOBSCOUT_DATA_DIR"]).expanduser() if env.get("JOBSCOUT_DATA_DIR") else default_data_dir()
    data = read_config_file(config_path)
    database = data.get("database", {})
    crawler = data.get("crawler", {})

    if db_flag:
        db_url, origin = db_flag, "flag"
    elif env.get("JOBSCOUT_DB_URL"):
        db_url, origin = env["JOBSCOUT_DB_URL"], "environment"
    elif database.get("url"):
        db_url, origin = str(database["url"]), "config file"
    else:
        db_url, origin = default_db_url(data_dir), "default"

    contact = env.get("JOBSCOUT_CONTACT") or crawler.get("contact")
    boards_files = crawler.get("boards_files", [])
    if isinstance(boards_files, str):
        boards_files = [boards_files]
    if not isinstance(boards_files, list):
        raise ConfigError(f"config file {config_path}: crawler.boards_files must be a list of paths")
    registry = env.get("JOBSCOUT_REGISTRY") or crawler.get("registry")
    return Config(
        config_path=config_path,
        data_dir=data_dir,
        db_url=db_url,
        db_url_origin=origin,
        contact=str(contact) if contact else None,
        boards_files=tuple(Path(p).expanduser() for p in boards_files),
        registry_file=Path(str(registry)).expanduser() if registry else None,
    )


def user_agent(contact: str | None) -> str:
    """A descriptive User-Agent: who we are, where to read about us and, when configured, whom to contact."""
    ua = f"jobscout/{VERSION} (+{PROJECT_URL}"
    if contact:
        ua += f"; contact: {contact}"
    return ua + ")"
