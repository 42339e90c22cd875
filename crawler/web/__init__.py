"""``jobscout serve``: the read-only web app (search page, posting page, stats page, JSON API, Atom feeds).

Needs the ``web`` extra (``pip install -e ".[web]"``): FastAPI, Jinja2, uvicorn and nh3. ``app.create_app`` builds
the application; ``search`` turns a URL into the filters of ``jobscout query``; ``description`` sanitizes a
posting's markup; ``charts`` lays out the stats page's SVG bars. Templates and the stylesheet ship as package data.
"""
